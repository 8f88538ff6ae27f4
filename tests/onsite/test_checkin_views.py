"""The check-in page, its roster, its sync endpoint and its service worker: access per
persona, naming the device, what the roster holds, and every answer of a sync."""

import datetime
import json
import uuid

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from convene.onsite.enums import CheckinOutcome
from convene.onsite.models import Attendance, CheckinDevice, CheckinScan
from convene.onsite.services import revoke_checkin_device
from convene.onsite.tokens import make_confirmation_token, sha256_hex
from convene.onsite.views import CHECKIN_DEVICE_SESSION_KEY
from convene.registrations.enums import RegistrationStatus
from tests.factories.core import (
    CheckinRoleFactory,
    FocalPointRoleFactory,
    OrganiserRoleFactory,
    SecretariatRoleFactory,
    UserFactory,
)
from tests.factories.meetings import MeetingFactory
from tests.html import parse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_the_day")]

SCANNED_AT = "2031-09-01T09:12:00+00:00"
DEVICE_NAME = "Desk 1 \u2013 Marie\u2019s phone"


def url(name, meeting, language="en"):
    with translation.override(language):
        return reverse(f"onsite:{name}", kwargs={"slug": meeting.slug})


@pytest.fixture
def staff(meeting):
    return CheckinRoleFactory(meeting=meeting).user


def signed_in(user, **options):
    client = Client(**options)
    client.force_login(user)
    return client


def name_device(client, meeting, name=DEVICE_NAME):
    response = client.post(url("checkin", meeting), {"name": name})
    assert response.status_code == 302
    return CheckinDevice.objects.get(pk=client.session[session_key(meeting)])


def session_key(meeting):
    return CHECKIN_DEVICE_SESSION_KEY.format(meeting_id=meeting.pk)


def sync(client, meeting, device, checkins, **body):
    payload = {"device": device.pk, "queued": 0, "checkins": checkins, **body}
    return client.post(
        url("checkin_sync", meeting), data=json.dumps(payload), content_type="application/json"
    )


def item(registration=None, *, client_id=None, **fields):
    values = {"id": str(client_id or uuid.uuid4()), "scanned_at": SCANNED_AT}
    if registration is not None:
        values["code"] = make_confirmation_token(registration)
    values.update(fields)
    return values


# --- Access ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona",
    ["secretariat", "organiser", "checkin_staff"],
)
def test_checkin_page_opens_for_the_meeting_s_door_staff(meeting, persona):
    user = {
        "secretariat": lambda: SecretariatRoleFactory().user,
        "organiser": lambda: OrganiserRoleFactory(meeting=meeting).user,
        "checkin_staff": lambda: CheckinRoleFactory(meeting=meeting).user,
    }[persona]()

    response = signed_in(user).get(url("checkin", meeting))

    assert response.status_code == 200
    assert response.templates[0].name == "onsite/checkin.html"
    assert response.context["device"] is None
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("persona", ["checkin_staff_elsewhere", "focal_point", "outsider"])
def test_checkin_page_refuses_others_with_403(meeting, other_meeting, persona):
    user = {
        "checkin_staff_elsewhere": lambda: CheckinRoleFactory(meeting=other_meeting).user,
        "focal_point": lambda: FocalPointRoleFactory().user,
        "outsider": lambda: UserFactory(),
    }[persona]()
    client = signed_in(user)

    page = client.get(url("checkin", meeting))
    naming = client.post(url("checkin", meeting), {"name": "Desk 9"})
    roster = client.get(url("checkin_roster", meeting))

    assert (page.status_code, naming.status_code) == (403, 403)
    assert "Access denied" in page.content.decode()
    assert roster.status_code == 403
    assert roster.json()["error"] == "forbidden"
    assert CheckinDevice.objects.count() == 0


def test_checkin_page_refusal_is_french_in_french(meeting, other_meeting):
    client = signed_in(CheckinRoleFactory(meeting=other_meeting).user)

    response = client.get(url("checkin", meeting, "fr"))

    assert response.status_code == 403
    assert "Accès refusé" in response.content.decode()


def test_checkin_page_sends_anonymous_visitors_to_sign_in(meeting):
    response = Client().get(url("checkin", meeting))

    assert response.status_code == 302
    assert response["Location"] == (
        "/en/accounts/login/?next=/en/meetings/dakar-workshop/check-in/"
    )


def test_checkin_endpoints_refuse_anonymous_visitors_in_json(meeting):
    client = Client()

    roster = client.get(url("checkin_roster", meeting))
    synced = client.post(url("checkin_sync", meeting), data="{}", content_type="application/json")

    assert (roster.status_code, roster.json()["error"]) == (403, "signed_out")
    assert (synced.status_code, synced.json()["error"]) == (403, "signed_out")


def test_checkin_page_of_an_unpublished_meeting_is_404_but_for_its_managers(reference_data):
    draft = MeetingFactory(dialogue=reference_data, published=False, slug="draft-meeting")
    checkin_staff = CheckinRoleFactory(meeting=draft).user
    organiser = OrganiserRoleFactory(meeting=draft).user

    assert signed_in(checkin_staff).get(url("checkin", draft)).status_code == 404
    assert signed_in(organiser).get(url("checkin", draft)).status_code == 200
    assert signed_in(organiser).get("/en/meetings/no-such-meeting/check-in/").status_code == 404


# --- Naming the device -----------------------------------------------------------------


def test_checkin_page_asks_to_name_the_device_first(meeting, staff):
    response = signed_in(staff).get(url("checkin", meeting))

    content = response.content.decode()
    assert "Name this device" in content
    assert 'id="checkin-search"' not in content


def test_naming_the_device_keeps_it_in_the_session_and_opens_the_door(meeting, staff):
    client = signed_in(staff)

    device = name_device(client, meeting, "  Desk 1 \u2013   Marie\u2019s phone ")
    response = client.get(url("checkin", meeting))

    assert (device.meeting, device.user, device.name) == (meeting, staff, DEVICE_NAME)
    assert response.context["device"] == device
    config = response.context["config"]
    assert (config["device"], config["deviceName"], config["timeZone"]) == (
        device.pk,
        DEVICE_NAME,
        "Africa/Dakar",
    )
    assert 'id="checkin-search"' in response.content.decode()


def test_naming_the_device_with_a_blank_name_says_why(meeting, staff):
    response = signed_in(staff).post(url("checkin", meeting, "fr"), {"name": "   "})

    assert response.status_code == 400
    assert "Donnez un nom à cet appareil." in response.content.decode()
    assert CheckinDevice.objects.count() == 0


def test_naming_the_device_with_invisible_characters_says_why(meeting, staff):
    response = signed_in(staff).post(url("checkin", meeting), {"name": "Desk\u200b1"})

    assert response.status_code == 400
    assert response.context["error"] == (
        "Remove the invisible formatting character (U+200B): it can change how the text reads."
    )
    assert CheckinDevice.objects.count() == 0


def test_naming_twice_in_a_session_keeps_the_first_device(meeting, staff):
    client = signed_in(staff)
    first = name_device(client, meeting)

    response = client.post(url("checkin", meeting), {"name": "Desk 2"})

    assert response.status_code == 302
    assert list(CheckinDevice.objects.all()) == [first]


def test_revoked_device_gets_the_revoked_screen_until_signed_out(meeting, staff):
    client = signed_in(staff)
    device = name_device(client, meeting)
    revoke_checkin_device(device, actor=SecretariatRoleFactory().user)

    page = client.get(url("checkin", meeting, "fr"))
    renamed = client.post(url("checkin", meeting), {"name": "Desk 2"})

    assert page.status_code == 403
    assert "Cet appareil a été révoqué par le Secrétariat." in page.content.decode()
    assert renamed.status_code == 403
    assert CheckinDevice.objects.count() == 1

    client.post(reverse("registrations:logout"))
    client.force_login(staff)
    assert client.get(url("checkin", meeting)).context["device"] is None


# --- The roster ------------------------------------------------------------------------


def test_roster_holds_name_delegation_reference_and_hash_only(meeting, staff, make_registration):
    awa = make_registration()
    make_registration(
        first_name="Jean",
        last_name="Pending",
        reference="PEND2031",
        email="jean@example.org",
        status=RegistrationStatus.AWAITING_SECRETARIAT,
    )
    client = signed_in(staff)
    device = name_device(client, meeting)

    response = client.get(url("checkin_roster", meeting))

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert response.json() == {
        "roster": [
            {
                "reference": "AWA2031X",
                "name": awa.full_name,
                "delegation": awa.delegation.name,
                "token_hash": sha256_hex(make_confirmation_token(awa)),
            }
        ]
    }
    device.refresh_from_db()
    assert device.last_seen_at is not None


def test_roster_needs_a_named_unrevoked_device(meeting, staff):
    client = signed_in(staff)

    unnamed = client.get(url("checkin_roster", meeting))
    device = name_device(client, meeting)
    revoke_checkin_device(device, actor=SecretariatRoleFactory().user)
    revoked = client.get(url("checkin_roster", meeting))

    assert (unnamed.status_code, unnamed.json()["error"]) == (403, "no_device")
    assert (revoked.status_code, revoked.json()["error"]) == (403, "revoked")


# --- Sync ------------------------------------------------------------------------------


def test_sync_welcomes_and_records_attendance(meeting, staff, make_registration):
    awa = make_registration()
    client = signed_in(staff)
    device = name_device(client, meeting)
    checkin = item(awa)

    response = sync(client, meeting, device, [checkin], queued=3)

    assert response.status_code == 200
    assert response.json() == {
        "results": [
            {
                "id": checkin["id"],
                "outcome": "welcome",
                "admitted": True,
                "message": f"Welcome, {awa.full_name} ({awa.delegation.name})",
                "replayed": False,
                "registration": {
                    "reference": "AWA2031X",
                    "name": awa.full_name,
                    "delegation": awa.delegation.name,
                },
                "checked_in_at": "2031-09-01T09:12:00+00:00",
            }
        ]
    }
    attendance = Attendance.objects.get()
    assert (attendance.registration, attendance.device, attendance.checked_in_by) == (
        awa,
        device,
        staff,
    )
    device.refresh_from_db()
    assert device.queued_count == 3


def test_sync_by_reference_and_every_refusal_in_order(
    meeting, other_meeting, staff, make_registration
):
    awa = make_registration()
    cancelled = make_registration(
        reference="CANC2031", email="c@example.org", status=RegistrationStatus.CANCELLED
    )
    elsewhere = make_registration(meeting=other_meeting, reference="ELSE2031")
    client = signed_in(staff)
    device = name_device(client, meeting)

    response = sync(
        client,
        meeting,
        device,
        [
            item(reference="AWA2031X"),
            item(awa),
            item(cancelled),
            item(elsewhere),
            item(code="hello"),
            item(code=make_confirmation_token(awa)[:-3] + "abc"),
        ],
    )

    assert response.status_code == 200
    assert [result["outcome"] for result in response.json()["results"]] == [
        CheckinOutcome.WELCOME,
        CheckinOutcome.ALREADY_IN,
        CheckinOutcome.CANCELLED,
        CheckinOutcome.OTHER_MEETING,
        CheckinOutcome.GARBAGE,
        CheckinOutcome.TAMPERED,
    ]
    assert response.json()["results"][1]["message"] == (
        f"{awa.full_name}: already checked in at 09:12 by {DEVICE_NAME}"
    )


def test_sync_answers_in_french_on_the_french_path(meeting, staff, make_registration):
    make_registration()
    client = signed_in(staff)
    device = name_device(client, meeting)

    response = client.post(
        url("checkin_sync", meeting, "fr"),
        data=json.dumps({"device": device.pk, "checkins": [item(code="hello")]}),
        content_type="application/json",
    )

    assert response.json()["results"][0]["message"] == "Ce n\u2019est pas un code Convene."


def test_sync_replayed_makes_one_attendance_and_the_same_answer(meeting, staff, make_registration):
    awa = make_registration()
    client = signed_in(staff)
    device = name_device(client, meeting)
    checkin = item(awa)

    first = sync(client, meeting, device, [checkin]).json()["results"][0]
    again = sync(client, meeting, device, [checkin]).json()["results"][0]

    assert (Attendance.objects.count(), CheckinScan.objects.count()) == (1, 1)
    assert {**first, "replayed": True} == again


def test_sync_from_a_revoked_device_is_refused_with_403(meeting, staff, make_registration):
    awa = make_registration()
    client = signed_in(staff)
    device = name_device(client, meeting)
    revoke_checkin_device(device, actor=SecretariatRoleFactory().user)

    response = sync(client, meeting, device, [item(awa)])

    assert response.status_code == 403
    assert response.json() == {
        "error": "revoked",
        "message": "This device has been revoked by the Secretariat.",
    }
    assert Attendance.objects.count() == 0


def test_sync_for_another_device_than_the_session_s_is_refused(meeting, staff, make_registration):
    awa = make_registration()
    client = signed_in(staff)
    device = name_device(client, meeting)
    other = CheckinDevice.objects.create(meeting=meeting, name="Desk 2", user=staff)

    response = sync(client, meeting, other, [item(awa)])

    assert (response.status_code, response.json()["error"]) == (403, "other_device")
    assert Attendance.objects.count() == 0
    assert device.pk != other.pk


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("{not json", "The request is not valid JSON."),
        ("[]", "The request must be an object with a list of check-ins."),
        ("[" * 100_000 + "]" * 100_000, "The request is not valid JSON."),
        (
            '{"device": 1, "checkins": {}}',
            "The request must be an object with a list of check-ins.",
        ),
    ],
)
def test_sync_refuses_bad_json_with_a_sentence(meeting, staff, body, message):
    client = signed_in(staff)
    name_device(client, meeting)

    response = client.post(url("checkin_sync", meeting), data=body, content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {"error": "invalid", "message": message}


def test_sync_refuses_bad_json_in_french(meeting, staff):
    client = signed_in(staff)
    name_device(client, meeting)

    response = client.post(
        url("checkin_sync", meeting, "fr"), data="{not json", content_type="application/json"
    )

    assert response.json()["message"] == "La requête n\u2019est pas du JSON valide."


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"id": "not-a-uuid"}, "its id is not a UUID."),
        ({"scanned_at": "yesterday"}, "its time is not an ISO 8601 date and time with an offset."),
        (
            {"scanned_at": "2031-09-01T09:12:00"},
            "its time is not an ISO 8601 date and time with an offset.",
        ),
        (
            {"scanned_at": "2031-13-45T09:12:00+00:00"},
            "its time is not an ISO 8601 date and time with an offset.",
        ),
        ({"code": "", "reference": ""}, "it needs either a code or a reference."),
        ({"code": "abc", "reference": "AWA2031X"}, "it needs either a code or a reference."),
        ({"code": ["abc"]}, "its code and reference must be text."),
    ],
)
def test_sync_refuses_a_bad_item_and_records_none(
    meeting, staff, make_registration, fields, problem
):
    awa = make_registration()
    client = signed_in(staff)
    device = name_device(client, meeting)

    response = sync(client, meeting, device, [item(awa), item(awa, **fields)])

    assert response.status_code == 400
    assert response.json() == {
        "error": "invalid",
        "message": f"Check-in 2 is not valid: {problem}",
    }
    assert CheckinScan.objects.count() == 0


def test_sync_refuses_more_than_200_items(meeting, staff, make_registration):
    awa = make_registration()
    client = signed_in(staff)
    device = name_device(client, meeting)

    response = sync(client, meeting, device, [item(awa) for _ in range(201)])

    assert response.status_code == 400
    assert response.json() == {
        "error": "too_many",
        "message": "Send at most 200 check-ins at once.",
    }
    assert CheckinScan.objects.count() == 0


def test_sync_needs_the_csrf_header(meeting, staff, make_registration):
    awa = make_registration()
    client = signed_in(staff, enforce_csrf_checks=True)
    page = client.get(url("checkin", meeting))
    token = page.context["csrf_token"]
    client.post(url("checkin", meeting), {"name": "Desk 1", "csrfmiddlewaretoken": str(token)})
    device = CheckinDevice.objects.get()
    body = json.dumps({"device": device.pk, "checkins": [item(awa)]})

    refused = client.post(url("checkin_sync", meeting), data=body, content_type="application/json")
    accepted = client.post(
        url("checkin_sync", meeting),
        data=body,
        content_type="application/json",
        headers={"X-CSRFToken": client.cookies["csrftoken"].value},
    )

    assert refused.status_code == 403
    assert accepted.status_code == 200
    assert Attendance.objects.count() == 1


# --- The service worker ----------------------------------------------------------------


def test_service_worker_is_javascript_scoped_under_the_page(meeting, staff):
    response = signed_in(staff).get(url("checkin_worker", meeting))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Service-Worker-Allowed"] == "/en/meetings/dakar-workshop/check-in/"
    content = response.content.decode()
    assert '"page": "/en/meetings/dakar-workshop/check-in/"' in content
    assert "roster.json" not in content


def test_service_worker_is_not_served_to_others(meeting, other_meeting):
    elsewhere = signed_in(CheckinRoleFactory(meeting=other_meeting).user)

    assert Client().get(url("checkin_worker", meeting)).status_code == 404
    assert elsewhere.get(url("checkin_worker", meeting)).status_code == 403


def _links(response) -> list[str]:
    return [node.attrs["href"] for node in parse(response).select(".checkin-links a")]


def test_checkin_page_links_the_secretariat_to_walk_ins_and_live_figures(meeting):
    client = signed_in(SecretariatRoleFactory().user)
    name_device(client, meeting)

    response = client.get(url("checkin", meeting))

    assert _links(response) == [url("walk_in", meeting), url("attendance", meeting)]


def test_checkin_page_links_organisers_to_live_figures_only(meeting):
    client = signed_in(OrganiserRoleFactory(meeting=meeting).user)
    name_device(client, meeting)

    response = client.get(url("checkin", meeting))

    assert _links(response) == [url("attendance", meeting)]


def test_checkin_page_links_check_in_staff_nowhere_else(meeting, staff):
    client = signed_in(staff)
    name_device(client, meeting)

    response = client.get(url("checkin", meeting))

    assert _links(response) == []


def test_checkin_page_says_nothing_of_the_day_while_the_meeting_is_held(meeting, staff):
    client = signed_in(staff)
    name_device(client, meeting)

    response = client.get(url("checkin", meeting))

    assert parse(response).select("#checkin-not-today") == []


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            "The meeting is not held today (2-3 September 2031): every check-in will be "
            "refused as “Not today”.",
        ),
        (
            "fr",
            "La réunion n\u2019a pas lieu aujourd\u2019hui (2-3 septembre 2031) : chaque "
            "enregistrement sera refusé comme « Pas aujourd\u2019hui ».",
        ),
    ],
)
def test_checkin_page_warns_when_the_meeting_is_not_held_today(reference_data, language, expected):
    # The clock (on_the_day) is on 1 September 2031; this meeting opens the next day.
    tomorrow = MeetingFactory(
        dialogue=reference_data,
        published=True,
        starts_on=datetime.date(2031, 9, 2),
        ends_on=datetime.date(2031, 9, 3),
    )
    client = signed_in(CheckinRoleFactory(meeting=tomorrow).user)
    name_device(client, tomorrow)

    response = client.get(url("checkin", tomorrow, language))

    assert parse(response).select_one("#checkin-not-today").text == expected
