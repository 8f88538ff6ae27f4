"""How the audit entries of label proposals read (convene.labels.audit)."""

import pytest
from django.utils import translation

from convene.core.audit import describe_audit_entry
from convene.core.models import AuditEntry
from convene.labels.audit import proposal_history_title
from convene.labels.enums import ProposalAuditAction
from tests.factories.meetings import MeetingFactory

pytestmark = pytest.mark.django_db

A = ProposalAuditAction


def _read(entry, language) -> str:
    with translation.override(language):
        return describe_audit_entry(entry)


@pytest.mark.parametrize(
    ("entry", "english", "french"),
    [
        (
            AuditEntry(
                action=A.STATUS,
                from_state="under_review",
                to_state="changes_requested",
                reason="Add the budget.",
            ),
            "Status changed from “Under review by the Secretariat” to “Changes requested”. "
            "Reason: Add the budget.",
            "Statut passé de «\u00a0En cours d'examen par le Secrétariat\u00a0» à "
            "«\u00a0Modifications demandées\u00a0». Motif\u00a0: Add the budget.",
        ),
        (
            AuditEntry(action=A.CHECKLIST, reason="check_alignment, check_feasibility"),
            "Review checklist recorded; satisfied: aligned with the action plan, feasible.",
            "Liste de vérification enregistrée\u00a0; points remplis\u00a0: conforme au plan "
            "d'action, réalisable.",
        ),
        (
            AuditEntry(action=A.CHECKLIST, reason=""),
            "Review checklist recorded: no point satisfied.",
            "Liste de vérification enregistrée\u00a0: aucun point rempli.",
        ),
        (
            AuditEntry(action=A.IMPORTED, to_state="labelled", reason="SC-2021-04"),
            "Labelling record imported (decision SC-2021-04).",
            "Dossier de labellisation importé (décision SC-2021-04).",
        ),
    ],
)
def test_proposal_entries_read_in_both_languages(entry, english, french):
    assert (_read(entry, "en"), _read(entry, "fr")) == (english, french)


def test_meeting_created_names_the_meeting_in_the_page_language():
    MeetingFactory(slug="paris-2021", title_en="Local authorities", title_fr="Autorités locales")
    entry = AuditEntry(action=A.MEETING_CREATED, reason="paris-2021")

    assert (_read(entry, "en"), _read(entry, "fr")) == (
        "Meeting “Local authorities” created from the proposal.",
        "Réunion «\u00a0Autorités locales\u00a0» créée à partir de la proposition.",
    )


def test_proposal_page_title_is_the_status_reached_or_the_kind_of_change():
    with translation.override("fr"):
        titles = [
            proposal_history_title(AuditEntry(action=A.STATUS, to_state="labelled")),
            proposal_history_title(AuditEntry(action=A.CHECKLIST, reason="check_alignment")),
            proposal_history_title(AuditEntry(action="proposal.retired")),
        ]

    assert titles == ["Labellisée", "Liste de vérification enregistrée", "Autre modification"]
