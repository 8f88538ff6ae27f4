"""How the audit entries of onsite read (see core.audit): one sentence per action."""

import datetime

from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from convene.core.audit import choice_label, field_names, with_reason
from convene.core.formatting import format_date
from convene.core.models import AuditEntry
from convene.registrations.enums import ExportFormat

from .enums import BadgeLayout, FundingStatus, OnsiteAuditAction
from .models import TravelDetails

# One sentence per language of the letter: a language's name is capitalised in English
# and not in French, which one sentence with a placeholder cannot say.
LETTER_ISSUED = {
    "fr": _("Visa support letter %(number)s issued in French."),
    "en": _("Visa support letter %(number)s issued in English."),
}

F = FundingStatus


def describe_onsite_entry(entry: AuditEntry) -> str:
    if entry.action == OnsiteAuditAction.BADGES_PRINTED:
        count = int(entry.to_state) if entry.to_state.isdigit() else 0
        sentence = ngettext(
            "%(count)d badge printed (%(layout)s).",
            "%(count)d badges printed (%(layout)s).",
            count,
        ) % {"count": count, "layout": choice_label(BadgeLayout, entry.from_state)}
        return with_reason(sentence, entry.reason)
    if entry.action == OnsiteAuditAction.FUNDING_REQUESTED:
        return gettext("Funded place requested.")
    if entry.action == OnsiteAuditAction.FUNDING_STATUS:
        return with_reason(_funding_sentence(entry.from_state, entry.to_state), entry.reason)
    if entry.action == OnsiteAuditAction.PASSPORT_SAVED:
        if entry.to_state == "corrected":
            return gettext("Passport data for the visa support letter corrected.")
        return gettext("Passport data for the visa support letter received.")
    if entry.action == OnsiteAuditAction.PASSPORT_VIEWED:
        return gettext("Passport data viewed.")
    if entry.action == OnsiteAuditAction.PASSPORT_ERASED:
        # The one reason there is: the retention period ended (the actor says who ran it).
        return gettext("Passport data erased after the meeting, as the retention period ended.")
    if entry.action == OnsiteAuditAction.VISA_LETTER_ISSUED:
        sentence = LETTER_ISSUED.get(entry.from_state)
        if sentence is None:
            return gettext("Visa support letter %(number)s issued.") % {"number": entry.to_state}
        return str(sentence) % {"number": entry.to_state}
    if entry.action == OnsiteAuditAction.VISA_LETTER_WITHDRAWN:
        sentence = gettext("Visa support letter %(number)s withdrawn.") % {
            "number": entry.from_state
        }
        # The reasons Convene writes itself are stored in English and read in the
        # reader's language; a reason staff typed is not in the catalogue and reads as is.
        return with_reason(sentence, gettext(entry.reason) if entry.reason else "")
    if entry.action == OnsiteAuditAction.VISA_LETTER_DOWNLOADED:
        return gettext(
            "Visa support letter %(number)s downloaded (it shows the passport data)."
        ) % {"number": entry.to_state}
    if entry.action == OnsiteAuditAction.VISA_LETTER_SETTINGS_CHANGED:
        return gettext("The settings of the meeting's visa support letters were changed.")
    if entry.action == OnsiteAuditAction.TRAVEL_SAVED:
        names = field_names(TravelDetails, [name.strip() for name in entry.reason.split(",")])
        if not entry.from_state:
            return gettext("Travel details given: %(fields)s.") % {"fields": names}
        return gettext("Travel details changed: %(fields)s.") % {"fields": names}
    if entry.action == OnsiteAuditAction.TRAVEL_REMINDED:
        count = _count(entry.to_state)
        sentence = ngettext(
            "%(count)d delegate reminded to give their travel details.",
            "%(count)d delegates reminded to give their travel details.",
            count,
        ) % {"count": count}
        skipped = _count(entry.from_state)
        if skipped:
            sentence += " " + ngettext(
                "%(count)d reminded less than 24 hours before was skipped.",
                "%(count)d reminded less than 24 hours before were skipped.",
                skipped,
            ) % {"count": skipped}
        return sentence
    if entry.action == OnsiteAuditAction.LOGISTICS_EXPORTED:
        count = _count(entry.to_state)
        return ngettext(
            "Logistics list exported as %(format)s (%(count)d row).",
            "Logistics list exported as %(format)s (%(count)d rows).",
            count,
        ) % {"count": count, "format": choice_label(ExportFormat, entry.from_state)}
    if entry.action == OnsiteAuditAction.ATTENDANCE_SHEET_DOWNLOADED:
        count = _count(entry.to_state)
        return ngettext(
            "Attendance sheet of %(day)s downloaded (%(count)d delegate).",
            "Attendance sheet of %(day)s downloaded (%(count)d delegates).",
            count,
        ) % {"count": count, "day": _day(entry.from_state)}
    if entry.action in CHECKIN_ACTIONS:
        return _checkin_sentence(entry)
    return gettext("A change was recorded.")


def _funding_sentence(from_state: str, to_state: str) -> str:
    if to_state == F.GRANTED:
        if from_state == F.REFUSED:
            return gettext("Funded place granted on reconsideration.")
        return gettext("Funded place granted.")
    if to_state == F.REFUSED:
        if from_state == F.GRANTED:
            return gettext("Funded place withdrawn.")
        return gettext("Funding request refused.")
    if to_state == F.REQUESTED:
        return gettext("Funded place requested again.")
    return gettext("Funding request changed to “%(status)s”.") % {
        "status": choice_label(FundingStatus, to_state)
    }


def _count(text: str) -> int:
    return int(text) if text.isdigit() else 0


def _day(text: str) -> str:
    """An ISO date stored in an entry, as the reader says it ("1 September 2031")."""
    try:
        return format_date(datetime.date.fromisoformat(text), "j F Y")
    except ValueError:
        return text


# --- check-in -------------------------------------------------------------------------

CHECKIN_ACTIONS = {
    OnsiteAuditAction.CHECKIN_DEVICE_ADDED,
    OnsiteAuditAction.CHECKIN_DEVICE_REVOKED,
    OnsiteAuditAction.CHECKIN_TOKEN_ISSUED,
    OnsiteAuditAction.WALK_IN_REGISTERED,
}


def _checkin_sentence(entry: AuditEntry) -> str:
    """The device's entries (its name, as given, in to_state) and the walk-in's."""
    if entry.action == OnsiteAuditAction.CHECKIN_DEVICE_ADDED:
        return gettext("Check-in device “%(name)s” added.") % {"name": entry.to_state}
    if entry.action == OnsiteAuditAction.CHECKIN_DEVICE_REVOKED:
        return gettext("Check-in device revoked: it can no longer check anyone in.")
    if entry.action == OnsiteAuditAction.CHECKIN_TOKEN_ISSUED:
        return gettext("API token issued for the scanner “%(name)s”.") % {"name": entry.to_state}
    return gettext("Registered and approved at the desk, on the day.")
