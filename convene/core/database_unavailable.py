"""503 with Retry-After, never 500, while the database is briefly away or too busy.

A restarting, unreachable or read-only database (a failover in progress) raises
OperationalError, InterfaceError or, for a read-only transaction, InternalError with
SQLSTATE 25006; a lock held too long raises TryAgainLater. Each is answered 503 with
Retry-After, as a page or, under /api/, as JSON: the load balancer and clients retry,
and monitoring counts 503s apart from errors to fix. The answer is rendered without
the database (no context processors).
"""

import logging
import sys

from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext

from .errors import RETRY_AFTER_SECONDS, TryAgainLater
from .locks import lock_wait_exceeded

logger = logging.getLogger(__name__)

# PostgreSQL's read_only_sql_transaction: a write reached a standby or a read-only server.
READ_ONLY_TRANSACTION = "25006"


def is_database_unavailable(error: BaseException | None) -> bool:
    """Whether `error` says the database cannot serve now, rather than a bug in a query."""
    if isinstance(error, OperationalError | InterfaceError):
        return True
    return (
        isinstance(error, DatabaseError)
        and getattr(error.__cause__, "sqlstate", None) == READ_ONLY_TRANSACTION
    )


def try_again_later_response(request, *, message: str, code: str) -> HttpResponse:
    """The 503 answer: JSON under /api/, else the page templates/503.html."""
    if request.path.startswith("/api/"):
        response = JsonResponse({"non_field_errors": [message], "code": code}, status=503)
    else:
        page = loader.get_template("503.html").render({"message": message})
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def unavailable_response(request, error: BaseException) -> HttpResponse | None:
    """The 503 answer to `error`, or None when it is not a passing unavailability."""
    if isinstance(error, TryAgainLater):
        return try_again_later_response(request, message=error.message, code="busy")
    if isinstance(error, OperationalError) and lock_wait_exceeded(error):
        # A lock wait bounded outside row_locked: busy, as there.
        return try_again_later_response(request, message=TryAgainLater().message, code="busy")
    if is_database_unavailable(error):
        logger.warning("Database unavailable: %s: %s", type(error).__name__, error)
        message = gettext("Convene is unavailable for a moment; try again in a few seconds.")
        return try_again_later_response(request, message=message, code="unavailable")
    return None


class DatabaseUnavailableMiddleware:
    """Third in MIDDLEWARE, so that it answers for everything after it.

    A view's exception arrives in process_exception; one raised by a later middleware
    (a session saved after the view) has already become the 500 answer, which
    convene.core.views.server_error turns into this 503 (it sees the exception). Any 503
    without Retry-After (the health check's) gets one here.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 503 and not response.has_header("Retry-After"):
            response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response

    def process_exception(self, request, exception):
        return unavailable_response(request, exception)


def current_unavailable_response(request) -> HttpResponse | None:
    """The 503 answer to the exception being handled, if it is an unavailability."""
    return unavailable_response(request, sys.exception())
