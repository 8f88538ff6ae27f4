"""Emails about label proposals: rendering and sending, what the task and the worker run.

The rows come from the queueing in notifications.py, inside the transaction of each
change; this module reads them from the outbox (convene.core.outbox) and never queues.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from convene.core.outbox import send_outbox_emails

from .enums import ProposalEvent
from .models import ProposalEmail


def render_proposal_email(email) -> tuple[str, str]:
    """(subject, body) in the recipient's language."""
    proposal = email.proposal
    with translation.override(email.language):
        url = settings.SITE_URL + reverse(
            "labels:proposal", kwargs={"reference": proposal.reference}
        )
        # The title first: inboxes cut long subjects, and it says which proposal.
        subject = gettext("%(title)s: %(event)s") % {
            "event": ProposalEvent(email.event).label,
            "title": proposal.title,
        }
        body = render_to_string(
            "labels/email/proposal.txt",
            {
                "proposal": proposal,
                "sentence": ProposalEvent(email.event).label,
                "reason": email.reason,
                "url": url,
            },
        )
    return subject, body


def send_proposal_emails(email_ids) -> int:
    """Send those of the given emails still pending; returns how many were sent (see
    convene.core.outbox.send_outbox_emails)."""
    return send_outbox_emails(
        ProposalEmail,
        email_ids,
        render=render_proposal_email,
        related=("proposal__lead_partner",),
    )
