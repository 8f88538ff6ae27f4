"""The visa support letter's PDF: A4, on the meeting's letterhead (or a typographic
header naming its organisers), addressed to the host country's embassy or consulate, in
the consulate's language, with the letter's number and a QR code opening its public
verification page.

Like every paper of this app, rendering fetches only local files (fonts, the uploaded
letterhead) and data: URLs, never the network.
"""

import base64
import mimetypes

import segno
from django.template.loader import render_to_string
from django.utils import translation

from convene.core.formatting import format_date, format_date_range

from .confirmation import vendored_fonts, write_pdf
from .models import VisaLetter, VisaLetterSettings

# Medium error correction, as the confirmation: a folded letter still reads.
ERROR_CORRECTION = "m"


def visa_letter_filename(letter: VisaLetter) -> str:
    return f"visa-letter-{letter.number}.pdf"


def visa_letter_qr(letter: VisaLetter) -> segno.QRCode:
    return segno.make_qr(letter.get_verification_url(), error=ERROR_CORRECTION)


def _letterhead_data_uri(letter_settings: VisaLetterSettings | None) -> str:
    """The uploaded letterhead as a data: URL ("" without one), so the renderer reads no
    storage path and fetches nothing."""
    if letter_settings is None or not letter_settings.letterhead:
        return ""
    field = letter_settings.letterhead
    mime = mimetypes.guess_type(field.name)[0] or "image/png"
    try:
        with field.open("rb") as file:
            content = file.read()
    except OSError:
        # A file lost from the storage: the typographic header rather than no letter.
        return ""
    return f"data:{mime};base64,{base64.b64encode(content).decode('ascii')}"


def _organisers(meeting) -> list[str]:
    return [line.strip() for line in (meeting.organisers or "").splitlines() if line.strip()]


def _funded(registration) -> bool:
    """Whether a funded place is granted; the funding request may not exist (or not yet
    be built into the registration): read without assuming either."""
    funding = getattr(registration, "funding", None)
    return bool(getattr(funding, "is_granted", False))


def visa_letter_context(letter: VisaLetter) -> dict:
    """What the letter's template shows, read in the active language (the letter's)."""
    registration = letter.registration
    meeting = registration.meeting
    letter_settings = VisaLetterSettings.objects.filter(meeting=meeting).first()
    passport = getattr(registration, "passport", None)
    return {
        "letter": letter,
        "registration": registration,
        "meeting": meeting,
        "passport": passport,
        "settings": letter_settings,
        "letterhead": _letterhead_data_uri(letter_settings),
        "organisers": _organisers(meeting),
        "host_country": meeting.host_country.name if meeting.host_country_id else "",
        "dates": format_date_range(meeting.starts_on, meeting.ends_on),
        "issued_on": format_date(letter.issued_on, "j F Y"),
        "date_of_birth": format_date(passport.date_of_birth, "j F Y") if passport else "",
        "issue_date": format_date(passport.issue_date, "j F Y") if passport else "",
        "expiry_date": format_date(passport.expiry_date, "j F Y") if passport else "",
        "funded": _funded(registration),
        "verification_url": letter.get_verification_url(),
        "qr": visa_letter_qr(letter).svg_data_uri(scale=1, border=4),
        "fonts": vendored_fonts(),
        "LANGUAGE_CODE": letter.language,
    }


def visa_letter_pdf(letter: VisaLetter) -> bytes:
    """The letter's PDF in its language. The passport data is read as it is now: once
    erased, the letter is no longer printed (VisaLetterError "no_passport" is the
    caller's to raise; see views)."""
    with translation.override(letter.language):
        html = render_to_string("onsite/visa_letter.html", visa_letter_context(letter))
        return write_pdf(html)
