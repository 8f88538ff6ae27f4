"""Each predicate of convene.core.permissions, for the personas it lets in and keeps out."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from convene.core import permissions
from convene.core.models import User
from tests.factories.core import (
    FocalPointRoleFactory,
    OrganiserRoleFactory,
    SecretariatRoleFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _fresh(user):
    """The user as a new request loads it: roles are cached per user object."""
    return User.objects.get(pk=user.pk)


def _yesterday():
    return timezone.localdate() - datetime.timedelta(days=1)


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
