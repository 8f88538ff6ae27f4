"""Fixtures of the onsite tests: a published meeting in Dakar and its approved delegate."""

import datetime

import pytest

from convene.registrations.enums import RegistrationStatus
from tests.factories.meetings import MeetingFactory
from tests.factories.onsite import PassportDetailsFactory, VisaLetterSettingsFactory
from tests.factories.registrations import RegistrationFactory


@pytest.fixture
def meeting(reference_data, senegal):
    return MeetingFactory(
        dialogue=reference_data,
        published=True,
        slug="dakar-workshop",
        title_en="Dakar workshop",
        title_fr="Atelier de Dakar",
        starts_on=datetime.date(2031, 9, 1),
        ends_on=datetime.date(2031, 9, 2),
        venue_en="King Fahd Palace",
        venue_fr="Palais du roi Fahd",
        city_en="Dakar",
        city_fr="Dakar",
        host_country=senegal,
    )


@pytest.fixture
def other_meeting(reference_data):
    return MeetingFactory(
        dialogue=reference_data,
        published=True,
        slug="paris-meeting",
        title_en="Paris meeting",
        title_fr="Réunion de Paris",
    )


@pytest.fixture
def make_registration(meeting, senegal):
    """A registration of the delegation of Senegal to `meeting`, approved unless told."""

    def make(**fields):
        values = {
            "meeting": meeting,
            "delegation": senegal,
            "status": RegistrationStatus.APPROVED,
            "first_name": "Awa",
            "last_name": "Ndiaye",
            "email": "awa@example.org",
            "reference": "AWA2031X",
        }
        values.update(fields)
        return RegistrationFactory(**values)

    return make


@pytest.fixture
def approved(make_registration):
    return make_registration()


@pytest.fixture
def letter_meeting(meeting):
    meeting.offers_visa_letters = True
    meeting.organisers_en = "Ministry of Foreign Affairs of Senegal"
    meeting.organisers_fr = "Ministère des Affaires étrangères du Sénégal"
    meeting.save()
    VisaLetterSettingsFactory(meeting=meeting)
    return meeting


@pytest.fixture
def delegate(letter_meeting, make_registration):
    """An approved delegate of Senegal who asked for a letter and entered their passport."""
    registration = make_registration(
        title="ms", needs_visa_letter=True, function="Director of migration"
    )
    PassportDetailsFactory(
        registration=registration,
        passport_number="A01234567",
        nationality="Senegalese",
        date_of_birth=datetime.date(1980, 5, 17),
        issue_date=datetime.date(2024, 1, 10),
        expiry_date=datetime.date(2034, 1, 9),
    )
    return registration


@pytest.fixture
def on_the_day(monkeypatch, meeting):
    """The server's clock at noon, venue time, on `meeting`'s first day (2031-09-01): the
    door accepts scans of that day, and none from the future."""
    from django.utils import timezone

    noon = datetime.datetime.combine(meeting.starts_on, datetime.time(12), tzinfo=meeting.tzinfo)
    monkeypatch.setattr(timezone, "now", lambda: noon)
    return noon
