"""/api/v1/check-in/: the door's API for scanners of other makes.

A scanner holds one device's token (issued by the Secretariat in the back-office:
services.issue_checkin_api_token), sends it as `Authorization: Bearer <token>`, and
then does what the check-in page does: download the meeting's roster, send the
check-ins it made (in batches, when the network allows), each under an id of its own
so that sending a batch again changes nothing. The device is the principal
(`request.auth`); its meeting is the only one it reaches. Messages follow
Accept-Language.
"""

import datetime
import hashlib

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.http import parse_etags, quote_etag
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_ratelimit.core import is_ratelimited
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import exceptions, serializers, status
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from convene.api.fields import (
    StrictAwareDateTimeField,
    StrictCharField,
    StrictIntegerField,
    StrictUUIDField,
)
from convene.core.bilingual import active_language, localized
from convene.meetings.models import Meeting
from convene.onsite.checkin import answer_payload, roster_of
from convene.onsite.enums import CheckinOutcome
from convene.onsite.errors import CheckinError
from convene.onsite.models import CheckinDevice
from convene.onsite.services import record_checkin, record_device_contact
from convene.onsite.tokens import sha256_hex
from convene.registrations.enums import RegistrationStatus
from convene.registrations.models import Registration

# Largest batch of check-ins in one request: a device back online after an hour at a
# busy door sends its queue in several.
MAX_BATCH = 200
# A token is 43 URL-safe characters (services.new_checkin_token); anything much longer
# is not one, and is refused without hashing it.
MAX_TOKEN_LENGTH = 128


# What the API reads of a device and its meeting, on every request: the meeting's table
# is wide, and compiling and reading all of it was a good part of a scan's time.
DEVICE_FIELDS = (
    "name",
    "meeting_id",
    "last_seen_at",
    "queued_count",
    "revoked_at",
    "meeting__slug",
    "meeting__title_en",
    "meeting__title_fr",
    "meeting__time_zone",
    "meeting__starts_on",
    "meeting__ends_on",
    "meeting__updated_at",
)


# --- authentication ------------------------------------------------------------------


class DeviceRevoked(exceptions.APIException):
    status_code = status.HTTP_403_FORBIDDEN
    default_detail = gettext_lazy(
        "This device has been revoked: ask the Secretariat for a new token."
    )
    default_code = "revoked"

    def __init__(self):
        # The code in the body too, so that a scanner can tell it from a wrong token.
        super().__init__({"detail": str(self.default_detail), "code": self.default_code})


class CheckinTokenAuthentication(BaseAuthentication):
    """`Authorization: Bearer <token>` names a check-in device by the SHA-256 of its token
    (the only form kept): one indexed lookup, the token itself never compared or stored.

    Answers 401 for a missing or unknown token, 403 (code "revoked") for a revoked
    device. Authenticates no user: `request.user` is anonymous, `request.auth` the device.
    """

    keyword = "Bearer"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            raise exceptions.NotAuthenticated(
                _("Send the device's token in the header: Authorization: Bearer <token>.")
            )
        if len(parts) != 2 or len(parts[1]) > MAX_TOKEN_LENGTH:
            raise exceptions.AuthenticationFailed(_("This token is not valid."))
        try:
            token = parts[1].decode("ascii")
        except UnicodeDecodeError as error:
            raise exceptions.AuthenticationFailed(_("This token is not valid.")) from error
        try:
            # get(), not first(): no ordering to compile and sort by, for every request.
            device = (
                CheckinDevice.objects.select_related("meeting")
                .only(*DEVICE_FIELDS)
                .get(token_hash=sha256_hex(token))
            )
        except CheckinDevice.DoesNotExist as error:
            raise exceptions.AuthenticationFailed(_("This token is not valid.")) from error
        if device.is_revoked:
            raise DeviceRevoked()
        return AnonymousUser(), device

    def authenticate_header(self, request):
        # Makes DRF answer 401 (with WWW-Authenticate) rather than 403 to a missing token.
        return self.keyword


class CheckinTokenScheme(OpenApiAuthenticationExtension):
    target_class = "convene.api.checkin.CheckinTokenAuthentication"
    name = "checkinDeviceToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "The token of one check-in device, issued once by the Secretariat in the "
                "back-office (kept there only as its SHA-256). Revoking the device refuses it."
            ),
        }


class IsCheckinDevice(BasePermission):
    def has_permission(self, request, view):
        return isinstance(request.auth, CheckinDevice)


class DeviceRateThrottle(BaseThrottle):
    """CHECKIN_API_RATE_LIMIT requests per device (e.g. "1200/m"; "off" lifts it), counted
    across every app process like the other rate limits."""

    def allow_request(self, request, view):
        device = request.auth
        rate = (settings.CHECKIN_API_RATE_LIMIT or "").strip().lower()
        if not isinstance(device, CheckinDevice) or rate in ("", "off", "none"):
            return True
        return not is_ratelimited(
            request._request,
            group="checkin-api",
            key=lambda _group, _request: f"device:{device.pk}",
            rate=rate,
            increment=True,
        )


# At a busy door a device speaks several times a second: its last contact is written at
# most this often (and whenever its queue changes), not once per request.
CONTACT_PRECISION = datetime.timedelta(seconds=10)


def note_contact(device: CheckinDevice, *, queued: int | None = None) -> None:
    """services.record_device_contact, unless the device's last contact is that recent and
    its queue unchanged: the Secretariat's list reads to the minute, and every write is a
    commit on the database's busiest minutes."""
    seen = device.last_seen_at
    fresh = seen is not None and timezone.now() - seen < CONTACT_PRECISION
    if fresh and (queued is None or queued == device.queued_count):
        return
    record_device_contact(device, queued_count=queued)


class DeviceAPIView(APIView):
    authentication_classes = [CheckinTokenAuthentication]
    permission_classes = [IsCheckinDevice]
    throttle_classes = [DeviceRateThrottle]


# --- the device and its meeting ------------------------------------------------------


def meeting_payload(meeting: Meeting) -> dict:
    return {
        "slug": meeting.slug,
        "title": localized(meeting, "title"),
        "title_en": meeting.title_en,
        "title_fr": meeting.title_fr,
        "time_zone": meeting.time_zone,
        "days": [day.isoformat() for day in meeting.days],
    }


MEETING = inline_serializer(
    "CheckinMeeting",
    {
        "slug": serializers.CharField(),
        "title": serializers.CharField(help_text="In the language of Accept-Language."),
        "title_en": serializers.CharField(),
        "title_fr": serializers.CharField(),
        "time_zone": serializers.CharField(help_text="The venue's, e.g. Africa/Dakar."),
        "days": serializers.ListField(child=serializers.DateField()),
    },
)
ERROR = inline_serializer(
    "CheckinError",
    {
        "detail": serializers.CharField(help_text="What went wrong, translated."),
        "code": serializers.CharField(required=False, help_text='"revoked" for a revoked device.'),
    },
)
AUTH_RESPONSES = {
    401: OpenApiResponse(ERROR, description="No token, or not a valid one."),
    403: OpenApiResponse(ERROR, description='The device was revoked (code "revoked").'),
    429: OpenApiResponse(ERROR, description="Over the device's rate (CHECKIN_API_RATE_LIMIT)."),
}


class CheckinDeviceDetail(DeviceAPIView):
    @extend_schema(
        operation_id="checkin_device",
        summary="The device this token belongs to",
        description="For a scanner to check its token: the device's name, its meeting, and "
        "its contact with the server before this one.",
        responses={
            200: inline_serializer(
                "CheckinDevice",
                {
                    "name": serializers.CharField(),
                    "meeting": MEETING,
                    "last_contact": serializers.DateTimeField(allow_null=True),
                    "queued": serializers.IntegerField(
                        help_text="Check-ins waiting on the device, as it last said."
                    ),
                },
            ),
            **AUTH_RESPONSES,
        },
    )
    def get(self, request):
        device = request.auth
        payload = {
            "name": device.name,
            "meeting": meeting_payload(device.meeting),
            "last_contact": device.last_seen_at.isoformat() if device.last_seen_at else None,
            "queued": device.queued_count,
        }
        note_contact(device)
        response = Response(payload)
        response["Cache-Control"] = "private, no-store"
        return response


# --- the roster ----------------------------------------------------------------------


def roster_etag(meeting: Meeting) -> str:
    """A fingerprint of the roster, cheap to compute: the approved registrations' count
    and latest change, the meeting's latest change, the signing key of the codes (their
    hashes change with it) and the language (delegations are named in it)."""
    figures = Registration.objects.filter(
        meeting=meeting, status=RegistrationStatus.APPROVED
    ).aggregate(count=Count("id"), latest=Max("updated_at"))
    latest = figures["latest"].isoformat() if figures["latest"] else "-"
    key = settings.CONFIRMATION_TOKEN_KEYS[0]
    text = "|".join(
        [
            str(meeting.pk),
            meeting.updated_at.isoformat(),
            str(figures["count"]),
            latest,
            active_language(),
            hashlib.sha256(key.encode()).hexdigest()[:16],
        ]
    )
    return quote_etag(sha256_hex(text)[:32])


class CheckinRoster(DeviceAPIView):
    @extend_schema(
        operation_id="checkin_roster",
        summary="The roster of the device's meeting",
        description=(
            "The approved delegates, as a device holds them to check people in while the "
            "network is down: reference, name, delegation and the SHA-256 (hex) of the "
            "text of their QR code, nothing more. Send the ETag back in If-None-Match: "
            "the answer is 304, with no body, while nothing changed."
        ),
        parameters=[
            OpenApiParameter(
                "If-None-Match",
                str,
                OpenApiParameter.HEADER,
                description="The ETag of the roster the device holds.",
            )
        ],
        responses={
            200: inline_serializer(
                "CheckinRoster",
                {
                    "meeting": MEETING,
                    "roster": serializers.ListField(
                        child=inline_serializer(
                            "CheckinRosterEntry",
                            {
                                "reference": serializers.CharField(),
                                "name": serializers.CharField(),
                                "delegation": serializers.CharField(),
                                "token_hash": serializers.CharField(
                                    help_text="SHA-256 (hex) of the QR code's text."
                                ),
                            },
                        )
                    ),
                },
            ),
            304: OpenApiResponse(description="The roster has not changed since that ETag."),
            **AUTH_RESPONSES,
        },
    )
    def get(self, request):
        device = request.auth
        meeting = device.meeting
        etag = roster_etag(meeting)
        note_contact(device)
        held = parse_etags(request.headers.get("If-None-Match", "")[:1000])
        if etag in held or "*" in held:
            response = Response(status=status.HTTP_304_NOT_MODIFIED)
        else:
            response = Response({"meeting": meeting_payload(meeting), "roster": roster_of(meeting)})
        response["ETag"] = etag
        # The device may keep it and ask again; no shared cache may.
        response["Cache-Control"] = "private, no-cache"
        response["Vary"] = "Accept-Language, Authorization"
        return response


# --- the check-ins -------------------------------------------------------------------


class CheckinItem(serializers.Serializer):
    id = StrictUUIDField(help_text="Made on the device, once per scan: the same id, one scan.")
    code = StrictCharField(
        required=False,
        allow_blank=True,
        max_length=500,
        help_text="The text of the scanned QR code (badge or confirmation).",
    )
    reference = StrictCharField(
        required=False,
        allow_blank=True,
        max_length=12,
        help_text="A registration's reference, when the person was found by a search.",
    )
    scanned_at = StrictAwareDateTimeField(
        help_text="When the device scanned, ISO 8601 with its offset from UTC."
    )

    def validate(self, attrs):
        given = [name for name in ("code", "reference") if attrs.get(name, "").strip()]
        if len(given) != 1:
            raise serializers.ValidationError(
                _("Send either a code or a reference, not both nor neither."), code="one_of"
            )
        return attrs


class CheckinBatch(serializers.Serializer):
    queued = StrictIntegerField(
        required=False,
        min_value=0,
        max_value=1_000_000,
        help_text="Check-ins still waiting on the device after this batch.",
    )
    checkins = CheckinItem(many=True, min_length=1, max_length=MAX_BATCH)


RESULT = inline_serializer(
    "CheckinResult",
    {
        "id": serializers.UUIDField(),
        "outcome": serializers.ChoiceField(choices=CheckinOutcome.choices),
        "admitted": serializers.BooleanField(help_text="Whether the person may come in."),
        "message": serializers.CharField(help_text="The answer in words, translated."),
        "replayed": serializers.BooleanField(
            help_text="This id had been received before: the first answer, nothing changed."
        ),
        "registration": inline_serializer(
            "CheckinPerson",
            {
                "reference": serializers.CharField(),
                "name": serializers.CharField(),
                "delegation": serializers.CharField(),
            },
            allow_null=True,
        ),
        "checked_in_at": serializers.DateTimeField(
            allow_null=True, help_text="The day's first check-in of the person."
        ),
    },
)


class CheckinScans(DeviceAPIView):
    @extend_schema(
        operation_id="checkin_scans",
        summary="Send check-ins",
        description=(
            f"One to {MAX_BATCH} check-ins, answered in the order sent. Each is recorded "
            "under its id: sending it again (a batch whose answer was lost) answers as the "
            "first time and records nothing more. Two devices checking in one person on "
            "one day make one attendance, the earlier scan's. A batch with any invalid "
            "item is refused whole (400, errors per item) and nothing of it is recorded."
        ),
        request=CheckinBatch,
        responses={
            200: inline_serializer(
                "CheckinResults", {"results": serializers.ListField(child=RESULT)}
            ),
            400: OpenApiResponse(
                inline_serializer(
                    "CheckinBatchErrors",
                    {"checkins": serializers.DictField(child=serializers.DictField())},
                ),
                description=(
                    'Errors per item, keyed by its place in the batch from 0 ({"checkins": '
                    '{"3": {"scanned_at": [...]}}}), or of the batch as a whole '
                    '({"checkins": {"non_field_errors": [...]}}, {"queued": [...]}).'
                ),
            ),
            **AUTH_RESPONSES,
        },
        examples=[
            OpenApiExample(
                "A scan and a search",
                value={
                    "queued": 0,
                    "checkins": [
                        {
                            "id": "0f8fad5b-d9cb-469f-a165-70867728950e",
                            "code": "1.AWA2031X.42:Vq3sZk0b6P1hLrPcx3lHnA4uM0E",
                            "scanned_at": "2031-09-01T09:12:04+00:00",
                        },
                        {
                            "id": "7c9e6679-7425-40de-944b-e07fc1f90ae7",
                            "reference": "KB7Q2M4T",
                            "scanned_at": "2031-09-01T09:12:31+00:00",
                        },
                    ],
                },
                request_only=True,
            ),
            OpenApiExample(
                "Welcome",
                value={
                    "results": [
                        {
                            "id": "0f8fad5b-d9cb-469f-a165-70867728950e",
                            "outcome": "welcome",
                            "admitted": True,
                            "message": "Welcome, Awa Ndiaye (Senegal)",
                            "replayed": False,
                            "registration": {
                                "reference": "AWA2031X",
                                "name": "Awa Ndiaye",
                                "delegation": "Senegal",
                            },
                            "checked_in_at": "2031-09-01T09:12:04+00:00",
                        }
                    ]
                },
                response_only=True,
                status_codes=["200"],
            ),
        ],
    )
    def post(self, request):
        device = request.auth
        if not isinstance(request.data, dict):
            return Response(
                {"non_field_errors": [_("Send a JSON object.")]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        batch = CheckinBatch(data=request.data)
        if not batch.is_valid():
            return Response(batch.errors, status=status.HTTP_400_BAD_REQUEST)
        results = []
        try:
            for item in batch.validated_data["checkins"]:
                answer = record_checkin(
                    device,
                    client_id=item["id"],
                    scanned_at=item["scanned_at"],
                    code=item.get("code", "").strip(),
                    reference=item.get("reference", "").strip(),
                )
                results.append(answer_payload(answer))
        except CheckinError as error:
            if error.code == "revoked":
                raise DeviceRevoked() from error
            raise exceptions.PermissionDenied(error.message) from error
        note_contact(device, queued=batch.validated_data.get("queued"))
        return Response({"results": results})
