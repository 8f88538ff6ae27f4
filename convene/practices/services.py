"""Every write on good practices: their submission, their moderation, the demo library."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from convene.core.search import normalise_for_search
from convene.core.services import record_audit_entry
from convene.dialogues.models import Domain
from convene.meetings.models import Meeting

from .enums import PracticeAuditAction, PracticeStatus
from .errors import PracticeError
from .models import GoodPractice
from .permissions import can_moderate_practice, can_share_practice

S = PracticeStatus

# The one state machine of moderation: from each status, where a practice may go. A
# published practice can be withdrawn from the library, a declined one reconsidered.
ALLOWED_TRANSITIONS = {
    S.SUBMITTED: {S.PUBLISHED, S.REJECTED},
    S.PUBLISHED: {S.REJECTED},
    S.REJECTED: {S.PUBLISHED},
}


def submit_good_practice(meeting: Meeting, *, data: dict, actor=None, registration=None):
    """A delegate (through their registration) or a focal point shares a good practice."""
    allowed_delegate = registration is not None and can_share_practice(
        None, meeting, registration=registration
    )
    allowed_staff = actor is not None and can_share_practice(actor, meeting)
    if not (allowed_delegate or allowed_staff):
        raise PracticeError(
            "forbidden",
            _("Good practices are shared by approved delegates and focal points."),
        )
    _check_practice_data(
        meeting,
        data,
        actor=actor if allowed_staff else None,
        registration=registration if allowed_delegate else None,
    )
    practice = GoodPractice(
        meeting=meeting,
        submitted_by=actor if allowed_staff else None,
        submitted_by_registration=registration if allowed_delegate else None,
        **data,
    )
    practice.search_text = normalise_for_search(f"{practice.title} {practice.summary}")
    with transaction.atomic():
        practice.full_clean()
        practice.save()
        record_audit_entry(
            practice,
            actor=actor,
            action=PracticeAuditAction.CREATED,
            to_state=PracticeStatus.SUBMITTED,
        )
    return practice


def _check_practice_data(meeting, data: dict, *, actor, registration) -> None:
    """The partner is one the person speaks for; objective and session fit."""
    partner = data.get("partner")
    if partner is None or not can_share_practice(
        actor, meeting, partner=partner, registration=registration
    ):
        raise PracticeError(
            "partner",
            _("You can share good practices for your own country or organisation only."),
            field="partner",
        )
    objective, domain = data.get("objective"), data.get("domain")
    if objective is not None and (domain is None or objective.domain_id != domain.pk):
        raise PracticeError(
            "objective", _("Choose an objective of the domain chosen above."), field="objective"
        )
    session = data.get("session")
    if session is not None and session.meeting_id != meeting.pk:
        raise PracticeError("session", _("Choose a session of this meeting."), field="session")


def set_practice_status(practice: GoodPractice, new_status: str, *, actor, reason: str = ""):
    """The one door for moderation: the Secretariat publishes or declines a practice.

    Checks the actor and the transition, saves with update_fields and writes the audit
    entry (who, from, to, why).
    """
    if not can_moderate_practice(actor):
        raise PracticeError("forbidden", _("Only the Secretariat moderates good practices."))
    new_status = S(new_status)
    with transaction.atomic():
        current = GoodPractice.objects.select_for_update().get(pk=practice.pk)
        old_status = S(current.status)
        if old_status == new_status:
            raise PracticeError("transition", _("The good practice already has this status."))
        if new_status not in ALLOWED_TRANSITIONS[old_status]:
            raise PracticeError(
                "transition",
                _("A good practice cannot go from “%(old)s” to “%(new)s”.")
                % {"old": old_status.label, "new": new_status.label},
            )
        current.status = new_status
        current.published_at = timezone.now() if new_status == PracticeStatus.PUBLISHED else None
        current.save(update_fields=["status", "published_at", "updated_at"])
        record_audit_entry(
            current,
            actor=actor,
            action=PracticeAuditAction.STATUS,
            from_state=old_status,
            to_state=new_status,
            reason=reason,
        )
    practice.refresh_from_db()
    return practice


def import_good_practice(spec: dict, *, dialogue, actor) -> tuple[GoodPractice, bool]:
    """Create and publish a good practice from demo data (see practices/demo/);
    (practice, created).

    Idempotent: a practice with the same title at the same meeting is left as it is.
    """
    meeting = Meeting.objects.get(dialogue=dialogue, slug=spec["meeting"])
    existing = GoodPractice.objects.filter(meeting=meeting, title=spec["title"]).first()
    if existing:
        return existing, False
    domain = Domain.objects.get(
        action_plan__dialogue=dialogue, action_plan__code=spec["plan"], number=spec["domain"]
    )
    data = {
        "title": spec["title"],
        "summary": spec["summary"],
        "language": spec["language"],
        "partner": dialogue.partners.get(code=spec["partner"]),
        "level_of_government": spec["level_of_government"],
        "domain": domain,
        "objective": domain.objectives.get(number=spec["objective"])
        if spec.get("objective")
        else None,
        "session": meeting.sessions.get(title_en=spec["session"]) if spec.get("session") else None,
        "contact_name": spec["contact_name"],
        "contact_email": spec["contact_email"],
    }
    with transaction.atomic():
        practice = submit_good_practice(meeting, data=data, actor=actor)
        set_practice_status(practice, PracticeStatus.PUBLISHED, actor=actor)
    return practice, True
