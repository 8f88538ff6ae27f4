import signal
from argparse import ArgumentTypeError
from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils.crypto import get_random_string

from convene.core.encryption import verify_encrypted_data
from convene.core.task_worker import TaskWorker

STOP_SIGNALS = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]


def positive_seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        raise ArgumentTypeError(f"not a number of seconds: {value!r}") from None
    if not seconds > 0 or seconds == float("inf"):
        raise ArgumentTypeError(f"not a positive number of seconds: {value!r}")
    return seconds


def worker_id(value: str) -> str:
    if not 0 < len(value) <= 64:
        raise ArgumentTypeError("a worker id has 1 to 64 characters")
    return value


class Command(BaseCommand):
    help = (
        "Run queued tasks (emails) until stopped. Rides out database errors (reconnects "
        "with a growing wait), requeues tasks a killed worker left running, and retries "
        "the outbox emails whose next attempt is due. Run it under a supervisor."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--run-for",
            type=positive_seconds,
            default=None,
            help="Stop after this many seconds (default: run until stopped).",
        )
        parser.add_argument(
            "--stale-after",
            type=positive_seconds,
            default=600.0,
            help="Requeue a task left running longer than this many seconds (default: 600).",
        )
        parser.add_argument(
            "--housekeeping-interval",
            type=positive_seconds,
            default=60.0,
            help="Seconds between requeueing abandoned tasks and retrying emails (default: 60).",
        )
        parser.add_argument(
            "--interval",
            type=positive_seconds,
            default=1.0,
            help="Seconds to wait when no task is ready (default: 1).",
        )
        parser.add_argument(
            "--worker-id",
            type=worker_id,
            default=None,
            help="Unique among the running workers; a fixed one lets a restarted worker "
            "requeue at once the task it was killed in (default: random).",
        )
        parser.add_argument("--queue-name", default="default", help="Queue to run (default).")

    def handle(self, *args, **options):
        # Wrong or missing keys of the passport data stop the worker before it erases or
        # sends anything.
        verify_encrypted_data()
        worker = TaskWorker(
            worker_id=options["worker_id"] or get_random_string(32),
            queue_names=[options["queue_name"]],
            interval=options["interval"],
            stale_after=timedelta(seconds=options["stale_after"]),
            housekeeping_interval=options["housekeeping_interval"],
            run_for=options["run_for"],
        )
        # A stop signal lets the task under way finish; the previous handlers come back
        # afterwards (for a caller in the same process, such as a test).
        previous = {number: signal.getsignal(number) for number in STOP_SIGNALS}
        worker.tasks.configure_signals()
        try:
            worker.run()
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)
