"""How the audit entries of good practices read (see core.audit)."""

from django.utils.translation import gettext

from convene.core.audit import status_change, with_reason
from convene.core.models import AuditEntry

from .enums import PracticeAuditAction, PracticeStatus


def describe_practice_entry(entry: AuditEntry) -> str:
    if entry.action == PracticeAuditAction.CREATED:
        return gettext("Good practice submitted for moderation.")
    if entry.action == PracticeAuditAction.STATUS:
        return with_reason(status_change(PracticeStatus, entry), entry.reason)
    return gettext("A change was recorded.")
