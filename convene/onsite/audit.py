"""How the audit entries of onsite read (see core.audit): one sentence per action."""

from django.utils.translation import gettext, ngettext

from convene.core.audit import choice_label, field_names, with_reason
from convene.core.models import AuditEntry
from convene.registrations.enums import ExportFormat

from .enums import BadgeLayout, OnsiteAuditAction
from .models import TravelDetails


def describe_onsite_entry(entry: AuditEntry) -> str:
    if entry.action == OnsiteAuditAction.BADGES_PRINTED:
        count = int(entry.to_state) if entry.to_state.isdigit() else 0
        sentence = ngettext(
            "%(count)d badge printed (%(layout)s).",
            "%(count)d badges printed (%(layout)s).",
            count,
        ) % {"count": count, "layout": choice_label(BadgeLayout, entry.from_state)}
        return with_reason(sentence, entry.reason)
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
    return gettext("A change was recorded.")


def _count(text: str) -> int:
    return int(text) if text.isdigit() else 0
