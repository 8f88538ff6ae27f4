"""/api/v1/check-in/: a scanner's token, the roster, batches of check-ins, every answer."""

# The onsite fixtures are imported here (tests/api/conftest.py has the registration
# endpoint's meeting): the test functions name them as arguments.
# ruff: noqa: F811, RUF001

import datetime
import json
import uuid

import pytest
import yaml
from django.core.management import call_command
from django.utils import timezone

from convene.onsite.models import Attendance, CheckinDevice, CheckinScan
from convene.onsite.services import issue_checkin_api_token, revoke_checkin_device
from convene.onsite.tokens import make_confirmation_token, sha256_hex
from convene.registrations.enums import RegistrationStatus
from tests.factories.core import SecretariatRoleFactory
from tests.factories.registrations import RegistrationFactory
from tests.onsite.conftest import (  # noqa: F401
    make_registration,
    meeting,
    on_the_day,
    other_meeting,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_the_day")]

SCANS = "/api/v1/check-in/scans/"
ROSTER = "/api/v1/check-in/roster/"
DEVICE = "/api/v1/check-in/device/"
# The real clock, before on_the_day stops it (the rate-limit counters expire by it).
REAL_NOW = timezone.now
AT_0912 = "2031-09-01T09:12:00+00:00"  # Dakar is on UTC


@pytest.fixture
def officer():
    return SecretariatRoleFactory().user


@pytest.fixture
def scanner(meeting, officer):
    """(device, token) of a scanner at the Dakar workshop's door."""
    return issue_checkin_api_token(meeting, actor=officer, name="Gate scanner")


@pytest.fixture
def token(scanner):
    return scanner[1]


def _auth(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def send(client, token, checkins, *, queued=None, language="en"):
    body = {"checkins": checkins}
    if queued is not None:
        body["queued"] = queued
    return client.post(
        SCANS,
        json.dumps(body),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE=language,
        **_auth(token),
    )


def item(registration=None, *, code=None, scanned_at=AT_0912, client_id=None, **extra):
    payload = {"id": str(client_id or uuid.uuid4()), "scanned_at": scanned_at}
    if code is not None:
        payload["code"] = code
    elif registration is not None:
        payload["code"] = make_confirmation_token(registration)
    payload.update(extra)
    return payload


# --- the answers -----------------------------------------------------------------------


def test_scan_of_an_approved_delegate_answers_welcome(client, token, scanner, make_registration):
    registration = make_registration()
    sent = item(registration)

    response = send(client, token, [sent], queued=3)

    assert response.status_code == 200
    assert response.json() == {
        "results": [
            {
                "id": sent["id"],
                "outcome": "welcome",
                "admitted": True,
                "message": "Welcome, Awa Ndiaye (Senegal)",
                "replayed": False,
                "registration": {
                    "reference": "AWA2031X",
                    "name": "Awa Ndiaye",
                    "delegation": "Senegal",
                },
                "checked_in_at": "2031-09-01T09:12:00+00:00",
            }
        ]
    }
    attendance = Attendance.objects.get()
    assert (attendance.registration, attendance.device) == (registration, scanner[0])
    device = CheckinDevice.objects.get()
    assert (device.queued_count, device.last_seen_at.isoformat()) == (
        3,
        "2031-09-01T12:00:00+00:00",
    )


def test_second_scan_of_the_day_answers_already_in(client, token, make_registration):
    registration = make_registration()
    send(client, token, [item(registration)])

    response = send(client, token, [item(registration, scanned_at="2031-09-01T10:30:00Z")])

    result = response.json()["results"][0]
    assert (result["outcome"], result["admitted"], result["message"]) == (
        "already_in",
        True,
        "Awa Ndiaye: already checked in at 09:12 by Gate scanner",
    )
    assert result["checked_in_at"] == "2031-09-01T09:12:00+00:00"
    assert Attendance.objects.count() == 1
    assert CheckinScan.objects.count() == 2


@pytest.mark.parametrize(
    ("status", "outcome", "message"),
    [
        (
            RegistrationStatus.AWAITING_SECRETARIAT,
            "not_approved",
            "Not approved: see the Secretariat's desk.",
        ),
        (
            RegistrationStatus.WAITLISTED,
            "not_approved",
            "Not approved: see the Secretariat's desk.",
        ),
        (RegistrationStatus.REJECTED, "rejected", "Rejected: see the Secretariat's desk."),
        (RegistrationStatus.CANCELLED, "cancelled", "Cancelled: this registration was cancelled."),
    ],
)
def test_scan_of_a_registration_not_approved_is_refused(
    client, token, make_registration, status, outcome, message
):
    registration = make_registration(status=status)

    response = send(client, token, [item(registration)])

    result = response.json()["results"][0]
    assert response.status_code == 200
    assert (result["outcome"], result["admitted"], result["message"]) == (outcome, False, message)
    assert (result["registration"], result["checked_in_at"]) == (None, None)
    assert Attendance.objects.count() == 0


def test_scan_of_a_code_of_another_meeting_is_refused(client, token, other_meeting):
    registration = RegistrationFactory(meeting=other_meeting, status=RegistrationStatus.APPROVED)

    response = send(client, token, [item(registration)])

    result = response.json()["results"][0]
    assert (result["outcome"], result["message"]) == (
        "other_meeting",
        "Another meeting: this code is not for this one.",
    )
    assert Attendance.objects.count() == 0


@pytest.mark.parametrize(
    ("code", "outcome", "message"),
    [
        ("https://example.org/menu", "garbage", "Not a Convene code."),
        (
            "1.AWA2031X.1:forgedsignature",
            "tampered",
            "Altered: this code was not issued by Convene.",
        ),
    ],
)
def test_scan_of_a_foreign_or_altered_code_is_refused(client, token, code, outcome, message):
    response = send(client, token, [item(code=code)])

    result = response.json()["results"][0]
    assert (result["outcome"], result["admitted"], result["message"]) == (outcome, False, message)
    assert CheckinScan.objects.get().outcome == outcome


def test_reference_found_by_a_search_checks_in(client, token, make_registration):
    registration = make_registration()

    response = send(client, token, [item(reference="awa2031x")])

    assert response.json()["results"][0]["outcome"] == "welcome"
    assert Attendance.objects.get().registration == registration


def test_unknown_reference_answers_unknown(client, token):
    response = send(client, token, [item(reference="NOBODY12")])

    assert response.json()["results"][0]["outcome"] == "unknown"


def test_scan_on_a_day_outside_the_meeting_answers_not_today(client, token, make_registration):
    registration = make_registration()

    response = send(client, token, [item(registration, scanned_at="2031-08-31T09:00:00Z")])

    assert response.json()["results"][0]["outcome"] == "not_today"
    assert Attendance.objects.count() == 0


def test_batch_answers_in_the_order_sent(client, token, make_registration):
    first = make_registration()
    second = make_registration(first_name="Moussa", email="m@example.org", reference="MOU2031X")
    sent = [item(second), item(code="garbage"), item(first), item(second)]

    response = send(client, token, sent)

    results = response.json()["results"]
    assert [r["id"] for r in results] == [s["id"] for s in sent]
    assert [r["outcome"] for r in results] == ["welcome", "garbage", "welcome", "already_in"]
    assert Attendance.objects.count() == 2


def test_replayed_batch_answers_the_same_and_changes_nothing(client, token, make_registration):
    registration = make_registration()
    sent = [item(registration), item(code="garbage")]
    first = send(client, token, sent).json()["results"]

    again = send(client, token, sent).json()["results"]

    assert again == [{**result, "replayed": True} for result in first]
    assert CheckinScan.objects.count() == 2
    assert Attendance.objects.count() == 1


def test_answers_in_french_with_accept_language_fr(client, token, make_registration):
    registration = make_registration()
    send(client, token, [item(registration)])

    response = send(
        client, token, [item(registration), item(code="garbage")], language="fr-FR,fr;q=0.9"
    )

    assert [r["message"] for r in response.json()["results"]] == [
        "Awa Ndiaye : déjà enregistré(e) à 09:12 par Gate scanner",
        "Ce n’est pas un code Convene.",
    ]


# --- the token -------------------------------------------------------------------------


def test_token_is_kept_only_as_its_hash(scanner):
    device, token = scanner

    stored = CheckinDevice.objects.filter(pk=device.pk).values().get()

    assert stored["token_hash"] == sha256_hex(token)
    assert [name for name, value in stored.items() if token in str(value)] == []


@pytest.mark.parametrize(
    ("headers", "detail"),
    [
        ({}, "Send the device's token in the header: Authorization: Bearer <token>."),
        (
            {"HTTP_AUTHORIZATION": "Basic dXNlcjpwYXNz"},
            "Send the device's token in the header: Authorization: Bearer <token>.",
        ),
        ({"HTTP_AUTHORIZATION": "Bearer not-the-token"}, "This token is not valid."),
        ({"HTTP_AUTHORIZATION": "Bearer " + "x" * 500}, "This token is not valid."),
        ({"HTTP_AUTHORIZATION": "Bearer two words"}, "This token is not valid."),
    ],
)
def test_missing_or_wrong_token_answers_401(client, scanner, make_registration, headers, detail):
    body = json.dumps({"checkins": [item(make_registration())]})

    response = client.post(SCANS, body, content_type="application/json", **headers)

    assert response.status_code == 401
    assert response.json() == {"detail": detail}
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert CheckinScan.objects.count() == 0


@pytest.mark.parametrize("path", [ROSTER, DEVICE])
def test_reads_without_a_token_answer_401(client, scanner, path):
    response = client.get(path)

    assert response.status_code == 401


def test_revoked_device_is_refused_with_403(client, scanner, officer, make_registration):
    device, token = scanner
    revoke_checkin_device(device, actor=officer)

    responses = [
        send(client, token, [item(make_registration())]),
        client.get(ROSTER, **_auth(token)),
    ]

    assert [r.status_code for r in responses] == [403, 403]
    assert responses[0].json() == {
        "detail": "This device has been revoked: ask the Secretariat for a new token.",
        "code": "revoked",
    }
    assert CheckinScan.objects.count() == 0


def test_revoked_device_is_told_in_french(client, scanner, officer):
    device, token = scanner
    revoke_checkin_device(device, actor=officer)

    response = client.get(DEVICE, HTTP_ACCEPT_LANGUAGE="fr", **_auth(token))

    assert response.json()["detail"] == (
        "Cet appareil a été révoqué : demandez un nouveau jeton au Secrétariat."
    )


def test_device_of_another_meeting_checks_no_one_in_here(
    client, other_meeting, officer, make_registration
):
    _device, other_token = issue_checkin_api_token(other_meeting, actor=officer, name="Paris gate")

    response = send(client, other_token, [item(make_registration())])

    assert response.json()["results"][0]["outcome"] == "other_meeting"
    assert Attendance.objects.count() == 0


def test_over_the_device_rate_answers_429(client, token, settings, monkeypatch):
    settings.CHECKIN_API_RATE_LIMIT = "2/m"
    monkeypatch.setattr(timezone, "now", REAL_NOW)

    statuses = [send(client, token, [item(code="garbage")]).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
    assert CheckinScan.objects.count() == 2


# --- refused bodies --------------------------------------------------------------------


def _refused(client, token, body) -> dict:
    response = client.post(SCANS, json.dumps(body), content_type="application/json", **_auth(token))
    assert response.status_code == 400
    assert (CheckinScan.objects.count(), Attendance.objects.count()) == (0, 0)
    return response.json()


def test_body_that_is_not_an_object_is_refused(client, token):
    assert _refused(client, token, [1, 2]) == {"non_field_errors": ["Send a JSON object."]}


@pytest.mark.parametrize(
    ("checkins", "errors"),
    [
        (None, {"checkins": ["This field may not be null."]}),
        ([], {"checkins": {"non_field_errors": ["Ensure this field has at least 1 elements."]}}),
        (
            "all of them",
            {"checkins": {"non_field_errors": ['Expected a list of items but got type "str".']}},
        ),
    ],
)
def test_batch_without_check_ins_is_refused(client, token, checkins, errors):
    assert _refused(client, token, {"checkins": checkins}) == errors


def test_batch_over_two_hundred_is_refused(client, token):
    batch = [item(code="garbage") for _ in range(201)]

    assert _refused(client, token, {"checkins": batch}) == {
        "checkins": {"non_field_errors": ["Ensure this field has no more than 200 elements."]}
    }


def test_one_invalid_item_refuses_the_whole_batch_with_errors_per_item(
    client, token, make_registration
):
    registration = make_registration()
    body = {
        "queued": 2,
        "checkins": [
            item(registration),
            item(registration, client_id="not-a-uuid"),
            item(registration, scanned_at="2031-09-01T09:12:00"),
            item(registration, reference="AWA2031X"),
            {"id": str(uuid.uuid4()), "scanned_at": AT_0912},
            item(code=12345),
            item(registration, scanned_at=1788253920),
            "a scan",
        ],
    }

    errors = _refused(client, token, body)

    # Keyed by the item's place in the batch (from 0); the valid ones are not listed.
    assert errors == {
        "checkins": {
            "1": {"id": ["Must be a valid UUID."]},
            "2": {
                "scanned_at": [
                    "Give the time with its offset from UTC, e.g. 2031-09-01T09:12:00+00:00."
                ]
            },
            "3": {"non_field_errors": ["Send either a code or a reference, not both nor neither."]},
            "4": {"non_field_errors": ["Send either a code or a reference, not both nor neither."]},
            "5": {"code": ["Send text here, not a number."]},
            "6": {"scanned_at": ["Send a date and time as text (ISO 8601), not a number."]},
            "7": {"non_field_errors": ["Invalid data. Expected a dictionary, but got str."]},
        }
    }


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("id", 42, "Send a UUID as text here, not a number."),
        (
            "scanned_at",
            "yesterday",
            "Enter a date and time in ISO 8601, e.g. 2031-09-01T09:12:00+00:00.",
        ),
        (
            "scanned_at",
            "2031-13-45T09:00:00Z",
            "Enter a date and time in ISO 8601, e.g. 2031-09-01T09:12:00+00:00.",
        ),
        ("code", "x" * 501, "Ensure this field has no more than 500 characters."),
    ],
)
def test_item_of_the_wrong_kind_is_refused(client, token, make_registration, field, value, message):
    sent = item(make_registration())
    sent[field] = value

    assert _refused(client, token, {"checkins": [sent]}) == {"checkins": {"0": {field: [message]}}}


@pytest.mark.parametrize(
    ("queued", "message"),
    [
        ("3", "Send a whole number here, not text."),
        (True, "Send a whole number here, not true or false."),
        (-1, "Ensure this value is greater than or equal to 0."),
    ],
)
def test_queued_count_of_the_wrong_kind_is_refused(client, token, queued, message):
    body = {"queued": queued, "checkins": [item(code="garbage")]}

    assert _refused(client, token, body) == {"queued": [message]}


def test_refusals_of_a_batch_in_french(client, token):
    body = {"checkins": [item(code="garbage", scanned_at="2031-09-01T09:12:00")]}

    response = client.post(
        SCANS,
        json.dumps(body),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="fr",
        **_auth(token),
    )

    assert response.json() == {
        "checkins": {
            "0": {
                "scanned_at": [
                    "Donnez l’heure avec son décalage par rapport à UTC, "
                    "par exemple 2031-09-01T09:12:00+00:00."
                ]
            }
        }
    }


# --- the roster and the device ---------------------------------------------------------


def test_roster_lists_the_approved_delegates_and_nothing_more(client, token, make_registration):
    registration = make_registration()
    make_registration(
        status=RegistrationStatus.CANCELLED, email="c@example.org", reference="CAN2031X"
    )

    response = client.get(ROSTER, **_auth(token))

    assert response.status_code == 200
    assert response.json() == {
        "meeting": {
            "slug": "dakar-workshop",
            "title": "Dakar workshop",
            "title_en": "Dakar workshop",
            "title_fr": "Atelier de Dakar",
            "time_zone": registration.meeting.time_zone,
            "days": ["2031-09-01", "2031-09-02"],
        },
        "roster": [
            {
                "reference": "AWA2031X",
                "name": "Awa Ndiaye",
                "delegation": "Senegal",
                "token_hash": sha256_hex(make_confirmation_token(registration)),
            }
        ],
    }
    assert response.headers["Cache-Control"] == "private, no-cache"
    assert response.headers["ETag"].startswith('"')


def test_roster_unchanged_answers_304(client, token, make_registration):
    make_registration()
    etag = client.get(ROSTER, **_auth(token)).headers["ETag"]

    response = client.get(ROSTER, HTTP_IF_NONE_MATCH=etag, **_auth(token))

    assert response.status_code == 304
    assert response.content == b""
    assert response.headers["ETag"] == etag


def test_roster_with_a_new_approved_delegate_answers_200_again(client, token, make_registration):
    make_registration()
    etag = client.get(ROSTER, **_auth(token)).headers["ETag"]
    make_registration(first_name="Moussa", email="m@example.org", reference="MOU2031X")

    response = client.get(ROSTER, HTTP_IF_NONE_MATCH=etag, **_auth(token))

    assert response.status_code == 200
    assert response.headers["ETag"] != etag
    assert [entry["reference"] for entry in response.json()["roster"]] == ["AWA2031X", "MOU2031X"]


def test_roster_in_another_language_has_another_etag(client, token, make_registration):
    make_registration()
    english = client.get(ROSTER, **_auth(token))

    french = client.get(
        ROSTER,
        HTTP_IF_NONE_MATCH=english.headers["ETag"],
        HTTP_ACCEPT_LANGUAGE="fr",
        **_auth(token),
    )

    assert french.status_code == 200
    assert french.json()["meeting"]["title"] == "Atelier de Dakar"
    assert french.json()["roster"][0]["delegation"] == "Sénégal"


def test_device_says_its_name_meeting_and_last_contact(client, scanner):
    _device, token = scanner

    first = client.get(DEVICE, **_auth(token)).json()
    second = client.get(DEVICE, **_auth(token)).json()

    assert (first["name"], first["meeting"]["slug"], first["last_contact"], first["queued"]) == (
        "Gate scanner",
        "dakar-workshop",
        None,
        0,
    )
    assert second["last_contact"] == "2031-09-01T12:00:00+00:00"


def test_schema_documents_the_check_in_api_and_its_bearer_token(client):
    response = client.get("/api/v1/schema/")

    schema = yaml.safe_load(response.content)
    assert response.status_code == 200
    assert schema["components"]["securitySchemes"]["checkinDeviceToken"]["scheme"] == "bearer"
    scans = schema["paths"]["/api/v1/check-in/scans/"]["post"]
    assert scans["security"] == [{"checkinDeviceToken": []}]
    assert set(scans["responses"]) == {"200", "400", "401", "403", "429"}
    assert set(schema["paths"]["/api/v1/check-in/roster/"]["get"]["responses"]) == {
        "200",
        "304",
        "401",
        "403",
        "429",
    }
    assert "/api/v1/check-in/device/" in schema["paths"]
    assert set(schema["components"]["schemas"]["CheckinItem"]["required"]) == {"id", "scanned_at"}


def test_contact_is_written_at_most_every_ten_seconds_unless_the_queue_changes(
    client, scanner, on_the_day
):
    device, token = scanner
    devices = CheckinDevice.objects.filter(pk=device.pk)
    five_seconds_ago = on_the_day - datetime.timedelta(seconds=5)
    devices.update(last_seen_at=five_seconds_ago, queued_count=0)

    send(client, token, [item(code="garbage")], queued=0)
    unchanged = devices.values_list("last_seen_at", "queued_count").get()
    send(client, token, [item(code="garbage")], queued=4)
    queue_changed = devices.values_list("last_seen_at", "queued_count").get()
    devices.update(last_seen_at=on_the_day - datetime.timedelta(seconds=11))
    send(client, token, [item(code="garbage")], queued=4)
    stale = devices.values_list("last_seen_at", "queued_count").get()

    assert unchanged == (five_seconds_ago, 0)
    assert queue_changed == (on_the_day, 4)
    assert stale == (on_the_day, 4)


def test_replay_after_the_registration_was_cancelled_answers_as_the_first_time(
    client, token, make_registration
):
    registration = make_registration()
    sent = [item(registration)]
    first = send(client, token, sent).json()["results"][0]
    registration.status = RegistrationStatus.CANCELLED
    registration.save()

    again = send(client, token, sent).json()["results"][0]

    assert again == {**first, "replayed": True}
    assert (CheckinScan.objects.count(), Attendance.objects.count()) == (1, 1)


def test_schema_validates_without_warnings(tmp_path):
    # --fail-on-warn: a field the schema generator cannot type fails the command.
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml")
    )

    schema = yaml.safe_load((tmp_path / "schema.yaml").read_text())
    item = schema["components"]["schemas"]["CheckinItem"]["properties"]
    assert item["scanned_at"]["format"] == "date-time"
