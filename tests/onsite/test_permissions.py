"""Who prints badges: the Secretariat everywhere, organisers for their meeting; check-in
staff, focal points, delegates' outsiders never. Who asks for funded places (the
Secretariat, the delegation's focal point), who decides (the Secretariat) and who sees
the back-office list (the meeting's managers)."""

import pytest

from convene.meetings.enums import Category
from convene.onsite.permissions import (
    can_change_travel,
    can_decide_any_funding,
    can_decide_funding,
    can_issue_any_visa_letters,
    can_issue_visa_letters,
    can_print_any_badges,
    can_print_badges,
    can_remind_travel,
    can_request_funding,
    can_view_any_funding,
    can_view_any_logistics,
    can_view_badge_prints,
    can_view_funding,
    can_view_logistics,
    can_view_visa_letter,
    can_view_visa_letters,
)
from tests.factories.meetings import MeetingFactory
from tests.factories.registrations import RegistrationFactory

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


# --- funded places --------------------------------------------------------------------------


@pytest.fixture
def senegal_delegate(organised_meeting, senegal):
    return RegistrationFactory(meeting=organised_meeting, delegation=senegal)


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("secretariat_officer", True),
        ("focal_point_senegal", True),
        ("focal_point_france", False),
        ("organiser", False),
        ("checkin_staff", False),
        ("outsider", False),
    ],
)
def test_can_request_funding_for_a_delegate_of_senegal(
    persona, expected, request, senegal_delegate
):
    user = request.getfixturevalue(persona)

    assert can_request_funding(user, senegal_delegate) is expected


def test_can_request_funding_for_an_invited_participant_only_by_the_secretariat(
    organised_meeting, focal_point_senegal, secretariat_officer
):
    invited = RegistrationFactory(
        meeting=organised_meeting, category=Category.CIVIL_SOCIETY, delegation=None
    )

    assert can_request_funding(focal_point_senegal, invited) is False
    assert can_request_funding(secretariat_officer, invited) is True


@pytest.mark.parametrize(
    ("persona", "decide", "view"),
    [
        ("secretariat_officer", True, True),
        ("organiser", False, True),
        ("checkin_staff", False, False),
        ("focal_point_senegal", False, False),
        ("focal_point_france", False, False),
        ("outsider", False, False),
    ],
)
def test_can_decide_and_view_funding_of_the_organised_meeting(
    persona, decide, view, request, organised_meeting
):
    user = request.getfixturevalue(persona)

    assert can_decide_funding(user, organised_meeting) is decide
    assert can_decide_any_funding(user) is decide
    assert can_view_funding(user, organised_meeting) is view
    assert can_view_any_funding(user) is view


def test_organiser_does_not_view_the_funding_of_another_meeting(organiser, reference_data):
    other = MeetingFactory(dialogue=reference_data, slug="elsewhere")

    assert can_view_funding(organiser, other) is False


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


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("secretariat_officer", True),
        ("organiser", False),
        ("checkin_staff", False),
        ("focal_point_senegal", False),
        ("outsider", False),
    ],
)
def test_can_manage_any_checkin_devices_and_register_walk_ins(
    persona, expected, request, organised_meeting
):
    from convene.onsite.permissions import (
        can_manage_any_checkin_devices,
        can_manage_checkin_devices,
        can_register_walk_in,
    )

    user = request.getfixturevalue(persona)

    assert can_manage_any_checkin_devices(user) is expected
    assert can_manage_checkin_devices(user, organised_meeting) is expected
    assert can_register_walk_in(user, organised_meeting) is expected
