"""The sign-in throttle (convene/core/sign_in.py): both sign-in forms and the API's basic
authentication count failures per account and per account and address, then answer 429
with the same page whether the account exists or not."""

import base64
import datetime

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog

from convene.core import sign_in
from tests.factories.core import UserFactory
from tests.html import page_title, parse

pytestmark = pytest.mark.django_db

LOGIN = "/en/accounts/login/"
ADMIN_LOGIN = "/en/admin/login/"
PASSWORD = "the right passphrase"


@pytest.fixture
def account(db):
    return UserFactory(email="known@example.org", is_staff=True, password=PASSWORD)


def _fail(client, url, username, times, address="192.0.2.10"):
    return [
        client.post(url, {"username": username, "password": "wrong"}, REMOTE_ADDR=address)
        for _ in range(times)
    ]


@pytest.mark.parametrize("url", [LOGIN, ADMIN_LOGIN])
def test_sign_in_locked_after_the_failure_limit(client, account, url, settings):
    settings.AXES_FAILURE_LIMIT = 3

    responses = _fail(client, url, "known@example.org", 3)
    refused = client.post(url, {"username": "known@example.org", "password": PASSWORD})

    assert [r.status_code for r in responses] == [200, 200, 429]
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "900"
    assert "_auth_user_id" not in client.session
    assert "Too many attempts; try again in 15 minutes." in refused.content.decode()


def test_sign_in_locked_page_is_identical_for_unknown_accounts(client, account, settings):
    settings.AXES_FAILURE_LIMIT = 2

    known = _fail(client, LOGIN, "known@example.org", 2)[-1]
    unknown = _fail(client, LOGIN, "nobody@example.org", 2)[-1]

    assert (known.status_code, unknown.status_code) == (429, 429)
    assert known.content == unknown.content


def test_sign_in_locked_page_in_french(client, account, settings):
    settings.AXES_FAILURE_LIMIT = 1
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=20)

    response = _fail(client, "/fr/accounts/login/", "known@example.org", 1)[0]

    assert response.status_code == 429
    assert response.headers["Retry-After"] == "1200"
    assert "Trop de tentatives ; réessayez dans 20 minutes." in response.content.decode()


def test_sign_in_lock_counts_the_account_from_every_address(client, account, settings):
    settings.AXES_FAILURE_LIMIT = 3

    for address in ("192.0.2.1", "192.0.2.2"):
        _fail(client, LOGIN, "known@example.org", 1, address=address)
    third = _fail(client, LOGIN, "KNOWN@example.org ", 1, address="192.0.2.3")[0]

    assert third.status_code == 429


def test_sign_in_other_accounts_from_the_same_address_are_not_locked(client, account, settings):
    settings.AXES_FAILURE_LIMIT = 2
    _fail(client, LOGIN, "someone@example.org", 2)

    response = client.post(
        LOGIN, {"username": "known@example.org", "password": PASSWORD}, REMOTE_ADDR="192.0.2.10"
    )

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(account.pk)


def test_sign_in_address_is_read_through_the_client_address_helper(client, account, settings):
    settings.TRUST_X_FORWARDED_FOR = True
    settings.TRUSTED_PROXY_COUNT = 1

    client.post(
        LOGIN,
        {"username": "known@example.org", "password": "wrong"},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7",
    )

    assert list(AccessAttempt.objects.values_list("username", "ip_address")) == [
        ("known@example.org", "198.51.100.7")
    ]


def test_sign_in_attempts_are_logged(client, account):
    _fail(client, LOGIN, "known@example.org", 2)
    client.post(LOGIN, {"username": "known@example.org", "password": PASSWORD})

    assert list(AccessFailureLog.objects.values_list("username", "locked_out")) == [
        ("known@example.org", False),
        ("known@example.org", False),
    ]
    assert list(AccessLog.objects.values_list("username", flat=True)) == ["known@example.org"]
    # A success clears the failures counted so far.
    assert AccessAttempt.objects.count() == 0


def test_sign_in_pages_link_to_password_reset(client):
    pages = [client.get(LOGIN).content.decode(), client.get(ADMIN_LOGIN).content.decode()]

    assert ['href="/en/account/password-reset/"' in page for page in pages] == [True, False]
    assert 'href="/en/admin/password-reset/"' in pages[1]
    assert client.get("/en/admin/password-reset/").headers["Location"] == (
        "/en/account/password-reset/"
    )


# --- The API's basic authentication ---

SCHEMA = "/api/v1/schema/"


def _basic(username, password):
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}"}


def test_api_basic_authentication_counts_failures_and_locks(client, account, settings):
    settings.AXES_FAILURE_LIMIT = 2

    first = client.get(SCHEMA, **_basic("known@example.org", "wrong"))
    second = client.get(SCHEMA, **_basic("known@example.org", "wrong"))
    right = client.get(SCHEMA, **_basic("known@example.org", PASSWORD))

    # 403 rather than 401: the session authentication comes first and sends no challenge.
    assert (first.status_code, second.status_code, right.status_code) == (403, 429, 429)
    assert right.json() == {"detail": "Too many attempts; try again in 15 minutes."}
    assert AccessAttempt.objects.get().failures_since_start == 3


def test_api_basic_authentication_with_the_right_password(client, account):
    response = client.get(SCHEMA, **_basic("known@example.org", PASSWORD))

    assert response.status_code == 200
    assert AccessAttempt.objects.count() == 0


# --- Helpers ---


def test_attempted_username_normalises_case_and_spaces():
    assert sign_in.attempted_username(None, {"username": " Known@Example.ORG "}) == (
        "known@example.org"
    )


@pytest.mark.parametrize(
    ("language", "title", "refused_title"),
    [("en", "Sign in", "Error: Sign in"), ("fr", "Se connecter", "Erreur\u00a0: Se connecter")],
)
def test_sign_in_refused_title_starts_with_error(client, account, language, title, refused_title):
    url = f"/{language}/accounts/login/"

    shown = client.get(url)
    refused = _fail(client, url, "known@example.org", 1)[0]

    assert len(parse(refused).select("#form-errors li")) == 1
    assert (page_title(shown), page_title(refused)) == (title, refused_title)
