"""Each predicate of convene.meetings.permissions, per persona."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from convene.core.models import User
from convene.meetings import permissions
from convene.meetings.permissions import can_read_staff_notes
from tests.factories.core import CheckinRoleFactory, OrganiserRoleFactory
from tests.factories.meetings import MeetingFactory

pytestmark = pytest.mark.django_db


def _fresh(user):
    """The user as a new request loads it: roles are cached per user object."""
    return User.objects.get(pk=user.pk)


def _yesterday():
    return timezone.localdate() - datetime.timedelta(days=1)


@pytest.fixture
def other_meeting(reference_data):
    return MeetingFactory(dialogue=reference_data, slug="other-meeting")


@pytest.fixture
def published_meeting(reference_data):
    return MeetingFactory(dialogue=reference_data, slug="published-meeting", published=True)


def test_can_read_staff_notes_true_for_the_secretariat(secretariat_officer, organised_meeting):
    assert can_read_staff_notes(secretariat_officer, organised_meeting) is True


def test_can_read_staff_notes_true_for_the_meetings_organiser(organiser, organised_meeting):
    assert can_read_staff_notes(_fresh(organiser), organised_meeting) is True


def test_can_read_staff_notes_false_for_another_meetings_organiser(
    reference_data, organised_meeting
):
    other = OrganiserRoleFactory(meeting=MeetingFactory(dialogue=reference_data, slug="other"))

    assert can_read_staff_notes(_fresh(other.user), organised_meeting) is False


def test_can_read_staff_notes_false_for_a_focal_point(focal_point_senegal, published_meeting):
    assert can_read_staff_notes(_fresh(focal_point_senegal), published_meeting) is False


def test_can_read_staff_notes_false_for_checkin_staff(checkin_staff, organised_meeting):
    assert can_read_staff_notes(_fresh(checkin_staff), organised_meeting) is False


def test_can_read_staff_notes_false_for_an_outsider_and_anonymous(outsider, organised_meeting):
    assert can_read_staff_notes(outsider, organised_meeting) is False
    assert can_read_staff_notes(AnonymousUser(), organised_meeting) is False


def test_can_read_staff_notes_of_a_new_meeting_only_for_the_secretariat(
    secretariat_officer, organiser
):
    assert can_read_staff_notes(secretariat_officer, None) is True
    assert can_read_staff_notes(_fresh(organiser), None) is False


# --- can_manage_meeting / can_create_meeting / can_publish_meeting ---


def test_can_manage_meeting_true_for_secretariat_and_its_organiser(
    secretariat_officer, organiser, organised_meeting
):
    assert permissions.can_manage_meeting(secretariat_officer, organised_meeting) is True
    assert permissions.can_manage_meeting(organiser, organised_meeting) is True


def test_can_manage_meeting_false_for_an_organiser_of_another_meeting(organiser, other_meeting):
    assert permissions.can_manage_meeting(organiser, other_meeting) is False


def test_can_manage_meeting_false_for_checkin_focal_point_outsider_anonymous(
    checkin_staff, focal_point_france, outsider, organised_meeting
):
    people = [checkin_staff, focal_point_france, outsider, AnonymousUser()]

    assert [permissions.can_manage_meeting(p, organised_meeting) for p in people] == [False] * 4


def test_can_create_meeting_only_for_the_secretariat(
    secretariat_officer, organiser, focal_point_france
):
    assert permissions.can_create_meeting(secretariat_officer) is True
    assert permissions.can_create_meeting(organiser) is False
    assert permissions.can_create_meeting(focal_point_france) is False


def test_can_publish_meeting_only_for_the_secretariat(
    secretariat_officer, organiser, checkin_staff, organised_meeting
):
    assert permissions.can_publish_meeting(secretariat_officer, organised_meeting) is True
    assert permissions.can_publish_meeting(organiser, organised_meeting) is False
    assert permissions.can_publish_meeting(checkin_staff, organised_meeting) is False


# --- can_check_in ---


def test_can_check_in_true_for_secretariat_organiser_and_checkin_staff(
    secretariat_officer, organiser, checkin_staff, organised_meeting
):
    people = [secretariat_officer, organiser, checkin_staff]

    assert [permissions.can_check_in(p, organised_meeting) for p in people] == [True] * 3


def test_can_check_in_false_at_another_meeting_and_for_focal_points(
    checkin_staff, focal_point_senegal, organised_meeting, other_meeting
):
    assert permissions.can_check_in(checkin_staff, other_meeting) is False
    assert permissions.can_check_in(focal_point_senegal, organised_meeting) is False


def test_can_check_in_false_once_the_checkin_role_has_ended(organised_meeting):
    assignment = CheckinRoleFactory(
        meeting=organised_meeting,
        starts_on=timezone.localdate() - datetime.timedelta(days=30),
        ends_on=_yesterday(),
    )

    assert permissions.can_check_in(_fresh(assignment.user), organised_meeting) is False


# --- can_view_meeting (public pages) ---


def test_can_view_meeting_published_for_everyone(published_meeting, focal_point_senegal):
    assert permissions.can_view_meeting(AnonymousUser(), published_meeting) is True
    assert permissions.can_view_meeting(focal_point_senegal, published_meeting) is True


def test_can_view_meeting_draft_for_secretariat_and_its_organiser(
    secretariat_officer, organiser, organised_meeting
):
    assert permissions.can_view_meeting(secretariat_officer, organised_meeting) is True
    assert permissions.can_view_meeting(organiser, organised_meeting) is True


def test_can_view_meeting_draft_hidden_from_others(
    focal_point_france, checkin_staff, outsider, organised_meeting, other_meeting
):
    people = [focal_point_france, checkin_staff, outsider, AnonymousUser()]

    assert [permissions.can_view_meeting(p, organised_meeting) for p in people] == [False] * 4


# --- can_view_meeting_in_back_office ---


def test_can_view_meeting_in_back_office_for_the_meetings_staff(
    secretariat_officer, organiser, checkin_staff, organised_meeting
):
    people = [secretariat_officer, organiser, checkin_staff]

    assert [permissions.can_view_meeting_in_back_office(p, organised_meeting) for p in people] == [
        True
    ] * 3


def test_can_view_meeting_in_back_office_focal_point_reads_published_only(
    focal_point_france, published_meeting, organised_meeting
):
    assert (
        permissions.can_view_meeting_in_back_office(focal_point_france, published_meeting) is True
    )
    assert (
        permissions.can_view_meeting_in_back_office(focal_point_france, organised_meeting) is False
    )


def test_can_view_meeting_in_back_office_false_for_outsider_and_other_staff(
    outsider, checkin_staff, organiser, published_meeting
):
    people = [outsider, checkin_staff, organiser]

    assert [permissions.can_view_meeting_in_back_office(p, published_meeting) for p in people] == [
        False
    ] * 3
