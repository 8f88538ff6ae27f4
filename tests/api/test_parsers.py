"""The bounded JSON parser: size and depth refused before parsing, with a JSON body."""

import io
import json
import types

import pytest

from convene.api.parsers import BoundedJSONParser, RequestBodyTooLarge, json_depth_exceeds
from convene.registrations.models import Registration
from tests.factories.registrations import api_body

TOO_LARGE = {"detail": "The request body is too large."}
TOO_DEEP = {"detail": "The JSON is nested too deeply (at most 32 levels)."}


def _url(meeting) -> str:
    return f"/api/v1/meetings/{meeting.slug}/registrations/"


class CountingStream(io.BytesIO):
    """A body that records how many bytes were read from it."""

    bytes_read = 0

    def read(self, size=-1):
        chunk = super().read(size)
        self.bytes_read += len(chunk)
        return chunk


def _context(**meta):
    return {"request": types.SimpleNamespace(META=meta), "encoding": "utf-8"}


@pytest.mark.django_db
def test_api_ten_megabyte_body_answers_413_with_a_json_body(meeting, client):
    body = json.dumps(api_body(institution="x" * (10 * 1024 * 1024)))

    response = client.post(_url(meeting), body, content_type="application/json")

    assert response.status_code == 413
    assert response.headers["Content-Type"] == "application/json"
    assert response.json() == TOO_LARGE
    assert Registration.objects.count() == 0


@pytest.mark.django_db
def test_api_ten_thousand_levels_of_nesting_answer_400_with_a_json_body(meeting, client):
    body = json.dumps(api_body())[:-1] + ', "days": ' + "[" * 10_000 + "]" * 10_000 + "}"

    response = client.post(_url(meeting), body, content_type="application/json")

    assert response.status_code == 400
    assert response.json() == TOO_DEEP
    assert Registration.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "application/xml"]
)
def test_api_wrong_content_type_answers_415_with_a_json_body(meeting, client, content_type):
    response = client.post(_url(meeting), json.dumps(api_body()), content_type=content_type)

    assert response.status_code == 415
    assert response.json() == {"detail": f'Unsupported media type "{content_type}" in request.'}
    assert Registration.objects.count() == 0


@pytest.mark.django_db
def test_api_body_under_the_limit_setting_is_read(meeting, senegal, client, settings):
    settings.API_MAX_BODY_BYTES = 1024
    body = json.dumps(api_body())

    response = client.post(_url(meeting), body, content_type="application/json")

    assert len(body) < 1024
    assert response.status_code == 202
    assert Registration.objects.get().last_name == "Diop"


@pytest.mark.django_db
def test_api_body_over_the_limit_setting_answers_413(meeting, client, settings):
    settings.API_MAX_BODY_BYTES = 100
    body = json.dumps(api_body())

    response = client.post(_url(meeting), body, content_type="application/json")

    assert len(body) > 100
    assert response.status_code == 413
    assert response.json() == TOO_LARGE


def test_parser_without_declared_length_reads_one_byte_past_the_limit_only(settings):
    settings.API_MAX_BODY_BYTES = 1000
    stream = CountingStream(b"[" + b"1," * 1_000_000 + b"1]")

    with pytest.raises(RequestBodyTooLarge):
        BoundedJSONParser().parse(stream, parser_context=_context())

    assert stream.bytes_read == 1001


def test_parser_declared_length_over_the_limit_reads_nothing(settings):
    settings.API_MAX_BODY_BYTES = 1000
    stream = CountingStream(b"{}")

    with pytest.raises(RequestBodyTooLarge):
        BoundedJSONParser().parse(stream, parser_context=_context(CONTENT_LENGTH="5000"))

    assert stream.bytes_read == 0


def test_parser_reads_nested_json_within_the_depth():
    text = "[" * 32 + "]" * 32

    parsed = BoundedJSONParser().parse(io.BytesIO(text.encode()), parser_context=_context())

    assert json.dumps(parsed) == text


@pytest.mark.parametrize(
    ("text", "too_deep"),
    [
        ("[" * 33 + "]" * 33, True),
        ('{"a": ' * 33 + "1" + "}" * 33, True),
        ("[" * 32 + "]" * 32, False),
        ('["' + "[" * 100 + '"]', False),
        ('["\\"' + "[" * 100 + '"]', False),
        ("[" * 10 + "]" * 10 + "[" * 10 + "]" * 10, False),
        ("[[[", False),
    ],
)
def test_json_depth_exceeds_counts_brackets_outside_strings(text, too_deep):
    assert json_depth_exceeds(text, 32) is too_deep
