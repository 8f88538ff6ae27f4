"""Each predicate of convene.meetings.permissions, per persona."""

import pytest
from django.contrib.auth.models import AnonymousUser

from convene.core.models import User
from convene.meetings.permissions import can_read_staff_notes
from tests.factories.core import OrganiserRoleFactory
from tests.factories.meetings import MeetingFactory

pytestmark = pytest.mark.django_db


def _fresh(user):
    """The user as a new request loads it: roles are cached per user object."""
    return User.objects.get(pk=user.pk)


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
