"""Every API error has a JSON body; the HTML pages answer a request Django refuses with 400."""

import pytest
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from rest_framework.exceptions import ValidationError

from convene.api.errors import api_exception_handler
from tests.html import parse


@pytest.mark.parametrize(
    ("exception", "status", "body"),
    [
        (RequestDataTooBig("too big"), 413, {"detail": "The request body is too large."}),
        (TooManyFieldsSent("too many"), 400, {"detail": "The request could not be read."}),
        (ValidationError({"first_name": ["Bad."]}), 400, {"first_name": ["Bad."]}),
    ],
)
def test_api_exception_handler_answers_json(exception, status, body):
    response = api_exception_handler(exception, {})

    assert (response.status_code, response.data) == (status, body)


def test_api_exception_handler_leaves_unexpected_errors_to_django():
    # A database outage must reach the middleware that answers 503.
    assert api_exception_handler(RuntimeError("boom"), {}) is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "heading"),
    [("en", "The request could not be read"), ("fr", "La requête n\u2019a pas pu être lue")],
)
def test_page_with_too_many_fields_answers_a_translated_400_page(
    client, settings, language, heading
):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    fields = {f"field{number}": "x" for number in range(50)}

    response = client.post(f"/{language}/admin/login/", fields)

    assert response.status_code == 400
    assert parse(response).texts("h1") == [heading]


@pytest.mark.django_db
def test_page_with_a_body_too_large_answers_400(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024

    response = client.post("/en/admin/login/", {"username": "x" * 5000, "password": "y"})

    assert response.status_code == 400
    assert parse(response).texts("h1") == ["The request could not be read"]
