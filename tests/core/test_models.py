import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from convene.core.enums import Role
from convene.core.models import AuditEntry, RoleAssignment, User
from convene.core.services import create_staff_user, record_audit_entry
from tests.factories.core import (
    FocalPointRoleFactory,
    OrganiserRoleFactory,
    SecretariatRoleFactory,
    UserFactory,
)
from tests.factories.dialogues import PartnerFactory
from tests.factories.meetings import MeetingFactory

TODAY = datetime.date(2026, 3, 10)


# --- User ---


@pytest.mark.django_db
def test_create_user_lowercases_the_whole_email():
    user = User.objects.create_user("Anna.Diallo@Example.ORG", "a long passphrase", full_name="A")

    assert user.email == "anna.diallo@example.org"
    assert (user.is_staff, user.is_superuser) == (False, False)
    assert user.check_password("a long passphrase")


@pytest.mark.django_db
def test_create_user_without_email_is_refused():
    with pytest.raises(ValueError, match=r"An email address is required\."):
        User.objects.create_user("", "a long passphrase")


@pytest.mark.django_db
def test_create_superuser_sets_staff_and_superuser():
    user = User.objects.create_superuser("root@example.org", "a long passphrase", full_name="R")

    assert (user.is_staff, user.is_superuser) == (True, True)


@pytest.mark.django_db
def test_user_natural_key_ignores_case():
    user = UserFactory(email="anna@example.org")

    assert User.objects.get_by_natural_key("ANNA@Example.org").pk == user.pk


@pytest.mark.django_db
def test_user_email_unique_ignoring_case():
    UserFactory(email="anna@example.org")

    with pytest.raises(IntegrityError), transaction.atomic():
        # Saved directly, past the manager that lowercases.
        User(email="ANNA@example.org", full_name="Other").save()


@pytest.mark.django_db
def test_user_str_with_and_without_full_name():
    named = UserFactory(email="anna@example.org", full_name="Anna Diallo")
    unnamed = UserFactory(email="bob@example.org", full_name="")

    assert (str(named), str(unnamed)) == ("Anna Diallo <anna@example.org>", "bob@example.org")
    assert (unnamed.get_short_name(), named.get_short_name()) == ("bob@example.org", "Anna Diallo")


# --- RoleAssignment: constraints ---


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "with_partner", "with_meeting"),
    [
        (Role.SECRETARIAT, True, False),
        (Role.SECRETARIAT, False, True),
        (Role.FOCAL_POINT, False, False),
        (Role.FOCAL_POINT, True, True),
        (Role.ORGANISER, False, False),
        (Role.ORGANISER, True, True),
        (Role.CHECKIN, False, False),
        (Role.CHECKIN, True, False),
    ],
)
def test_role_assignment_scope_not_matching_role_is_refused(role, with_partner, with_meeting):
    user = UserFactory()
    partner = PartnerFactory() if with_partner else None
    meeting = MeetingFactory() if with_meeting else None

    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(user=user, role=role, partner=partner, meeting=meeting)


@pytest.mark.django_db
def test_role_assignment_matching_scopes_are_accepted():
    partner, meeting = PartnerFactory(), MeetingFactory()
    user = UserFactory()

    created = [
        RoleAssignment.objects.create(user=user, role=Role.SECRETARIAT),
        RoleAssignment.objects.create(user=user, role=Role.FOCAL_POINT, partner=partner),
        RoleAssignment.objects.create(user=user, role=Role.ORGANISER, meeting=meeting),
        RoleAssignment.objects.create(user=user, role=Role.CHECKIN, meeting=meeting),
    ]

    assert set(user.role_assignments.values_list("pk", flat=True)) == {a.pk for a in created}


@pytest.mark.django_db
def test_role_assignment_second_current_focal_point_of_a_partner_is_refused():
    first = FocalPointRoleFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        FocalPointRoleFactory(partner=first.partner)


@pytest.mark.django_db
def test_role_assignment_new_focal_point_after_the_previous_one_ended_is_accepted():
    previous = FocalPointRoleFactory(starts_on=TODAY - datetime.timedelta(days=400), ends_on=TODAY)

    successor = FocalPointRoleFactory(partner=previous.partner)

    assert set(
        RoleAssignment.objects.filter(partner=previous.partner).values_list("pk", flat=True)
    ) == {
        previous.pk,
        successor.pk,
    }


@pytest.mark.django_db
def test_role_assignment_ending_before_it_starts_is_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        SecretariatRoleFactory(starts_on=TODAY, ends_on=TODAY - datetime.timedelta(days=1))


@pytest.mark.django_db
def test_role_assignment_same_current_meeting_role_twice_is_refused():
    first = OrganiserRoleFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        OrganiserRoleFactory(user=first.user, meeting=first.meeting)


@pytest.mark.django_db
def test_role_assignment_current_secretariat_role_twice_is_refused():
    first = SecretariatRoleFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        SecretariatRoleFactory(user=first.user)


# --- RoleAssignment: behaviour ---


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "expected"),
    [
        (TODAY, None, True),
        (TODAY - datetime.timedelta(days=5), TODAY, True),
        (TODAY - datetime.timedelta(days=5), TODAY - datetime.timedelta(days=1), False),
        (TODAY + datetime.timedelta(days=1), None, False),
    ],
)
def test_role_assignment_is_current_on_a_given_day(starts_on, ends_on, expected):
    assignment = RoleAssignment(role=Role.SECRETARIAT, starts_on=starts_on, ends_on=ends_on)

    assert assignment.is_current(TODAY) is expected


@pytest.mark.django_db
def test_role_assignment_str_names_user_role_and_scope():
    user = UserFactory(email="anna@example.org", full_name="Anna")
    partner = PartnerFactory(name_en="Senegal", name_fr="Sénégal")
    focal = FocalPointRoleFactory(user=user, partner=partner)
    secretariat = SecretariatRoleFactory(user=user)

    assert str(focal) == "Anna <anna@example.org> · National focal point · Senegal"
    assert str(secretariat) == "Anna <anna@example.org> · Secretariat officer"


# --- Services of the app ---


@pytest.mark.django_db
def test_create_staff_user_creates_staff_account_with_one_role():
    partner = PartnerFactory()

    user, created = create_staff_user(
        "Focal@Example.org",
        full_name="Focal",
        language="fr",
        password="a long passphrase",
        role=Role.FOCAL_POINT,
        partner=partner,
    )

    assert created is True
    assert (user.email, user.is_staff, user.language) == ("focal@example.org", True, "fr")
    assert list(user.role_assignments.values_list("role", "partner_id")) == [
        (Role.FOCAL_POINT, partner.pk)
    ]


@pytest.mark.django_db
def test_create_staff_user_returns_an_existing_account_untouched():
    existing = UserFactory(email="focal@example.org", full_name="Kept", is_staff=False)

    user, created = create_staff_user(
        "FOCAL@example.org",
        full_name="Replaced",
        language="fr",
        password="a long passphrase",
        role=Role.SECRETARIAT,
    )

    user.refresh_from_db()
    assert (created, user.pk, user.full_name, user.is_staff) == (False, existing.pk, "Kept", False)
    assert user.role_assignments.count() == 0


@pytest.mark.django_db
def test_record_audit_entry_keeps_actor_states_and_reason():
    actor = UserFactory()
    meeting = MeetingFactory()

    entry = record_audit_entry(
        meeting,
        actor=actor,
        action="meeting.status",
        from_state="draft",
        to_state="published",
        reason="ready",
    )

    entry = AuditEntry.objects.get(pk=entry.pk)
    assert (entry.subject, entry.actor, entry.action, entry.reason) == (
        meeting,
        actor,
        "meeting.status",
        "ready",
    )
    # Shown as the page title of the entry in the back-office: its name, not its code.
    assert str(entry) == "Meeting status changed"
    assert entry.created_at <= timezone.now()


@pytest.mark.django_db
def test_record_audit_entry_anonymous_actor_is_stored_as_none():
    from django.contrib.auth.models import AnonymousUser

    meeting = MeetingFactory()

    entry = record_audit_entry(meeting, actor=AnonymousUser(), action="meeting.status")

    assert entry.actor is None


def test_role_assignment_current_is_the_rule_is_current_applies(db):
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    roles = {
        "open_ended": SecretariatRoleFactory(),
        "future_end": SecretariatRoleFactory(ends_on=today + 30 * day),
        "last_day_today": SecretariatRoleFactory(starts_on=today - 30 * day, ends_on=today),
        "ended_yesterday": SecretariatRoleFactory(starts_on=today - 30 * day, ends_on=today - day),
        "not_started": SecretariatRoleFactory(starts_on=today + day),
    }

    current = set(RoleAssignment.objects.current().values_list("pk", flat=True))
    in_a_month = set(
        RoleAssignment.objects.current(on=today + 31 * day).values_list("pk", flat=True)
    )

    assert {name for name, role in roles.items() if role.pk in current} == {
        "open_ended",
        "future_end",
        "last_day_today",
    }
    assert {name for name, role in roles.items() if role.is_current()} == {
        "open_ended",
        "future_end",
        "last_day_today",
    }
    assert {name for name, role in roles.items() if role.pk in in_a_month} == {
        "open_ended",
        "not_started",
    }
