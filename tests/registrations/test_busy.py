"""A meeting's lock held for long, on PostgreSQL: bounded waits, 503 "try again", the rest answers.

Another connection (a stalled transaction, a long back-office action) holds the
meeting's row lock. Those who need it give up after MEETING_LOCK_TIMEOUT_SECONDS with
503 and Retry-After and save nothing; pages that do not need it keep answering. The
control test removes the bound: the request then waits for as long as the lock is held.
"""

import threading
import time

import pytest

from convene.core import locks
from convene.core.errors import TryAgainLater
from convene.meetings.enums import MeetingStatus
from convene.meetings.services import set_meeting_status
from convene.registrations import services
from convene.registrations.enums import RegistrationStatus
from convene.registrations.errors import BusyError
from convene.registrations.models import Registration
from tests.factories.core import SecretariatRoleFactory
from tests.factories.registrations import api_body, form_data, registration_data
from tests.html import parse
from tests.locking import hold_row_lock

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

S = RegistrationStatus
TIMEOUT = 1.0


@pytest.fixture(autouse=True)
def _short_lock_timeout(settings):
    settings.MEETING_LOCK_TIMEOUT_SECONDS = TIMEOUT


@pytest.fixture
def lock_holder(transactional_db):
    """Takes a meeting's row lock in a connection of its own, held until the test ends."""
    holders = []

    def hold(meeting):
        holder = hold_row_lock("meetings_meeting", meeting.pk)
        holders.append(holder)
        return holder

    yield hold
    for holder in holders:
        holder.rollback()
        holder.close()


def _timed(call):
    started = time.monotonic()
    result = call()
    return result, time.monotonic() - started


def test_register_form_while_the_meeting_is_locked_answers_503_with_what_was_typed(
    meeting, senegal, client, lock_holder
):
    client.get(f"/en/meetings/{meeting.slug}/register/")  # the form's templates compiled
    lock_holder(meeting)
    data = form_data(meeting, senegal, first_name="Aminata", email="aminata@example.org")

    response, elapsed = _timed(lambda: client.post(f"/en/meetings/{meeting.slug}/register/", data))

    page = parse(response)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert TIMEOUT <= elapsed < TIMEOUT + 1
    assert page.texts("#form-errors li") == ["Convene is very busy; try again in a moment."]
    assert page.select_one("#id_first_name").attrs["value"] == "Aminata"
    assert page.select_one("#id_email").attrs["value"] == "aminata@example.org"
    assert Registration.objects.count() == 0


def test_register_form_in_french_while_the_meeting_is_locked_says_so_in_french(
    meeting, senegal, client, lock_holder
):
    lock_holder(meeting)

    response = client.post(f"/fr/meetings/{meeting.slug}/register/", form_data(meeting, senegal))

    assert response.status_code == 503
    assert parse(response).texts("#form-errors li") == [
        "Convene est très sollicité ; réessayez dans un instant."
    ]


def test_api_while_the_meeting_is_locked_answers_503_json(meeting, client, lock_holder):
    lock_holder(meeting)

    response, elapsed = _timed(
        lambda: client.post(
            f"/api/v1/meetings/{meeting.slug}/registrations/",
            api_body(),
            content_type="application/json",
            HTTP_ACCEPT_LANGUAGE="en",
        )
    )

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json() == {
        "non_field_errors": ["Convene is very busy; try again in a moment."],
        "code": "busy",
    }
    assert TIMEOUT <= elapsed < TIMEOUT + 1
    assert Registration.objects.count() == 0


def test_healthz_and_public_page_answer_while_the_meeting_is_locked(meeting, client, lock_holder):
    lock_holder(meeting)

    health, health_time = _timed(lambda: client.get("/healthz"))
    page, page_time = _timed(lambda: client.get(f"/en/meetings/{meeting.slug}/"))

    assert (health.status_code, health.json()["status"]) == (200, "ok")
    assert page.status_code == 200
    assert meeting.title_en in page.content.decode()
    assert health_time < TIMEOUT
    assert page_time < TIMEOUT


@pytest.mark.parametrize(
    ("start", "decide"),
    [
        (
            S.AWAITING_SECRETARIAT,
            lambda r, officer: services.approve_registration(r, actor=officer),
        ),
        (
            S.AWAITING_SECRETARIAT,
            lambda r, officer: services.reject_registration(r, actor=officer, reason="No"),
        ),
        (
            S.AWAITING_SECRETARIAT,
            lambda r, officer: services.waitlist_registration(r, actor=officer),
        ),
        (S.APPROVED, lambda r, officer: services.cancel_registration(r, actor=officer)),
        (S.AWAITING_VERIFICATION, lambda r, officer: services.verify_registration_email(r)),
    ],
    ids=["approve", "reject", "waitlist", "cancel", "verify"],
)
def test_decision_while_the_meeting_is_locked_raises_busy_and_changes_nothing(
    start, decide, meeting, senegal, lock_holder
):
    officer = SecretariatRoleFactory().user
    registration = Registration.objects.create(
        meeting=meeting, status=start, **registration_data(meeting, senegal)
    )
    lock_holder(meeting)

    with pytest.raises(BusyError) as raised:
        decide(registration, officer)

    registration.refresh_from_db()
    assert raised.value.code == "busy"
    assert registration.status == start


def test_set_meeting_status_while_the_meeting_is_locked_raises_try_again_later(
    meeting, lock_holder
):
    officer = SecretariatRoleFactory().user
    lock_holder(meeting)

    with pytest.raises(TryAgainLater):
        set_meeting_status(meeting, MeetingStatus.DRAFT, actor=officer)

    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PUBLISHED


def test_lock_released_in_time_lets_the_registration_through(meeting, senegal, lock_holder):
    holder = lock_holder(meeting)
    threading.Timer(TIMEOUT / 2, holder.rollback).start()

    registration = services.submit_registration(meeting, data=registration_data(meeting, senegal))

    assert registration.status == S.AWAITING_SECRETARIAT


def test_register_without_the_bound_waits_as_long_as_the_lock_is_held(
    meeting, senegal, client, lock_holder, monkeypatch
):
    """Control: with the bound removed, the request waits for the holder to finish."""
    monkeypatch.setattr(locks, "bound_lock_waits", lambda: None)
    holder = lock_holder(meeting)
    held = TIMEOUT * 3
    threading.Timer(held, holder.rollback).start()

    response, elapsed = _timed(
        lambda: client.post(f"/en/meetings/{meeting.slug}/register/", form_data(meeting, senegal))
    )

    assert response.status_code == 302
    assert elapsed >= held
