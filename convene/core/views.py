import logging
from contextlib import contextmanager

from django.db import DatabaseError, connection, transaction
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_GET

from .database_unavailable import current_unavailable_response
from .outbox import outbox_backlog

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
