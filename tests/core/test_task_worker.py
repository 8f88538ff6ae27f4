"""The task worker (convene.core.task_worker, `manage.py run_task_worker`): rides out
database errors, requeues abandoned tasks, retries due emails. The fault test at the
end runs the worker in a process of its own against PostgreSQL."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import OperationalError, connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from convene.core import outbox, task_worker
from convene.registrations.models import Notification
from convene.registrations.tasks import deliver_notifications_task
from tests.conftest import PASSPORT_TEST_KEY
from tests.factories.meetings import MeetingFactory
from tests.factories.registrations import RegistrationFactory

BASE_DIR = Path(__file__).resolve().parent.parent.parent


class FakeTime:
    """A clock that moves only when the worker sleeps."""

    def __init__(self):
        self.now = 0.0
        self.sleeps = []

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def closed(monkeypatch):
    """Counts the worker's reconnections (the test's own connection stays open)."""
    calls = []
    monkeypatch.setattr(task_worker, "close_connections", lambda: calls.append(1))
    return calls


def _worker(fake_time, **options):
    options = {"worker_id": "worker-new", "run_for": 10.0, **options}
    return task_worker.TaskWorker(sleep=fake_time.sleep, clock=fake_time.clock, **options)


def _pending_email():
    registration = RegistrationFactory(meeting=MeetingFactory())
    return Notification.objects.create(
        registration=registration,
        event="received",
        recipient=registration.email,
        language="en",
    )


def _running_task(*, worker_id, started_minutes_ago):
    result = deliver_notifications_task.enqueue()
    DBTaskResult.objects.filter(pk=result.id).update(
        status="RUNNING",
        worker_ids=[worker_id],
        started_at=timezone.now() - timedelta(minutes=started_minutes_ago),
    )
    return result.id


def _task(task_id):
    return DBTaskResult.objects.values_list("status", "worker_ids").get(pk=task_id)


def test_reconnect_backoff_doubles_from_one_second_up_to_thirty():
    backoff = task_worker.ReconnectBackoff()

    delays = [backoff.next_delay() for _ in range(7)]
    backoff.reset()

    assert delays == [1, 2, 4, 8, 16, 30, 30]
    assert backoff.next_delay() == 1


@pytest.mark.django_db
def test_worker_rides_out_database_errors_then_sends_the_queued_email(
    database_tasks, closed, monkeypatch
):
    email = _pending_email()
    task_id = deliver_notifications_task.enqueue().id
    errors = iter([OperationalError("server closed the connection unexpectedly")] * 4)
    real_send_due_emails = outbox.send_due_emails

    def failing_then_answering():
        error = next(errors, None)
        if error:
            raise error
        return real_send_due_emails()

    monkeypatch.setattr(outbox, "send_due_emails", failing_then_answering)
    fake_time = FakeTime()

    _worker(fake_time, run_for=20.0, housekeeping_interval=60.0).run()

    assert fake_time.sleeps[:4] == [1, 2, 4, 8]
    assert len(closed) == 4
    assert _task(task_id) == ("SUCCESSFUL", ["worker-new"])
    assert Notification.objects.get(pk=email.pk).sent_at is not None
    assert [message.to for message in mail.outbox] == [[email.recipient]]


@pytest.mark.django_db
def test_worker_waits_thirty_seconds_at_most_and_never_exits_on_database_errors(
    database_tasks, closed, monkeypatch
):
    def unreachable():
        raise OperationalError("connection refused")

    monkeypatch.setattr(outbox, "send_due_emails", unreachable)
    fake_time = FakeTime()

    _worker(fake_time, run_for=200.0).run()

    assert fake_time.sleeps == [1, 2, 4, 8, 16, 30, 30, 30, 30, 30, 19]
    assert len(closed) == 11


@pytest.mark.django_db
def test_worker_runs_again_a_task_a_dead_worker_left_running(database_tasks):
    abandoned = _running_task(worker_id="worker-dead", started_minutes_ago=11)
    under_way = _running_task(worker_id="worker-alive", started_minutes_ago=1)

    _worker(FakeTime(), stale_after=timedelta(minutes=10)).run()

    assert _task(abandoned) == ("SUCCESSFUL", ["worker-dead", "worker-new"])
    assert _task(under_way) == ("RUNNING", ["worker-alive"])


@pytest.mark.django_db
def test_worker_runs_again_at_once_the_task_its_own_id_was_killed_in(database_tasks):
    killed_in = _running_task(worker_id="worker-1", started_minutes_ago=1)

    _worker(FakeTime(), worker_id="worker-1", stale_after=timedelta(minutes=10)).run()

    assert _task(killed_in) == ("SUCCESSFUL", ["worker-1", "worker-1"])


@pytest.mark.django_db
def test_worker_housekeeping_retries_the_due_emails_periodically(monkeypatch):
    due = _pending_email()
    not_due = _pending_email()
    Notification.objects.filter(pk=due.pk).update(attempts=1, next_attempt_at=timezone.now())
    Notification.objects.filter(pk=not_due.pk).update(
        attempts=1, next_attempt_at=timezone.now() + timedelta(hours=1)
    )
    fake_time = FakeTime()
    rounds = []
    real_send_due_emails = outbox.send_due_emails

    def send_due_emails():
        rounds.append(fake_time.now)
        return real_send_due_emails()

    monkeypatch.setattr(outbox, "send_due_emails", send_due_emails)

    _worker(fake_time, run_for=5.0, housekeeping_interval=2.0).run()

    assert rounds == [0.0, 2.0, 4.0]
    assert [message.to for message in mail.outbox] == [[due.recipient]]
    assert Notification.objects.get(pk=not_due.pk).sent_at is None


def test_run_task_worker_refuses_a_stale_threshold_of_zero():
    with pytest.raises(CommandError) as refused:
        call_command("run_task_worker", "--stale-after", "0")

    assert "not a positive number of seconds: '0'" in str(refused.value)


@pytest.mark.django_db
def test_run_task_worker_stops_after_run_for(capsys):
    started = time.monotonic()

    call_command("run_task_worker", "--run-for", "0.3", "--worker-id", "worker-test")

    assert 0.3 <= time.monotonic() - started < 5


# --- a real outage, on PostgreSQL ----------------------------------------------------------


def _admin_cursor():
    """A connection to the server's maintenance database, to switch the test one off."""
    import psycopg

    settings_dict = connection.settings_dict
    admin = psycopg.connect(
        dbname="postgres",
        user=settings_dict["USER"],
        password=settings_dict["PASSWORD"] or None,
        host=settings_dict["HOST"],
        port=settings_dict["PORT"] or 5432,
        autocommit=True,
    )
    return admin


def _wait_for(condition, *, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_worker_survives_a_database_outage_and_sends_the_email_queued_during_it(
    tmp_path, settings, database_tasks
):
    settings_dict = connection.settings_dict
    name = settings_dict["NAME"]
    url = (
        f"postgres://{settings_dict['USER']}:{settings_dict['PASSWORD'] or ''}"
        f"@{settings_dict['HOST']}:{settings_dict['PORT'] or 5432}/{name}"
    )
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "TASKS_BACKEND": "database",
        "VAR_DIR": str(tmp_path),
        "EMAIL_URL": "",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        # Production settings on PostgreSQL: the worker refuses to start without them.
        "PASSPORT_DATA_KEYS": PASSPORT_TEST_KEY,
    }
    log = (tmp_path / "worker.log").open("w+")
    command = [sys.executable, "manage.py", "run_task_worker", "--run-for", "60"]
    command += ["--housekeeping-interval", "600", "--interval", "0.2", "--worker-id", "fault"]
    worker = subprocess.Popen(
        command,
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    own_pid = connection.cursor().connection.info.backend_pid
    admin = _admin_cursor()
    try:
        assert _wait_for(lambda: "started" in (tmp_path / "worker.log").read_text(), timeout=20)
        time.sleep(0.5)

        admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = %s AND pid <> %s",
            [name, own_pid],
        )
        # During the outage, a registration's email is queued (on a connection opened
        # before it) with the task that delivers it.
        email = _pending_email()
        task_id = deliver_notifications_task.enqueue().id
        time.sleep(3)
        admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')

        sent = _wait_for(
            lambda: Notification.objects.get(pk=email.pk).sent_at is not None, timeout=40
        )
        alive = worker.poll() is None
    finally:
        admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        admin.close()
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)
    output = (tmp_path / "worker.log").read_text()

    assert (sent, alive) == (True, True), output
    assert "Database error" in output
    assert "Database reachable again" in output
    assert DBTaskResult.objects.get(pk=task_id).status == "SUCCESSFUL"
    mail_files = (tmp_path / "mail").iterdir()
    assert [path.read_text().count(f"To: {email.recipient}") for path in mail_files] == [1]


@pytest.fixture
def counted_jobs(monkeypatch):
    """Two daily jobs counting their runs, the first failing while told to."""
    from convene.core import daily_jobs

    monkeypatch.setattr(daily_jobs, "_jobs", {})
    runs = {"a.failing": 0, "b.counting": 0}
    failing = {"now": False}

    def failing_job():
        runs["a.failing"] += 1
        if failing["now"]:
            raise ValueError("broken")

    def counting_job():
        runs["b.counting"] += 1

    daily_jobs.register_daily_job("a.failing", failing_job)
    daily_jobs.register_daily_job("b.counting", counting_job)
    return runs, failing


@pytest.mark.django_db
def test_daily_jobs_run_at_the_first_housekeeping_then_once_a_day(counted_jobs):
    runs, _failing = counted_jobs
    fake_time = FakeTime()
    worker = _worker(fake_time)

    worker.keep_house()
    fake_time.now += 60
    worker.keep_house()
    fake_time.now += task_worker.DAILY - 61
    worker.keep_house()

    assert runs == {"a.failing": 1, "b.counting": 1}

    fake_time.now += 1
    worker.keep_house()

    assert runs == {"a.failing": 2, "b.counting": 2}


@pytest.mark.django_db
def test_a_failing_daily_job_is_tried_again_and_does_not_stop_the_others(counted_jobs, caplog):
    runs, failing = counted_jobs
    failing["now"] = True
    fake_time = FakeTime()
    worker = _worker(fake_time)

    assert worker.run_daily_jobs() == ["b.counting"]
    failing["now"] = False
    fake_time.now += 60

    assert worker.run_daily_jobs() == ["a.failing"]
    assert runs == {"a.failing": 2, "b.counting": 1}
    assert "Daily job a.failing failed" in caplog.text
