"""The password reset email, written and sent outside the request."""

from unittest import mock

import pytest

from convene.core.password_reset import render_password_reset_email, send_password_reset_email
from tests.factories.core import UserFactory

pytestmark = pytest.mark.django_db


def test_send_password_reset_email_in_english(mailoutbox):
    user = UserFactory(email="officer@example.org", full_name="Awa", password="some passphrase")

    sent = send_password_reset_email(user.pk)

    assert sent is True
    assert [(m.to, m.subject) for m in mailoutbox] == [
        (["officer@example.org"], "Convene: choose a new password")
    ]
    assert mailoutbox[0].body.startswith("Dear Awa,\n")
    assert "\nhttp://127.0.0.1:8000/en/account/password-reset/" in mailoutbox[0].body


@pytest.mark.parametrize("account", ["inactive", "no_password", "deleted"])
def test_send_password_reset_email_skips_accounts_that_cannot_sign_in(account, mailoutbox):
    user = UserFactory(password="some passphrase")
    user_id = user.pk
    if account == "inactive":
        user.is_active = False
        user.save()
    elif account == "no_password":
        user.set_unusable_password()
        user.save()
    else:
        user.delete()

    assert send_password_reset_email(user_id) is False
    assert mailoutbox == []


def test_send_password_reset_email_mail_server_refusal_is_logged(caplog):
    user = UserFactory(password="some passphrase")

    with mock.patch("django.core.mail.EmailMessage.send", side_effect=OSError("refused")):
        sent = send_password_reset_email(user.pk)

    assert sent is False
    assert f"Password reset email to account {user.pk} not sent" in caplog.text


def test_render_password_reset_email_link_opens_the_reset_page(client):
    user = UserFactory(language="fr", password="some passphrase")

    _subject, body = render_password_reset_email(user)
    link = next(line for line in body.splitlines() if line.startswith("http"))
    response = client.get(link.removeprefix("http://127.0.0.1:8000"), follow=True)

    assert response.status_code == 200
    assert response.context["validlink"] is True
