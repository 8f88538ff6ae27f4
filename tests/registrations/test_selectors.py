"""Reads of registrations: the waiting list's order and why a registration waits."""

import datetime

import pytest
from django.utils import timezone, translation

from convene.meetings.enums import MeetingFormat
from convene.registrations import selectors
from convene.registrations.enums import DelegationRole, Participation, RegistrationStatus
from tests.factories.registrations import RegistrationFactory

pytestmark = pytest.mark.django_db

S = RegistrationStatus


def _waiting(meeting, delegation, *, minutes, **fields):
    """A registration on the waiting list since `minutes` past a fixed moment."""
    since = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
    return RegistrationFactory(
        meeting=meeting,
        delegation=delegation,
        status=S.WAITLISTED,
        waitlisted_at=since + datetime.timedelta(minutes=minutes),
        **fields,
    )


def _holding(meeting, delegation, count, **fields):
    return RegistrationFactory.create_batch(
        count, meeting=meeting, delegation=delegation, status=S.APPROVED, **fields
    )


# --- waiting_list_position --------------------------------------------------------------


def test_waiting_list_position_follows_waiting_since_then_id(make_meeting, senegal, france):
    meeting = make_meeting(in_person_capacity=1)
    second = _waiting(meeting, france, minutes=5)
    first = _waiting(meeting, senegal, minutes=1)
    third = _waiting(meeting, senegal, minutes=5)

    positions = [selectors.waiting_list_position(r) for r in (first, second, third)]

    assert positions == [1, 2, 3]


def test_waiting_list_position_counts_only_the_same_way_of_attending(make_meeting, senegal):
    meeting = make_meeting(format=MeetingFormat.HYBRID, in_person_capacity=1, online_capacity=1)
    _waiting(meeting, senegal, minutes=1, participation=Participation.ONLINE)
    in_person = _waiting(meeting, senegal, minutes=2)
    online = _waiting(meeting, senegal, minutes=3, participation=Participation.ONLINE)

    assert selectors.waiting_list_position(in_person) == 1
    assert selectors.waiting_list_position(online) == 2


def test_waiting_list_position_leaves_out_those_waitlisted_by_decision(make_meeting, senegal):
    meeting = make_meeting(in_person_capacity=1)
    by_decision = _waiting(meeting, senegal, minutes=1, waitlisted_by_decision=True)
    waiting = _waiting(meeting, senegal, minutes=2)

    assert selectors.waiting_list_position(by_decision) is None
    assert selectors.waiting_list_position(waiting) == 1


def test_waiting_list_position_of_a_registration_not_waiting_is_none(make_meeting, senegal):
    meeting = make_meeting()
    approved = RegistrationFactory(meeting=meeting, delegation=senegal, status=S.APPROVED)

    assert selectors.waiting_list_position(approved) is None


# --- waitlist_reason ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "All 2 in-person places at the meeting are taken."),
        ("fr", "Les 2 places en présentiel de la réunion sont toutes prises."),
    ],
)
def test_waitlist_reason_when_the_meeting_is_full(language, expected, make_meeting, senegal):
    meeting = make_meeting(in_person_capacity=2)
    _holding(meeting, senegal, 2)
    waiting = _waiting(meeting, senegal, minutes=1)

    with translation.override(language):
        assert selectors.waitlist_reason(waiting) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "The meeting's 1 online place is taken."),
        ("fr", "La réunion a 1 place en ligne, déjà prise."),
    ],
)
def test_waitlist_reason_when_the_only_online_place_is_taken(
    language, expected, make_meeting, senegal
):
    meeting = make_meeting(format=MeetingFormat.ONLINE, online_capacity=1)
    _holding(meeting, senegal, 1, participation=Participation.ONLINE)
    waiting = _waiting(meeting, senegal, minutes=1, participation=Participation.ONLINE)

    with translation.override(language):
        assert selectors.waitlist_reason(waiting) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Senegal: all 2 places of the delegation are taken."),
        ("fr", "Sénégal\xa0: les 2 places de la délégation sont toutes prises."),
    ],
)
def test_waitlist_reason_when_the_delegation_places_are_taken(
    language, expected, make_meeting, senegal
):
    meeting = make_meeting(in_person_capacity=50, delegation_size=2)
    _holding(meeting, senegal, 2)
    waiting = _waiting(meeting, senegal, minutes=1)

    with translation.override(language):
        assert selectors.waitlist_reason(waiting) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Senegal: the delegation's 1 place for a head of delegation is taken."),
        ("fr", "Sénégal\xa0: la délégation a 1 place de chef de délégation, déjà prise."),
    ],
)
def test_waitlist_reason_when_the_head_place_is_taken(language, expected, make_meeting, senegal):
    meeting = make_meeting(delegation_size=2, delegation_heads=1)
    _holding(meeting, senegal, 1, role=DelegationRole.HEAD)
    waiting = _waiting(meeting, senegal, minutes=1, role=DelegationRole.HEAD)

    with translation.override(language):
        assert selectors.waitlist_reason(waiting) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "The Secretariat placed your registration on the waiting list."),
        ("fr", "Le Secrétariat a placé votre inscription sur la liste d'attente."),
    ],
)
def test_waitlist_reason_when_waitlisted_by_decision(language, expected, make_meeting, senegal):
    meeting = make_meeting()
    waiting = _waiting(meeting, senegal, minutes=1, waitlisted_by_decision=True)

    with translation.override(language):
        assert selectors.waitlist_reason(waiting) == expected


def test_waitlist_reason_is_empty_once_a_place_is_free(make_meeting, senegal):
    meeting = make_meeting(in_person_capacity=2)
    _holding(meeting, senegal, 1)
    waiting = _waiting(meeting, senegal, minutes=1)

    assert selectors.waitlist_reason(waiting) == ""


def test_waitlist_reason_of_a_registration_not_waiting_is_empty(make_meeting, senegal):
    meeting = make_meeting(in_person_capacity=1)
    approved = RegistrationFactory(
        meeting=meeting, delegation=senegal, status=S.APPROVED, decided_at=timezone.now()
    )

    assert selectors.waitlist_reason(approved) == ""


# --- places_left --------------------------------------------------------------------------


def test_places_left_counts_place_holders_in_each_limited_way(make_meeting, senegal):
    meeting = make_meeting(format=MeetingFormat.HYBRID, in_person_capacity=2, online_capacity=5)
    _holding(meeting, senegal, 1)
    _holding(meeting, senegal, 2, participation=Participation.ONLINE)
    RegistrationFactory(meeting=meeting, delegation=senegal, status=S.AWAITING_FOCAL_POINT)
    _waiting(meeting, senegal, minutes=1)

    assert selectors.places_left(meeting) == {"in_person": 1, "online": 3}


def test_places_left_leaves_out_unlimited_and_unoffered_ways(make_meeting, senegal):
    meeting = make_meeting(format=MeetingFormat.IN_PERSON, online_capacity=5)

    assert selectors.places_left(meeting) == {}


def test_places_left_never_goes_below_zero(make_meeting, senegal):
    meeting = make_meeting(in_person_capacity=1)
    _holding(meeting, senegal, 2)

    assert selectors.places_left(meeting) == {"in_person": 0}
