import datetime
import zoneinfo

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from convene.core.bilingual import missing_translations
from convene.core.locks import row_locked
from convene.core.services import record_audit_entry
from convene.dialogues.models import Domain

from .enums import MeetingStatus
from .errors import MeetingError
from .models import Meeting, Session, Speaker
from .permissions import can_publish_meeting
from .signals import meeting_status_changed

# From each status, where it may go. Unpublishing returns a meeting to draft.
ALLOWED_TRANSITIONS = {
    MeetingStatus.DRAFT: {MeetingStatus.PUBLISHED, MeetingStatus.CANCELLED},
    MeetingStatus.PUBLISHED: {MeetingStatus.DRAFT, MeetingStatus.CANCELLED},
    MeetingStatus.CANCELLED: {MeetingStatus.DRAFT},
}


def publication_problems(meeting: Meeting) -> list[str]:
    """Translated reasons why the meeting cannot be published yet; empty when it can."""
    problems = []
    missing = missing_translations(meeting, Meeting.BILINGUAL_REQUIRED)
    if missing:
        labels = ", ".join(str(Meeting._meta.get_field(name).verbose_name) for name in missing)
        problems.append(_("Fill in both languages: %(fields)s.") % {"fields": labels})
    for session in meeting.sessions.all():
        if missing_translations(session, session.BILINGUAL_REQUIRED):
            problems.append(
                _("The session at %(time)s on %(day)s needs its title in both languages.")
                % {"time": f"{session.start_time:%H:%M}", "day": f"{session.day:%Y-%m-%d}"}
            )
        if not meeting.starts_on <= session.day <= meeting.ends_on:
            problems.append(
                _("The session “%(title)s” falls outside the meeting's dates.")
                % {"title": session.title}
            )
    return problems


def set_meeting_status(meeting: Meeting, new_status: str, *, actor, reason: str = "") -> Meeting:
    """The one door for a meeting's status: checks, saves, audits.

    Publishing requires the Secretariat and complete content in both languages.
    Raises MeetingError with code "forbidden", "transition" or "incomplete", and
    TryAgainLater when the meeting's lock is not granted in time.
    """
    new_status = MeetingStatus(new_status)
    if not can_publish_meeting(actor, meeting):
        raise MeetingError(
            "forbidden", _("Only the Secretariat can publish or withdraw a meeting.")
        )
    # Registrations take this lock to count places: the wait is bounded the same way.
    with row_locked(Meeting.objects.all(), meeting.pk) as locked:
        old_status = MeetingStatus(locked.status)
        if new_status not in ALLOWED_TRANSITIONS[old_status]:
            raise MeetingError(
                "transition",
                _("A meeting cannot go from “%(old)s” to “%(new)s”.")
                % {"old": old_status.label, "new": new_status.label},
            )
        if new_status == MeetingStatus.PUBLISHED:
            problems = publication_problems(locked)
            if problems:
                raise MeetingError("incomplete", " ".join(problems))
            locked.published_at = timezone.now()
        locked.status = new_status
        locked.save(update_fields=["status", "published_at", "updated_at"])
        record_audit_entry(
            locked,
            actor=actor,
            action="meeting.status",
            from_state=old_status,
            to_state=new_status,
            reason=reason,
        )
        meeting_status_changed.send(
            sender=Meeting,
            meeting=locked,
            old_status=old_status,
            new_status=new_status,
            actor=actor,
        )
    meeting.status, meeting.published_at = locked.status, locked.published_at
    return meeting


def import_meeting(spec: dict, *, dialogue, actor) -> tuple[Meeting, bool]:
    """Create a meeting with its programme from a spec (see meetings/demo/meetings.json).

    Returns (meeting, created). A meeting whose slug exists is left untouched, so
    re-running never duplicates or overwrites what staff edited. Publishes the new
    meeting through set_meeting_status when spec["publish"] is not False.
    """
    existing = Meeting.objects.filter(slug=spec["slug"]).first()
    if existing:
        return existing, False
    spec = _resolve_relative_dates(spec)
    partners = {partner.code: partner for partner in dialogue.partners.all()}
    scalar = {
        key: value
        for key, value in spec.items()
        if key not in {"slug", "host_country", "lead_partners", "alignment", "sessions", "publish"}
    }
    with transaction.atomic():
        meeting = Meeting(dialogue=dialogue, slug=spec["slug"], **scalar)
        meeting.host_country = partners.get(spec.get("host_country"))
        meeting.full_clean()
        meeting.save()
        meeting.lead_partners.set(partners[code] for code in spec.get("lead_partners", []))
        for item in spec.get("alignment", []):
            domain = Domain.objects.get(
                action_plan__dialogue=dialogue,
                action_plan__code=item["plan"],
                number=item["domain"],
            )
            meeting.domains.add(domain)
            meeting.objectives.add(*domain.objectives.filter(number__in=item.get("objectives", [])))
        for session_spec in spec.get("sessions", []):
            speakers = session_spec.get("speakers", [])
            session = Session(
                meeting=meeting,
                day=session_spec["day"],
                start_time=session_spec["start"],
                end_time=session_spec["end"],
                **{
                    key: session_spec.get(key, "")
                    for key in (
                        "title_en",
                        "title_fr",
                        "description_en",
                        "description_fr",
                        "room_en",
                        "room_fr",
                    )
                },
            )
            session.full_clean()
            session.save()
            Speaker.objects.bulk_create(
                Speaker(session=session, position=position, **speaker)
                for position, speaker in enumerate(speakers, start=1)
            )
        if spec.get("publish", True):
            set_meeting_status(meeting, MeetingStatus.PUBLISHED, actor=actor, reason="demo data")
    return meeting, True


def _resolve_relative_dates(spec: dict) -> dict:
    """Turn "starts_in_days" and session "day_offset" into dates, from today.

    Lets demo data describe an upcoming meeting that stays upcoming whenever it is loaded.
    """
    if "starts_in_days" not in spec:
        return spec
    spec = dict(spec)
    today = timezone.localdate()
    starts_on = today + datetime.timedelta(days=spec.pop("starts_in_days"))
    ends_on = starts_on + datetime.timedelta(days=spec.pop("duration_days", 1) - 1)
    spec["starts_on"], spec["ends_on"] = starts_on, ends_on
    zone = zoneinfo.ZoneInfo(spec.get("time_zone", "UTC"))
    opens_in = spec.pop("registration_opens_in_days", None)
    if opens_in is not None:
        spec["registration_opens_at"] = timezone.now() + datetime.timedelta(days=opens_in)
    closes_before = spec.pop("registration_closes_before_start_days", None)
    if closes_before is not None:
        spec["registration_closes_at"] = datetime.datetime.combine(
            starts_on - datetime.timedelta(days=closes_before), datetime.time(23, 59), tzinfo=zone
        )
    spec["sessions"] = [
        {
            **{key: value for key, value in session.items() if key != "day_offset"},
            "day": starts_on + datetime.timedelta(days=session["day_offset"]),
        }
        if "day_offset" in session
        else session
        for session in spec.get("sessions", [])
    ]
    return spec
