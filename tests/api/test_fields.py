"""Strict serializer fields: the wrong JSON type is refused, naming the field, never coerced."""

import json

import pytest
from django.utils import translation
from rest_framework import serializers

from convene.api.fields import (
    StrictBooleanField,
    StrictCharField,
    StrictChoiceField,
    StrictDateField,
    StrictEmailField,
    StrictListField,
    wrong_type_errors,
)
from convene.registrations.models import Registration
from tests.factories.registrations import api_body


class Example(serializers.Serializer):
    name = StrictCharField()
    email = StrictEmailField()
    language = StrictChoiceField(choices=[("en", "English"), ("fr", "French")])
    consent = StrictBooleanField()
    day = StrictDateField()
    days = StrictListField(child=StrictDateField())


VALID = {
    "name": "Awa Diop",
    "email": "awa@example.org",
    "language": "fr",
    "consent": True,
    "day": "2026-03-10",
    "days": ["2026-03-10", "2026-03-11"],
}


def _errors(**changes) -> dict:
    serializer = Example(data={**VALID, **changes})
    serializer.is_valid()
    return {
        name: [str(message) for message in messages] for name, messages in serializer.errors.items()
    }


def test_strict_fields_accept_their_own_json_types():
    serializer = Example(data=VALID)

    assert serializer.is_valid() is True
    assert serializer.validated_data["name"] == "Awa Diop"
    assert serializer.validated_data["consent"] is True


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (123, "Send text here, not a number."),
        (1.5, "Send text here, not a number."),
        (True, "Send text here, not true or false."),
        (["Awa"], "Send text here, not a list."),
        ({"first": "Awa"}, "Send text here, not an object."),
    ],
)
def test_strict_char_field_refuses_other_json_types(value, message):
    assert _errors(name=value) == {"name": [message]}


@pytest.mark.parametrize(
    ("value", "message"),
    [(42, "Send text here, not a number."), (False, "Send text here, not true or false.")],
)
def test_strict_email_and_choice_fields_refuse_other_json_types(value, message):
    assert _errors(email=value, language=value) == {"email": [message], "language": [message]}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("true", "Send true or false here, not text."),
        ("yes", "Send true or false here, not text."),
        (1, "Send true or false here, not a number."),
        (0, "Send true or false here, not a number."),
        ([], "Send true or false here, not a list."),
    ],
)
def test_strict_boolean_field_refuses_anything_but_true_or_false(value, message):
    assert _errors(consent=value) == {"consent": [message]}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("day", 20260310, "Send a date as text (YYYY-MM-DD), not a number."),
        ("days", "2026-03-10", "Send a list here, not text."),
        ("days", ["2026-03-10", 20260311], "Send a date as text (YYYY-MM-DD), not a number."),
    ],
)
def test_strict_date_and_list_fields_refuse_other_json_types(field, value, message):
    assert _errors(**{field: value}) == {field: [message]}


def test_strict_field_message_in_french():
    with translation.override("fr"):
        assert _errors(name=123, consent="oui") == {
            "name": ["Envoyez du texte ici, pas un nombre."],
            "consent": ["Envoyez true ou false ici, pas du texte."],
        }


def test_wrong_type_errors_checks_types_only_and_leaves_nulls():
    errors = wrong_type_errors(
        Example(), {"name": 7, "email": "not an address", "consent": None, "unknown": 1}
    )

    assert errors == {"name": ["Send text here, not a number."]}


def _post(client, meeting, body):
    return client.post(
        f"/api/v1/meetings/{meeting.slug}/registrations/",
        json.dumps(body),
        content_type="application/json",
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("first_name", 123, "Send text here, not a number."),
        ("last_name", True, "Send text here, not true or false."),
        ("institution", 3.14, "Send text here, not a number."),
        ("phone", 221771234567, "Send text here, not a number."),
        ("email", 1, "Send text here, not a number."),
        ("delegation", 7, "Send text here, not a number."),
        ("role", 1, "Send text here, not a number."),
        ("language", True, "Send text here, not true or false."),
        ("consent", "true", "Send true or false here, not text."),
        ("needs_visa_letter", 1, "Send true or false here, not a number."),
        ("consent_participant_list", "yes", "Send true or false here, not text."),
        ("days", "2026-03-10", "Send a list here, not text."),
    ],
)
def test_api_value_of_the_wrong_json_type_answers_400_naming_the_field(
    field, value, message, meeting, senegal, client
):
    response = _post(client, meeting, api_body(**{field: value}))

    assert response.status_code == 400
    assert response.json() == {field: [message]}
    assert Registration.objects.count() == 0
