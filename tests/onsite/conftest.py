"""Fixtures of the onsite tests: a published meeting in Dakar and its approved delegate."""

import datetime

import pytest

from convene.registrations.enums import RegistrationStatus
from tests.factories.meetings import MeetingFactory
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
