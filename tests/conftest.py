"""Shared test set-up: static files without a manifest, skips that say why, reference data."""

import os
import shutil

import pytest
from django.core.management import call_command

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


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
