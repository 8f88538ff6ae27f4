"""Production settings pass Django's deployment checks, and pages carry the security headers."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "HTTPS": "true",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "convene.example.org",
    "DEBUG": "false",
}
# Anything the developer's shell sets that the checks read is replaced.
CLEARED = {"HTTPS", "SECURE_HSTS_SECONDS", "SECURE_HSTS_PRELOAD", "DEBUG", "SECRET_KEY"}


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
    ignored = {"SITE_URL", "PORT", "MEETING_LOCK_TIMEOUT_SECONDS", "CONFIRMATION_TOKEN_KEYS"}
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
