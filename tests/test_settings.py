"""Production settings pass Django's deployment checks, and pages carry the security headers."""

import base64
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NEW_FERNET_KEY = "2vnhQRYCc0zoCNtgf30hc_NigQ8MXQtpVQsBEuLaw9g="
OLD_FERNET_KEY = "1ib-NLhiAUcC513g_VBOquqRizx6LlkDgs6IHkx6pCo="
PRODUCTION = {
    "HTTPS": "true",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "convene.example.org",
    "DEBUG": "false",
    "PASSPORT_DATA_KEYS": "FCh7rZALUd62wLCbL5AqHGqpFGNoyX-it6wcVxkQCzY=",
}
# Anything the developer's shell sets that the checks read is replaced.
CLEARED = {
    "HTTPS",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_PRELOAD",
    "DEBUG",
    "SECRET_KEY",
    "PASSPORT_DATA_KEYS",
}
# A PostgreSQL server that refuses at once (nothing listens on port 1): production
# settings, with no database to read.
UNREACHABLE_POSTGRES = "postgres://convene@127.0.0.1:1/convene"


def _check_deploy(tmp_path, **variables):
    env = {key: value for key, value in os.environ.items() if key not in CLEARED}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", VAR_DIR=str(tmp_path), **variables)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_with_production_variables(tmp_path):
    result = _check_deploy(tmp_path, **PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."


def test_check_deploy_fails_without_https(tmp_path):
    variables = {**PRODUCTION, "HTTPS": "false"}

    result = _check_deploy(tmp_path, **variables)

    assert result.returncode == 1
    for check in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert check in result.stderr


@pytest.mark.django_db
def test_pages_carry_the_security_headers(client, reference_data):
    response = client.get("/en/")

    directives = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    assert directives["script-src"] == "'self'"
    assert "'unsafe-inline'" not in directives["script-src"]
    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_admin_pages_carry_the_security_headers(client):
    response = client.get("/en/admin/login/")

    assert response["X-Frame-Options"] == "DENY"
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


def _setting(tmp_path, name, **variables):
    ignored = {
        "SITE_URL",
        "PORT",
        "MEETING_LOCK_TIMEOUT_SECONDS",
        "CONFIRMATION_TOKEN_KEYS",
        "PASSPORT_DATA_KEYS",
        "DATABASE_URL",
        "DEBUG",
    }
    env = {key: value for key, value in os.environ.items() if key not in ignored}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", VAR_DIR=str(tmp_path), **variables)
    code = f"import django; django.setup(); from django.conf import settings as s; print(s.{name})"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stdout.strip()


def test_site_url_defaults_to_the_port_the_site_serves_on(tmp_path):
    assert _setting(tmp_path, "SITE_URL") == "http://127.0.0.1:8000"
    assert _setting(tmp_path, "SITE_URL", PORT="8123") == "http://127.0.0.1:8123"


def test_confirmation_token_keys_are_read_in_order_from_the_environment(tmp_path):
    keys = _setting(tmp_path, "CONFIRMATION_TOKEN_KEYS", CONFIRMATION_TOKEN_KEYS="new,old")

    assert keys == "['new', 'old']"


def test_confirmation_token_key_is_generated_once_apart_from_the_secret_key(tmp_path):
    first = _setting(tmp_path, "CONFIRMATION_TOKEN_KEYS")

    key = (tmp_path / "confirmation_token_key").read_text()
    assert first == f"[{key!r}]"
    assert key != (tmp_path / "secret_key").read_text()
    assert _setting(tmp_path, "CONFIRMATION_TOKEN_KEYS") == first


def test_site_url_set_is_used_without_its_trailing_slash(tmp_path):
    site = _setting(tmp_path, "SITE_URL", SITE_URL="https://meetings.example.org/", PORT="8123")

    assert site == "https://meetings.example.org"


def test_postgresql_connections_give_up_after_five_seconds(tmp_path):
    options = "DATABASES['default']['OPTIONS']"
    url = "postgres://convene@db.example.org:5432/convene"

    assert _setting(tmp_path, f"{options}['connect_timeout']", DATABASE_URL=url) == "5"
    assert (
        _setting(tmp_path, f"{options}['connect_timeout']", DATABASE_URL=f"{url}?connect_timeout=9")
        == "9"
    )


def test_sqlite_writers_wait_as_long_as_for_the_meeting_lock(tmp_path):
    timeout = "DATABASES['default']['OPTIONS']['timeout']"
    sqlite = f"sqlite:///{tmp_path / 'convene.sqlite3'}"

    assert _setting(tmp_path, "MEETING_LOCK_TIMEOUT_SECONDS") == "3.0"
    assert _setting(tmp_path, timeout, DATABASE_URL=sqlite) == "3.0"
    assert (
        _setting(tmp_path, timeout, DATABASE_URL=sqlite, MEETING_LOCK_TIMEOUT_SECONDS="2") == "2.0"
    )


def test_check_deploy_fails_without_passport_data_keys_in_production(tmp_path):
    variables = {**PRODUCTION, "PASSPORT_DATA_KEYS": "", "DATABASE_URL": UNREACHABLE_POSTGRES}

    result = _check_deploy(tmp_path, **variables)

    assert result.returncode == 1
    assert "convene.E102" in result.stderr
    assert "PASSPORT_DATA_KEYS is not set" in result.stderr


def test_passport_data_keys_are_read_in_order_from_the_environment(tmp_path):
    keys = _setting(
        tmp_path, "PASSPORT_DATA_KEYS", PASSPORT_DATA_KEYS=f"{NEW_FERNET_KEY},{OLD_FERNET_KEY}"
    )

    assert keys == repr([NEW_FERNET_KEY, OLD_FERNET_KEY])


def test_passport_data_key_is_generated_once_in_development(tmp_path):
    first = _setting(tmp_path, "PASSPORT_DATA_KEYS")

    key = (tmp_path / "passport_data_key").read_text()
    assert first == f"[{key!r}]"
    assert len(base64.urlsafe_b64decode(key)) == 32
    assert _setting(tmp_path, "PASSPORT_DATA_KEYS") == first


def test_passport_data_key_is_not_generated_in_production(tmp_path):
    keys = _setting(tmp_path, "PASSPORT_DATA_KEYS", DATABASE_URL=UNREACHABLE_POSTGRES)

    assert keys == "[]"
    assert not (tmp_path / "passport_data_key").exists()


def _start(tmp_path, code, **variables):
    env = {key: value for key, value in os.environ.items() if key not in CLEARED | {"DATABASE_URL"}}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", VAR_DIR=str(tmp_path), **variables)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_malformed_passport_data_key_stops_the_start(tmp_path):
    result = _start(
        tmp_path, "import django; django.setup()", PASSPORT_DATA_KEYS=f"{NEW_FERNET_KEY},short"
    )

    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        "django.core.exceptions.ImproperlyConfigured: PASSPORT_DATA_KEYS: key number 2 is not "
        "a Fernet key (32 bytes in URL-safe base64, as Fernet.generate_key() makes)."
    )


def test_the_app_server_does_not_start_without_passport_data_keys_in_production(tmp_path):
    result = _start(
        tmp_path,
        "import config.wsgi",
        DATABASE_URL=UNREACHABLE_POSTGRES,
        **{key: value for key, value in PRODUCTION.items() if key != "PASSPORT_DATA_KEYS"},
    )

    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        "django.core.exceptions.ImproperlyConfigured: PASSPORT_DATA_KEYS is not set: passport "
        "data cannot be encrypted or read. Set it to one or more Fernet keys, comma-separated "
        "(see README)."
    )
