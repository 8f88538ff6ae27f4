"""Signed, expiring personal and verification links."""

import time

import pytest
from django.core import signing

from convene.registrations import services
from convene.registrations.tokens import (
    PERSONAL_SALT,
    VERIFY_SALT,
    make_token,
    registration_from_token,
)
from tests.factories.registrations import RegistrationFactory

pytestmark = pytest.mark.django_db

DAY = 86400


@pytest.fixture
def registration(meeting):
    return RegistrationFactory(meeting=meeting, email="awa@example.org")


@pytest.fixture
def later(monkeypatch):
    """Move the signing clock forward by a number of days."""

    def move(days):
        now = time.time()
        monkeypatch.setattr(signing.time, "time", lambda: now + days * DAY)

    return move


def test_registration_from_token_opens_its_registration(registration):
    token = make_token(registration)

    assert registration_from_token(token) == registration


def test_registration_from_token_opens_only_its_own_registration(meeting, registration):
    other = RegistrationFactory(meeting=meeting)

    opened = (
        registration_from_token(make_token(registration)),
        registration_from_token(make_token(other)),
    )

    assert opened == (registration, other)


def _flip(text: str, position: int) -> str:
    replacement = "B" if text[position] == "A" else "A"
    return text[:position] + replacement + text[position + 1 :]


@pytest.mark.parametrize("part", ["payload", "timestamp", "signature"])
def test_registration_from_token_tampered_opens_nothing(part, registration):
    payload, timestamp, signature = make_token(registration).split(":")
    pieces = {"payload": payload, "timestamp": timestamp, "signature": signature}
    pieces[part] = _flip(pieces[part], len(pieces[part]) // 2)

    tampered = ":".join(pieces.values())

    assert registration_from_token(tampered) is None


def test_registration_from_token_payload_of_another_registration_opens_nothing(
    meeting, registration
):
    other = RegistrationFactory(meeting=meeting)
    _payload, timestamp, signature = make_token(registration).split(":")
    other_payload = make_token(other).split(":")[0]

    forged = ":".join((other_payload, timestamp, signature))

    assert registration_from_token(forged) is None


def test_registration_from_token_signed_with_another_key_opens_nothing(registration, settings):
    settings.SECRET_KEY = "another-key-" * 5
    token = make_token(registration)
    settings.SECRET_KEY = "the-real-key-" * 5

    assert registration_from_token(token) is None


@pytest.mark.parametrize("token", ["", "garbage", "a:b:c", "é:ü"])
def test_registration_from_token_garbage_opens_nothing(token, registration):
    assert registration_from_token(token) is None


def test_registration_from_token_not_a_dict_opens_nothing(registration):
    token = signing.dumps([registration.pk, 1], salt=PERSONAL_SALT)

    assert registration_from_token(token) is None


def test_registration_from_token_of_a_deleted_registration_opens_nothing(registration):
    token = make_token(registration)
    registration.delete()

    assert registration_from_token(token) is None


def test_personal_token_does_not_verify_and_verify_token_does_not_open(registration):
    personal, verify = make_token(registration), make_token(registration, salt=VERIFY_SALT)

    assert registration_from_token(personal, salt=VERIFY_SALT) is None
    assert registration_from_token(verify) is None


def test_personal_token_lasts_its_configured_days(registration, settings, later):
    settings.REGISTRATION_LINK_MAX_AGE_DAYS = 180
    token = make_token(registration)

    later(179)
    before_expiry = registration_from_token(token)
    later(181)
    after_expiry = registration_from_token(token)

    assert (before_expiry, after_expiry) == (registration, None)


def test_verify_token_lasts_its_configured_days(registration, settings, later):
    settings.REGISTRATION_VERIFY_MAX_AGE_DAYS = 7
    token = make_token(registration, salt=VERIFY_SALT)

    later(6)
    before_expiry = registration_from_token(token, salt=VERIFY_SALT)
    later(8)
    after_expiry = registration_from_token(token, salt=VERIFY_SALT)

    assert (before_expiry, after_expiry) == (registration, None)


def test_registration_from_token_superseded_by_a_new_link_opens_nothing(meeting, registration):
    old_personal = make_token(registration)
    old_verify = make_token(registration, salt=VERIFY_SALT)

    services.send_new_link(meeting, email="awa@example.org")
    registration.refresh_from_db()

    assert registration_from_token(old_personal) is None
    assert registration_from_token(old_verify, salt=VERIFY_SALT) is None
    assert registration_from_token(make_token(registration)) == registration
