"""The confirmation of an approved registration: its QR code, and the one-page PDF that
the approval email carries and the personal page offers (name, delegation, meeting,
dates, venue, reference, QR), in the delegate's language.

Rendering reads only files under this app (fonts) and data: URLs (the QR), never the
network, so a server without access out renders the same page.
"""

from pathlib import Path

import segno
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext
from weasyprint import HTML, URLFetcher

from convene.core.formatting import format_date_range
from convene.registrations.models import Registration

from .tokens import check_confirmation, make_confirmation_token

FONTS = Path(__file__).resolve().parent / "fonts"
# Medium error correction survives a scratched or folded print and keeps the code small
# (version 4, 33 modules, for the 60-character token).
ERROR_CORRECTION = "m"


def confirmation_qr(registration: Registration) -> segno.QRCode:
    return segno.make_qr(make_confirmation_token(registration), error=ERROR_CORRECTION)


def confirmation_qr_svg(registration: Registration) -> str:
    """The QR code as an inline SVG element, without a fixed size: the page's style sizes it."""
    return confirmation_qr(registration).svg_inline(
        scale=1,
        border=4,
        omitsize=True,
        svgclass="qr",
        title=gettext("QR code of your registration"),
    )


def confirmation_filename(registration: Registration) -> str:
    return f"confirmation-{registration.reference}.pdf"


def vendored_fonts() -> dict[str, str]:
    """{"noto_sans_latin_400": "file:///…/noto-sans-latin-400-normal.woff", …}, for the
    template onsite/_pdf_fonts.html that every printed paper of this app includes."""
    return {
        path.stem.removesuffix("-normal").replace("-", "_"): path.as_uri()
        for path in FONTS.glob("*.woff")
    }


def confirmation_pdf(registration: Registration) -> bytes:
    """The one-page PDF in the registration's language. Raises TokenRefused (see
    check_confirmation) unless the registration is approved: no paper for a registration
    that would be refused at the door."""
    check_confirmation(registration)
    meeting = registration.meeting
    with translation.override(registration.language):
        html = render_to_string(
            "onsite/confirmation.html",
            {
                "registration": registration,
                "meeting": meeting,
                "dates": format_date_range(meeting.starts_on, meeting.ends_on),
                "location": meeting.location(),
                "qr": confirmation_qr(registration).svg_data_uri(scale=1, border=4),
                "fonts": vendored_fonts(),
                "LANGUAGE_CODE": registration.language,
            },
        )
        return write_pdf(html)


def pdf_url_fetcher() -> URLFetcher:
    """What the printed papers of this app may fetch: local files and data: URLs only."""
    return URLFetcher(allowed_protocols={"file", "data"}, fail_on_errors=True)


def write_pdf(html: str) -> bytes:
    """The PDF of an HTML page of this app, fetching only local files and data: URLs."""
    return HTML(string=html, url_fetcher=pdf_url_fetcher()).write_pdf()
