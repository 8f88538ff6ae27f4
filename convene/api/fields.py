"""Serializer fields that take only the JSON type they document.

DRF's own fields coerce: a CharField stores the number 123 as "123" and `true` as
"True", a BooleanField reads "yes", "off" or 0. An API client that sends the wrong
type has a bug; storing its coercion hides it. These fields refuse it with a 400 that
names the field.
"""

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


def _kind(value) -> str:
    """What a JSON value is, in words, for an error message."""
    if isinstance(value, bool):
        return pgettext("JSON value", "true or false")
    if isinstance(value, int | float):
        return pgettext("JSON value", "a number")
    if isinstance(value, str):
        return pgettext("JSON value", "text")
    if isinstance(value, list):
        return pgettext("JSON value", "a list")
    if isinstance(value, dict):
        return pgettext("JSON value", "an object")
    return pgettext("JSON value", "another kind of value")


class StrictTypeMixin:
    """Refuse a value whose JSON type is not `json_types`, before any coercion."""

    json_types: tuple[type, ...] = (str,)

    def wrong_type_message(self, value) -> str:
        return _("Send text here, not %(kind)s.") % {"kind": _kind(value)}

    def check_type(self, value) -> None:
        # bool is a subclass of int: true is never a number here.
        if isinstance(value, bool) and bool not in self.json_types:
            raise serializers.ValidationError(self.wrong_type_message(value), code="wrong_type")
        if not isinstance(value, self.json_types):
            raise serializers.ValidationError(self.wrong_type_message(value), code="wrong_type")

    def to_internal_value(self, data):
        self.check_type(data)
        return super().to_internal_value(data)


class StrictCharField(StrictTypeMixin, serializers.CharField):
    pass


class StrictEmailField(StrictTypeMixin, serializers.EmailField):
    pass


class StrictChoiceField(StrictTypeMixin, serializers.ChoiceField):
    pass


class StrictDateField(StrictTypeMixin, serializers.DateField):
    def wrong_type_message(self, value) -> str:
        return _("Send a date as text (YYYY-MM-DD), not %(kind)s.") % {"kind": _kind(value)}


class StrictBooleanField(StrictTypeMixin, serializers.BooleanField):
    json_types = (bool,)

    def wrong_type_message(self, value) -> str:
        return _("Send true or false here, not %(kind)s.") % {"kind": _kind(value)}


class StrictListField(StrictTypeMixin, serializers.ListField):
    json_types = (list,)

    def wrong_type_message(self, value) -> str:
        return _("Send a list here, not %(kind)s.") % {"kind": _kind(value)}

    def check_type(self, value) -> None:
        super().check_type(value)
        child = self.child
        if isinstance(child, StrictTypeMixin):
            for item in value:
                child.check_type(item)


def wrong_type_errors(serializer: serializers.Serializer, payload: dict) -> dict[str, list[str]]:
    """{field name: [message]} for each value of `payload` of the wrong JSON type.

    Only the types are checked, so that a view validating with a form (as the
    registration endpoint does) still gives the form's messages for everything else.
    A null is left to the required-field check.
    """
    errors = {}
    for name, field in serializer.fields.items():
        value = payload.get(name)
        if value is None or not isinstance(field, StrictTypeMixin):
            continue
        try:
            field.check_type(value)
        except serializers.ValidationError as error:
            errors[name] = [str(message) for message in error.detail]
    return errors


class StrictIntegerField(StrictTypeMixin, serializers.IntegerField):
    json_types = (int,)

    def wrong_type_message(self, value) -> str:
        return _("Send a whole number here, not %(kind)s.") % {"kind": _kind(value)}


class StrictUUIDField(StrictTypeMixin, serializers.UUIDField):
    def wrong_type_message(self, value) -> str:
        return _("Send a UUID as text here, not %(kind)s.") % {"kind": _kind(value)}


@extend_schema_field(OpenApiTypes.DATETIME)
class StrictAwareDateTimeField(StrictTypeMixin, serializers.Field):
    """An ISO 8601 date and time with its offset from UTC ("2031-09-01T09:12:00+00:00",
    "…Z"). A time without an offset is refused, never read in the server's zone: a
    device's local time and the server's may differ by hours."""

    def wrong_type_message(self, value) -> str:
        return _("Send a date and time as text (ISO 8601), not %(kind)s.") % {"kind": _kind(value)}

    def to_internal_value(self, data):
        self.check_type(data)
        try:
            value = parse_datetime(data.strip()) if len(data) <= 64 else None
        except ValueError:
            value = None
        if value is None:
            raise serializers.ValidationError(
                _("Enter a date and time in ISO 8601, e.g. 2031-09-01T09:12:00+00:00."),
                code="invalid",
            )
        if timezone.is_naive(value):
            raise serializers.ValidationError(
                _("Give the time with its offset from UTC, e.g. 2031-09-01T09:12:00+00:00."),
                code="naive",
            )
        return value

    def to_representation(self, value):
        return value.isoformat()
