"""How the audit entries of good practices read (see core.audit)."""

from django.utils.translation import gettext

from convene.core.audit import choice_label, with_reason
from convene.core.models import AuditEntry

from .enums import PracticeAuditAction, PracticeStatus


def describe_practice_entry(entry: AuditEntry) -> str:
    if entry.action == PracticeAuditAction.CREATED:
        return gettext("Good practice submitted for moderation.")
    if entry.action == PracticeAuditAction.STATUS:
        sentence = gettext("Status changed from “%(old)s” to “%(new)s”.") % {
            "old": choice_label(PracticeStatus, entry.from_state),
            "new": choice_label(PracticeStatus, entry.to_state),
        }
        return with_reason(sentence, entry.reason)
    return gettext("A change was recorded.")
