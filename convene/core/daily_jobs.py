"""Work the task worker does once a day, such as erasing personal data kept past its
time. Core imports no app: each app registers its jobs from its AppConfig.ready, and the
worker's housekeeping (task_worker.TaskWorker.keep_house) runs each at most once a day.
"""

from collections.abc import Callable

_jobs: dict[str, Callable[[], object]] = {}


def register_daily_job(name: str, run: Callable[[], object]) -> None:
    """Make `run()` a daily job; `name` identifies it in logs (registering it again
    replaces it). It must be safe to run again: a restarted worker runs it at once."""
    _jobs[name] = run


def registered_daily_jobs() -> dict[str, Callable[[], object]]:
    return dict(sorted(_jobs.items()))
