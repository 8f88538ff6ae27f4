from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext

from convene.core.bilingual import LANGUAGE_CODES, active_language
from convene.core.formatting import format_date, format_date_range
from convene.registrations.tokens import registration_from_token

from . import selectors
from .confirmation import confirmation_filename, confirmation_pdf
from .enums import VisaLetterStatus
from .models import VisaLetter
from .ratelimits import limit_verification_reads
from .tokens import TokenRefused


def confirmation_download(request, token):
    """The confirmation PDF, behind the personal link the registration page uses; a page
    saying why when the registration is not (or no longer) approved."""
    registration = registration_from_token(token)
    if registration is None:
        return render(request, "registrations/invalid_link.html", status=404)
    try:
        content = confirmation_pdf(registration)
    except TokenRefused as refusal:
        return render(
            request,
            "onsite/confirmation_refused.html",
            {"registration": registration, "meeting": registration.meeting, "refusal": refusal},
            status=404,
        )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{confirmation_filename(registration)}"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _verification_section(letter: VisaLetter, language: str) -> dict:
    """What the page says of `letter` in `language`: the number, the name, the meeting, its
    dates and the status, and nothing else (no passport data, no contact, no function)."""
    with translation.override(language):
        if letter.is_valid:
            status = str(VisaLetterStatus.VALID.label)
        else:
            status = gettext("Withdrawn on %(date)s") % {
                "date": format_date(timezone.localdate(letter.withdrawn_at), "j F Y")
            }
        return {
            "language": language,
            "heading": gettext("Visa support letter"),
            "rows": [
                (gettext("Number"), letter.number),
                (gettext("Name"), letter.holder_name),
                (gettext("Meeting"), letter.meeting_title),
                (
                    gettext("Dates"),
                    format_date_range(letter.meeting_starts_on, letter.meeting_ends_on),
                ),
                (gettext("Status"), status),
            ],
        }


def _page_languages() -> list[str]:
    """The page's language first, then the other: a consulate reads either."""
    first = active_language()
    return [first, *(code for code in LANGUAGE_CODES if code != first)]


@limit_verification_reads
def verify_visa_letter(request, code):
    """The public page a letter's QR code opens: is this letter genuine and still valid?
    Unknown codes answer 404 with a sentence, never a hint of which codes exist."""
    letter = selectors.visa_letter_for_verification(code)
    if letter is None:
        response = render(request, "onsite/visa_letter_unknown.html", status=404)
    else:
        response = render(
            request,
            "onsite/visa_letter_verification.html",
            {
                "letter": letter,
                "sections": [
                    _verification_section(letter, language) for language in _page_languages()
                ],
            },
        )
    # Neither indexed nor kept by a shared cache: the page names a person.
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response
