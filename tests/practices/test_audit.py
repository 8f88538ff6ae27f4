"""How the audit entries of good practices read (convene.practices.audit)."""

from django.utils import translation

from convene.core.audit import describe_audit_entry
from convene.core.models import AuditEntry
from convene.practices.enums import PracticeAuditAction


def test_practice_entries_read_in_both_languages():
    entries = [
        AuditEntry(action=PracticeAuditAction.CREATED, to_state="submitted"),
        AuditEntry(
            action=PracticeAuditAction.STATUS,
            from_state="submitted",
            to_state="rejected",
            reason="Off topic",
        ),
    ]

    with translation.override("en"):
        english = [describe_audit_entry(entry) for entry in entries]
    with translation.override("fr"):
        french = [describe_audit_entry(entry) for entry in entries]

    assert english == [
        "Good practice submitted for moderation.",
        "Status changed from “Awaiting moderation” to “Not published”. Reason: Off topic",
    ]
    assert french == [
        "Bonne pratique soumise à la modération.",
        "Statut passé de «\u00a0En attente de modération\u00a0» à «\u00a0Non publiée\u00a0». "
        "Motif\u00a0: Off topic",
    ]
