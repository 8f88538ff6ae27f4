"""The public rate limit holds across app processes: gunicorn with three workers, as
deployed, counts 30 posts a minute per client, not 30 per worker.

Each test serves a copy of a migrated SQLite database with gunicorn in a subprocess and
fires 31 registrations at once from one client address, so that every worker takes some.
"""

import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django_ratelimit.core import _get_window

ROOT = Path(__file__).resolve().parent.parent.parent
REDIS_TEST_URL = "redis://127.0.0.1:6379/15"
LIMIT = 30
SLUG = "rush-meeting"

# Creates the open meeting that the posts register for, in the subprocess's database.
CREATE_MEETING = f"""
import datetime
from django.utils import timezone
from convene.dialogues.selectors import current_dialogue
from convene.meetings.enums import ApprovalMode
from tests.factories.meetings import MeetingFactory
now = timezone.now()
MeetingFactory(
    dialogue=current_dialogue(), slug="{SLUG}", published=True,
    approval_mode=ApprovalMode.FIRST_COME, email_verification_required=False,
    registration_opens_at=now - datetime.timedelta(days=1),
    registration_closes_at=now + datetime.timedelta(days=30),
)
"""


def _environment(var_dir: Path, **variables) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "EMAIL_URL", "TASKS_BACKEND", "PORT"}
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "VAR_DIR": str(var_dir),
            "DATABASE_URL": f"sqlite:///{var_dir / 'convene.sqlite3'}",
            "REGISTRATION_RATE_LIMIT": f"{LIMIT}/m",
            "TRUST_X_FORWARDED_FOR": "false",
            "GUNICORN_ACCESS_LOG": "",
            "WEB_CONCURRENCY": "3",
            "HOST": "127.0.0.1",
        }
    )
    env.update(variables)
    return env


def _manage(env: dict, *arguments: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def migrated_database(tmp_path_factory) -> Path:
    """A migrated SQLite database with reference data and an open meeting, to copy."""
    var_dir = tmp_path_factory.mktemp("template")
    env = _environment(var_dir)
    _manage(env, "migrate", "--noinput")
    _manage(env, "load_reference_data")
    _manage(env, "shell", "-c", CREATE_MEETING)
    return var_dir / "convene.sqlite3"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def serve(migrated_database, tmp_path):
    """Start gunicorn with three workers on a copy of the database; returns its URL."""
    processes = []

    def start(**variables) -> str:
        shutil.copy(migrated_database, tmp_path / "convene.sqlite3")
        port = _free_port()
        env = _environment(tmp_path, PORT=str(port), **variables)
        command = [sys.executable, "-m", "gunicorn", "--config", "config/gunicorn.conf.py"]
        server = subprocess.Popen(
            [*command, "config.wsgi"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        processes.append(server)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=5):  # noqa: S310
                    return url
            except OSError:
                time.sleep(0.3)
        pytest.fail("gunicorn did not answer /healthz within 60 seconds")

    yield start
    for server in processes:
        server.terminate()
        server.wait(timeout=30)


def _body(index: int) -> dict:
    return {
        "first_name": f"Delegate{index}",
        "last_name": "Rush",
        "email": f"rush{index}@example.org",
        "phone": "+221771234567",
        "delegation": ["SN", "FR", "ML", "NE", "BE", "ES", "IT", "PT", "MA", "NG"][index % 10],
        "institution": "Ministry",
        "function": "Officer",
        "level_of_government": "national",
        "role": "member",
        "language": "en",
        "consent": True,
    }


def _post_all_at_once(url: str, count: int) -> list[int]:
    """POST `count` registrations at once; returns the status codes, sorted."""
    # The limit counts per window of a minute: start early enough in one to end in it.
    left = _get_window("127.0.0.1", 60) - time.time()
    if left < 10:
        time.sleep(left + 1)
    barrier = threading.Barrier(count)

    def post(index):
        request = urllib.request.Request(  # noqa: S310 - the local server's http URL
            f"{url}/api/v1/meetings/{SLUG}/registrations/",
            data=json.dumps(_body(index)).encode(),
            headers={"Content-Type": "application/json"},
        )
        barrier.wait(timeout=30)
        try:
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    with ThreadPoolExecutor(max_workers=count) as pool:
        return sorted(pool.map(post, range(count)))


def _redis_answers() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_TEST_URL, socket_timeout=2).ping())
    except redis.RedisError:
        return False


def test_rate_limit_counts_across_workers_in_the_database(serve, tmp_path):
    url = serve()

    statuses = _post_all_at_once(url, LIMIT + 1)

    assert statuses == [202] * LIMIT + [429]
    with sqlite3.connect(tmp_path / "convene.sqlite3") as database:
        counts = database.execute("SELECT value FROM core_cachecounter").fetchall()
    assert counts == [(LIMIT + 1,)]


def test_rate_limit_counts_across_workers_in_redis(serve):
    if not _redis_answers():
        pytest.skip(f"Redis does not answer at {REDIS_TEST_URL}")
    import redis

    redis.Redis.from_url(REDIS_TEST_URL).flushdb()
    url = serve(REDIS_URL=REDIS_TEST_URL)

    statuses = _post_all_at_once(url, LIMIT + 1)

    server = redis.Redis.from_url(REDIS_TEST_URL)
    counters = [int(server.get(key)) for key in server.keys("ratelimit:*")]
    server.flushdb()
    assert statuses == [202] * LIMIT + [429]
    assert counters == [LIMIT + 1]


def test_rate_limit_counted_per_process_lets_more_through(serve):
    """Control: counters in each worker's memory let all 31 posts through, so the tests
    above would catch counters that are not shared."""
    url = serve(DJANGO_SETTINGS_MODULE="tests.settings_per_process_counters")

    statuses = _post_all_at_once(url, LIMIT + 1)

    assert statuses.count(202) > LIMIT
