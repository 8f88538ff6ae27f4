"""Walk-ins at the desk: register_walk_in and its page, for the Secretariat only."""

import datetime

import pytest
from django.contrib.messages import get_messages

from convene.core.models import AuditEntry
from convene.core.selectors import audit_entries_for
from convene.meetings.enums import ApprovalMode
from convene.onsite.enums import OnsiteAuditAction
from convene.onsite.errors import WalkInError
from convene.onsite.models import Attendance, CheckinDevice
from convene.onsite.services import register_walk_in
from convene.registrations.enums import Event, RegistrationAuditAction, RegistrationStatus, Source
from convene.registrations.models import Notification, Registration
from tests.admin_forms import form_data
from tests.factories.core import CheckinRoleFactory, OrganiserRoleFactory
from tests.html import parse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_the_day")]


def _url(meeting, language="en") -> str:
    return f"/{language}/meetings/{meeting.slug}/check-in/walk-in/"


def _person(partner, **changes) -> dict:
    return {
        "category": "partner_country",
        "delegation": str(partner.pk),
        "first_name": "Moussa",
        "last_name": "Sow",
        "email": "moussa.sow@example.org",
        "phone": "+221 77 765 43 21",
        "institution": "Ministry of the Interior",
        "function": "Border police officer",
        "level_of_government": "national",
        **changes,
    }


def _data(meeting, partner, **changes) -> dict:
    """Cleaned data as WalkInForm gives it."""
    from convene.onsite.forms import WalkInForm

    form = WalkInForm(
        {**_person(partner, **changes), "role": "member", "language": "fr", "days": ["2031-09-01"]},
        meeting=meeting,
    )
    assert form.is_valid(), form.errors
    return form.registration_data()


def _walk_in(client, meeting, partner, language="en", **changes):
    page = client.get(_url(meeting, language))
    data = form_data(page, "#walk-in-form", **_person(partner, **changes))
    return client.post(_url(meeting, language), data)


@pytest.fixture
def full_delegation(meeting, make_registration):
    """The delegation of Senegal may send one person, and has."""
    meeting.delegation_size = 1
    meeting.save(update_fields=["delegation_size"])
    return make_registration()


# --- the service ---------------------------------------------------------------------------


def test_register_walk_in_approves_and_checks_in_today(meeting, senegal, secretariat_officer):
    registration = register_walk_in(
        meeting, actor=secretariat_officer, data=_data(meeting, senegal)
    )

    registration.refresh_from_db()
    assert (registration.status, registration.source, registration.entered_by) == (
        RegistrationStatus.APPROVED,
        Source.SECRETARIAT,
        secretariat_officer,
    )
    attendance = Attendance.objects.get()
    assert (attendance.registration, attendance.day, attendance.checked_in_by) == (
        registration,
        meeting.starts_on,
        secretariat_officer,
    )
    assert (attendance.device.name, attendance.device.user, attendance.device.token_hash) == (
        "Desk (walk-ins)",
        secretariat_officer,
        None,
    )


def test_register_walk_in_audits_the_walk_in_and_the_approval(
    meeting, senegal, secretariat_officer
):
    meeting.approval_mode = ApprovalMode.MANUAL
    meeting.save(update_fields=["approval_mode"])
    registration = register_walk_in(
        meeting, actor=secretariat_officer, data=_data(meeting, senegal)
    )

    entries = audit_entries_for(registration).order_by("pk")
    assert [(entry.action, entry.actor, entry.to_state) for entry in entries] == [
        (
            RegistrationAuditAction.CREATED,
            secretariat_officer,
            RegistrationStatus.AWAITING_SECRETARIAT,
        ),
        (RegistrationAuditAction.STATUS, secretariat_officer, RegistrationStatus.APPROVED),
        (OnsiteAuditAction.WALK_IN_REGISTERED, secretariat_officer, ""),
    ]


def test_register_walk_in_emails_the_approval_only(meeting, senegal, secretariat_officer):
    meeting.approval_mode = ApprovalMode.MANUAL
    meeting.save(update_fields=["approval_mode"])

    registration = register_walk_in(
        meeting, actor=secretariat_officer, data=_data(meeting, senegal)
    )

    events = set(
        Notification.objects.filter(recipient=registration.email).values_list("event", flat=True)
    )
    assert events == {Event.APPROVED}


def test_register_walk_in_reuses_the_officers_desk_device(meeting, senegal, secretariat_officer):
    register_walk_in(meeting, actor=secretariat_officer, data=_data(meeting, senegal))
    register_walk_in(
        meeting,
        actor=secretariat_officer,
        data=_data(meeting, senegal, email="fatou.ba@example.org", first_name="Fatou"),
    )

    assert CheckinDevice.objects.count() == 1
    assert Attendance.objects.count() == 2


def test_register_walk_in_without_check_in_makes_no_attendance(
    meeting, senegal, secretariat_officer
):
    registration = register_walk_in(
        meeting, actor=secretariat_officer, data=_data(meeting, senegal), check_in=False
    )

    assert registration.status == RegistrationStatus.APPROVED
    assert (Attendance.objects.count(), CheckinDevice.objects.count()) == (0, 0)


def test_register_walk_in_over_a_full_quota_creates_nothing(
    meeting, senegal, secretariat_officer, full_delegation
):
    audit_before = AuditEntry.objects.count()

    with pytest.raises(WalkInError) as refusal:
        register_walk_in(meeting, actor=secretariat_officer, data=_data(meeting, senegal))

    assert (refusal.value.code, refusal.value.field) == ("quota", "override_reason")
    assert list(Registration.objects.values_list("pk", flat=True)) == [full_delegation.pk]
    assert (Attendance.objects.count(), CheckinDevice.objects.count()) == (0, 0)
    assert AuditEntry.objects.count() == audit_before
    assert Notification.objects.count() == 0


def test_register_walk_in_over_a_full_quota_with_a_reason_is_approved(
    meeting, senegal, secretariat_officer, full_delegation
):
    registration = register_walk_in(
        meeting,
        actor=secretariat_officer,
        data=_data(meeting, senegal),
        override_reason="Minister's adviser",
    )

    registration.refresh_from_db()
    assert (registration.status, registration.quota_override_reason) == (
        RegistrationStatus.APPROVED,
        "Minister's adviser",
    )


def test_register_walk_in_by_check_in_staff_is_refused(meeting, senegal):
    staff = CheckinRoleFactory(meeting=meeting).user

    with pytest.raises(WalkInError) as refusal:
        register_walk_in(meeting, actor=staff, data=_data(meeting, senegal))

    assert refusal.value.code == "forbidden"
    assert Registration.objects.count() == 0


# --- the page ------------------------------------------------------------------------------


def test_walk_in_page_registers_and_says_so(meeting, senegal, secretariat_officer, client):
    client.force_login(secretariat_officer)

    response = _walk_in(client, meeting, senegal)

    registration = Registration.objects.get()
    assert (response.status_code, response.url) == (302, _url(meeting))
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        f"Moussa Sow is registered and approved ({registration.reference}), and checked in today."
    ]
    assert registration.status == RegistrationStatus.APPROVED
    assert list(Attendance.objects.values_list("registration", flat=True)) == [registration.pk]


def test_walk_in_page_ticks_check_in_and_today(meeting, secretariat_officer, client):
    client.force_login(secretariat_officer)

    page = parse(client.get(_url(meeting)))

    assert "checked" in page.select_one("#id_check_in_now").attrs
    assert [
        node.attrs["value"] for node in page.select("input[name=days]") if "checked" in node.attrs
    ] == ["2031-09-01"]


def test_walk_in_page_unticked_does_not_check_in(meeting, senegal, secretariat_officer, client):
    client.force_login(secretariat_officer)
    page = client.get(_url(meeting))
    data = form_data(page, "#walk-in-form", **_person(senegal))
    data.pop("check_in_now")

    response = client.post(_url(meeting), data)

    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        f"Moussa Sow is registered and approved ({Registration.objects.get().reference})."
    ]
    assert Attendance.objects.count() == 0


def test_walk_in_page_full_quota_shows_the_error_and_keeps_nothing(
    meeting, senegal, secretariat_officer, client, full_delegation
):
    client.force_login(secretariat_officer)

    response = _walk_in(client, meeting, senegal)

    assert response.status_code == 400
    assert parse(response).texts("#id_override_reason_error li") == [
        "No place is free. Give a reason to approve over the quota."
    ]
    assert Registration.objects.count() == 1


def test_walk_in_page_duplicate_email_is_a_form_error(
    meeting, senegal, secretariat_officer, client, make_registration
):
    make_registration(
        email="moussa.sow@example.org", status=RegistrationStatus.AWAITING_SECRETARIAT
    )
    client.force_login(secretariat_officer)

    response = _walk_in(client, meeting, senegal)

    assert response.status_code == 400
    assert parse(response).texts("#id_email_error li") == [
        "This email address already has a registration for this meeting."
    ]
    assert Registration.objects.count() == 1


def test_walk_in_page_missing_names_is_a_form_error(meeting, senegal, secretariat_officer, client):
    client.force_login(secretariat_officer)

    response = _walk_in(client, meeting, senegal, last_name="")

    assert response.status_code == 400
    assert parse(response).texts("#id_last_name_error li") == ["This field is required."]
    assert Registration.objects.count() == 0


def test_walk_in_page_in_french(meeting, senegal, secretariat_officer, client):
    client.force_login(secretariat_officer)

    response = client.get(_url(meeting, "fr"))

    page = parse(response)
    assert page.texts("h1") == ["Inscrire à l'accueil"]
    assert page.texts("label[for=id_check_in_now]") == ["Enregistrer son arrivée maintenant"]


def test_walk_in_page_refusal_in_french(
    meeting, senegal, secretariat_officer, client, full_delegation
):
    client.force_login(secretariat_officer)

    response = _walk_in(client, meeting, senegal, language="fr")

    assert parse(response).texts("#id_override_reason_error li") == [
        "Aucune place n'est disponible. Indiquez un motif pour approuver au-delà du quota."
    ]


def test_walk_in_page_refuses_check_in_staff(meeting, senegal, client):
    client.force_login(CheckinRoleFactory(meeting=meeting).user)

    assert client.get(_url(meeting)).status_code == 403
    assert client.post(_url(meeting), _person(senegal)).status_code == 403
    assert Registration.objects.count() == 0


def test_walk_in_page_refuses_the_meetings_organiser(meeting, client):
    client.force_login(OrganiserRoleFactory(meeting=meeting).user)

    assert client.get(_url(meeting)).status_code == 403


def test_walk_in_page_refuses_a_focal_point(meeting, focal_point_senegal, client):
    client.force_login(focal_point_senegal)

    assert client.get(_url(meeting)).status_code == 403


def test_walk_in_page_sends_the_anonymous_to_sign_in(meeting, client):
    response = client.get(_url(meeting))

    assert (response.status_code, response.url) == (
        302,
        "/en/accounts/login/?next=/en/meetings/dakar-workshop/check-in/walk-in/",
    )


def test_walk_in_page_unknown_meeting_is_404(secretariat_officer, client):
    client.force_login(secretariat_officer)

    assert client.get("/en/meetings/no-such-meeting/check-in/walk-in/").status_code == 404


def test_walk_in_page_outside_the_meetings_days_registers_without_attendance(
    meeting, senegal, secretariat_officer, client, monkeypatch, on_the_day
):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: on_the_day + datetime.timedelta(days=3))
    client.force_login(secretariat_officer)
    page = client.get(_url(meeting))
    # Unticked by default on a day the meeting is not held; ticked anyway, it is told.
    assert "checked" not in parse(page).select_one("#id_check_in_now").attrs
    data = form_data(
        page, "#walk-in-form", **_person(senegal), days=["2031-09-01"], check_in_now="on"
    )

    response = client.post(_url(meeting), data)

    registration = Registration.objects.get()
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        f"Moussa Sow is registered and approved ({registration.reference}); not checked in: "
        "the meeting is not held today."
    ]
    assert registration.status == RegistrationStatus.APPROVED
    assert Attendance.objects.count() == 0
