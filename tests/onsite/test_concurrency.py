"""Two people printing the same badge at once on PostgreSQL: one is a first print, the
other a reprint asked for its reason. The control test removes the meeting's lock and
then both pass as first prints, which shows the first test would catch a missing lock.
Likewise two officers reminding a meeting's delegates at once remind each one once."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from convene.onsite import services
from convene.onsite.errors import BadgeError, TravelError
from convene.onsite.models import BadgePrint, OnsiteEmail

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def slow_read(monkeypatch):
    """Widen the window between reading earlier prints and writing this one."""
    read = services.registrations_printed_before

    def read_slowly(registrations):
        found = read(registrations)
        time.sleep(0.3)
        return found

    monkeypatch.setattr(services, "registrations_printed_before", read_slowly)


def _print_twice_at_once(meeting, registration, actor) -> list[str]:
    barrier = threading.Barrier(2)

    def print_once(_n):
        try:
            barrier.wait(timeout=30)
            services.record_badge_print(
                meeting, registrations=[registration], actor=actor, layout="a6"
            )
            return "printed"
        except BadgeError as error:
            return error.code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        return sorted(pool.map(print_once, range(2)))


def test_simultaneous_first_prints_make_one_print_and_one_reprint_request(
    meeting, approved, secretariat_officer, slow_read
):
    results = _print_twice_at_once(meeting, approved, secretariat_officer)

    assert results == ["printed", "reason_required"]
    assert list(BadgePrint.objects.values_list("is_reprint", flat=True)) == [False]


def test_control_without_the_lock_both_pass_as_first_prints(
    meeting, approved, secretariat_officer, slow_read, monkeypatch
):
    monkeypatch.setattr(services, "_lock_meeting", lambda meeting: None)

    results = _print_twice_at_once(meeting, approved, secretariat_officer)

    assert results == ["printed", "printed"]
    assert BadgePrint.objects.count() == 2


# --- two officers pressing "Remind them all" at once -------------------------------------


@pytest.fixture
def slow_reminder_read(monkeypatch):
    """Widen the window between reading who was reminded and writing the new reminders."""
    read = services.registrations_without_travel

    def read_slowly(meeting):
        found = list(read(meeting))
        time.sleep(0.3)
        return found

    monkeypatch.setattr(services, "registrations_without_travel", read_slowly)


def _remind_twice_at_once(meeting, actor) -> list[str]:
    barrier = threading.Barrier(2)

    def remind_once(_n):
        try:
            barrier.wait(timeout=30)
            done = services.remind_travel_details(meeting, actor=actor)
            return f"queued {done.queued}"
        except TravelError as error:
            return error.code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        return sorted(pool.map(remind_once, range(2)))


def test_simultaneous_reminders_remind_each_delegate_once(
    meeting, approved, secretariat_officer, slow_reminder_read
):
    results = _remind_twice_at_once(meeting, secretariat_officer)

    assert results == ["queued 1", "recent"]
    assert list(OnsiteEmail.objects.values_list("registration_id", flat=True)) == [approved.pk]


def test_control_without_the_lock_both_remind(
    meeting, approved, secretariat_officer, slow_reminder_read, monkeypatch
):
    monkeypatch.setattr(services, "_lock_meeting", lambda meeting: None)

    results = _remind_twice_at_once(meeting, secretariat_officer)

    assert results == ["queued 1", "queued 1"]
    assert OnsiteEmail.objects.filter(registration=approved).count() == 2
