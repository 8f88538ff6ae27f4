"""The print log's audit entry reads as a sentence in both languages."""

import pytest
from django.utils import translation

from convene.core.audit import describe_audit_entry
from convene.core.models import AuditEntry
from convene.onsite.enums import OnsiteAuditAction

A = OnsiteAuditAction.BADGES_PRINTED


@pytest.mark.parametrize(
    ("language", "layout", "count", "reason", "expected"),
    [
        ("en", "a6", "1", "", "1 badge printed (A6, one badge per page)."),
        (
            "en",
            "a4",
            "12",
            "Badge lost",
            "12 badges printed (A4, four badges per sheet with crop marks). Reason: Badge lost",
        ),
        ("fr", "a6", "1", "", "1 badge imprimé (A6, un badge par page)."),
        (
            "fr",
            "a4",
            "12",
            "",
            "12 badges imprimés (A4, quatre badges par feuille avec traits de coupe).",
        ),
    ],
)
def test_badges_printed_reads_as_a_sentence(language, layout, count, reason, expected):
    entry = AuditEntry(action=A, from_state=layout, to_state=count, reason=reason)

    with translation.override(language):
        assert describe_audit_entry(entry) == expected
