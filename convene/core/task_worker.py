"""The task worker's loop (`manage.py run_task_worker`): runs the tasks queued in the
database, as django_tasks_db's db_worker does, but rides out database errors.

db_worker exits on its first database error (a restart of PostgreSQL, a short outage,
the reset after a killed backend), and email stops until someone restarts it. This
loop closes the connection instead, waits (1 s, doubling up to 30 s) and tries again,
for as long as it takes. Periodic housekeeping requeues the tasks a killed worker left
running and sends the outbox emails whose next attempt is due, so that cron is only a
backstop; it also runs the apps' daily jobs (daily_jobs.py) once a day.
"""

import contextlib
import logging
import time
from datetime import timedelta

from django.db import InterfaceError, OperationalError, connections
from django.utils import timezone
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.compat import TaskResultStatus, task_backends
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from . import outbox
from .daily_jobs import registered_daily_jobs

logger = logging.getLogger(__name__)

# How often a daily job runs, in seconds of the worker's clock.
DAILY = 24 * 60 * 60.0

# Errors of a database that is away or restarting (psycopg reports a reset connection as
# an OperationalError). Others are bugs: they end the task, not the worker's patience.
DATABASE_ERRORS = (OperationalError, InterfaceError)


class ReconnectBackoff:
    """Waits between tries to reach the database: 1, 2, 4 … seconds, at most 30."""

    def __init__(self, *, first: float = 1.0, longest: float = 30.0):
        self.first = first
        self.longest = longest
        self.failures = 0

    def next_delay(self) -> float:
        delay = min(self.first * 2**self.failures, self.longest)
        self.failures += 1
        return delay

    def reset(self) -> None:
        self.failures = 0


class TaskWorker:
    """Run queued tasks until stopped (or for `run_for` seconds); never exit on a database
    error. `sleep` and `clock` are replaceable for tests."""

    def __init__(
        self,
        *,
        worker_id: str,
        backend_name: str = "default",
        queue_names=("default",),
        interval: float = 1.0,
        stale_after: timedelta = timedelta(minutes=10),
        housekeeping_interval: float = 60.0,
        run_for: float | None = None,
        sleep=time.sleep,
        clock=time.monotonic,
    ):
        self.worker_id = worker_id
        self.backend_name = backend_name
        self.queue_names = list(queue_names)
        self.interval = interval
        self.stale_after = stale_after
        self.housekeeping_interval = housekeeping_interval
        self.run_for = run_for
        self.sleep = sleep
        self.clock = clock
        self.backoff = ReconnectBackoff()
        # When each daily job last ran, on `clock`; a job runs at the worker's first
        # housekeeping, then a day after its previous run.
        self.daily_jobs_ran_at: dict[str, float] = {}
        # Without the database backend (embedded mode) tasks run inline in the web
        # process; the worker then only keeps house.
        self.runs_tasks = isinstance(task_backends[backend_name], DatabaseBackend)
        # django_tasks_db's worker runs each task (and records its result) and handles
        # the stop signals: a task under way finishes first.
        self.tasks = Worker(
            queue_names=self.queue_names,
            interval=interval,
            batch=False,
            backend_name=backend_name,
            startup_delay=False,
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        )

    def run(self) -> None:
        logger.info("Task worker %s started", self.worker_id)
        deadline = None if self.run_for is None else self.clock() + self.run_for
        next_housekeeping = self.clock()
        while self.tasks.running and (deadline is None or self.clock() < deadline):
            try:
                if self.clock() >= next_housekeeping:
                    self.keep_house()
                    next_housekeeping = self.clock() + self.housekeeping_interval
                ran = self.run_next_task() if self.runs_tasks else False
            except DATABASE_ERRORS as error:
                delay = self.backoff.next_delay()
                logger.warning("Database error (%s); reconnecting in %g s", error, delay)
                close_connections()
                self._wait(delay, deadline)
                continue
            if self.backoff.failures:
                logger.info("Database reachable again")
                self.backoff.reset()
            if not ran:
                self._wait(self.interval, deadline)
        logger.info("Task worker %s stopped", self.worker_id)

    def run_next_task(self) -> bool:
        """Claim and run the next ready task; False when there was none."""
        ready = DBTaskResult.objects.ready().filter(
            backend_name=self.backend_name, queue_name__in=self.queue_names
        )
        with exclusive_transaction(ready.db):
            task_result = ready.get_locked()
            if task_result is not None:
                task_result.claim(self.worker_id)
        if task_result is None:
            return False
        self.tasks.run_task(task_result)
        # run_task records a failure to save the result as the task's own failure, and
        # re-raises only when that fails too: the task then stays running, and the next
        # housekeeping requeues it (it ran under this worker's id).
        return True

    def keep_house(self) -> None:
        """Requeue abandoned tasks and send the emails due. A stop signal waits for it."""
        self.tasks.running_task = True
        try:
            if self.runs_tasks:
                requeue_abandoned_tasks(
                    worker_id=self.worker_id,
                    stale_after=self.stale_after,
                    backend_name=self.backend_name,
                )
            sent = outbox.send_due_emails()
            if sent:
                logger.info("%d email(s) sent on retry", sent)
            self.run_daily_jobs()
        except DATABASE_ERRORS:
            raise
        except Exception:  # a bug in one email's rendering must not stop the tasks
            logger.exception("Housekeeping failed")
        finally:
            self.tasks.running_task = False

    def run_daily_jobs(self) -> list[str]:
        """Run the daily jobs not run for a day; returns their names. A job that fails
        is logged and tried again at the next housekeeping, the others still run."""
        ran = []
        for name, job in registered_daily_jobs().items():
            last = self.daily_jobs_ran_at.get(name)
            if last is not None and self.clock() - last < DAILY:
                continue
            try:
                job()
            except DATABASE_ERRORS:
                raise
            except Exception:
                logger.exception("Daily job %s failed", name)
                continue
            self.daily_jobs_ran_at[name] = self.clock()
            ran.append(name)
        return ran

    def _wait(self, seconds: float, deadline: float | None) -> None:
        if deadline is not None:
            seconds = min(seconds, max(deadline - self.clock(), 0))
        if seconds > 0:
            self.sleep(seconds)


def requeue_abandoned_tasks(*, worker_id: str, stale_after: timedelta, backend_name: str) -> int:
    """Make ready again the tasks left running by a worker that died: those running
    longer than `stale_after`, and those this worker's id claimed last (a worker runs
    one task at a time, so between tasks any such task is from its previous, killed
    run under the same id). Returns how many. The tasks of Convene are safe to run
    twice (an outbox email is sent once)."""
    cutoff = timezone.now() - stale_after
    running = DBTaskResult.objects.running().filter(backend_name=backend_name)
    abandoned = [
        task.pk
        for task in running.only("id", "started_at", "worker_ids")
        if (task.started_at is not None and task.started_at < cutoff)
        or (task.worker_ids and task.worker_ids[-1] == worker_id)
    ]
    if not abandoned:
        return 0
    count = running.filter(pk__in=abandoned).update(status=TaskResultStatus.READY, started_at=None)
    logger.warning("Requeued %d task(s) left running by a stopped worker", count)
    return count


def close_connections() -> None:
    """Drop the broken connections; the next query opens a new one."""
    for connection in connections.all(initialized_only=True):
        with contextlib.suppress(*DATABASE_ERRORS):  # already gone
            connection.close()
