"""The password reset email, sent by a task rather than in the request.

Sent in the request, the email would make the answer slower for an address that has an
account than for one that has not, which tells an attacker which addresses exist. The
task is given the account's id only: the one-time link is made when the email is
written, so no token is ever stored with a queued task.
"""

import logging

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .models import User

logger = logging.getLogger(__name__)


def render_password_reset_email(user) -> tuple[str, str]:
    """(subject, body) in the account's language, with a fresh one-time link."""
    with translation.override(user.language):
        path = reverse(
            "core:password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
        context = {"user": user, "reset_url": f"{settings.SITE_URL}{path}"}
        subject = render_to_string("core/email/password_reset_subject.txt", context)
        body = render_to_string("core/email/password_reset.txt", context)
    return " ".join(subject.split()), body


def send_password_reset_email(user_id: int) -> bool:
    """Email the account a reset link, if it can still sign in with a password.

    Returns whether the mail server accepted the email; a refusal is logged, not raised:
    the person asks again.
    """
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.has_usable_password():
        return False
    subject, body = render_password_reset_email(user)
    try:
        EmailMessage(
            subject=subject,
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[user.email],
        ).send()
    except Exception:
        logger.exception("Password reset email to account %s not sent", user.pk)
        return False
    return True
