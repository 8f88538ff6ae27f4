"""Onsite's shared reads: the funding summary per delegation."""

import pytest
from django.utils import translation

from convene.onsite.selectors import funding_by_delegation
from tests.factories.onsite import FundingRequestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def funded(meeting):
    meeting.funded_places_per_delegation = 1
    meeting.save(update_fields=["funded_places_per_delegation"])
    return meeting


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        # Accents ignored: « Sénégal » before « Suisse », as a reader expects.
        ("fr", ["Allemagne", "Estonie", "Sénégal", "Suisse"]),
        ("en", ["Estonia", "Germany", "Senegal", "Switzerland"]),
    ],
)
def test_funding_by_delegation_lists_delegations_by_name_in_the_pages_language(
    funded, make_registration, reference_data, language, expected
):
    for number, code in enumerate(["CH", "SN", "DE", "EE"]):
        registration = make_registration(
            delegation=reference_data.partners.get(code=code),
            email=f"person{number}@example.org",
            reference=f"REF{number:05d}",
        )
        FundingRequestFactory(registration=registration)

    with translation.override(language):
        rows = funding_by_delegation(funded)
        names = [row["partner"].name for row in rows]

    assert names == expected
    assert [(row["granted"], row["requested"], row["offered"]) for row in rows] == [(1, 0, 1)] * 4


def test_meetings_at_the_door_of_the_secretariat_are_those_not_ended_soonest_first(
    reference_data, secretariat_officer
):
    import datetime

    from convene.onsite.selectors import meetings_at_the_door
    from tests.factories.meetings import MeetingFactory

    today = datetime.date(2031, 9, 1)
    MeetingFactory(  # ended the day before
        dialogue=reference_data,
        starts_on=datetime.date(2031, 8, 1),
        ends_on=datetime.date(2031, 8, 31),
    )
    later = MeetingFactory(
        dialogue=reference_data,
        starts_on=datetime.date(2031, 10, 1),
        ends_on=datetime.date(2031, 10, 2),
    )
    on = MeetingFactory(
        dialogue=reference_data,
        starts_on=datetime.date(2031, 8, 31),
        ends_on=datetime.date(2031, 9, 1),
    )

    assert meetings_at_the_door(secretariat_officer, today=today) == [on, later]
