"""Signing in, throttled: every password check passes through `authenticate_counted`.

django-axes counts failures (AXES_* settings) and refuses an account or client over the
limit before any password is checked. Axes reads the count before the check and records
the failure after it, so parallel guesses for one account could all read "under the
limit" and all be checked: `authenticate_counted` serialises the attempts on one account
(a PostgreSQL advisory transaction lock; SQLite's write lock already does so), which
makes the count exact. The lockout page is the same for every account name, existing or
not, so that it tells nothing about which accounts exist.
"""

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm
from django.db import connection, transaction
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext, ngettext
from rest_framework import exceptions
from rest_framework.authentication import BasicAuthentication

# First key of the two-key advisory lock: keeps these locks apart from any other use.
SIGN_IN_LOCK_NAMESPACE = 8001


def normalised_username(value) -> str:
    """Accounts are found by email in any case, so attempts are counted the same way."""
    return str(value or "").strip().lower()


def attempted_username(request, credentials=None) -> str:
    """The account an attempt is counted against (AXES_USERNAME_CALLABLE)."""
    credentials = credentials or {}
    value = credentials.get("username") or credentials.get("email")
    if value is None and request is not None and request.method == "POST":
        value = request.POST.get("username") or request.POST.get("email")
    return normalised_username(value)


def serialise_attempts_on(username: str) -> None:
    """Hold, until the transaction ends, the lock that queues attempts on `username`."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, hashtext(%s))",
                [SIGN_IN_LOCK_NAMESPACE, username],
            )


def authenticate_counted(request, *, username, password):
    """`authenticate()`, one attempt at a time per account, each counted by axes.

    Returns the user, or None for a wrong password or a refused (locked) attempt; in the
    latter case axes marks `request` and its middleware answers with `lockout_response`.
    """
    with transaction.atomic():
        serialise_attempts_on(normalised_username(username))
        # The failure is recorded before the lock is released, at commit.
        return authenticate(request, username=username, password=password)


def cool_off_minutes() -> int:
    """The wait axes enforces (AXES_COOLOFF_TIME, from SIGN_IN_COOL_OFF_MINUTES)."""
    return max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))


def lockout_message() -> str:
    minutes = cool_off_minutes()
    return ngettext(
        "Too many attempts; try again in %(minutes)d minute.",
        "Too many attempts; try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


def lockout_response(request, original_response=None, credentials=None):
    """The answer once axes refuses (AXES_LOCKOUT_CALLABLE): 429, whatever the account."""
    retry_after = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": lockout_message()}, status=429)
    else:
        response = render(
            request,
            "core/sign_in_locked.html",
            {"title": gettext("Too many attempts"), "message": lockout_message()},
            status=429,
        )
    response["Retry-After"] = retry_after
    return response


class CountedSignInMixin:
    """AuthenticationForm.clean, with the password checked through `authenticate_counted`.

    The error is raised outside the transaction, which would otherwise roll back the
    failure that axes recorded.
    """

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            self.user_cache = authenticate_counted(
                self.request, username=username, password=password
            )
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class SignInForm(CountedSignInMixin, AuthenticationForm):
    """The sign-in form of focal points, organisers and the Secretariat."""


class AdminSignInForm(CountedSignInMixin, AdminAuthenticationForm):
    """The back-office's sign-in form."""


class ThrottledBasicAuthentication(BasicAuthentication):
    """The API's basic authentication, counted like the sign-in forms.

    Axes marks the Django request it is given; the REST framework's wrapper would keep
    the mark from the middleware that answers with the lockout response.
    """

    def authenticate_credentials(self, userid, password, request=None):
        django_request = getattr(request, "_request", request)
        user = authenticate_counted(django_request, username=userid, password=password)
        if user is None:
            raise exceptions.AuthenticationFailed(gettext("Invalid username or password."))
        return (user, None)
