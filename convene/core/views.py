import logging
from contextlib import contextmanager

from django.contrib.auth import views as auth_views
from django.db import DatabaseError, connection, transaction
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.urls import reverse_lazy
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_GET

from .database_unavailable import current_unavailable_response
from .forms import StaffPasswordResetForm
from .outbox import outbox_backlog
from .ratelimits import is_password_reset_limited

logger = logging.getLogger(__name__)

# The health check answers within this, even while a lock or a slow query holds the
# database: a load balancer that waits longer takes the server out for nothing.
HEALTHZ_STATEMENT_TIMEOUT = "2s"


@contextmanager
def _statements_bounded():
    """On PostgreSQL, a transaction whose statements give up after two seconds.

    SQLite gets none: its IMMEDIATE transactions would make the check wait for writers.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        # SET LOCAL: ends with the health check's transaction.
        cursor.execute(
            "SELECT set_config('statement_timeout', %s, true)", [HEALTHZ_STATEMENT_TIMEOUT]
        )
        yield


@never_cache
@require_GET
def healthz(request):
    """For the load balancer: 200 when this process can query its database, else 503.

    Also the outbox's backlog, for monitoring: pending and failed emails and the age of
    the oldest pending one (a growing age means no worker sends).
    """
    try:
        with _statements_bounded(), connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
            backlog = outbox_backlog()
    except DatabaseError:
        logger.exception("Health check: database unreachable")
        return JsonResponse({"status": "error", "database": "error"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok", "outbox": backlog})


@requires_csrf_token
def bad_request(request, exception=None):
    """handler400: a request Django refuses to read (too large, too many fields, bad host).

    A translated page instead of Django's bare one; nothing of the request is echoed.
    """
    return render(request, "400.html", status=400)


def server_error(request):
    """handler500: the error page, rendered without the database (which may be the fault).

    A database that is away, or a lock held too long, raised in a middleware after the
    view is answered 503 with Retry-After rather than 500 (see database_unavailable).
    """
    return current_unavailable_response(request) or HttpResponseServerError(
        loader.get_template("500.html").render()
    )


class PasswordResetRequestView(auth_views.PasswordResetView):
    """Asks for a reset link by email: always the same answer, whether the account exists.

    Throttled per client address and per email asked for (PASSWORD_RESET_RATE_LIMIT).
    """

    form_class = StaffPasswordResetForm
    template_name = "core/password_reset_form.html"
    success_url = reverse_lazy("core:password_reset_done")

    def post(self, request, *args, **kwargs):
        if is_password_reset_limited(request):
            return render(
                request,
                "core/sign_in_locked.html",
                {
                    "title": gettext("Too many attempts"),
                    "message": gettext(
                        "Too many password reset requests from your connection or for this "
                        "address. Please try again later."
                    ),
                },
                status=429,
            )
        return super().post(request, *args, **kwargs)
