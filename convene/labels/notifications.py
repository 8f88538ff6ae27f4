"""Emails about label proposals: every transition and comment, to the proposer, the lead
partner's focal point and the Secretariat, each in their own language.

Through an outbox, as registration emails: `queue_proposal_email` writes one
ProposalEmail row per recipient in the transaction of the change, and a task sends them
after commit. A mail server that is down loses nothing: the rows stay pending and
`send_pending_notifications` (cron) tries again.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from convene.core.enums import Role

logger = logging.getLogger(__name__)

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
    assignments = RoleAssignment.objects.filter(
        Q(role=Role.SECRETARIAT) | Q(role=Role.FOCAL_POINT, partner_id=proposal.lead_partner_id),
        ends_on__isnull=True,
        user__is_active=True,
    ).select_related("user")
    for assignment in assignments:
        people.setdefault(assignment.user.email, assignment.user.language)
    return sorted(people.items())


MAX_ATTEMPTS = 8


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
    return subject.replace("\n", " "), body


def send_proposal_emails(email_ids) -> int:
    """Send those of the given emails still pending; returns how many were sent.

    Each row is locked while it goes out (another worker skips it) and a sent one is
    never sent again; one refused recipient does not stop the others.
    """
    from .models import ProposalEmail

    sent = 0
    with transaction.atomic():
        pending = (
            ProposalEmail.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("proposal__lead_partner")
            .filter(pk__in=list(email_ids), sent_at__isnull=True)
            .order_by("pk")
        )
        for email in pending:
            email.attempts += 1
            try:
                subject, body = render_proposal_email(email)
                EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [email.recipient]).send()
            except Exception as error:
                email.last_error = f"{type(error).__name__}: {error}"[:500]
                email.save(update_fields=["attempts", "last_error"])
                logger.warning("Proposal email %s not sent: %s", email.pk, email.last_error)
            else:
                email.sent_at = timezone.now()
                email.save(update_fields=["attempts", "sent_at"])
                sent += 1
    return sent


def send_pending_proposal_emails(*, limit: int = 500) -> int:
    """Retry what is pending (oldest first); returns how many were sent."""
    from .models import ProposalEmail

    pending = list(
        ProposalEmail.objects.filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    return send_proposal_emails(pending)
