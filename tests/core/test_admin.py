"""Entering the back-office, the user admin and the audit trail."""

import pytest

from convene.core.enums import Role
from convene.core.models import AuditEntry, RoleAssignment
from convene.core.services import record_audit_entry
from tests.admin_forms import form_data
from tests.factories.core import UserFactory

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


def test_user_admin_second_secretariat_role_is_a_form_error(
    client, superuser, secretariat_officer
):
    client.force_login(superuser)

    response = _add_role(client, secretariat_officer, role=Role.SECRETARIAT)

    assert response.status_code == 200
    assert _inline_errors(response) == ["This person is already a Secretariat officer."]
