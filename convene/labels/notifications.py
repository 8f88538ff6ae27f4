"""Emails about label proposals: every transition and comment, to the proposer, the lead
partner's focal point and the Secretariat, each in their own language.

Through an outbox, as registration emails: `queue_proposal_email` writes one
ProposalEmail row per recipient in the transaction of the change, and a task sends them
after commit. A mail server that is down loses nothing: the rows stay pending and the
task worker tries again (see convene.core.outbox).
"""

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from convene.core.enums import Role
from convene.core.outbox import retry_ids, send_outbox_emails

EVENT_SENTENCES = {
    "submitted": _("The proposal was submitted to the Secretariat."),
    "under_review": _("The Secretariat is reviewing the proposal."),
    "changes_requested": _("The Secretariat asks for changes to the proposal."),
    "recommended": _("The Secretariat recommends the proposal for the label."),
    "labelled": _("The activity received the label of the Dialogue."),
    "not_labelled": _("The activity did not receive the label."),
    "withdrawn": _("The proposal was withdrawn."),
    "comment": _("A new comment was written on the proposal."),
}


def recipients(proposal) -> list[tuple[str, str]]:
    """(email, language) of the proposer, the lead partner's focal points and the Secretariat."""
    from convene.core.models import RoleAssignment

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
    from .models import ProposalEmail

    if event not in EVENT_SENTENCES:
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
    from .tasks import send_proposal_emails_task

    send_proposal_emails_task.enqueue(email_ids)


def render_proposal_email(email) -> tuple[str, str]:
    """(subject, body) in the recipient's language."""
    proposal = email.proposal
    with translation.override(email.language):
        url = settings.SITE_URL + reverse(
            "labels:proposal", kwargs={"reference": proposal.reference}
        )
        # The title first: inboxes cut long subjects, and it says which proposal.
        subject = gettext("%(title)s: %(event)s") % {
            "event": EVENT_SENTENCES[email.event],
            "title": proposal.title,
        }
        body = render_to_string(
            "labels/email/proposal.txt",
            {
                "proposal": proposal,
                "sentence": EVENT_SENTENCES[email.event],
                "reason": email.reason,
                "url": url,
            },
        )
    return subject, body


def send_proposal_emails(email_ids) -> int:
    """Send those of the given emails still pending; returns how many were sent (see
    convene.core.outbox.send_outbox_emails)."""
    from .models import ProposalEmail

    return send_outbox_emails(
        ProposalEmail,
        email_ids,
        render=render_proposal_email,
        related=("proposal__lead_partner",),
    )


def send_pending_proposal_emails(*, limit: int = 500) -> int:
    """Retry what is pending and due (oldest first); returns how many were sent."""
    from .models import ProposalEmail

    return send_proposal_emails(retry_ids(ProposalEmail, limit=limit))
