"""Rate limits on the password-reset form, per client address and per address asked for.

PASSWORD_RESET_RATE_LIMIT ("5/h", or "off"); counted in the default cache, which every
app process shares when it is the database or Redis.
"""

from django.conf import settings
from django_ratelimit.core import is_ratelimited

from .sign_in import normalised_username


def password_reset_rate(group, request):
    rate = (settings.PASSWORD_RESET_RATE_LIMIT or "").strip().lower()
    return None if rate in ("", "off", "none") else rate


def _requested_email(group, request):
    return normalised_username(request.POST.get("email"))


def is_password_reset_limited(request) -> bool:
    """Counts this POST against its client address and its email; True once over either."""
    limits = [
        is_ratelimited(
            request,
            group=group,
            key=key,
            rate=password_reset_rate,
            method="POST",
            increment=True,
        )
        for group, key in (
            ("password-reset-address", "ip"),
            ("password-reset-email", _requested_email),
        )
    ]
    return any(limits)
