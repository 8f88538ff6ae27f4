"""Certificates of attendance: who may have one, its number, the code its QR carries to
the public verification page, and its PDF in the delegate's language (A4 landscape: the
Dialogue's name, the sentence that certifies, the days attended, a QR code).

The code is a signature of the registration's reference (django.core.signing, with a
salt of its own, by the keys of the QR codes, CONFIRMATION_TOKEN_KEYS: the first signs,
all verify, so a key is replaced without voiding the certificates printed): nothing is
stored, a code cannot be made without the key, and the verification page reads the
facts as they are today (a certificate of a registration since cancelled no longer
verifies).
"""

import datetime

import segno
from django.conf import settings
from django.core import signing
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from convene.core.formatting import format_date, format_date_range
from convene.registrations.enums import RegistrationStatus
from convene.registrations.models import Registration

from .checkin import delegation_label
from .confirmation import vendored_fonts, write_pdf
from .selectors import days_attended

CERTIFICATE_SALT = "convene.onsite.certificate"
# Medium error correction, as the other papers of this app.
ERROR_CORRECTION = "m"
# What a code looks like (a reference, a colon, a signature): anything else is refused
# before any signature is checked.
MAX_CODE_LENGTH = 80


def _signer() -> signing.Signer:
    first, *older = settings.CONFIRMATION_TOKEN_KEYS
    return signing.Signer(key=first, fallback_keys=older, salt=CERTIFICATE_SALT, algorithm="sha256")


def certificate_code(registration: Registration) -> str:
    """ "AWA2031X:<signature>": names the registration, cannot be guessed."""
    return _signer().sign(registration.reference)


def reference_of_certificate_code(code: str) -> str | None:
    """The reference a genuine code names, None for any other text (tampered, made up)."""
    if not code or len(code) > MAX_CODE_LENGTH:
        return None
    try:
        return _signer().unsign(code)
    except signing.BadSignature:
        return None


def certificate_number(registration: Registration) -> str:
    return f"ATT-{registration.reference}"


def certificates_open(meeting, *, now: datetime.datetime | None = None) -> bool:
    """Whether the meeting's certificates may be downloaded: from the start of its last
    day in the venue's time zone. Delegates leave during the last day, often before the
    closing, and want their certificate on the way home; the days before are then known,
    and the last one counts once they are checked in that morning."""
    today = timezone.localdate(now or timezone.now(), meeting.tzinfo)
    return today >= meeting.ends_on


def certificate_days(
    registration: Registration, *, now: datetime.datetime | None = None
) -> list[datetime.date]:
    """The days a certificate of `registration` lists; empty when there is no
    certificate: not approved, the last day not begun, or never checked in."""
    if registration.status != RegistrationStatus.APPROVED:
        return []
    if not certificates_open(registration.meeting, now=now):
        return []
    return days_attended(registration)


def certificate_verification_url(registration: Registration) -> str:
    """The public page's absolute address, in the registration's language."""
    with translation.override(registration.language):
        path = reverse("onsite:verify_certificate", kwargs={"code": certificate_code(registration)})
    return settings.SITE_URL + path


def format_days(days: list[datetime.date]) -> list[str]:
    """ "Monday 1 September 2031" / "lundi 1er septembre 2031", in the active language."""
    return [format_date(day, "l j F Y") for day in days]


def certificate_holder_details(registration: Registration) -> str:
    """The apposition after the name, ", Director of migration, Senegal,": each part
    only when known (function; delegation, else institution); "" without any."""
    known = [
        part
        for part in (registration.function.strip(), delegation_label(registration).strip())
        if part
    ]
    return "".join(f", {part}" for part in known) + ("," if known else "")


def certificate_filename(registration: Registration) -> str:
    return f"certificate-{registration.reference}.pdf"


def certificate_pdf(registration: Registration, days: list[datetime.date]) -> bytes:
    """The certificate in the registration's language, listing `days` (certificate_days,
    which the caller checked is not empty)."""
    meeting = registration.meeting
    with translation.override(registration.language):
        url = certificate_verification_url(registration)
        html = render_to_string(
            "onsite/certificate.html",
            {
                "registration": registration,
                "meeting": meeting,
                "who": certificate_holder_details(registration),
                "dates": format_date_range(meeting.starts_on, meeting.ends_on),
                "city": meeting.city,
                "days": format_days(days),
                "number": certificate_number(registration),
                "verification_url": url,
                "qr": segno.make_qr(url, error=ERROR_CORRECTION).svg_data_uri(scale=1, border=4),
                "issued_on": format_date(timezone.localdate(timezone.now()), "j F Y"),
                "fonts": vendored_fonts(),
                "LANGUAGE_CODE": registration.language,
            },
        )
        return write_pdf(html)
