"""The Secretariat's check-in devices and the door's log in the back-office: the list
(last contact, queued, received, state), revoking (button and action), issuing an API
token shown once, and who sees them."""

import datetime
import uuid

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext

from convene.core.selectors import audit_entries_for
from convene.onsite.enums import CheckinOutcome, OnsiteAuditAction
from convene.onsite.models import CheckinDevice
from convene.onsite.services import record_checkin, record_device_contact
from convene.onsite.tokens import sha256_hex
from tests.factories.core import CheckinRoleFactory, OrganiserRoleFactory, UserFactory
from tests.factories.onsite import CheckinDeviceFactory
from tests.html import parse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_the_day")]

LIST = "/en/admin/onsite/checkindevice/"
TOKEN = f"{LIST}token/"
SCANS = "/en/admin/onsite/checkinscan/"


@pytest.fixture
def door(meeting):
    return UserFactory(email="marie@example.org", full_name="Marie Diallo", is_staff=True)


@pytest.fixture
def desk(meeting, door):
    CheckinRoleFactory(meeting=meeting, user=door)
    return CheckinDeviceFactory(meeting=meeting, name="Desk 1", user=door)


def _scan(device, registration=None, *, reference=""):
    return record_checkin(
        device, client_id=uuid.uuid4(), reference=reference or registration.reference
    )


# --- the list -------------------------------------------------------------------------------


def test_device_list_says_how_long_ago_the_device_was_heard_from(
    desk, secretariat_officer, client, on_the_day
):
    CheckinDevice.objects.filter(pk=desk.pk).update(
        last_seen_at=on_the_day - datetime.timedelta(hours=3, minutes=5)
    )
    client.force_login(secretariat_officer)

    page = parse(client.get(LIST))

    assert page.texts("#result_list tbody td.field-last_contact") == [
        "1 September 2031, 08:55 (3 hours ago)"
    ]


def test_device_list_says_never_for_a_device_not_heard_from(desk, secretariat_officer, client):
    client.force_login(secretariat_officer)

    page = parse(client.get(LIST))

    assert page.texts("#result_list tbody td.field-last_contact") == ["never"]
    assert page.texts("#result_list tbody td.field-state") == ["Active"]
    assert page.texts("#result_list tbody td.field-added_by") == ["Marie Diallo"]


def test_device_list_shows_contact_queue_and_scans(
    desk, secretariat_officer, client, make_registration, on_the_day
):
    registration = make_registration()
    _scan(desk, registration)
    _scan(desk, reference="NOSUCH99")
    record_device_contact(desk, queued_count=4)
    client.force_login(secretariat_officer)

    page = parse(client.get(LIST))

    assert page.texts("#result_list tbody td.field-last_contact") == [
        "1 September 2031, 12:00 (just now)"
    ]
    assert page.texts("#result_list tbody td.field-waiting") == ["4"]
    assert page.texts("#result_list tbody td.field-scans_received") == ["2"]


def test_device_list_shows_who_revoked_and_when(desk, secretariat_officer, client):
    client.force_login(secretariat_officer)
    client.post(f"{LIST}{desk.pk}/revoke/")

    page = parse(client.get(LIST))

    assert page.texts("#result_list tbody td.field-state") == [
        "Revoked on 1 September 2031, 12:00 by Secretariat officer"
    ]


def test_device_list_filters_by_state(desk, meeting, door, secretariat_officer, client):
    revoked = CheckinDeviceFactory(
        meeting=meeting,
        name="Lost phone",
        user=door,
        revoked_at=datetime.datetime(2031, 9, 1, 8, tzinfo=datetime.UTC),
        revoked_by=secretariat_officer,
    )
    client.force_login(secretariat_officer)

    active = parse(client.get(f"{LIST}?state=active"))
    gone = parse(client.get(f"{LIST}?state=revoked"))

    assert active.texts("#result_list tbody th.field-name a") == [desk.name]
    assert gone.texts("#result_list tbody th.field-name a") == [revoked.name]


def test_device_list_reads_in_a_fixed_number_of_queries(
    meeting, door, secretariat_officer, client, make_registration
):
    client.force_login(secretariat_officer)
    CheckinDeviceFactory(meeting=meeting, user=door)
    client.get(LIST)
    with CaptureQueriesContext(connection) as one:
        client.get(LIST)
    for number in range(5):
        device = CheckinDeviceFactory(meeting=meeting, user=UserFactory())
        _scan(device, make_registration(email=f"p{number}@example.org", reference=f"REF{number}"))

    with CaptureQueriesContext(connection) as six:
        client.get(LIST)

    assert len(six) == len(one)


def test_device_list_in_french(desk, secretariat_officer, client):
    client.force_login(secretariat_officer)

    page = parse(client.get("/fr/admin/onsite/checkindevice/"))

    assert page.texts("#result_list tbody td.field-last_contact") == ["jamais"]
    assert page.texts("#result_list tbody td.field-state") == ["Actif"]
    assert page.texts("#issue-token") == ["Émettre un jeton d'API"]


def test_devices_cannot_be_added_nor_edited_by_a_form(desk, secretariat_officer, client):
    client.force_login(secretariat_officer)

    assert client.get(f"{LIST}add/").status_code == 403
    response = client.post(f"{LIST}{desk.pk}/change/", {"name": "Renamed"})

    assert response.status_code == 403
    desk.refresh_from_db()
    assert desk.name == "Desk 1"


@pytest.mark.parametrize("persona", ["organiser", "checkin", "focal_point"])
def test_device_list_is_the_secretariats_only(persona, desk, meeting, focal_point_senegal, client):
    person = {
        "organiser": lambda: OrganiserRoleFactory(meeting=meeting).user,
        "checkin": lambda: desk.user,
        "focal_point": lambda: focal_point_senegal,
    }[persona]()
    client.force_login(person)

    answers = [
        client.get(url).status_code
        for url in (LIST, f"{LIST}{desk.pk}/change/", TOKEN, f"{LIST}{desk.pk}/revoke/", SCANS)
    ]

    assert answers == [403, 403, 403, 403, 403]
    assert client.post(f"{LIST}{desk.pk}/revoke/").status_code == 403
    desk.refresh_from_db()
    assert desk.revoked_at is None


# --- revoking -------------------------------------------------------------------------------


def test_device_page_offers_revoke_while_active(desk, secretariat_officer, client):
    client.force_login(secretariat_officer)

    page = parse(client.get(f"{LIST}{desk.pk}/change/"))

    assert page.select_one("#revoke-device").attrs["href"] == f"{LIST}{desk.pk}/revoke/"


def test_revoke_asks_for_confirmation_first(desk, secretariat_officer, client):
    client.force_login(secretariat_officer)

    page = parse(client.get(f"{LIST}{desk.pk}/revoke/"))

    assert page.texts("#revoke-form input[type=submit]") == [""]
    assert page.select_one("#revoke-form input[type=submit]").attrs["value"] == (
        "Yes, revoke this device"
    )
    desk.refresh_from_db()
    assert desk.revoked_at is None


def test_revoke_revokes_audits_and_says_so(desk, secretariat_officer, client):
    client.force_login(secretariat_officer)

    response = client.post(f"{LIST}{desk.pk}/revoke/")

    desk.refresh_from_db()
    assert (response.status_code, response.url) == (302, f"{LIST}{desk.pk}/change/")
    assert (desk.is_revoked, desk.revoked_by) == (True, secretariat_officer)
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "The device “Desk 1” is revoked: it can no longer check anyone in."
    ]
    assert [entry.action for entry in audit_entries_for(desk)] == [
        OnsiteAuditAction.CHECKIN_DEVICE_REVOKED
    ]
    assert "revoke-device" not in client.get(f"{LIST}{desk.pk}/change/").content.decode()


def test_revoke_action_revokes_the_selected(desk, meeting, door, secretariat_officer, client):
    other = CheckinDeviceFactory(meeting=meeting, name="Desk 2", user=door)
    kept = CheckinDeviceFactory(meeting=meeting, name="Desk 3", user=door)
    client.force_login(secretariat_officer)

    response = client.post(
        LIST, {"action": "revoke_selected", "_selected_action": [desk.pk, other.pk]}
    )

    assert response.status_code == 302
    assert set(
        CheckinDevice.objects.filter(revoked_at__isnull=False).values_list("pk", flat=True)
    ) == {desk.pk, other.pk}
    assert CheckinDevice.objects.get(pk=kept.pk).revoked_at is None
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["2 devices revoked."]


# --- API tokens -----------------------------------------------------------------------------


def test_token_page_shows_the_token_once_and_keeps_its_hash(meeting, secretariat_officer, client):
    client.force_login(secretariat_officer)

    response = client.post(TOKEN, {"meeting": meeting.pk, "name": "Scanner 2, main gate"})

    page = parse(response)
    token = page.select_one("#checkin-token").attrs["value"]
    device = CheckinDevice.objects.get()
    assert response.status_code == 200
    assert (device.name, device.meeting, device.user) == (
        "Scanner 2, main gate",
        meeting,
        secretariat_officer,
    )
    assert device.token_hash == sha256_hex(token)
    assert response["Cache-Control"] == "private, no-store"
    assert page.texts("#token-warning strong") == [
        "Copy it now into the scanner: it will not be shown again."
    ]
    # Nowhere else: neither the session nor a message carries it to another page.
    assert list(get_messages(response.wsgi_request)) == []
    assert token not in str(dict(client.session))
    assert token not in client.get(f"{LIST}{device.pk}/change/").content.decode()
    assert token not in client.get(LIST).content.decode()


def test_token_page_asks_for_a_meeting_and_a_name(meeting, secretariat_officer, client):
    client.force_login(secretariat_officer)

    response = client.post(TOKEN, {"meeting": "999999", "name": "  "})

    page = parse(response)
    assert response.status_code == 400
    assert page.texts(".field-meeting .errorlist li") == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
    assert page.texts(".field-name .errorlist li") == ["This field is required."]
    assert CheckinDevice.objects.count() == 0


def test_token_page_link_is_on_the_list(secretariat_officer, client):
    client.force_login(secretariat_officer)

    page = parse(client.get(LIST))

    assert page.select_one("#issue-token").attrs["href"] == TOKEN


def test_token_page_in_french(meeting, secretariat_officer, client):
    client.force_login(secretariat_officer)

    response = client.post(
        "/fr/admin/onsite/checkindevice/token/", {"meeting": meeting.pk, "name": "Scanner"}
    )

    assert parse(response).texts("#token-warning strong") == [
        "Copiez-le maintenant dans le lecteur : il ne sera plus affiché."
    ]


# --- the door's log -------------------------------------------------------------------------


def test_scan_log_filters_by_answer(desk, secretariat_officer, client, make_registration):
    registration = make_registration()
    _scan(desk, registration)
    _scan(desk, reference="NOSUCH99")
    client.force_login(secretariat_officer)

    welcome = parse(client.get(f"{SCANS}?outcome={CheckinOutcome.WELCOME}"))
    unknown = parse(client.get(f"{SCANS}?outcome={CheckinOutcome.UNKNOWN}"))

    assert welcome.texts("#result_list tbody td.field-registration") == [str(registration)]
    assert unknown.texts("#result_list tbody td.field-registration") == ["-"]
    assert welcome.texts("#result_list tbody th.field-scanned_when a") == [
        "1 September 2031, 12:00"
    ]


def test_scan_log_is_read_only(desk, secretariat_officer, client, make_registration):
    scan = _scan(desk, make_registration()).scan
    client.force_login(secretariat_officer)

    assert client.get(f"{SCANS}add/").status_code == 403
    assert client.post(f"{SCANS}{scan.pk}/delete/").status_code == 403
    assert client.get(f"{SCANS}{scan.pk}/change/").status_code == 200


# --- the back-office's home page: the way to the door ------------------------------------


def _home_links(client, user, language="en"):
    client.force_login(user)
    response = client.get(f"/{language}/admin/")
    return [(a.text, a.attrs["href"]) for a in parse(response).select("#convene-links a")]


def test_home_page_leads_check_in_staff_to_their_door(meeting, other_meeting, door, client):
    CheckinRoleFactory(meeting=meeting, user=door)

    assert _home_links(client, door) == [
        ("Check-in: Dakar workshop (1-2 September 2031)", "/en/meetings/dakar-workshop/check-in/")
    ]


def test_home_page_leads_organisers_to_the_door_and_the_live_figures(meeting, client):
    organiser = OrganiserRoleFactory(meeting=meeting, user__is_staff=True).user

    assert _home_links(client, organiser, "fr") == [
        (
            "Accueil des participants : Atelier de Dakar (1er-2 septembre 2031)",
            "/fr/meetings/dakar-workshop/check-in/",
        ),
        (
            "Présence en direct : Atelier de Dakar (1er-2 septembre 2031)",
            "/fr/meetings/dakar-workshop/attendance/",
        ),
    ]


def test_home_page_offers_no_door_to_a_focal_point(meeting, focal_point_senegal, client):
    assert _home_links(client, focal_point_senegal) == []


def test_home_page_offers_no_door_of_a_meeting_ended(meeting, door, client, on_the_day):
    CheckinRoleFactory(meeting=meeting, user=door)
    meeting.starts_on = meeting.ends_on = on_the_day.date() - datetime.timedelta(days=1)
    meeting.save(update_fields=["starts_on", "ends_on"])

    assert _home_links(client, door) == []
