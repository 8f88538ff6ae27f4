"""Access decisions about label proposals, built on the role reads of
convene.core.permissions."""

from convene.core import permissions
from convene.meetings.permissions import can_create_meeting

from .enums import EDITABLE_BY_PROPOSER, ProposalStatus

# --- label proposals --------------------------------------------------------------------
#
# Who may take a step; when (in which status) is the state machine's business
# (services.TRANSITIONS) or, for editing, EDITABLE_BY_PROPOSER.


def can_propose(user) -> bool:
    """Open the proposal pages: the Secretariat, and focal points for their partners."""
    return permissions.is_secretariat(user) or bool(permissions.focal_point_partner_ids(user))


def can_propose_for(user, partner) -> bool:
    """Propose an activity led by `partner`: its focal point, or the Secretariat on its behalf."""
    return permissions.is_secretariat(user) or permissions.is_focal_point_of(user, partner)


def can_view_all_proposals(user) -> bool:
    """Every partner's proposals, in the back-office as on the site: the Secretariat."""
    return permissions.is_secretariat(user)


def can_act_as_proposer(user, proposal) -> bool:
    """The lead partner's focal point, or the Secretariat acting on a partner's behalf."""
    return can_propose_for(user, proposal.lead_partner)


def can_view_proposal(user, proposal) -> bool:
    """Those on the proposer's side; everyone once the activity is labelled."""
    return can_act_as_proposer(user, proposal) or proposal.status == ProposalStatus.LABELLED


def can_read_proposal_file(user, proposal) -> bool:
    """Its history, comments, concept note and draft agenda: the proposer's side only, even
    once the activity is labelled and its page public."""
    return can_act_as_proposer(user, proposal)


def can_edit_proposal(user, proposal) -> bool:
    return proposal.status in EDITABLE_BY_PROPOSER and can_act_as_proposer(user, proposal)


def can_submit_proposal(user, proposal) -> bool:
    return can_act_as_proposer(user, proposal)


def can_withdraw_proposal(user, proposal) -> bool:
    return can_act_as_proposer(user, proposal)


def can_comment_on_proposal(user, proposal) -> bool:
    """Comments go between the proposer's side and the Secretariat, who is on it too."""
    return can_act_as_proposer(user, proposal)


def can_review_proposal(user, proposal) -> bool:
    """Start the review, keep its checklist, ask for changes, recommend."""
    return permissions.is_secretariat(user)


def can_decide_label(user, proposal) -> bool:
    """Record the deciding body's decision (labelled or not)."""
    return permissions.is_secretariat(user)


def can_create_meeting_from_proposal(user, proposal) -> bool:
    """Turn a labelled activity into its meeting: whoever creates meetings."""
    return can_create_meeting(user)
