"""The token of a registration's QR code: which registration, for which meeting, signed.

It holds no personal data, only "1.<reference>.<meeting id>" and a signature by the first
of settings.CONFIRMATION_TOKEN_KEYS; every key of that list verifies, so that a key can
be replaced without voiding the codes already printed. It does not expire: a badge
printed weeks before must still open the door; a cancelled registration is refused by
its status, read at each scan.
"""

import hashlib

from django.conf import settings
from django.core import signing
from django.utils.translation import gettext

from convene.meetings.models import Meeting
from convene.registrations.enums import RegistrationStatus
from convene.registrations.models import Registration

# Its own salt: a token signed for another use (a personal link) never reads as this.
SALT = "convene.onsite.confirmation"
# The layout of the payload; a new layout takes a new number and keeps reading this one.
VERSION = "1"


class TokenRefused(Exception):
    """A code that does not admit its bearer: machine `code`, translated `message`.

    Codes: "tampered", "unknown", "other_meeting", "cancelled", "rejected", "not_approved".
    """

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def _signer() -> signing.Signer:
    first, *older = settings.CONFIRMATION_TOKEN_KEYS
    return signing.Signer(key=first, fallback_keys=older, salt=SALT, algorithm="sha256")


def make_confirmation_token(registration: Registration) -> str:
    """The signed token of the registration's QR code (about 60 ASCII characters)."""
    return _signer().sign(f"{VERSION}.{registration.reference}.{registration.meeting_id}")


def _tampered() -> TokenRefused:
    return TokenRefused(
        "tampered",
        gettext("This code is not valid: it was altered or not issued by this site."),
    )


def check_confirmation(registration: Registration, *, meeting: Meeting | None = None) -> None:
    """Raise TokenRefused unless the registration's code admits its bearer to `meeting`
    (any meeting when None): approved, and for that meeting. The one rule for a scanned
    token, the personal page's QR, the downloaded PDF and the approval email's PDF."""
    if meeting is not None and registration.meeting_id != meeting.pk:
        raise TokenRefused(
            "other_meeting",
            gettext("This code is for another meeting: %(meeting)s.")
            % {"meeting": registration.meeting.title},
        )
    if registration.status == RegistrationStatus.CANCELLED:
        raise TokenRefused("cancelled", gettext("This registration has been cancelled."))
    if registration.status == RegistrationStatus.REJECTED:
        raise TokenRefused("rejected", gettext("This registration was rejected."))
    if registration.status != RegistrationStatus.APPROVED:
        raise TokenRefused("not_approved", gettext("This registration is not approved."))


def read_confirmation_token(token: str, *, meeting: Meeting | None = None) -> Registration:
    """The approved registration a scanned token names, or TokenRefused saying why not:
    altered or signed with an unknown key, no such registration, another meeting than
    `meeting`, cancelled, rejected or otherwise not approved."""
    try:
        payload = _signer().unsign(str(token).strip())
    except signing.BadSignature:
        raise _tampered() from None
    version, _sep, rest = payload.partition(".")
    reference, _sep, meeting_id = rest.partition(".")
    if version != VERSION or not reference or not meeting_id.isdigit():
        raise _tampered()
    try:
        # get(), not first(): the reference is unique, and a scan at the door need not
        # compile and sort by the registrations' ordering.
        registration = Registration.objects.select_related("delegation").get(
            reference=reference, meeting_id=int(meeting_id)
        )
    except Registration.DoesNotExist:
        raise TokenRefused("unknown", gettext("This code matches no registration.")) from None
    # The meeting asked about is the registration's at the door, almost always: reuse it
    # rather than join the widest table again (another meeting is read when shown).
    if meeting is not None and registration.meeting_id == meeting.pk:
        registration.meeting = meeting
    check_confirmation(registration, meeting=meeting)
    return registration


def sha256_hex(text: str) -> str:
    """The hex SHA-256 of `text`: how a device's roster names a code, and how a device's
    API token is kept at rest."""
    return hashlib.sha256(text.encode()).hexdigest()
