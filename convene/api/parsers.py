"""A JSON parser that refuses oversized or deeply nested bodies before parsing them.

Python's json module recurses once per level of nesting: a body of ten thousand "["
raises RecursionError, which no parser error catches, and a large body is read whole
into memory. Both are refused here, with a 413 or a 400 that the API's exception
handler renders as JSON.
"""

import codecs

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import JSONParser
from rest_framework.utils import json

# Enough for any request the API documents (the deepest is a list of days in an object).
MAX_DEPTH = 32


class RequestBodyTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = gettext_lazy("The request body is too large.")
    default_code = "body_too_large"


def json_depth_exceeds(text: str, limit: int) -> bool:
    """Whether arrays and objects nest deeper than `limit` anywhere in `text`.

    Brackets inside strings do not count; the text need not be valid JSON (the parser
    reports what else is wrong).
    """
    depth = 0
    in_string = False
    escaped = False
    for character in text:
        if in_string:
            if escaped:
                escaped = False
            elif character == "\\":
                escaped = True
            elif character == '"':
                in_string = False
        elif character == '"':
            in_string = True
        elif character in "[{":
            depth += 1
            if depth > limit:
                return True
        elif character in "]}":
            depth -= 1
    return False


class BoundedJSONParser(JSONParser):
    """JSONParser under API_MAX_BODY_BYTES and MAX_DEPTH levels of nesting."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.API_MAX_BODY_BYTES
        request = (parser_context or {}).get("request")
        declared = request.META.get("CONTENT_LENGTH") if request is not None else None
        try:
            too_large = int(declared or 0) > limit
        except ValueError:
            too_large = False  # the stream's length decides below
        if too_large:
            raise RequestBodyTooLarge()
        # The declared length may be absent or false (chunked bodies): read one byte
        # more than the limit, never the whole body.
        body = stream.read(limit + 1) if stream is not None else b""
        if len(body) > limit:
            raise RequestBodyTooLarge()
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = codecs.decode(body, encoding)
        except (UnicodeDecodeError, LookupError) as error:
            raise ParseError(_("The request body is not valid UTF-8 text.")) from error
        if json_depth_exceeds(text, MAX_DEPTH):
            raise ParseError(
                _("The JSON is nested too deeply (at most %(depth)d levels).")
                % {"depth": MAX_DEPTH}
            )
        parse_constant = json.strict_constant if self.strict else None
        try:
            return json.loads(text, parse_constant=parse_constant)
        except ValueError as error:
            raise ParseError(
                _("The request body is not valid JSON: %(error)s") % {"error": error}
            ) from error
