"""Each predicate of convene.registrations.permissions, for the personas it lets in and
keeps out. The whole table of personas and actions is in tests/test_access_matrix.py."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from convene.core.models import User
from convene.meetings.enums import Category
from convene.registrations import permissions
from convene.registrations.enums import RegistrationStatus
from tests.factories.core import CheckinRoleFactory, FocalPointRoleFactory
from tests.factories.registrations import RegistrationFactory

pytestmark = pytest.mark.django_db

S = RegistrationStatus

DECISIONS_OF_THE_MEETINGS_MANAGERS = (
    permissions.can_approve_registration,
    permissions.can_waitlist_registration,
    permissions.can_reject_registration,
    permissions.can_change_registration,
)
DECISIONS_OF_THE_FOCAL_POINT = (
    permissions.can_endorse_registration,
    permissions.can_decline_registration,
)


def _fresh(user):
    """The user as a new request loads it: roles are cached per user object."""
    return User.objects.get(pk=user.pk)


@pytest.fixture
def senegalese(meeting, senegal):
    return RegistrationFactory(meeting=meeting, delegation=senegal, status=S.AWAITING_FOCAL_POINT)


@pytest.fixture
def invited(meeting):
    """A researcher, invited in their own name: no delegation, so no focal point."""
    return RegistrationFactory(meeting=meeting, category=Category.RESEARCH, delegation=None)


@pytest.fixture
def meeting_checkin_staff(meeting):
    return CheckinRoleFactory(meeting=meeting).user


def _answers(predicate, people, registration):
    return [predicate(person, registration) for person in people]


# --- the meeting's managers decide ---


@pytest.mark.parametrize("predicate", DECISIONS_OF_THE_MEETINGS_MANAGERS)
def test_managers_decisions_true_for_the_secretariat_and_the_meetings_organiser(
    predicate, secretariat_officer, meeting_organiser, senegalese
):
    assert _answers(predicate, [secretariat_officer, meeting_organiser], senegalese) == [True] * 2


@pytest.mark.parametrize("predicate", DECISIONS_OF_THE_MEETINGS_MANAGERS)
def test_managers_decisions_false_for_everyone_else(
    predicate,
    other_organiser,
    meeting_checkin_staff,
    focal_point_senegal,
    focal_point_france,
    outsider,
    senegalese,
):
    people = [
        other_organiser,
        meeting_checkin_staff,
        focal_point_senegal,
        focal_point_france,
        outsider,
        AnonymousUser(),
    ]

    assert _answers(predicate, people, senegalese) == [False] * 6


def test_can_approve_registration_false_for_an_inactive_officer(secretariat_officer, senegalese):
    secretariat_officer.is_active = False

    assert permissions.can_approve_registration(secretariat_officer, senegalese) is False


# --- the delegation's focal point endorses and declines ---


@pytest.mark.parametrize("predicate", DECISIONS_OF_THE_FOCAL_POINT)
def test_focal_point_decisions_true_for_the_delegations_focal_point(
    predicate, focal_point_senegal, senegalese
):
    assert predicate(focal_point_senegal, senegalese) is True


@pytest.mark.parametrize("predicate", DECISIONS_OF_THE_FOCAL_POINT)
def test_focal_point_decisions_false_for_the_secretariat_organiser_and_other_focal_points(
    predicate, secretariat_officer, meeting_organiser, focal_point_france, outsider, senegalese
):
    people = [secretariat_officer, meeting_organiser, focal_point_france, outsider]

    assert _answers(predicate, people, senegalese) == [False] * 4


@pytest.mark.parametrize("predicate", DECISIONS_OF_THE_FOCAL_POINT)
def test_focal_point_decisions_false_without_a_delegation(predicate, focal_point_senegal, invited):
    assert predicate(focal_point_senegal, invited) is False


@pytest.mark.parametrize("predicate", DECISIONS_OF_THE_FOCAL_POINT)
def test_focal_point_decisions_false_once_the_focal_points_role_has_ended(
    predicate, senegal, senegalese
):
    assignment = FocalPointRoleFactory(
        partner=senegal,
        starts_on=timezone.localdate() - datetime.timedelta(days=30),
        ends_on=timezone.localdate() - datetime.timedelta(days=1),
    )

    assert predicate(_fresh(assignment.user), senegalese) is False


# --- reading, downloading, cancelling: managers and the delegation's focal point ---


@pytest.mark.parametrize(
    "predicate",
    [
        permissions.can_view_registration,
        permissions.can_download_attachment,
        permissions.can_cancel_registration,
    ],
)
def test_shared_decisions_per_persona(
    predicate,
    secretariat_officer,
    meeting_organiser,
    focal_point_senegal,
    focal_point_france,
    other_organiser,
    meeting_checkin_staff,
    outsider,
    senegalese,
):
    people = [
        secretariat_officer,
        meeting_organiser,
        focal_point_senegal,
        focal_point_france,
        other_organiser,
        meeting_checkin_staff,
        outsider,
        AnonymousUser(),
    ]

    assert _answers(predicate, people, senegalese) == [True, True, True] + [False] * 5


def test_can_view_registration_of_an_invited_delegate_only_for_the_managers(
    secretariat_officer, meeting_organiser, focal_point_senegal, invited
):
    people = [secretariat_officer, meeting_organiser, focal_point_senegal]

    assert _answers(permissions.can_view_registration, people, invited) == [True, True, False]


# --- a meeting's registrations ---


def test_can_view_registrations_of_the_meeting_only_for_its_managers(
    meeting, secretariat_officer, meeting_organiser, other_organiser, focal_point_senegal
):
    people = [secretariat_officer, meeting_organiser, other_organiser, focal_point_senegal]

    assert [permissions.can_view_registrations_of(p, meeting) for p in people] == [
        True,
        True,
        False,
        False,
    ]


def test_can_enter_registration_only_for_the_meetings_managers(
    meeting, secretariat_officer, meeting_organiser, other_organiser, focal_point_senegal
):
    people = [secretariat_officer, meeting_organiser, other_organiser, focal_point_senegal]

    assert [permissions.can_enter_registration(p, meeting) for p in people] == [
        True,
        True,
        False,
        False,
    ]


def test_can_enter_any_registration_for_the_secretariat_and_organisers(
    secretariat_officer, meeting_organiser, meeting_checkin_staff, focal_point_senegal, outsider
):
    people = [
        secretariat_officer,
        meeting_organiser,
        meeting_checkin_staff,
        focal_point_senegal,
        outsider,
    ]

    assert [permissions.can_enter_any_registration(p) for p in people] == [
        True,
        True,
        False,
        False,
        False,
    ]


def test_can_manage_any_registrations_for_the_secretariat_and_organisers(
    secretariat_officer, meeting_organiser, meeting_checkin_staff, focal_point_senegal, outsider
):
    people = [
        secretariat_officer,
        meeting_organiser,
        meeting_checkin_staff,
        focal_point_senegal,
        outsider,
    ]

    assert [permissions.can_manage_any_registrations(p) for p in people] == [
        True,
        True,
        False,
        False,
        False,
    ]


# --- nominating, and the focal point's pages ---


def test_can_nominate_for_own_partner_only(focal_point_senegal, senegal, france):
    assert permissions.can_nominate_for(focal_point_senegal, senegal) is True
    assert permissions.can_nominate_for(focal_point_senegal, france) is False


def test_can_nominate_for_no_delegation_is_refused(focal_point_senegal):
    assert permissions.can_nominate_for(focal_point_senegal, None) is False


def test_can_nominate_for_false_for_the_secretariat(secretariat_officer, senegal):
    # The Secretariat enters registrations on its own word (can_enter_registration).
    assert permissions.can_nominate_for(secretariat_officer, senegal) is False


def test_can_use_focal_point_pages_only_for_focal_points(
    focal_point_france, secretariat_officer, meeting_organiser, outsider
):
    people = [focal_point_france, secretariat_officer, meeting_organiser, outsider]

    assert [permissions.can_use_focal_point_pages(p) for p in people] == [
        True,
        False,
        False,
        False,
    ]


# --- exports ---


def test_can_export_registrations_of_the_list_for_the_secretariat_and_organisers(
    secretariat_officer, meeting_organiser, meeting_checkin_staff, focal_point_senegal, outsider
):
    people = [
        secretariat_officer,
        meeting_organiser,
        meeting_checkin_staff,
        focal_point_senegal,
        outsider,
    ]

    assert [permissions.can_export_registrations(p) for p in people] == [
        True,
        True,
        False,
        False,
        False,
    ]


def test_can_export_registrations_of_a_meeting_only_for_its_managers(
    meeting, secretariat_officer, meeting_organiser, other_organiser, focal_point_senegal
):
    people = [secretariat_officer, meeting_organiser, other_organiser, focal_point_senegal]

    assert [permissions.can_export_registrations(p, meeting) for p in people] == [
        True,
        True,
        False,
        False,
    ]


def test_can_export_delegation_registrations_only_for_its_focal_point(
    focal_point_senegal, secretariat_officer, meeting_organiser, senegal, france
):
    assert permissions.can_export_delegation_registrations(focal_point_senegal, senegal) is True
    assert permissions.can_export_delegation_registrations(focal_point_senegal, france) is False
    assert permissions.can_export_delegation_registrations(secretariat_officer, senegal) is False
    assert permissions.can_export_delegation_registrations(meeting_organiser, senegal) is False
    assert permissions.can_export_delegation_registrations(focal_point_senegal, None) is False


def test_can_endorse_registration_on_behalf_only_for_the_secretariat(
    secretariat_officer, focal_point_senegal, meeting_organiser, outsider, senegalese, invited
):
    people = [secretariat_officer, focal_point_senegal, meeting_organiser, outsider]

    assert _answers(permissions.can_endorse_registration_on_behalf, people, senegalese) == [
        True,
        False,
        False,
        False,
    ]
    assert _answers(permissions.can_endorse_registration_on_behalf, people, None) == [
        True,
        False,
        False,
        False,
    ]
    assert permissions.can_endorse_registration_on_behalf(AnonymousUser(), invited) is False


def test_can_endorse_registration_on_behalf_false_for_an_inactive_officer(
    secretariat_officer, senegalese
):
    secretariat_officer.is_active = False

    assert permissions.can_endorse_registration_on_behalf(secretariat_officer, senegalese) is False
