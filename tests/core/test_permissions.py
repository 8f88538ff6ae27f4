"""Each predicate of convene.core.permissions, for the personas it lets in and keeps out."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from convene.core import permissions
from convene.core.models import User
from tests.factories.core import (
    CheckinRoleFactory,
    FocalPointRoleFactory,
    OrganiserRoleFactory,
    SecretariatRoleFactory,
    UserFactory,
)
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


@pytest.fixture
def superuser(db):
    return UserFactory(is_staff=True, is_superuser=True)


# --- is_secretariat ---


def test_is_secretariat_true_for_a_secretariat_officer(secretariat_officer):
    assert permissions.is_secretariat(secretariat_officer) is True


def test_is_secretariat_true_for_an_active_superuser(superuser):
    assert permissions.is_secretariat(superuser) is True


def test_is_secretariat_false_for_an_inactive_superuser(db):
    user = UserFactory(is_staff=True, is_superuser=True, is_active=False)

    assert permissions.is_secretariat(user) is False


def test_is_secretariat_false_for_other_roles(
    focal_point_france, organiser, checkin_staff, outsider
):
    people = [focal_point_france, organiser, checkin_staff, outsider, AnonymousUser()]

    assert [permissions.is_secretariat(person) for person in people] == [False] * 5


def test_is_secretariat_false_once_the_role_has_ended(db):
    assignment = SecretariatRoleFactory(
        starts_on=timezone.localdate() - datetime.timedelta(days=30), ends_on=_yesterday()
    )

    assert permissions.is_secretariat(_fresh(assignment.user)) is False


def test_is_secretariat_true_on_the_last_day_of_the_role(db):
    assignment = SecretariatRoleFactory(starts_on=_yesterday(), ends_on=timezone.localdate())

    assert permissions.is_secretariat(_fresh(assignment.user)) is True


def test_is_secretariat_false_before_the_role_starts(db):
    assignment = SecretariatRoleFactory(starts_on=timezone.localdate() + datetime.timedelta(days=1))

    assert permissions.is_secretariat(_fresh(assignment.user)) is False


def test_is_secretariat_false_for_an_inactive_officer(secretariat_officer):
    secretariat_officer.is_active = False

    assert permissions.is_secretariat(secretariat_officer) is False


def test_current_roles_read_once_per_user_object(secretariat_officer, django_assert_num_queries):
    user = _fresh(secretariat_officer)

    with django_assert_num_queries(1):
        permissions.is_secretariat(user)
        permissions.managed_meeting_ids(user)
        permissions.focal_point_partner_ids(user)


# --- scope sets ---


def test_managed_meeting_ids_only_for_organisers(organiser, checkin_staff, organised_meeting):
    assert permissions.managed_meeting_ids(organiser) == {organised_meeting.pk}
    assert permissions.managed_meeting_ids(checkin_staff) == set()


def test_managed_meeting_ids_ended_organiser_role_not_counted(organised_meeting):
    assignment = OrganiserRoleFactory(
        meeting=organised_meeting,
        starts_on=timezone.localdate() - datetime.timedelta(days=30),
        ends_on=_yesterday(),
    )

    assert permissions.managed_meeting_ids(_fresh(assignment.user)) == set()


def test_checkin_meeting_ids_for_organisers_and_checkin_staff(
    organiser, checkin_staff, focal_point_france, organised_meeting
):
    assert permissions.checkin_meeting_ids(organiser) == {organised_meeting.pk}
    assert permissions.checkin_meeting_ids(checkin_staff) == {organised_meeting.pk}
    assert permissions.checkin_meeting_ids(focal_point_france) == set()


def test_focal_point_partner_ids_names_the_partner(focal_point_france, reference_data, organiser):
    france = reference_data.partners.get(code="FR")

    assert permissions.focal_point_partner_ids(focal_point_france) == {france.pk}
    assert permissions.focal_point_partner_ids(organiser) == set()


def test_focal_point_partner_ids_ended_role_not_counted(reference_data):
    assignment = FocalPointRoleFactory(
        partner=reference_data.partners.get(code="ML"),
        starts_on=timezone.localdate() - datetime.timedelta(days=30),
        ends_on=_yesterday(),
    )

    assert permissions.focal_point_partner_ids(_fresh(assignment.user)) == set()


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


# --- is_focal_point_of / can_edit_reference_data / can_use_back_office ---


def test_is_focal_point_of_own_partner_only(focal_point_france, reference_data):
    france = reference_data.partners.get(code="FR")
    senegal = reference_data.partners.get(code="SN")

    assert permissions.is_focal_point_of(focal_point_france, france) is True
    assert permissions.is_focal_point_of(focal_point_france, senegal) is False


def test_is_focal_point_of_false_once_the_role_has_ended(reference_data):
    senegal = reference_data.partners.get(code="SN")
    assignment = FocalPointRoleFactory(
        partner=senegal,
        starts_on=timezone.localdate() - datetime.timedelta(days=30),
        ends_on=_yesterday(),
    )

    assert permissions.is_focal_point_of(_fresh(assignment.user), senegal) is False


def test_can_edit_reference_data_only_for_the_secretariat(
    secretariat_officer, focal_point_france, organiser
):
    assert permissions.can_edit_reference_data(secretariat_officer) is True
    assert permissions.can_edit_reference_data(focal_point_france) is False
    assert permissions.can_edit_reference_data(organiser) is False


def test_can_use_back_office_true_for_staff_with_a_current_role(
    secretariat_officer, focal_point_france, organiser, checkin_staff, superuser
):
    people = [secretariat_officer, focal_point_france, organiser, checkin_staff, superuser]

    assert [permissions.can_use_back_office(p) for p in people] == [True] * 5


def test_can_use_back_office_false_for_staff_without_role(outsider):
    assert permissions.can_use_back_office(outsider) is False


def test_can_use_back_office_false_for_a_role_without_staff_access(reference_data):
    assignment = SecretariatRoleFactory(user__is_staff=False)

    assert permissions.can_use_back_office(assignment.user) is False


def test_can_use_back_office_false_for_an_inactive_officer(secretariat_officer):
    secretariat_officer.is_active = False

    assert permissions.can_use_back_office(secretariat_officer) is False


def test_can_use_back_office_false_once_the_only_role_has_ended(db):
    assignment = FocalPointRoleFactory(
        starts_on=timezone.localdate() - datetime.timedelta(days=30), ends_on=_yesterday()
    )

    assert permissions.can_use_back_office(_fresh(assignment.user)) is False


def test_can_use_back_office_false_for_anonymous():
    assert permissions.can_use_back_office(AnonymousUser()) is False


# --- can_view_outbox / can_resend_email ---


@pytest.mark.parametrize("predicate", [permissions.can_view_outbox, permissions.can_resend_email])
def test_outbox_predicates_true_for_the_secretariat_and_superusers(
    predicate, secretariat_officer, superuser
):
    assert [predicate(secretariat_officer), predicate(superuser)] == [True, True]


@pytest.mark.parametrize("predicate", [permissions.can_view_outbox, permissions.can_resend_email])
def test_outbox_predicates_false_for_everyone_else(
    predicate, focal_point_senegal, focal_point_france, organiser, checkin_staff, outsider
):
    people = [focal_point_senegal, focal_point_france, organiser, checkin_staff, outsider]

    assert [predicate(person) for person in people] == [False] * 5
    assert predicate(AnonymousUser()) is False


# --- Accounts and sign-in ---

PERSONAS = ["superuser", "secretariat_officer", "focal_point_france", "organiser", "outsider"]


@pytest.fixture
def other_officer(reference_data):
    return SecretariatRoleFactory(user__email="other.officer@secretariat.example.org").user


@pytest.fixture
def plain_account(db):
    return UserFactory(email="plain@example.org", is_staff=True)


# can_change_account and can_delete_account answer alike: only a superuser touches a
# superuser or another Secretariat officer.
@pytest.mark.parametrize(
    "predicate", [permissions.can_change_account, permissions.can_delete_account]
)
@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("superuser", {"superuser": True, "other_officer": True, "plain_account": True}),
        (
            "secretariat_officer",
            {"superuser": False, "other_officer": False, "plain_account": True},
        ),
        (
            "focal_point_france",
            {"superuser": False, "other_officer": False, "plain_account": False},
        ),
        ("organiser", {"superuser": False, "other_officer": False, "plain_account": False}),
        ("outsider", {"superuser": False, "other_officer": False, "plain_account": False}),
    ],
)
def test_can_change_or_delete_account_per_persona(
    request, predicate, persona, expected, other_officer, plain_account
):
    actor = _fresh(request.getfixturevalue(persona))
    accounts = {
        "superuser": request.getfixturevalue("superuser"),
        "other_officer": other_officer,
        "plain_account": plain_account,
    }

    result = {name: predicate(actor, _fresh(a)) for name, a in accounts.items()}

    assert result == expected


def test_can_change_account_officer_edits_own_account_but_cannot_delete_it(secretariat_officer):
    officer = _fresh(secretariat_officer)

    assert (
        permissions.can_change_account(officer, officer),
        permissions.can_delete_account(officer, officer),
    ) == (True, False)


def test_can_change_account_deactivated_officer_stays_protected(secretariat_officer, other_officer):
    other_officer.is_active = False
    other_officer.save()

    assert permissions.can_change_account(_fresh(secretariat_officer), _fresh(other_officer)) is (
        False
    )


def test_can_change_account_former_officer_is_an_ordinary_account(secretariat_officer):
    former = SecretariatRoleFactory(
        starts_on=_yesterday() - datetime.timedelta(days=30), ends_on=_yesterday()
    ).user

    assert permissions.can_change_account(_fresh(secretariat_officer), _fresh(former)) is True


def test_can_change_account_inactive_superuser_acts_as_nobody(superuser, plain_account):
    superuser.is_active = False
    superuser.save()

    assert permissions.can_change_account(_fresh(superuser), _fresh(plain_account)) is False


@pytest.mark.parametrize(
    "predicate",
    [
        "can_grant_superuser",
        "can_grant_secretariat_role",
        "can_manage_permission_groups",
        "can_view_task_results",
    ],
)
def test_superuser_only_predicates_per_persona(request, predicate):
    result = {
        persona: getattr(permissions, predicate)(_fresh(request.getfixturevalue(persona)))
        for persona in PERSONAS
    }

    assert result == {
        "superuser": True,
        "secretariat_officer": False,
        "focal_point_france": False,
        "organiser": False,
        "outsider": False,
    }


@pytest.mark.parametrize("predicate", ["can_view_sign_in_attempts", "can_lift_sign_in_lock"])
def test_sign_in_lock_predicates_per_persona(request, predicate):
    result = {
        persona: getattr(permissions, predicate)(_fresh(request.getfixturevalue(persona)))
        for persona in PERSONAS
    }

    assert result == {
        "superuser": True,
        "secretariat_officer": True,
        "focal_point_france": False,
        "organiser": False,
        "outsider": False,
    }
    assert getattr(permissions, predicate)(AnonymousUser()) is False
