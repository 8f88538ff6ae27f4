"""Emails about label proposals: every transition and comment, to the proposer, the lead
partner's focal point and the Secretariat, each in their own language. The queueing,
called by the services.

Through an outbox, as registration emails: `queue_proposal_email` writes one
ProposalEmail row per recipient in the transaction of the change, and a task sends them
after commit. A mail server that is down loses nothing: the rows stay pending and the
task worker tries again (see convene.core.outbox). Rendering and sending, what the task
runs, is in delivery.py, which imports nothing of this module.
"""

from django.db import transaction
from django.db.models import Q

from convene.core.enums import Role
from convene.core.models import RoleAssignment

from .enums import ProposalEvent
from .models import ProposalEmail
from .tasks import send_proposal_emails_task


def recipients(proposal) -> list[tuple[str, str]]:
    """(email, language) of the proposer, the lead partner's focal points and the Secretariat."""
    people = {}
    if proposal.proposed_by and proposal.proposed_by.is_active:
        people[proposal.proposed_by.email] = proposal.proposed_by.language
    assignments = (
        RoleAssignment.objects.current()
        .filter(
            Q(role=Role.SECRETARIAT)
            | Q(role=Role.FOCAL_POINT, partner_id=proposal.lead_partner_id),
            user__is_active=True,
        )
        .select_related("user")
    )
    for assignment in assignments:
        people.setdefault(assignment.user.email, assignment.user.language)
    return sorted(people.items())


def queue_proposal_email(proposal, event: str, *, reason: str = "") -> list:
    """Record the emails of a transition or comment; sent after commit. In a transaction."""
    if event not in ProposalEvent.values:
        return []
    emails = ProposalEmail.objects.bulk_create(
        [
            ProposalEmail(
                proposal=proposal, event=event, reason=reason, recipient=email, language=language
            )
            for email, language in recipients(proposal)
        ]
    )
    ids = [email.pk for email in emails]
    if ids:
        transaction.on_commit(lambda: _enqueue(ids), robust=True)
    return emails


def _enqueue(email_ids: list[int]) -> None:
    send_proposal_emails_task.enqueue(email_ids)
