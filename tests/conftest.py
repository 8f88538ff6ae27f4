"""Shared test set-up: static files without a manifest, skips that say why, reference data."""

import os
import shutil

import pytest
from django.core.management import call_command
from django.core.servers.basehttp import WSGIServer

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")

# The live server's listen backlog (5 by default) resets connections when the
# concurrency tests open dozens at once; a real deployment's gunicorn has 2048.
WSGIServer.request_queue_size = 128


def _flag(name: str) -> bool:
    return os.environ.get(name, "").lower() in {"1", "true", "yes"}


def chromium_available() -> bool:
    return bool(shutil.which(CHROMIUM_PATH))


def pytest_runtest_setup(item):
    """Skip browser and PostgreSQL tests where the machine lacks them, saying why.

    CI sets REQUIRE_BROWSER=1 and REQUIRE_POSTGRES=1, which turns those skips into
    failures: a green CI run has really driven Chromium on PostgreSQL.
    """
    from django.db import connection

    if "browser" in item.keywords and not chromium_available():
        message = f"browser test: Chromium not found at {CHROMIUM_PATH}"
        if _flag("REQUIRE_BROWSER"):
            pytest.fail(f"{message}, and REQUIRE_BROWSER=1", pytrace=False)
        pytest.skip(message)
    if "postgres" in item.keywords and connection.vendor != "postgresql":
        message = "PostgreSQL test: DATABASE_URL does not point to PostgreSQL"
        if _flag("REQUIRE_POSTGRES"):
            pytest.fail(f"{message}, and REQUIRE_POSTGRES=1", pytrace=False)
        pytest.skip(message)


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # Tests do not run collectstatic, so the hashed-name manifest does not exist.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def reference_data(db):
    """The Rabat Process, its 63 partners and two action plans, as `make run` loads them."""
    from convene.dialogues.selectors import current_dialogue
    from convene.dialogues.services import import_reference_data

    import_reference_data()
    return current_dialogue()


@pytest.fixture
def demo_data(reference_data, tmp_path, settings):
    """Reference data plus the demo accounts and the Paris 2021 meeting."""
    from convene.meetings.models import Meeting

    settings.VAR_DIR = tmp_path
    call_command("load_demo_data", stdout=open(os.devnull, "w"))  # noqa: SIM115
    return Meeting.objects.get(slug="paris-2021")


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts and ends in the default language.

    A request under /fr/ leaves French active in the thread after the response, so
    the next test would otherwise read French messages.
    """
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_cache():
    # The per-process cache and Redis outlive a test's database transaction: cached pages
    # and rate-limit counters of one test must not leak into the next. Counters kept in
    # the database go with the test's rollback or flush (and a test without database
    # access may not touch them).
    from django.core.cache import caches

    from convene.core.counter_cache import CounterDatabaseCache

    emptied = [
        caches[alias]
        for alias in ("default", "ratelimit")
        if not isinstance(caches[alias], CounterDatabaseCache)
    ]
    for cache in emptied:
        cache.clear()
    yield
    for cache in emptied:
        cache.clear()


@pytest.fixture(autouse=True)
def _site_url(settings):
    # Links in emails are asserted as they read; a PORT or SITE_URL in the developer's
    # shell must not change them.
    settings.SITE_URL = "http://127.0.0.1:8000"


# Keys of passport data in tests (Fernet keys made for the suite, never used elsewhere):
# fixed, so that a PostgreSQL run (which generates none) and a SQLite run read alike.
PASSPORT_TEST_KEY = "FCh7rZALUd62wLCbL5AqHGqpFGNoyX-it6wcVxkQCzY="
PASSPORT_OTHER_KEY = "1ib-NLhiAUcC513g_VBOquqRizx6LlkDgs6IHkx6pCo="


@pytest.fixture(autouse=True)
def _passport_data_keys(settings):
    settings.PASSPORT_DATA_KEYS = [PASSPORT_TEST_KEY]


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # The production hasher takes a noticeable time per password; tests hash many.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# Personas: the people whose access the tests check. Each is a back-office account
# (is_staff) with one current role, except the outsider, who has none.


@pytest.fixture
def secretariat_officer(reference_data):
    from tests.factories.core import SecretariatRoleFactory

    return SecretariatRoleFactory(
        user__email="officer@secretariat.example.org", user__full_name="Secretariat officer"
    ).user


def _focal_point(request, code, email, full_name):
    """The current focal point of a partner: the demo account when demo data is loaded."""
    from convene.core.enums import Role
    from convene.core.models import RoleAssignment
    from tests.factories.core import FocalPointRoleFactory

    if "demo_data" in request.fixturenames:
        request.getfixturevalue("demo_data")
    partner = request.getfixturevalue("reference_data").partners.get(code=code)
    current = RoleAssignment.objects.filter(
        role=Role.FOCAL_POINT, partner=partner, ends_on__isnull=True
    ).first()
    if current:
        return current.user
    return FocalPointRoleFactory(partner=partner, user__email=email, user__full_name=full_name).user


@pytest.fixture
def focal_point_france(request, reference_data):
    return _focal_point(request, "FR", "focal.point@fr.example.org", "Focal point FR")


@pytest.fixture
def focal_point_senegal(request, reference_data):
    return _focal_point(request, "SN", "focal.point@sn.example.org", "Focal point SN")


# The partners of the personas: the focal points of France and of Senegal speak for them.


@pytest.fixture
def france(reference_data):
    return reference_data.partners.get(code="FR")


@pytest.fixture
def senegal(reference_data):
    return reference_data.partners.get(code="SN")


@pytest.fixture
def organised_meeting(reference_data):
    """A draft meeting, complete in both languages, with an organiser and check-in staff."""
    from tests.factories.meetings import MeetingFactory

    return MeetingFactory(dialogue=reference_data, slug="dakar-draft")


@pytest.fixture
def organiser(organised_meeting):
    from tests.factories.core import OrganiserRoleFactory

    return OrganiserRoleFactory(
        meeting=organised_meeting,
        user__email="organiser@example.org",
        user__full_name="Meeting organiser",
    ).user


@pytest.fixture
def checkin_staff(organised_meeting):
    from tests.factories.core import CheckinRoleFactory

    return CheckinRoleFactory(
        meeting=organised_meeting,
        user__email="checkin@example.org",
        user__full_name="Check-in staff",
    ).user


@pytest.fixture
def outsider(db):
    """Back-office access ticked, but no role."""
    from tests.factories.core import UserFactory

    return UserFactory(email="outsider@example.org", full_name="Outsider", is_staff=True)


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """Run the after-commit work of what happens inside the block (emails), as production
    does; outside such a block, a test's transaction never commits."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run
