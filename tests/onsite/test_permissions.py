"""Who prints badges: the Secretariat everywhere, organisers for their meeting; check-in
staff, focal points, delegates' outsiders never."""

import pytest

from convene.onsite.permissions import (
    can_change_travel,
    can_print_any_badges,
    can_print_badges,
    can_remind_travel,
    can_view_any_logistics,
    can_view_badge_prints,
    can_view_logistics,
)
from tests.factories.meetings import MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("secretariat_officer", True),
        ("organiser", True),
        ("checkin_staff", False),
        ("focal_point_senegal", False),
        ("outsider", False),
    ],
)
def test_can_print_badges_of_the_organised_meeting(persona, expected, request, organised_meeting):
    user = request.getfixturevalue(persona)

    assert can_print_badges(user, organised_meeting) is expected
    assert can_print_any_badges(user) is expected
    assert can_view_badge_prints(user) is expected


@pytest.mark.parametrize(
    ("persona", "expected"), [("secretariat_officer", True), ("organiser", False)]
)
def test_can_print_badges_of_another_meeting(persona, expected, request, reference_data):
    user = request.getfixturevalue(persona)
    other = MeetingFactory(dialogue=reference_data, slug="elsewhere")

    assert can_print_badges(user, other) is expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("secretariat_officer", True),
        ("organiser", True),
        ("checkin_staff", False),
        ("focal_point_senegal", False),
        ("focal_point_france", False),
        ("outsider", False),
    ],
)
def test_can_view_logistics_of_the_organised_meeting(persona, expected, request, organised_meeting):
    user = request.getfixturevalue(persona)

    assert can_view_logistics(user, organised_meeting) is expected
    assert can_remind_travel(user, organised_meeting) is expected
    assert can_change_travel(user, organised_meeting) is expected
    assert can_view_any_logistics(user) is expected


@pytest.mark.parametrize(
    ("persona", "expected"), [("secretariat_officer", True), ("organiser", False)]
)
def test_can_view_logistics_of_another_meeting(persona, expected, request, reference_data):
    user = request.getfixturevalue(persona)
    other = MeetingFactory(dialogue=reference_data, slug="elsewhere")

    assert can_view_logistics(user, other) is expected
    assert can_remind_travel(user, other) is expected
