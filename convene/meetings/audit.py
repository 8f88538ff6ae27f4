"""How the audit entries of meetings read (see core.audit)."""

from django.utils.translation import gettext

from convene.core.audit import field_names, status_change, with_reason
from convene.core.models import AuditEntry

from .enums import MeetingAuditAction, MeetingStatus
from .models import Meeting


def describe_meeting_entry(entry: AuditEntry) -> str:
    if entry.action == MeetingAuditAction.STATUS:
        return with_reason(status_change(MeetingStatus, entry), entry.reason)
    if entry.action == MeetingAuditAction.CAPACITY:
        # The reason holds the name of the limit; an empty value is no limit.
        return gettext("“%(limit)s” changed from %(old)s to %(new)s.") % {
            "limit": field_names(Meeting, [entry.reason]) or gettext("A limit on places"),
            "old": entry.from_state or gettext("not limited"),
            "new": entry.to_state or gettext("not limited"),
        }
    return gettext("A change was recorded.")
