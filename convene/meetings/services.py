import datetime
import zoneinfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import capfirst, get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from convene.core.bilingual import missing_translations
from convene.core.locks import row_locked
from convene.core.services import record_audit_entry
from convene.core.validators import validate_changed_fields
from convene.dialogues.models import Domain

from .enums import MeetingAuditAction, MeetingFormat, MeetingStatus
from .errors import MeetingError
from .models import Meeting, Session, Speaker
from .permissions import can_create_meeting, can_manage_meeting, can_publish_meeting
from .signals import limits_changed, meeting_status_changed, places_held_requested

# From each status, where it may go. Unpublishing returns a meeting to draft.
ALLOWED_TRANSITIONS = {
    MeetingStatus.DRAFT: {MeetingStatus.PUBLISHED, MeetingStatus.CANCELLED},
    MeetingStatus.PUBLISHED: {MeetingStatus.DRAFT, MeetingStatus.CANCELLED},
    MeetingStatus.CANCELLED: {MeetingStatus.DRAFT},
}


# The venue a meeting made from a labelled activity starts with, until the Secretariat
# knows the real one (see convene.labels.services.create_meeting_from_proposal).
VENUE_TO_BE_CONFIRMED = {"en": "To be confirmed", "fr": "À confirmer"}


def labelled_meeting_gaps(meeting: Meeting) -> list[str]:
    """What a labelled meeting still lacks before it is published, in the active language.

    A labelled meeting starts from the partner's proposal, which gives its dates and
    place but no venue, registration dates or programme; an unlabelled one is entered
    whole by the Secretariat and is not checked here. Registration opens only by the
    dates of a published meeting, so this check guards opening registration as well.
    """
    if not meeting.is_labelled:
        return []
    gaps = []
    # An empty venue is already refused as a missing translation.
    if meeting.format != MeetingFormat.ONLINE and (
        meeting.venue_en.strip() == VENUE_TO_BE_CONFIRMED["en"]
        or meeting.venue_fr.strip() == VENUE_TO_BE_CONFIRMED["fr"]
    ):
        gaps.append(_("its venue (or an online format)"))
    if meeting.registration_opens_at is None or meeting.registration_closes_at is None:
        gaps.append(_("its registration dates"))
    if not meeting.sessions.exists():
        gaps.append(_("a programme of at least one session"))
    return gaps


def publication_problems(meeting: Meeting) -> list[str]:
    """Translated reasons why the meeting cannot be published yet; empty when it can."""
    problems = []
    gaps = labelled_meeting_gaps(meeting)
    if gaps:
        problems.append(
            _("This labelled meeting cannot be published before it has %(missing)s.")
            % {"missing": get_text_list(gaps, pgettext("last of a list", "and"))}
        )
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
            action=MeetingAuditAction.STATUS,
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


# The limits on places; they change through update_meeting_capacities.
CAPACITY_FIELDS = ("in_person_capacity", "online_capacity", "delegation_size", "delegation_heads")

# Default of update_meeting_capacities' limits: leave this one as it is (None is "no limit").
UNCHANGED = object()


def places_held(meeting: Meeting) -> dict[str, int]:
    """What each limit of CAPACITY_FIELDS must not go below (places_held_requested)."""
    held = dict.fromkeys(CAPACITY_FIELDS, 0)
    for _receiver, counts in places_held_requested.send(sender=Meeting, meeting=meeting):
        for name in CAPACITY_FIELDS:
            held[name] = max(held[name], (counts or {}).get(name, 0))
    return held


def limits_below_places_held(meeting: Meeting, limits: dict) -> dict[str, str]:
    """{field: translated refusal} for each of `limits` set below the places already held."""
    held = places_held(meeting)
    return {
        name: _("%(limit)s cannot be set below what is already taken (%(count)d).")
        % {"limit": capfirst(Meeting._meta.get_field(name).verbose_name), "count": held[name]}
        for name, value in limits.items()
        if value is not None and value < held[name]
    }


def update_meeting_capacities(
    meeting: Meeting,
    *,
    actor,
    in_person_capacity=UNCHANGED,
    online_capacity=UNCHANGED,
    delegation_size=UNCHANGED,
    delegation_heads=UNCHANGED,
) -> Meeting:
    """Change the meeting's limits on places (None: not limited); the others stay.

    Holds the meeting's row lock, which registrations take to count places, so that no
    registration takes a place against the old limits meanwhile. Refuses a limit below
    the places already held, and audits each change old → new (empty: not limited).
    A change announces limits_changed under the same lock, so places it frees go to the
    waiting list, in its order, before any newcomer can take them.
    Raises MeetingError ("forbidden", "below_taken", "invalid"), and TryAgainLater when
    the lock is not granted in time.
    """
    requested = {
        "in_person_capacity": in_person_capacity,
        "online_capacity": online_capacity,
        "delegation_size": delegation_size,
        "delegation_heads": delegation_heads,
    }
    requested = {name: value for name, value in requested.items() if value is not UNCHANGED}
    if not can_manage_meeting(actor, meeting):
        raise MeetingError("forbidden", _("Only the meeting's managers can change its places."))
    with row_locked(Meeting.objects.all(), meeting.pk) as locked:
        changed = {
            name: (getattr(locked, name), value)
            for name, value in requested.items()
            if getattr(locked, name) != value
        }
        for name, (_old, new) in changed.items():
            setattr(locked, name, new)
        try:
            validate_changed_fields(locked, changed)
        except ValidationError as error:
            raise MeetingError("invalid", " ".join(error.messages)) from error
        refusals = limits_below_places_held(
            locked, {name: new for name, (_old, new) in changed.items()}
        )
        if refusals:
            raise MeetingError("below_taken", " ".join(refusals.values()))
        if changed:
            locked.save(update_fields=[*changed, "updated_at"])
            for name, (old, new) in changed.items():
                record_audit_entry(
                    locked,
                    actor=actor,
                    action=MeetingAuditAction.CAPACITY,
                    from_state="" if old is None else str(old),
                    to_state="" if new is None else str(new),
                    reason=name,
                )
            limits_changed.send(sender=Meeting, meeting=locked, actor=actor)
    for name in CAPACITY_FIELDS:
        setattr(meeting, name, getattr(locked, name))
    return meeting


def create_meeting(
    dialogue,
    *,
    slug: str,
    actor,
    lead_partners=(),
    domains=(),
    objectives=(),
    **fields,
) -> Meeting:
    """A new draft meeting of `dialogue`, from plain values: `fields` are Meeting's own
    fields; lead partners, domains and objectives are the related rows to attach.

    Validated as a whole before it is saved; no email, no audit entry (the record it
    comes from audits its creation). Raises MeetingError ("forbidden", "slug", "invalid").
    """
    if not can_create_meeting(actor):
        raise MeetingError("forbidden", _("Only the Secretariat creates meetings."))
    if Meeting.objects.filter(slug=slug).exists():
        raise MeetingError("slug", _("Another meeting already uses this address."))
    meeting = Meeting(dialogue=dialogue, slug=slug, **fields)
    try:
        meeting.full_clean()
    except ValidationError as error:
        raise MeetingError("invalid", " ".join(error.messages)) from error
    with transaction.atomic():
        meeting.save()
        meeting.lead_partners.set(lead_partners)
        meeting.domains.set(domains)
        meeting.objectives.set(objectives)
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
