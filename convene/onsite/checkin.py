"""What the door says: the words and figures of a check-in answer, for the page and the
API alike, and the roster a device holds to check people in while the network is down.

Reads only; the writes are in services (record_checkin and the device functions)."""

from django.utils import formats, timezone
from django.utils.translation import gettext, gettext_noop

from convene.meetings.models import Meeting
from convene.registrations.enums import RegistrationStatus
from convene.registrations.models import Registration

from .enums import CheckinOutcome
from .services import CheckinAnswer
from .tokens import make_confirmation_token, sha256_hex

# One sentence per refusal, in large type on a phone: short, and saying what to do.
REFUSALS = {
    CheckinOutcome.NOT_APPROVED: gettext_noop("Not approved: see the Secretariat's desk."),
    CheckinOutcome.REJECTED: gettext_noop("Rejected: see the Secretariat's desk."),
    CheckinOutcome.CANCELLED: gettext_noop("Cancelled: this registration was cancelled."),
    CheckinOutcome.OTHER_MEETING: gettext_noop("Another meeting: this code is not for this one."),
    CheckinOutcome.UNKNOWN: gettext_noop("Unknown: no registration has this code or reference."),
    CheckinOutcome.TAMPERED: gettext_noop("Altered: this code was not issued by Convene."),
    CheckinOutcome.GARBAGE: gettext_noop("Not a Convene code."),
    CheckinOutcome.NOT_TODAY: gettext_noop("Not today: the meeting is not held today."),
}


def delegation_label(registration: Registration) -> str:
    """What the door says the person represents: the delegation, else the institution."""
    if registration.delegation_id is not None:
        return registration.delegation.name
    return registration.institution


def checkin_message(answer: CheckinAnswer) -> str:
    """The answer in words, in the active language."""
    registration = answer.registration
    if answer.outcome == CheckinOutcome.WELCOME:
        return gettext("Welcome, %(name)s (%(delegation)s)") % {
            "name": registration.full_name,
            "delegation": delegation_label(registration),
        }
    if answer.outcome == CheckinOutcome.ALREADY_IN:
        attendance = answer.attendance
        at = timezone.localtime(attendance.checked_in_at, registration.meeting.tzinfo)
        values = {
            "name": registration.full_name,
            "time": formats.time_format(at, "H:i"),
            "device": attendance.device.name if attendance.device_id else gettext("the desk"),
        }
        return gettext("%(name)s: already checked in at %(time)s by %(device)s") % values
    return gettext(REFUSALS[answer.outcome])


def answer_payload(answer: CheckinAnswer) -> dict:
    """The answer as JSON for the page's script and the API: outcome code, whether the
    person may come in, the sentence to show, and who (name, delegation, reference)."""
    registration = answer.registration
    admitted = answer.admitted
    payload = {
        "id": str(answer.scan.client_id),
        "outcome": answer.outcome,
        "admitted": admitted,
        "message": checkin_message(answer),
        "replayed": answer.replayed,
        "registration": None,
        "checked_in_at": None,
    }
    if registration is not None and admitted:
        payload["registration"] = {
            "reference": registration.reference,
            "name": registration.full_name,
            "delegation": delegation_label(registration),
        }
        payload["checked_in_at"] = answer.attendance.checked_in_at.isoformat()
    return payload


def roster_of(meeting: Meeting) -> list[dict]:
    """The approved delegates of `meeting` as a device holds them: name, delegation,
    reference and the hash of their code, nothing more (no email, phone, passport)."""
    registrations = (
        Registration.objects.filter(meeting=meeting, status=RegistrationStatus.APPROVED)
        .select_related("delegation")
        .order_by("last_name", "first_name", "id")
    )
    return [
        {
            "reference": registration.reference,
            "name": registration.full_name,
            "delegation": delegation_label(registration),
            # How the roster names a QR code: the SHA-256 of its text, which the device
            # computes from what it scans; the code itself never leaves in the roster.
            "token_hash": sha256_hex(make_confirmation_token(registration)),
        }
        for registration in registrations
    ]
