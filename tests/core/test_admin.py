"""Entering the back-office, the user admin and the audit trail."""

import pytest
from django.contrib import admin, messages
from django.utils import translation

from convene.core.admin import AuditHistoryMixin, apply_to_each
from convene.core.enums import AuditAction, Role
from convene.core.errors import TryAgainLater
from convene.core.models import AuditEntry, RoleAssignment
from convene.core.services import record_audit_entry
from tests.admin_forms import form_data
from tests.factories.core import UserFactory
from tests.html import parse

pytestmark = pytest.mark.django_db

USERS = "/en/admin/core/user/"


def _models_on_index(response):
    return {
        (app["app_label"], model["object_name"])
        for app in response.context["app_list"]
        for model in app["models"]
    }


# --- Entering ---


def test_admin_index_anonymous_is_sent_to_login(client):
    response = client.get("/en/admin/")

    assert response.status_code == 302
    assert response.headers["Location"] == "/en/admin/login/?next=/en/admin/"


def test_admin_index_outsider_with_staff_access_but_no_role_is_sent_to_login(client, outsider):
    client.force_login(outsider)

    response = client.get("/en/admin/")

    assert response.status_code == 302
    assert response.headers["Location"] == "/en/admin/login/?next=/en/admin/"


def test_admin_login_page_tells_the_outsider_they_lack_access(client, outsider):
    client.force_login(outsider)

    response = client.get("/en/admin/login/")

    assert response.status_code == 200
    assert "You are authenticated as outsider@example.org, but are not authorized" in (
        response.content.decode()
    )


def test_admin_login_with_a_password_then_sent_back_without_a_role(client, db):
    UserFactory(email="noone@example.org", is_staff=True, password="a long passphrase")

    response = client.post(
        "/en/admin/login/?next=/en/admin/",
        {"username": "NoOne@example.org", "password": "a long passphrase", "next": "/en/admin/"},
        follow=True,
    )

    assert response.redirect_chain[-1] == ("/en/admin/login/?next=/en/admin/", 302)


def test_admin_login_with_a_password_lets_the_secretariat_in(client, secretariat_officer):
    secretariat_officer.set_password("a long passphrase")
    secretariat_officer.save()

    response = client.post(
        "/en/admin/login/?next=/en/admin/",
        {"username": "Officer@Secretariat.example.org", "password": "a long passphrase",
         "next": "/en/admin/"},
    )  # fmt: skip

    assert response.status_code == 302
    assert response.headers["Location"] == "/en/admin/"
    assert client.get("/en/admin/").status_code == 200


def test_admin_index_role_without_staff_access_is_sent_to_login(client, reference_data):
    from tests.factories.core import SecretariatRoleFactory

    user = SecretariatRoleFactory(user__is_staff=False).user
    client.force_login(user)

    assert client.get("/en/admin/").status_code == 302


def test_admin_index_secretariat_sees_every_module(client, secretariat_officer):
    client.force_login(secretariat_officer)

    response = client.get("/en/admin/")

    assert response.status_code == 200
    assert {
        ("core", "User"),
        ("core", "AuditEntry"),
        ("dialogues", "Dialogue"),
        ("dialogues", "Partner"),
        ("dialogues", "ActionPlan"),
        ("meetings", "Meeting"),
    } <= _models_on_index(response)


@pytest.mark.parametrize("persona", ["focal_point_france", "organiser", "checkin_staff"])
def test_admin_index_other_roles_see_meetings_and_reference_data_only(client, request, persona):
    client.force_login(request.getfixturevalue(persona))

    response = client.get("/en/admin/")

    models = _models_on_index(response)
    assert response.status_code == 200
    assert {("meetings", "Meeting"), ("dialogues", "Partner"), ("dialogues", "ActionPlan")} <= (
        models
    )
    assert {("core", "User"), ("core", "AuditEntry")} & models == set()


# --- Users ---


def test_user_admin_secretariat_lists_and_edits_users(client, secretariat_officer, organiser):
    client.force_login(secretariat_officer)
    listing = client.get(USERS)
    page = client.get(f"{USERS}{organiser.pk}/change/")

    response = client.post(
        f"{USERS}{organiser.pk}/change/", form_data(page, "#user_form", full_name="Renamed")
    )

    assert {user.pk for user in listing.context["cl"].result_list} == {
        secretariat_officer.pk,
        organiser.pk,
    }
    assert response.status_code == 302
    organiser.refresh_from_db()
    assert organiser.full_name == "Renamed"
    assert list(organiser.role_assignments.values_list("role", flat=True)) == [Role.ORGANISER]


def test_user_admin_secretariat_cannot_grant_superuser(client, secretariat_officer, organiser):
    client.force_login(secretariat_officer)
    page = client.get(f"{USERS}{organiser.pk}/change/")

    client.post(f"{USERS}{organiser.pk}/change/", form_data(page, "#user_form", is_superuser="on"))

    organiser.refresh_from_db()
    assert organiser.is_superuser is False


def test_user_admin_secretariat_adds_a_role(client, secretariat_officer, reference_data):
    person = UserFactory(is_staff=True)
    mali = reference_data.partners.get(code="ML")
    client.force_login(secretariat_officer)
    page = client.get(f"{USERS}{person.pk}/change/")
    data = form_data(page, "#user_form")
    data.update(
        {
            "role_assignments-TOTAL_FORMS": "1",
            "role_assignments-0-role": Role.FOCAL_POINT,
            "role_assignments-0-partner": str(mali.pk),
            "role_assignments-0-starts_on": "2026-01-01",
        }
    )

    response = client.post(f"{USERS}{person.pk}/change/", data)

    assert response.status_code == 302
    assert list(
        RoleAssignment.objects.filter(user=person).values_list("role", "partner__code")
    ) == [(Role.FOCAL_POINT, "ML")]


@pytest.mark.parametrize(
    "persona", ["focal_point_france", "focal_point_senegal", "organiser", "checkin_staff"]
)
def test_user_admin_forbidden_to_other_roles(client, request, persona, secretariat_officer):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(USERS).status_code == 403
    assert client.get(f"{USERS}{secretariat_officer.pk}/change/").status_code == 403


# --- Audit trail ---


def test_audit_admin_secretariat_reads_but_cannot_change(
    client, secretariat_officer, organised_meeting
):
    entry = record_audit_entry(
        organised_meeting, actor=secretariat_officer, action="meeting.status", to_state="published"
    )
    client.force_login(secretariat_officer)

    listing = client.get("/en/admin/core/auditentry/")
    detail = client.get(f"/en/admin/core/auditentry/{entry.pk}/change/")

    assert [e.pk for e in listing.context["cl"].result_list] == [entry.pk]
    assert detail.status_code == 200
    assert detail.context["has_change_permission"] is False
    assert client.get("/en/admin/core/auditentry/add/").status_code == 403
    assert client.post(f"/en/admin/core/auditentry/{entry.pk}/delete/").status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_audit_admin_list_reads_sentences_not_codes(client, secretariat_officer, organised_meeting):
    record_audit_entry(
        organised_meeting,
        actor=secretariat_officer,
        action="meeting.status",
        from_state="draft",
        to_state="published",
    )
    client.force_login(secretariat_officer)

    page = parse(client.get("/en/admin/core/auditentry/"))

    assert page.texts("td.field-action_label") == ["Meeting status changed"]
    assert page.texts("td.field-description") == ["Status changed from “Draft” to “Published”."]
    results = page.select_one("#result_list").text
    assert ("meeting.status" in results, "published" in results) == (False, False)


def test_audit_admin_entry_page_reads_the_sentence_not_the_codes(
    client, secretariat_officer, organised_meeting
):
    entry = record_audit_entry(
        organised_meeting,
        actor=secretariat_officer,
        action="meeting.status",
        from_state="published",
        to_state="cancelled",
        reason="Storm",
    )
    client.force_login(secretariat_officer)

    page = parse(client.get(f"/fr/admin/core/auditentry/{entry.pk}/change/"))
    content = page.select_one("#content").text

    assert set(page.texts(".field-description .readonly")) == {
        "Statut passé de « Publiée » à « Annulée ». Motif : Storm"
    }
    assert page.select_one(".breadcrumbs").text.endswith("Statut de la réunion modifié")
    assert [code for code in ("meeting.status", "published", "cancelled") if code in content] == []


def test_audit_admin_filters_actions_by_their_names_in_french(
    client, secretariat_officer, organised_meeting
):
    record_audit_entry(
        organised_meeting,
        actor=secretariat_officer,
        action="meeting.capacity",
        from_state="",
        to_state="80",
        reason="in_person_capacity",
    )
    client.force_login(secretariat_officer)

    response = client.get("/fr/admin/core/auditentry/", {"action": "meeting.capacity"})
    filters = {
        spec.title: [choice["display"] for choice in spec.choices(response.context["cl"])]
        for spec in response.context["cl"].filter_specs
    }
    page = parse(response)

    assert filters["action"][:3] == [
        "Tous",
        "Appareil d'accueil ajouté",
        "Appareil d'accueil révoqué",
    ]
    assert "meeting.capacity" not in filters["action"]
    assert sorted(str(title) for title in filters) == ["action", "type d'enregistrement"]
    assert page.texts("td.field-description") == [
        "Modification de « capacité d'accueil en présentiel » : de non limité à 80."
    ]


def test_audit_admin_forbidden_to_organisers(client, organiser):
    client.force_login(organiser)

    assert client.get("/en/admin/core/auditentry/").status_code == 403


# --- Reference data ---


def test_partner_admin_readable_by_focal_points_editable_by_secretariat(
    client, focal_point_france, secretariat_officer, reference_data
):
    france = reference_data.partners.get(code="FR")
    url = f"/en/admin/dialogues/partner/{france.pk}/change/"

    client.force_login(focal_point_france)
    as_focal_point = client.get(url)
    client.force_login(secretariat_officer)
    as_secretariat = client.get(url)

    assert as_focal_point.context["has_change_permission"] is False
    assert as_secretariat.context["has_change_permission"] is True


def _add_role(client, user, **role):
    page = client.get(f"{USERS}{user.pk}/change/")
    data = form_data(page, "#user_form")
    index = int(data["role_assignments-TOTAL_FORMS"])
    data["role_assignments-TOTAL_FORMS"] = str(index + 1)
    data.update({f"role_assignments-{index}-{name}": value for name, value in role.items()})
    data.setdefault(f"role_assignments-{index}-starts_on", "2026-01-01")
    return client.post(f"{USERS}{user.pk}/change/", data)


def _inline_errors(response):
    formset = response.context["inline_admin_formsets"][0].formset
    return [error for form in formset.forms for error in form.non_field_errors()]


def test_user_admin_role_without_its_scope_is_a_form_error(client, secretariat_officer):
    person = UserFactory(is_staff=True)
    client.force_login(secretariat_officer)

    response = _add_role(client, person, role=Role.FOCAL_POINT)

    assert response.status_code == 200
    assert _inline_errors(response) == [
        "A focal point needs a partner, an organiser or check-in staff member needs a meeting, "
        "and a Secretariat officer needs neither."
    ]
    assert person.role_assignments.count() == 0


def test_user_admin_second_focal_point_of_a_partner_is_a_form_error(
    client, secretariat_officer, focal_point_france, reference_data
):
    person = UserFactory(is_staff=True)
    client.force_login(secretariat_officer)

    response = _add_role(
        client,
        person,
        role=Role.FOCAL_POINT,
        partner=str(reference_data.partners.get(code="FR").pk),
    )

    assert response.status_code == 200
    assert _inline_errors(response) == ["This partner already has a current focal point."]


def test_user_admin_same_meeting_role_twice_is_a_form_error(
    client, secretariat_officer, organiser, organised_meeting
):
    client.force_login(secretariat_officer)

    response = _add_role(client, organiser, role=Role.ORGANISER, meeting=str(organised_meeting.pk))

    assert response.status_code == 200
    assert _inline_errors(response) == ["This person already has this role for this meeting."]


def test_user_admin_second_secretariat_role_is_a_form_error(client, superuser, secretariat_officer):
    client.force_login(superuser)

    response = _add_role(client, secretariat_officer, role=Role.SECRETARIAT)

    assert response.status_code == 200
    assert _inline_errors(response) == ["This person is already a Secretariat officer."]


# --- Privileged accounts ---


@pytest.fixture
def other_officer(reference_data):
    from tests.factories.core import SecretariatRoleFactory

    return SecretariatRoleFactory(
        user__email="other.officer@secretariat.example.org", user__full_name="Other officer"
    ).user


@pytest.mark.parametrize("target", ["superuser", "other_officer"])
def test_user_admin_officer_cannot_change_a_privileged_account(
    client, request, secretariat_officer, target
):
    account = request.getfixturevalue(target)
    client.force_login(secretariat_officer)
    page = client.get(f"{USERS}{account.pk}/change/")
    data = {
        "email": account.email,
        "full_name": "Taken over",
        "language": "en",
        "is_staff": "on",
        "role_assignments-TOTAL_FORMS": "0",
        "role_assignments-INITIAL_FORMS": "0",
    }

    response = client.post(f"{USERS}{account.pk}/change/", data)

    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    assert response.status_code == 403
    account.refresh_from_db()
    assert account.full_name != "Taken over"


@pytest.mark.parametrize("target", ["superuser", "other_officer"])
def test_user_admin_officer_cannot_deactivate_a_privileged_account(
    client, request, secretariat_officer, target
):
    account = request.getfixturevalue(target)
    client.force_login(secretariat_officer)

    response = client.post(
        f"{USERS}{account.pk}/change/",
        {
            "email": account.email,
            "full_name": account.full_name,
            "language": "en",
            "role_assignments-TOTAL_FORMS": "0",
            "role_assignments-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 403
    account.refresh_from_db()
    assert account.is_active is True


@pytest.mark.parametrize("target", ["superuser", "other_officer"])
def test_user_admin_officer_cannot_reset_a_privileged_password(
    client, request, secretariat_officer, target
):
    account = request.getfixturevalue(target)
    account.set_password("the owner's passphrase")
    account.save()
    client.force_login(secretariat_officer)
    url = f"{USERS}{account.pk}/password/"

    page = client.get(url)
    response = client.post(
        url,
        {
            "password1": "taken over 12345",
            "password2": "taken over 12345",
            "usable_password": "true",
        },
    )

    assert (page.status_code, response.status_code) == (403, 403)
    account.refresh_from_db()
    assert account.check_password("the owner's passphrase") is True


def test_user_admin_officer_resets_an_ordinary_password(client, secretariat_officer, organiser):
    client.force_login(secretariat_officer)

    response = client.post(
        f"{USERS}{organiser.pk}/password/",
        {
            "password1": "a new passphrase",
            "password2": "a new passphrase",
            "usable_password": "true",
        },
    )

    assert response.status_code == 302
    organiser.refresh_from_db()
    assert organiser.check_password("a new passphrase") is True


def test_user_admin_superuser_resets_an_officer_password(client, superuser, other_officer):
    client.force_login(superuser)

    response = client.post(
        f"{USERS}{other_officer.pk}/password/",
        {
            "password1": "a new passphrase",
            "password2": "a new passphrase",
            "usable_password": "true",
        },
    )

    assert response.status_code == 302
    other_officer.refresh_from_db()
    assert other_officer.check_password("a new passphrase") is True


@pytest.mark.parametrize("target", ["superuser", "other_officer"])
def test_user_admin_officer_cannot_delete_a_privileged_account(
    client, request, secretariat_officer, target
):
    from convene.core.models import User

    account = request.getfixturevalue(target)
    client.force_login(secretariat_officer)

    single = client.post(f"{USERS}{account.pk}/delete/", {"post": "yes"})
    bulk = client.post(
        USERS, {"action": "delete_selected", "_selected_action": [account.pk], "post": "yes"}
    )

    assert (single.status_code, bulk.status_code) == (403, 403)
    assert User.objects.filter(pk=account.pk).exists()


def test_user_admin_officer_deletes_an_ordinary_account(client, secretariat_officer):
    from convene.core.models import User

    person = UserFactory()
    client.force_login(secretariat_officer)

    response = client.post(f"{USERS}{person.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert User.objects.filter(pk=person.pk).exists() is False


def test_user_admin_officer_cannot_grant_the_secretariat_role(client, secretariat_officer):
    person = UserFactory(is_staff=True)
    client.force_login(secretariat_officer)

    response = _add_role(client, person, role=Role.SECRETARIAT)

    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert [form.errors.get("role") for form in formset.forms] == [
        ["Only a superuser can grant the Secretariat role."]
    ]
    assert person.role_assignments.count() == 0


def test_user_admin_officer_cannot_turn_a_role_into_the_secretariat_role(
    client, secretariat_officer, organiser
):
    client.force_login(secretariat_officer)
    page = client.get(f"{USERS}{organiser.pk}/change/")
    data = form_data(page, "#user_form")
    data["role_assignments-0-role"] = Role.SECRETARIAT
    data["role_assignments-0-meeting"] = ""

    response = client.post(f"{USERS}{organiser.pk}/change/", data)

    assert response.status_code == 200
    assert list(organiser.role_assignments.values_list("role", flat=True)) == [Role.ORGANISER]


def test_user_admin_superuser_grants_the_secretariat_role_and_superuser_status(client, superuser):
    person = UserFactory(is_staff=True)
    client.force_login(superuser)
    page = client.get(f"{USERS}{person.pk}/change/")
    data = form_data(page, "#user_form", is_superuser="on")
    data.update(
        {
            "role_assignments-TOTAL_FORMS": "1",
            "role_assignments-0-role": Role.SECRETARIAT,
            "role_assignments-0-starts_on": "2026-01-01",
        }
    )

    response = client.post(f"{USERS}{person.pk}/change/", data)

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.is_superuser is True
    assert list(person.role_assignments.values_list("role", flat=True)) == [Role.SECRETARIAT]


# --- Groups, task results, sign-in attempts ---

GROUPS = "/en/admin/auth/group/"
TASK_RESULTS = "/en/admin/django_tasks_database/dbtaskresult/"
ATTEMPTS = "/en/admin/axes/accessattempt/"


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("superuser", (200, 200)),
        ("secretariat_officer", (403, 403)),
        ("focal_point_france", (403, 403)),
        ("organiser", (403, 403)),
    ],
)
def test_groups_and_task_results_for_superusers_only(client, request, persona, expected):
    client.force_login(request.getfixturevalue(persona))

    assert (client.get(GROUPS).status_code, client.get(TASK_RESULTS).status_code) == expected


def test_admin_index_officer_sees_sign_in_attempts_but_not_groups(client, secretariat_officer):
    client.force_login(secretariat_officer)

    models = _models_on_index(client.get("/en/admin/"))

    assert {("axes", "AccessAttempt"), ("axes", "AccessLog"), ("axes", "AccessFailureLog")} <= (
        models
    )
    assert {("auth", "Group"), ("django_tasks_database", "DBTaskResult")} & models == set()


@pytest.fixture
def locked_attempts(db):
    from axes.models import AccessAttempt
    from django.utils import timezone

    def attempt(username, address, failures):
        return AccessAttempt.objects.create(
            username=username,
            ip_address=address,
            user_agent="",
            failures_since_start=failures,
            attempt_time=timezone.now(),
            get_data="",
            post_data="",
            http_accept="",
            path_info="/en/accounts/login/",
        )

    return [
        attempt("locked@example.org", "192.0.2.1", 3),
        attempt("locked@example.org", "192.0.2.2", 2),
        attempt("other@example.org", "192.0.2.1", 1),
    ]


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("superuser", 200),
        ("secretariat_officer", 200),
        ("focal_point_france", 403),
        ("organiser", 403),
        ("outsider", 302),
    ],
)
def test_sign_in_attempts_list_per_persona(client, request, persona, expected, locked_attempts):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(ATTEMPTS)

    assert response.status_code == expected
    if expected == 200:
        assert {a.pk for a in response.context["cl"].result_list} == {a.pk for a in locked_attempts}


def test_sign_in_attempts_officer_lifts_a_lock_audited(
    client, secretariat_officer, locked_attempts
):
    from axes.models import AccessAttempt

    client.force_login(secretariat_officer)

    response = client.post(
        ATTEMPTS, {"action": "lift_lock", "_selected_action": [locked_attempts[0].pk]}
    )

    assert response.status_code == 302
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"other@example.org"}
    entry = AuditEntry.objects.get(action="sign_in_lock_lifted")
    assert (entry.actor, entry.reason, entry.from_state, entry.to_state) == (
        secretariat_officer,
        "locked@example.org",
        "5",
        "0",
    )


@pytest.mark.parametrize("persona", ["focal_point_france", "organiser"])
def test_sign_in_attempts_other_roles_cannot_lift_a_lock(client, request, persona, locked_attempts):
    from axes.models import AccessAttempt

    client.force_login(request.getfixturevalue(persona))

    response = client.post(
        ATTEMPTS, {"action": "lift_lock", "_selected_action": [locked_attempts[0].pk]}
    )

    assert response.status_code == 403
    assert AccessAttempt.objects.count() == 3
    assert AuditEntry.objects.filter(action="sign_in_lock_lifted").count() == 0


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("focal_point_france", 403), ("organiser", 403), ("checkin_staff", 403), ("outsider", 302)],
)
def test_user_admin_other_roles_cannot_reset_or_delete_any_account(
    client, request, persona, expected
):
    from convene.core.models import User

    account = UserFactory(email="plain@example.org", password="the owner's passphrase")
    client.force_login(request.getfixturevalue(persona))

    password = client.post(
        f"{USERS}{account.pk}/password/",
        {
            "password1": "taken over 12345",
            "password2": "taken over 12345",
            "usable_password": "true",
        },
    )
    delete = client.post(f"{USERS}{account.pk}/delete/", {"post": "yes"})

    assert (password.status_code, delete.status_code) == (expected, expected)
    account.refresh_from_db()
    assert account.check_password("the owner's passphrase") is True
    assert User.objects.filter(pk=account.pk).exists()


# --- The audit-history field and the bulk-action loop ---


class _HistoryAdmin(AuditHistoryMixin):
    pass


class _DelegateHistoryAdmin(AuditHistoryMixin):
    history_anonymous_actor = "the delegate or the system"


def _history_lines(html) -> list[str]:
    return parse(str(html)).texts("li")


def test_history_lists_the_latest_entries_oldest_first_as_sentences(secretariat_officer, organiser):
    first = record_audit_entry(
        organiser,
        actor=secretariat_officer,
        action=AuditAction.SIGN_IN_LOCK_LIFTED,
        from_state="5",
        to_state="0",
        reason="organiser@example.org",
    )
    second = record_audit_entry(
        organiser, actor=None, action=AuditAction.EMAIL_RESENT, from_state="failed"
    )

    lines = _history_lines(_HistoryAdmin().history(organiser))

    assert lines == [
        f"{first.created_at:%Y-%m-%d %H:%M:%S} · Secretariat officer "
        "<officer@secretariat.example.org> · Sign-in lock lifted for organiser@example.org, "
        "after 5 failed attempts.",
        f"{second.created_at:%Y-%m-%d %H:%M:%S} · system · "
        "Email queued to be sent again after it failed.",
    ]


def test_history_of_an_unknown_action_is_a_generic_sentence_not_its_code(organiser):
    entry = record_audit_entry(
        organiser, actor=None, action="x.y", from_state="a_code", to_state="b_code"
    )

    lines = _history_lines(_DelegateHistoryAdmin().history(organiser))

    assert lines == [
        f"{entry.created_at:%Y-%m-%d %H:%M:%S} · the delegate or the system · "
        "A change was recorded."
    ]


def test_history_in_french(secretariat_officer, organiser):
    record_audit_entry(
        organiser,
        actor=None,
        action=AuditAction.EMAIL_RESENT,
        from_state="pending",
        reason="SMTPError: 451",
    )

    with translation.override("fr"):
        lines = _history_lines(_HistoryAdmin().history(organiser))

    assert [line.split(" · ", 1)[1] for line in lines] == [
        "système · Courriel remis dans la file d'envoi alors qu'il attendait. "
        "Dernière erreur : SMTPError: 451"
    ]


def test_history_keeps_the_latest_entries_only(organiser, monkeypatch):
    monkeypatch.setattr(_HistoryAdmin, "HISTORY_LIMIT", 2)
    for number in range(3):
        record_audit_entry(
            organiser,
            actor=None,
            action=AuditAction.SIGN_IN_LOCK_LIFTED,
            from_state=str(number + 1),
            reason="organiser@example.org",
        )

    lines = _history_lines(_HistoryAdmin().history(organiser))

    assert [line.rsplit(", ", 1)[1] for line in lines] == [
        "after 2 failed attempts.",
        "after 3 failed attempts.",
    ]


def test_history_without_entries_or_record_is_a_dash(organiser):
    assert _HistoryAdmin().history(organiser) == "-"
    assert _HistoryAdmin().history(UserFactory.build()) == "-"


class _Refused(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


class _Busy(_Refused, TryAgainLater):
    pass


class _MessageRecorder:
    def __init__(self):
        self.messages = []

    def message_user(self, request, message, level):
        self.messages.append((level, message))


def _apply_each(outcomes, **options):
    """Runs apply_to_each over the keys of `outcomes`; returns (done, applied, messages)."""
    recorder, applied = _MessageRecorder(), []

    def apply(name):
        applied.append(name)
        if outcomes[name]:
            raise outcomes[name]

    done = apply_to_each(
        recorder,
        None,
        list(outcomes),
        apply,
        refusals=_Refused,
        done_message=lambda count: f"{count} done.",
        **options,
    )
    return done, applied, recorder.messages


def test_apply_to_each_reports_each_refusal_then_the_count():
    outcomes = {"a": None, "b": _Refused("No."), "c": None}

    assert _apply_each(outcomes) == (
        2,
        ["a", "b", "c"],
        [(messages.ERROR, "b: No."), (messages.SUCCESS, "2 done.")],
    )


def test_apply_to_each_stops_at_the_first_lock_held_too_long():
    outcomes = {"a": None, "b": _Busy("Busy."), "c": None}

    assert _apply_each(outcomes) == (
        1,
        ["a", "b"],
        [(messages.ERROR, "b: Busy."), (messages.SUCCESS, "1 done.")],
    )


def test_apply_to_each_with_nothing_done_says_nothing_unless_asked():
    outcomes = {"a": _Refused("No.")}

    assert _apply_each(outcomes) == (0, ["a"], [(messages.ERROR, "a: No.")])
    assert _apply_each(outcomes, warn_when_none_done=True) == (
        0,
        ["a"],
        [(messages.ERROR, "a: No."), (messages.WARNING, "0 done.")],
    )


def test_apply_to_each_lets_other_errors_through():
    with pytest.raises(ValueError, match="bug"):
        _apply_each({"a": ValueError("bug")})


# --- Empty choices ---


def _dashed_selects(html) -> list[str]:
    return [
        select.attrs["name"]
        for select in parse(html).select("select")
        if "---------" in select.texts("option")
    ]


def test_admin_add_and_change_pages_never_offer_dashes(demo_data, superuser, client):
    client.force_login(superuser)
    pages = []
    for model in admin.site._registry:
        meta = model._meta
        pages.append(f"/en/admin/{meta.app_label}/{meta.model_name}/")
        pages.append(f"/en/admin/{meta.app_label}/{meta.model_name}/add/")
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            pages.append(f"/en/admin/{meta.app_label}/{meta.model_name}/{first.pk}/change/")

    dashed = {}
    shown = 0
    for page in pages:
        response = client.get(page)
        if response.status_code == 200:
            shown += 1
            if found := _dashed_selects(response.content.decode()):
                dashed[page] = found

    assert dashed == {}
    assert shown >= 30  # the check looked at real pages, not refusals


def test_admin_empty_choices_say_what_they_mean_in_french(demo_data, superuser, client):
    client.force_login(superuser)

    page = parse(client.get("/fr/admin/meetings/meeting/add/").content.decode())
    user_page = parse(client.get("/fr/admin/core/user/add/").content.decode())
    meetings = parse(client.get("/fr/admin/meetings/meeting/").content.decode())

    assert [
        page.select(f"select[name={name}] option")[0].text for name in ("dialogue", "host_country")
    ] == ["Choisissez un dialogue", "Aucun pays hôte"]
    assert [
        user_page.select(f"select[name=role_assignments-__prefix__-{name}] option")[0].text
        for name in ("role", "partner", "meeting")
    ] == ["Choisissez un rôle", "Aucun partenaire", "Aucune réunion"]
    assert meetings.select("select[name=action] option")[0].text == "Choisissez une action"


def test_role_inline_partner_select_by_french_name(client, secretariat_officer, organiser):
    client.force_login(secretariat_officer)

    page = parse(client.get(f"/fr/admin/core/user/{organiser.pk}/change/"))
    names = page.texts("#id_role_assignments-__prefix__-partner option")
    sample = ["Allemagne", "Côte d'Ivoire", "Danemark", "Espagne", "Guinée équatoriale"]

    assert [name for name in names if name in sample] == sample
    assert names[0] == "Aucun partenaire"


@pytest.mark.parametrize(
    ("language", "heading"),
    [("en", "Sign-in security"), ("fr", "Sécurité des connexions")],
)
def test_admin_index_names_the_sign_in_records_in_words_not_by_library(
    client, secretariat_officer, language, heading
):
    client.force_login(secretariat_officer)

    page = parse(client.get(f"/{language}/admin/"))

    assert page.select_one("#content-main .app-axes caption a").text == heading
