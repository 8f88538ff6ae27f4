"""Who prints badges: the Secretariat everywhere, organisers for their meeting; check-in
staff, focal points, delegates' outsiders never."""

import pytest

from convene.onsite.permissions import (
    can_issue_any_visa_letters,
    can_issue_visa_letters,
    can_print_any_badges,
    can_print_badges,
    can_view_badge_prints,
    can_view_visa_letter,
    can_view_visa_letters,
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
def test_can_issue_and_view_visa_letters_of_the_organised_meeting(
    persona, expected, request, organised_meeting
):
    user = request.getfixturevalue(persona)

    assert can_issue_visa_letters(user, organised_meeting) is expected
    assert can_issue_any_visa_letters(user) is expected
    assert can_view_visa_letters(user, organised_meeting) is expected


@pytest.mark.parametrize(
    ("persona", "expected"), [("secretariat_officer", True), ("organiser", False)]
)
def test_can_issue_visa_letters_of_another_meeting(persona, expected, request, reference_data):
    user = request.getfixturevalue(persona)
    other = MeetingFactory(dialogue=reference_data, slug="elsewhere")

    assert can_issue_visa_letters(user, other) is expected


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
def test_can_view_visa_letter_of_a_senegalese_delegate(
    persona, expected, request, organised_meeting, senegal, secretariat_officer
):
    from convene.onsite import services
    from convene.registrations.enums import RegistrationStatus
    from tests.factories.onsite import PassportDetailsFactory, VisaLetterSettingsFactory
    from tests.factories.registrations import RegistrationFactory

    organised_meeting.offers_visa_letters = True
    organised_meeting.save(update_fields=["offers_visa_letters"])
    VisaLetterSettingsFactory(meeting=organised_meeting)
    registration = RegistrationFactory(
        meeting=organised_meeting, delegation=senegal, status=RegistrationStatus.APPROVED
    )
    PassportDetailsFactory(registration=registration)
    letter = services.issue_visa_letter(registration, actor=secretariat_officer, language="fr")

    assert can_view_visa_letter(request.getfixturevalue(persona), letter) is expected
