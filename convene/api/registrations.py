"""POST /api/v1/meetings/<slug>/registrations/: the registration form, as JSON.

Validation is the registration form's own, so the API and the web form accept and
refuse exactly the same input, with the same translated messages
(language from Accept-Language).
"""

import re

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from convene.api.fields import (
    StrictBooleanField,
    StrictCharField,
    StrictChoiceField,
    StrictDateField,
    StrictEmailField,
    StrictListField,
    wrong_type_errors,
)
from convene.core.enums import Language
from convene.dialogues.cached_reads import current_partner
from convene.meetings.enums import Category
from convene.meetings.models import Meeting
from convene.meetings.permissions import can_view_meeting
from convene.meetings.selectors import meeting_for_registration
from convene.registrations.enums import (
    DelegationRole,
    LevelOfGovernment,
    Participation,
    PersonTitle,
    Source,
)
from convene.registrations.errors import BusyError, RegistrationError
from convene.registrations.forms import RegistrationForm
from convene.registrations.ratelimits import is_limited
from convene.registrations.services import (
    category_for_partner,
    submit_self_registration,
    submitted_message,
)


class RegistrationRequest(serializers.Serializer):
    """The request body: its JSON types are checked here, its values by RegistrationForm."""

    first_name = StrictCharField(max_length=100, help_text="As in the passport.")
    last_name = StrictCharField(max_length=100, help_text="As in the passport.")
    email = StrictEmailField()
    phone = StrictCharField(help_text="International format, e.g. +221771234567.")
    delegation = StrictCharField(
        required=False, help_text='Partner code as in the reference data, e.g. "SN", "EU".'
    )
    category = StrictChoiceField(
        choices=Category.choices,
        required=False,
        help_text="Needed only for invited categories; derived from the delegation otherwise.",
    )
    institution = StrictCharField(max_length=200)
    function = StrictCharField(max_length=200)
    level_of_government = StrictChoiceField(choices=LevelOfGovernment.choices)
    role = StrictChoiceField(choices=DelegationRole.choices)
    participation = StrictChoiceField(choices=Participation.choices, required=False)
    language = StrictChoiceField(
        choices=Language.choices, help_text="Language for emails and documents."
    )
    consent = StrictBooleanField(help_text="Consent to the processing of personal data.")
    title = StrictChoiceField(choices=PersonTitle.choices, required=False)
    days = StrictListField(child=StrictDateField(), required=False)
    dietary_needs = StrictCharField(required=False, max_length=300)
    accessibility_needs = StrictCharField(required=False, max_length=300)
    needs_visa_letter = StrictBooleanField(
        required=False, help_text="The delegate needs a visa support letter."
    )
    consent_participant_list = StrictBooleanField(
        required=False, help_text="The delegate agrees to appear on the participant list."
    )


ACCEPTED = inline_serializer(
    "RegistrationAccepted",
    {
        "email": serializers.EmailField(help_text="The address the next step was sent to."),
        "message": serializers.CharField(help_text="What to do next, translated."),
    },
)
ERRORS = inline_serializer(
    "RegistrationErrors",
    {"field_name": serializers.ListField(child=serializers.CharField())},
)


class RegistrationRateThrottle(BaseThrottle):
    def allow_request(self, request, view):
        return not is_limited(request._request, "register")


# Partner codes as in the reference data ("SN", "EU", "ECOWAS"); anything else is unknown
# without a query (PostgreSQL refuses NUL characters in a query parameter).
PARTNER_CODE = re.compile(r"[A-Za-z0-9-]{1,12}")
UNPAIRED_SURROGATE = re.compile(r"[\ud800-\udfff]")
# API name -> form name of the yes/no fields.
FLAGS = {
    "consent": "consent_processing",
    "needs_visa_letter": "needs_visa_letter",
    "consent_participant_list": "consent_participant_list",
}


def _has_unpaired_surrogate(value) -> bool:
    """JSON can escape a lone surrogate ("\\ud800"), which no text column can store."""
    if isinstance(value, str):
        return UNPAIRED_SURROGATE.search(value) is not None
    if isinstance(value, dict):
        return any(
            _has_unpaired_surrogate(k) or _has_unpaired_surrogate(v) for k, v in value.items()
        )
    if isinstance(value, list):
        return any(_has_unpaired_surrogate(item) for item in value)
    return False


def _form_data(meeting: Meeting, payload: dict) -> tuple[dict, dict]:
    """Map the API's field names onto the form's; returns (form data, errors of its own)."""
    # A number or true for a name, a string for a yes/no: refused, never coerced.
    errors = wrong_type_errors(RegistrationRequest(), payload)
    data = {}
    for key, value in payload.items():
        if not isinstance(key, str) or _has_unpaired_surrogate(key) or key == "consent_processing":
            continue
        if key in errors:
            continue
        if _has_unpaired_surrogate(value):
            errors[key] = [_("Remove the invisible control characters.")]
        elif isinstance(value, dict | list) and key != "days":
            errors[key] = [_("Enter a valid value.")]
        else:
            data[key] = value
    code = str(data.pop("delegation", "") or "").strip()
    if code:
        partner = (
            current_partner(meeting.dialogue_id, code) if PARTNER_CODE.fullmatch(code) else None
        )
        if partner is None:
            errors["delegation"] = [
                _("Unknown partner code “%(code)s”: use a code such as SN, FR or EU.")
                % {"code": code[:20]}
            ]
            data.setdefault("category", Category.PARTNER_COUNTRY)
        else:
            data["delegation"] = partner  # the form takes the partner as read here
            data.setdefault("category", category_for_partner(partner))
    else:
        # No partner named: ask for one, unless the client chose an invited category.
        data.setdefault("category", Category.PARTNER_COUNTRY)
    if "days" not in data:
        data["days"] = [day.isoformat() for day in meeting.days]
    for api_name, form_name in FLAGS.items():
        # An unchecked box is an absent key for a Django form, which would read any
        # non-empty value ("no", "off") as checked: parse yes/no strictly instead.
        value = data.pop(api_name, None)
        if value is None:
            continue
        try:
            checked = serializers.BooleanField().to_internal_value(value)
        except serializers.ValidationError as error:
            errors[api_name] = [str(message) for message in error.detail]
            continue
        if checked:
            data[form_name] = True
    return data, errors


class MeetingRegistrations(APIView):
    authentication_classes = []
    permission_classes = []
    throttle_classes = [RegistrationRateThrottle]

    @extend_schema(
        operation_id="create_registration",
        summary="Register a delegate for a meeting",
        request=RegistrationRequest,
        description=(
            "Every accepted registration is answered 202 with the same body, whether or not "
            "the address already has a registration for the meeting: the next step (a link "
            "to confirm the address, or the link to the existing registration) goes to the "
            "address by email, so that nobody learns here who is registered."
        ),
        responses={
            202: ACCEPTED,
            400: ERRORS,
            404: None,
            429: None,
            503: OpenApiResponse(
                ERRORS,
                description="Very busy or the database away for a moment: nothing was saved; "
                "send the same request again after the seconds in Retry-After.",
            ),
        },
        examples=[
            OpenApiExample(
                "Senegal delegate",
                value={
                    "first_name": "Awa",
                    "last_name": "Diop",
                    "email": "awa.diop@example.org",
                    "phone": "+221771234567",
                    "delegation": "SN",
                    "institution": "Ministry of Foreign Affairs",
                    "function": "Director",
                    "level_of_government": "national",
                    "role": "head",
                    "participation": "in_person",
                    "language": "fr",
                    "consent": True,
                },
                request_only=True,
            )
        ],
    )
    def post(self, request, slug):
        meeting = meeting_for_registration(slug)
        if meeting is None or not can_view_meeting(request.user, meeting):
            raise Http404
        if not isinstance(request.data, dict):
            return Response(
                {"non_field_errors": [_("Send a JSON object.")]}, status=status.HTTP_400_BAD_REQUEST
            )
        data, errors = _form_data(meeting, request.data)
        form = RegistrationForm(data, meeting=meeting)
        if not form.is_valid() or errors:
            return Response({**_errors(form), **errors}, status=status.HTTP_400_BAD_REQUEST)
        registration_data = form.registration_data()
        try:
            submit_self_registration(meeting, data=registration_data, source=Source.API)
        except BusyError:
            # Answered 503 with Retry-After by DatabaseUnavailableMiddleware, like a
            # database away for a moment: nothing was saved, the same request may be sent again.
            raise
        except RegistrationError as error:
            field = {"consent_processing": "consent"}.get(error.field, error.field)
            return Response(
                {field or "non_field_errors": [error.message], "code": error.code},
                status=status.HTTP_400_BAD_REQUEST,
            )
        email = registration_data["email"]
        return Response(
            {"email": email, "message": submitted_message(email)},
            status=status.HTTP_202_ACCEPTED,
        )


def _errors(form) -> dict:
    renamed = {"consent_processing": "consent", "__all__": "non_field_errors"}
    return {
        renamed.get(name, name): [str(message) for message in messages]
        for name, messages in form.errors.items()
    }
