"""Data migrations of the meetings app."""

import importlib

import pytest
from django.apps import apps

from tests.factories.meetings import MeetingFactory

pytestmark = pytest.mark.django_db

eligibility = importlib.import_module(
    "convene.meetings.migrations.0003_eligibility_says_who_not_when"
)
OLD_EN = (
    "Registration is open to representatives of the partner countries and organisations "
    "of the Rabat Process."
)
OLD_FR = (
    "Les inscriptions sont ouvertes aux représentants des pays et organisations "
    "partenaires du Processus de Rabat."
)
NEW_EN = (
    "Who may register: representatives of the partner countries and organisations "
    "of the Rabat Process."
)
NEW_FR = (
    "Qui peut s'inscrire\xa0: les représentants des pays et organisations "
    "partenaires du Processus de Rabat."
)


def test_former_default_eligibility_is_reworded_and_staff_texts_are_kept():
    kept_default = MeetingFactory(eligibility_en=OLD_EN, eligibility_fr=OLD_FR)
    written = MeetingFactory(eligibility_en="Invited experts only.", eligibility_fr=OLD_FR)

    eligibility.reword_default_eligibility(apps, None)

    kept_default.refresh_from_db()
    written.refresh_from_db()
    assert (kept_default.eligibility_en, kept_default.eligibility_fr) == (NEW_EN, NEW_FR)
    assert (written.eligibility_en, written.eligibility_fr) == ("Invited experts only.", NEW_FR)


def test_rewording_is_undone_by_the_reverse_migration():
    meeting = MeetingFactory(eligibility_en=NEW_EN, eligibility_fr=NEW_FR)

    eligibility.restore_default_eligibility(apps, None)

    meeting.refresh_from_db()
    assert (meeting.eligibility_en, meeting.eligibility_fr) == (OLD_EN, OLD_FR)


def test_new_meetings_take_the_new_default():
    meeting = MeetingFactory()

    assert (meeting.eligibility_en, meeting.eligibility_fr) == (NEW_EN, NEW_FR)
