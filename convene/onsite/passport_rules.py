"""What passport data must be to serve a visa support letter: one set of rules for the
delegate's form and the service that saves it (save_passport_details checks again)."""

import datetime
import re

from django.utils.translation import gettext

from convene.core.formatting import format_date

# ICAO 9303 numbers are up to 9 characters, most 6 to 9; some states' longer ones are
# accepted rather than refused at a consulate's door.
NUMBER_MIN_LENGTH = 5
NUMBER_MAX_LENGTH = 20
NATIONALITY_MAX_LENGTH = 100
# Earliest plausible date of birth: before it, the year was mistyped.
EARLIEST_BIRTH = datetime.date(1900, 1, 1)

_NUMBER = re.compile(r"[A-Z0-9]+")
_BLANKS = re.compile(r"\s+")
_SPACES = re.compile(r"[ \t]+")
# Letters of any script, with the spaces, hyphens and apostrophes of names such as
# "Bissau-Guinean" or "d'Ivoire"; no digits, no punctuation, one line.
_NATIONALITY = re.compile("[^\\W\\d_]+(?:[ \\-'\u2019][^\\W\\d_]+)*")


def normalise_passport_number(value: str) -> str:
    """As printed in the passport's machine-readable zone: no spaces, capitals."""
    return _BLANKS.sub("", value or "").upper()


def normalise_nationality(value: str) -> str:
    """Runs of spaces made one; line breaks kept, for nationality_error to refuse."""
    return _SPACES.sub(" ", value or "").strip()


def passport_number_error(number: str) -> str | None:
    if not _NUMBER.fullmatch(number):
        return gettext(
            "A passport number has only the letters A to Z and digits; spaces are removed. "
            "Check for other signs such as dashes, dots or accented letters."
        )
    if not NUMBER_MIN_LENGTH <= len(number) <= NUMBER_MAX_LENGTH:
        return gettext(
            "A passport number has %(min)d to %(max)d characters; this one has %(count)d."
        ) % {"min": NUMBER_MIN_LENGTH, "max": NUMBER_MAX_LENGTH, "count": len(number)}
    return None


def nationality_error(nationality: str) -> str | None:
    if len(nationality) > NATIONALITY_MAX_LENGTH:
        return gettext("The nationality has at most %(max)d characters.") % {
            "max": NATIONALITY_MAX_LENGTH
        }
    if not _NATIONALITY.fullmatch(nationality):
        return gettext(
            "Write the nationality in letters on one line, as in the passport "
            "(spaces, hyphens and apostrophes are allowed)."
        )
    return None


def passport_errors(data: dict, *, meeting, today: datetime.date) -> dict[str, str]:
    """The first fault of each field of `data` (normalised values, dates as dates), as
    {field: translated sentence}; empty when the data can serve a letter for `meeting`.
    A missing value is the form's concern: here it only skips the rules that need it."""
    errors: dict[str, str] = {}
    birth = data.get("date_of_birth")
    issued = data.get("issue_date")
    expires = data.get("expiry_date")
    if birth is not None:
        if birth > today:
            errors["date_of_birth"] = gettext("The date of birth cannot be in the future.")
        elif birth < EARLIEST_BIRTH:
            errors["date_of_birth"] = gettext(
                "This date of birth is not plausible: check the year."
            )
    if issued is not None:
        if issued > today:
            errors["issue_date"] = gettext("The date of issue cannot be in the future.")
        elif birth is not None and "date_of_birth" not in errors and issued < birth:
            errors["issue_date"] = gettext("The date of issue is before the date of birth.")
        elif expires is not None and issued >= expires:
            errors["issue_date"] = gettext("The date of issue must be before the date of expiry.")
    if expires is not None and expires < meeting.ends_on:
        errors["expiry_date"] = gettext(
            "This passport expires before the meeting's last day (%(last_day)s): a visa needs "
            "a passport valid for the whole stay. Enter another passport, or renew this one."
        ) % {"last_day": format_date(meeting.ends_on, "j F Y")}
    number = data.get("passport_number")
    if number is not None:
        error = passport_number_error(number)
        if error:
            errors["passport_number"] = error
    nationality = data.get("nationality")
    if nationality is not None:
        error = nationality_error(nationality)
        if error:
            errors["nationality"] = error
    return errors
