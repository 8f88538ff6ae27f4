"""How the audit entries of meetings read (convene.meetings.audit)."""

import pytest
from django.utils import translation

from convene.core.audit import describe_audit_entry
from convene.core.models import AuditEntry
from convene.meetings.enums import MeetingAuditAction

A = MeetingAuditAction


def _read(entry, language) -> str:
    with translation.override(language):
        return describe_audit_entry(entry)


@pytest.mark.parametrize(
    ("entry", "english", "french"),
    [
        (
            AuditEntry(
                action=A.STATUS, from_state="published", to_state="cancelled", reason="Storm"
            ),
            "Status changed from “Published” to “Cancelled”. Reason: Storm",
            "Statut passé de «\u00a0Publiée\u00a0» à «\u00a0Annulée\u00a0». Motif\u00a0: Storm",
        ),
        (
            AuditEntry(
                action=A.CAPACITY, from_state="80", to_state="", reason="in_person_capacity"
            ),
            "“in-person capacity” changed from 80 to not limited.",
            "Modification de «\u00a0capacité d'accueil en présentiel\u00a0»\u00a0: de 80 à "
            "non limité.",
        ),
        (
            AuditEntry(action=A.CAPACITY, from_state="1", to_state="2", reason="retired_limit"),
            "“A limit on places” changed from 1 to 2.",
            "Modification de «\u00a0Une limite de places\u00a0»\u00a0: de 1 à 2.",
        ),
    ],
)
def test_meeting_entries_read_in_both_languages(entry, english, french):
    assert (_read(entry, "en"), _read(entry, "fr")) == (english, french)
