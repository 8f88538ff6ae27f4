"""How the audit entries of label proposals read (see core.audit), in the back-office
history and, as a title, on the proposal page."""

from django.utils.translation import gettext

from convene.core.audit import (
    audit_action_label,
    choice_label,
    field_names,
    status_change,
    with_reason,
)
from convene.core.models import AuditEntry
from convene.meetings.models import Meeting

from .enums import ProposalAuditAction, ProposalStatus
from .models import LabelProposal

A = ProposalAuditAction


def describe_proposal_entry(entry: AuditEntry) -> str:
    if entry.action == A.STATUS:
        return with_reason(status_change(ProposalStatus, entry), entry.reason)
    if entry.action == A.CREATED:
        return gettext("Proposal created as a draft.")
    if entry.action == A.UPDATED:
        return gettext("Details changed.")
    if entry.action == A.CHECKLIST:
        # The reason names the points of the checklist found satisfied.
        checked = field_names(LabelProposal, [name.strip() for name in entry.reason.split(",")])
        if not checked:
            return gettext("Review checklist recorded: no point satisfied.")
        return gettext("Review checklist recorded; satisfied: %(points)s.") % {"points": checked}
    if entry.action == A.MEETING_CREATED:
        # The reason is the new meeting's slug; the meeting may since have been renamed.
        meeting = Meeting.objects.filter(slug=entry.reason).first()
        return gettext("Meeting “%(meeting)s” created from the proposal.") % {
            "meeting": meeting or entry.reason
        }
    if entry.action == A.IMPORTED:
        if not entry.reason:
            return gettext("Labelling record imported.")
        return gettext("Labelling record imported (decision %(reference)s).") % {
            "reference": entry.reason
        }
    return gettext("A change was recorded.")


def proposal_history_title(entry: AuditEntry) -> str:
    """What the proposal page shows of an entry to those involved: the status reached,
    or the kind of change (not the Secretariat's reasons and checklist)."""
    if entry.action == A.STATUS:
        return choice_label(ProposalStatus, entry.to_state)
    return audit_action_label(entry.action)
