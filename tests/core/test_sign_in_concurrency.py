"""Parallel guesses at one account's password, on PostgreSQL, over real HTTP.

Axes reads the failure count before checking a password and records the failure after,
so without serialisation every guess sent at once reads "under the limit" and has its
password checked. Twenty wrong passwords fired together must have exactly the limit
checked. The control test removes the advisory lock and must then check more, which
shows the first test would catch a missing lock.
"""

import http.cookiejar
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.contrib.auth.backends import ModelBackend

from convene.core import sign_in
from tests.factories.core import UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

GUESSES = 20
LIMIT = 5
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def checked_passwords(monkeypatch):
    """Counts the password checks, each made slow enough for the guesses to overlap."""
    checks = []
    lock = threading.Lock()
    original = ModelBackend.authenticate

    def counted(self, request, username=None, password=None, **kwargs):
        with lock:
            checks.append(username)
        time.sleep(0.2)
        return original(self, request, username=username, password=password, **kwargs)

    monkeypatch.setattr(ModelBackend, "authenticate", counted)
    return checks


def _guess_all_at_once(url: str, count: int) -> list[int]:
    barrier = threading.Barrier(count)

    def guess(index):
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        with opener.open(url, timeout=60) as page:
            token = TOKEN.search(page.read().decode()).group(1)
        body = urllib.parse.urlencode(
            {"username": "target@example.org", "password": f"guess {index}",
             "csrfmiddlewaretoken": token}
        ).encode()  # fmt: skip
        request = urllib.request.Request(url, data=body, headers={"Referer": url})  # noqa: S310
        barrier.wait(timeout=30)
        try:
            with opener.open(request, timeout=60) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(guess, range(count)))


@pytest.fixture
def target(db, settings):
    settings.AXES_FAILURE_LIMIT = LIMIT
    return UserFactory(email="target@example.org", is_staff=True, password="the right one")


def test_parallel_guesses_check_no_more_passwords_than_the_limit(
    live_server, target, checked_passwords
):
    statuses = _guess_all_at_once(f"{live_server.url}/en/accounts/login/", GUESSES)

    assert len(checked_passwords) == LIMIT
    assert sorted(statuses) == [200] * (LIMIT - 1) + [429] * (GUESSES - LIMIT + 1)


def test_parallel_guesses_without_the_lock_check_more_than_the_limit(
    live_server, target, checked_passwords, monkeypatch
):
    monkeypatch.setattr(sign_in, "serialise_attempts_on", lambda username: None)

    _guess_all_at_once(f"{live_server.url}/en/accounts/login/", GUESSES)

    assert len(checked_passwords) > LIMIT
