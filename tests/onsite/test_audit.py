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


@pytest.mark.parametrize(
    ("language", "action", "to_state", "reason", "expected"),
    [
        (
            "en",
            OnsiteAuditAction.PASSPORT_SAVED,
            "received",
            "",
            "Passport data for the visa support letter received.",
        ),
        (
            "fr",
            OnsiteAuditAction.PASSPORT_SAVED,
            "corrected",
            "",
            "Données de passeport pour la lettre d'appui à la demande de visa corrigées.",
        ),
        ("en", OnsiteAuditAction.PASSPORT_VIEWED, "", "", "Passport data viewed."),
        ("fr", OnsiteAuditAction.PASSPORT_VIEWED, "", "", "Données de passeport consultées."),
        (
            "en",
            OnsiteAuditAction.PASSPORT_ERASED,
            "",
            "",
            "Passport data erased after the meeting, as the retention period ended.",
        ),
        (
            "fr",
            OnsiteAuditAction.PASSPORT_ERASED,
            "",
            "",
            "Données de passeport effacées après la réunion, à la fin de la durée de conservation.",
        ),
    ],
)
def test_passport_entries_read_as_sentences_without_values(
    language, action, to_state, reason, expected
):
    entry = AuditEntry(action=action, to_state=to_state, reason=reason)

    with translation.override(language):
        assert describe_audit_entry(entry) == expected


@pytest.mark.parametrize(
    ("language", "action", "from_state", "to_state", "reason", "expected"),
    [
        (
            "en",
            OnsiteAuditAction.VISA_LETTER_ISSUED,
            "fr",
            "RP-2031-0007",
            "",
            "Visa support letter RP-2031-0007 issued in French.",
        ),
        (
            "fr",
            OnsiteAuditAction.VISA_LETTER_ISSUED,
            "en",
            "RP-2031-0007",
            "",
            "Lettre d\u2019appui à la demande de visa RP-2031-0007 émise en anglais.",
        ),
        (
            "en",
            OnsiteAuditAction.VISA_LETTER_WITHDRAWN,
            "RP-2031-0007",
            "withdrawn",
            "Replaced by a new letter.",
            "Visa support letter RP-2031-0007 withdrawn. Reason: Replaced by a new letter.",
        ),
        (
            "fr",
            OnsiteAuditAction.VISA_LETTER_WITHDRAWN,
            "RP-2031-0007",
            "withdrawn",
            "Replaced by a new letter.",
            "Lettre d\u2019appui à la demande de visa RP-2031-0007 retirée. "
            "Motif\u00a0: Remplacée par une nouvelle lettre.",
        ),
        (
            "en",
            OnsiteAuditAction.VISA_LETTER_DOWNLOADED,
            "",
            "RP-2031-0007",
            "",
            "Visa support letter RP-2031-0007 downloaded (it shows the passport data).",
        ),
        (
            "fr",
            OnsiteAuditAction.VISA_LETTER_SETTINGS_CHANGED,
            "",
            "",
            "",
            "Les paramètres des lettres d\u2019appui à la demande de visa de la réunion ont "
            "été modifiés.",
        ),
    ],
)
def test_visa_letter_entries_read_as_sentences(
    language, action, from_state, to_state, reason, expected
):
    entry = AuditEntry(action=action, from_state=from_state, to_state=to_state, reason=reason)

    with translation.override(language):
        assert describe_audit_entry(entry) == expected


def test_a_letter_withdrawn_by_convene_reads_its_reason_in_the_readers_language():
    entry = AuditEntry(
        action=OnsiteAuditAction.VISA_LETTER_WITHDRAWN,
        from_state="RP-2031-0001",
        to_state="withdrawn",
        reason="The registration is no longer approved.",
    )

    with translation.override("fr"):
        sentence = describe_audit_entry(entry)

    assert sentence == (
        "Lettre d\u2019appui à la demande de visa RP-2031-0001 retirée. "
        "Motif\xa0: L\u2019inscription n\u2019est plus approuvée."
    )


@pytest.mark.parametrize(
    ("language", "action", "to_state", "expected"),
    [
        ("en", OnsiteAuditAction.CHECKIN_DEVICE_ADDED, "Desk 1", "Check-in device “Desk 1” added."),
        (
            "fr",
            OnsiteAuditAction.CHECKIN_DEVICE_ADDED,
            "Desk 1",
            "Appareil d'accueil «\xa0Desk 1\xa0» ajouté.",
        ),
        (
            "en",
            OnsiteAuditAction.CHECKIN_DEVICE_REVOKED,
            "",
            "Check-in device revoked: it can no longer check anyone in.",
        ),
        (
            "fr",
            OnsiteAuditAction.CHECKIN_DEVICE_REVOKED,
            "",
            "Appareil d'accueil révoqué\xa0: il ne peut plus enregistrer aucune arrivée.",
        ),
        (
            "en",
            OnsiteAuditAction.CHECKIN_TOKEN_ISSUED,
            "Gate scanner",
            "API token issued for the scanner “Gate scanner”.",
        ),
        (
            "fr",
            OnsiteAuditAction.CHECKIN_TOKEN_ISSUED,
            "Gate scanner",
            "Jeton d'API émis pour le lecteur «\xa0Gate scanner\xa0».",
        ),
        (
            "en",
            OnsiteAuditAction.WALK_IN_REGISTERED,
            "",
            "Registered and approved at the desk, on the day.",
        ),
        (
            "fr",
            OnsiteAuditAction.WALK_IN_REGISTERED,
            "",
            "Inscrit et approuvé à l'accueil, le jour même.",
        ),
    ],
)
def test_checkin_entries_read_as_sentences(language, action, to_state, expected):
    entry = AuditEntry(action=action, to_state=to_state)

    with translation.override(language):
        assert describe_audit_entry(entry) == expected
