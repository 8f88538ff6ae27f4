"""Every API error answers with a JSON body, whatever raised it."""

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation, TooManyFieldsSent
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler, set_rollback


def api_exception_handler(exc, context):
    """DRF's own handling, plus Django's refusals of a request's body as a JSON 400/413.

    Django raises RequestDataTooBig and TooManyFieldsSent (both SuspiciousOperation)
    when a view reads a body past DATA_UPLOAD_MAX_MEMORY_SIZE or with too many fields;
    DRF leaves them to Django, which would answer with an HTML page.
    """
    response = exception_handler(exc, context)
    if response is not None:
        return response
    if isinstance(exc, RequestDataTooBig):
        set_rollback()
        return Response(
            {"detail": _("The request body is too large.")},
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    if isinstance(exc, TooManyFieldsSent | SuspiciousOperation):
        set_rollback()
        return Response(
            {"detail": _("The request could not be read.")}, status=status.HTTP_400_BAD_REQUEST
        )
    return None
