"""Every write on label proposals."""

from django.db import transaction
from django.utils.translation import gettext as _

from convene.core.bilingual import missing_translations
from convene.core.models import User
from convene.core.services import record_audit_entry
from convene.dialogues.models import Domain, Objective
from convene.meetings.enums import MeetingFormat, MeetingKind
from convene.meetings.errors import MeetingError
from convene.meetings.models import Meeting
from convene.meetings.services import VENUE_TO_BE_CONFIRMED, create_meeting

from .enums import (
    ActivityFormat,
    ActivityType,
    ProposalAuditAction,
    ProposalEvent,
    ProposalStatus,
)
from .errors import LabelError
from .models import LabelProposal, ProposalComment
from .notifications import queue_proposal_email
from .permissions import (
    can_comment_on_proposal,
    can_create_meeting_from_proposal,
    can_decide_label,
    can_edit_proposal,
    can_propose_for,
    can_review_proposal,
    can_submit_proposal,
    can_withdraw_proposal,
)
from .proposal_selectors import action_plans_open_to

P = ProposalStatus

# The one state machine: from each status, where a proposal may go, and who moves it.
PROPOSER, SECRETARIAT = "proposer", "secretariat"
TRANSITIONS = {
    (P.DRAFT, P.SUBMITTED): PROPOSER,
    (P.DRAFT, P.WITHDRAWN): PROPOSER,
    (P.SUBMITTED, P.UNDER_REVIEW): SECRETARIAT,
    (P.SUBMITTED, P.WITHDRAWN): PROPOSER,
    (P.UNDER_REVIEW, P.CHANGES_REQUESTED): SECRETARIAT,
    (P.UNDER_REVIEW, P.RECOMMENDED): SECRETARIAT,
    (P.UNDER_REVIEW, P.NOT_LABELLED): SECRETARIAT,
    (P.CHANGES_REQUESTED, P.SUBMITTED): PROPOSER,
    (P.CHANGES_REQUESTED, P.WITHDRAWN): PROPOSER,
    (P.RECOMMENDED, P.LABELLED): SECRETARIAT,
    (P.RECOMMENDED, P.NOT_LABELLED): SECRETARIAT,
    (P.RECOMMENDED, P.CHANGES_REQUESTED): SECRETARIAT,
}


# Who may take each step, by the status it leads to (TRANSITIONS says from where, and on
# which side the step is).
MAY_MOVE_TO = {
    P.SUBMITTED: can_submit_proposal,
    P.WITHDRAWN: can_withdraw_proposal,
    P.UNDER_REVIEW: can_review_proposal,
    P.CHANGES_REQUESTED: can_review_proposal,
    P.RECOMMENDED: can_review_proposal,
    P.LABELLED: can_decide_label,
    P.NOT_LABELLED: can_decide_label,
}


def set_proposal_status(proposal: LabelProposal, new_status: str, *, actor, reason: str = ""):
    """The one door for a proposal's status. Checks transition and role, audits, emails."""
    new_status = P(new_status)
    with transaction.atomic():
        current = LabelProposal.objects.select_for_update().get(pk=proposal.pk)
        old_status = P(current.status)
        if (old_status, new_status) not in TRANSITIONS:
            raise LabelError(
                "transition",
                _("A proposal cannot go from “%(old)s” to “%(new)s”.")
                % {"old": old_status.label, "new": new_status.label},
            )
        if not MAY_MOVE_TO[new_status](actor, current):
            raise LabelError("forbidden", _("You cannot take this step on this proposal."))
        if new_status == P.SUBMITTED:
            _check_complete(current)
        current.status = new_status
        current.save(update_fields=["status", "updated_at"])
        record_audit_entry(
            current,
            actor=actor,
            action=ProposalAuditAction.STATUS,
            from_state=old_status,
            to_state=new_status,
            reason=reason,
        )
        queue_proposal_email(current, new_status, reason=reason)
    proposal.refresh_from_db()
    return proposal


def _check_complete(proposal: LabelProposal) -> None:
    problems = []
    missing = missing_translations(proposal, LabelProposal.BILINGUAL_REQUIRED)
    if missing:
        labels = ", ".join(
            str(LabelProposal._meta.get_field(name).verbose_name) for name in missing
        )
        problems.append(_("Fill in both languages: %(fields)s.") % {"fields": labels})
    if not proposal.objectives.exists() and not proposal.domains.exists():
        problems.append(_("Choose at least one domain or objective of the action plan."))
    if not proposal.starts_on:
        problems.append(_("Give the proposed dates."))
    if problems:
        raise LabelError("incomplete", " ".join(problems))


PROPOSAL_FIELDS = (
    "title_en",
    "title_fr",
    "description_en",
    "description_fr",
    "activity_type",
    "starts_on",
    "ends_on",
    "format",
    "place",
    "expected_participants",
    "participant_profile",
    "objectives_and_results",
    "funded_by_lead_partner",
    "support_expertise",
    "support_logistics",
    "support_funds",
    "support_details",
    "concept_note",
    "draft_agenda",
)
PROPOSAL_RELATIONS = ("co_organisers", "domains", "objectives")


def create_proposal(*, dialogue, lead_partner, data: dict, actor) -> LabelProposal:
    """A draft proposal led by `lead_partner`; its focal point or the Secretariat only."""
    if not can_propose_for(actor, lead_partner):
        raise LabelError("forbidden", _("You can propose activities for your own partner only."))
    with transaction.atomic():
        proposal = LabelProposal(dialogue=dialogue, lead_partner=lead_partner, proposed_by=actor)
        _apply(proposal, data)
        record_audit_entry(
            proposal, actor=actor, action=ProposalAuditAction.CREATED, to_state=P.DRAFT
        )
    return proposal


def update_proposal(proposal: LabelProposal, *, data: dict, actor) -> LabelProposal:
    """Change a proposal while it is a draft or changes were requested."""
    with transaction.atomic():
        current = LabelProposal.objects.select_for_update().get(pk=proposal.pk)
        if not can_edit_proposal(actor, current):
            raise LabelError(
                "forbidden",
                _(
                    "A proposal can be changed by its proposer only while it is a draft or "
                    "while changes are requested."
                ),
            )
        _apply(current, data)
        record_audit_entry(current, actor=actor, action=ProposalAuditAction.UPDATED)
    proposal.refresh_from_db()
    return proposal


def _apply(proposal: LabelProposal, data: dict) -> None:
    for name in PROPOSAL_FIELDS:
        if name in data and data[name] is not None:
            setattr(proposal, name, data[name])
    _check_alignment(proposal, data)
    proposal.full_clean(exclude=["lead_partner", "dialogue"])
    proposal.save()
    for name in PROPOSAL_RELATIONS:
        if name in data:
            getattr(proposal, name).set(data[name])


def _check_alignment(proposal: LabelProposal, data: dict) -> None:
    """Domains and objectives belong to the action plan in force at the proposed dates."""
    open_plans = action_plans_open_to(proposal.dialogue, proposal.starts_on)
    domain_ids = [d.pk for d in data["domains"]] if "domains" in data else None
    objective_ids = [o.pk for o in data["objectives"]] if "objectives" in data else None
    if proposal.pk:
        if domain_ids is None:
            domain_ids = list(proposal.domains.values_list("pk", flat=True))
        if objective_ids is None:
            objective_ids = list(proposal.objectives.values_list("pk", flat=True))
    outside = (
        Domain.objects.filter(pk__in=domain_ids or []).exclude(action_plan__in=open_plans).exists()
        or Objective.objects.filter(pk__in=objective_ids or [])
        .exclude(domain__action_plan__in=open_plans)
        .exists()
    )
    if outside:
        raise LabelError(
            "alignment",
            _(
                "Choose domains and objectives of the action plan in force at the proposed "
                "dates: %(plans)s."
            )
            % {"plans": ", ".join(plan.name for plan in open_plans) or "-"},
            field="objectives",
        )


def add_comment(proposal: LabelProposal, *, body: str, actor) -> ProposalComment:
    """A message on the proposal between the Secretariat and the proposer."""
    body = (body or "").strip()
    if not body:
        raise LabelError("empty", _("Write a comment."))
    if not can_comment_on_proposal(actor, proposal):
        raise LabelError("forbidden", _("You cannot comment on this proposal."))
    with transaction.atomic():
        comment = ProposalComment.objects.create(proposal=proposal, author=actor, body=body)
        queue_proposal_email(proposal, ProposalEvent.COMMENT, reason=body)
    return comment


def review_proposal(proposal: LabelProposal, *, checklist: dict, actor) -> LabelProposal:
    """The Secretariat records its checklist (alignment, partner-led, relevance, feasibility)."""
    if not can_review_proposal(actor, proposal):
        raise LabelError("forbidden", _("Only the Secretariat reviews proposals."))
    fields = ["check_alignment", "check_partner_led", "check_relevance", "check_feasibility"]
    with transaction.atomic():
        current = LabelProposal.objects.select_for_update().get(pk=proposal.pk)
        for name in fields:
            setattr(current, name, bool(checklist.get(name)))
        current.save(update_fields=[*fields, "updated_at"])
        record_audit_entry(
            current,
            actor=actor,
            action=ProposalAuditAction.CHECKLIST,
            reason=", ".join(name for name in fields if getattr(current, name)),
        )
    proposal.refresh_from_db()
    return proposal


def request_changes(proposal: LabelProposal, *, comment: str, actor) -> LabelProposal:
    if not (comment or "").strip():
        raise LabelError("empty", _("Say what should change."))
    with transaction.atomic():
        set_proposal_status(proposal, P.CHANGES_REQUESTED, actor=actor, reason=comment.strip())
        ProposalComment.objects.create(proposal=proposal, author=actor, body=comment.strip())
    return proposal


def recommend_proposal(proposal: LabelProposal, *, actor, note: str = "") -> LabelProposal:
    """Under review → recommended; the checklist must be complete."""
    proposal.refresh_from_db()
    if not proposal.checklist_complete:
        raise LabelError("checklist", _("Complete the review checklist before recommending."))
    return set_proposal_status(proposal, P.RECOMMENDED, actor=actor, reason=note)


def record_label_decision(
    proposal: LabelProposal,
    *,
    labelled: bool,
    decided_by: str,
    decided_on,
    decision_reference: str = "",
    actor,
) -> LabelProposal:
    """Record the decision (labelled or not), its deciding body, date and reference."""
    if not decided_by or not decided_on:
        raise LabelError("decision", _("Give the deciding body and the date of the decision."))
    with transaction.atomic():
        LabelProposal.objects.filter(pk=proposal.pk).update(
            decided_by=decided_by, decided_on=decided_on, decision_reference=decision_reference
        )
        set_proposal_status(
            proposal,
            P.LABELLED if labelled else P.NOT_LABELLED,
            actor=actor,
            reason=decision_reference,
        )
    return proposal


MEETING_KIND = {
    ActivityType.MEETING: MeetingKind.THEMATIC,
    ActivityType.WORKSHOP: MeetingKind.WORKSHOP,
    ActivityType.WEBINAR: MeetingKind.WEBINAR,
    ActivityType.TRAINING: MeetingKind.TRAINING,
    ActivityType.STUDY_VISIT: MeetingKind.STUDY_VISIT,
    ActivityType.OTHER: MeetingKind.THEMATIC,
}


def create_meeting_from_proposal(proposal: LabelProposal, *, slug: str, actor) -> Meeting:
    """One step from a labelled activity to its meeting (a draft the Secretariat completes).

    The meeting carries the label, the lead and co-organising partners, the organisers
    and the alignment; the Secretariat then adds venue and programme and publishes.
    """
    if not can_create_meeting_from_proposal(actor, proposal):
        raise LabelError("forbidden", _("Only the Secretariat creates meetings."))
    with transaction.atomic():
        current = LabelProposal.objects.select_for_update().get(pk=proposal.pk)
        if current.status != P.LABELLED:
            raise LabelError("transition", _("Only a labelled activity becomes a meeting."))
        if current.meeting_id:
            raise LabelError("exists", _("This activity already has its meeting."))
        partners = [current.lead_partner, *current.co_organisers.all()]
        try:
            meeting = create_meeting(
                current.dialogue,
                slug=slug,
                actor=actor,
                kind=MEETING_KIND[current.activity_type],
                title_en=current.title_en,
                title_fr=current.title_fr,
                description_en=current.description_en,
                description_fr=current.description_fr,
                summary_en=current.title_en,
                summary_fr=current.title_fr,
                starts_on=current.starts_on,
                ends_on=current.ends_on or current.starts_on,
                format={
                    ActivityFormat.ONLINE: MeetingFormat.ONLINE,
                    ActivityFormat.HYBRID: MeetingFormat.HYBRID,
                }.get(current.format, MeetingFormat.IN_PERSON),
                city_en=current.place,
                city_fr=current.place,
                # Placeholders in both languages; publication waits for the real venue.
                venue_en=VENUE_TO_BE_CONFIRMED["en"],
                venue_fr=VENUE_TO_BE_CONFIRMED["fr"],
                is_labelled=True,
                secretariat_support=any(
                    (current.support_expertise, current.support_logistics, current.support_funds)
                ),
                organisers_en="\n".join(partner.name_en for partner in partners),
                organisers_fr="\n".join(partner.name_fr for partner in partners),
                host_country=current.lead_partner if current.lead_partner.region else None,
                lead_partners=[current.lead_partner],
                domains=current.domains.all(),
                objectives=current.objectives.all(),
            )
        except MeetingError as error:
            raise LabelError(error.code, error.message) from error
        current.meeting = meeting
        current.save(update_fields=["meeting", "updated_at"])
        record_audit_entry(
            current, actor=actor, action=ProposalAuditAction.MEETING_CREATED, reason=meeting.slug
        )
    proposal.refresh_from_db()
    return meeting


def import_label_record(spec: dict, *, dialogue, actor) -> tuple[LabelProposal, bool]:
    """The labelling record of an existing meeting, from a spec (see labels/demo/).

    Returns (proposal, created). A meeting that already has its record is left
    untouched, so re-running adds nothing. The record is history, not a new request:
    it is stored as labelled, with its decision, and audited as imported (no email).
    """
    meeting = Meeting.objects.get(dialogue=dialogue, slug=spec["meeting"])
    existing = LabelProposal.objects.filter(meeting=meeting).first()
    if existing:
        return existing, False
    partners = {partner.code: partner for partner in dialogue.partners.all()}
    proposer = User.objects.filter(email__iexact=spec.get("proposed_by") or "").first()
    formats = {
        MeetingFormat.ONLINE: ActivityFormat.ONLINE,
        MeetingFormat.HYBRID: ActivityFormat.HYBRID,
    }
    with transaction.atomic():
        proposal = LabelProposal(
            dialogue=dialogue,
            status=P.LABELLED,
            title_en=meeting.title_en,
            title_fr=meeting.title_fr,
            description_en=meeting.description_en,
            description_fr=meeting.description_fr,
            activity_type=ActivityType.MEETING,
            lead_partner=partners[spec["lead_partner"]],
            starts_on=meeting.starts_on,
            ends_on=meeting.ends_on,
            format=formats.get(meeting.format, ActivityFormat.IN_PERSON),
            place=spec.get("place", ""),
            expected_participants=spec.get("expected_participants"),
            participant_profile=spec.get("participant_profile", ""),
            objectives_and_results=spec.get("objectives_and_results", ""),
            funded_by_lead_partner=True,
            support_expertise=spec.get("support_expertise", False),
            support_logistics=spec.get("support_logistics", False),
            support_funds=spec.get("support_funds", False),
            proposed_by=proposer,
            check_alignment=True,
            check_partner_led=True,
            check_relevance=True,
            check_feasibility=True,
            decided_by=spec["decided_by"],
            decided_on=spec["decided_on"],
            decision_reference=spec.get("decision_reference", ""),
            meeting=meeting,
        )
        proposal.full_clean()
        proposal.save()
        for item in spec.get("alignment", []):
            domain = Domain.objects.get(
                action_plan__dialogue=dialogue,
                action_plan__code=item["plan"],
                number=item["domain"],
            )
            proposal.domains.add(domain)
            proposal.objectives.add(
                *domain.objectives.filter(number__in=item.get("objectives", []))
            )
        record_audit_entry(
            proposal,
            actor=actor,
            action=ProposalAuditAction.IMPORTED,
            to_state=P.LABELLED,
            reason=proposal.decision_reference,
        )
    return proposal, True
