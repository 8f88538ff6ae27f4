"""Emails about label proposals: every transition and comment, to the proposer, the lead
partner's focal point and the Secretariat, each in their own language, after commit."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
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


def queue_proposal_email(proposal, event: str, *, reason: str = "") -> None:
    if event not in EVENT_SENTENCES:
        return
    transaction.on_commit(lambda: _enqueue(proposal.pk, event, reason), robust=True)


def _enqueue(proposal_id: int, event: str, reason: str) -> None:
    from .tasks import send_proposal_email_task

    send_proposal_email_task.enqueue(proposal_id, event, reason)


def send_proposal_emails(proposal_id: int, event: str, reason: str = "") -> int:
    from .models import LabelProposal

    proposal = LabelProposal.objects.select_related("lead_partner").get(pk=proposal_id)
    sent = 0
    for email, language in recipients(proposal):
        with translation.override(language):
            url = settings.SITE_URL + reverse(
                "labels:proposal", kwargs={"reference": proposal.reference}
            )
            # The title first: inboxes cut long subjects, and it says which proposal.
            subject = gettext("%(title)s: %(event)s") % {
                "event": EVENT_SENTENCES[event],
                "title": proposal.title,
            }
            body = render_to_string(
                "labels/email/proposal.txt",
                {
                    "proposal": proposal,
                    "sentence": EVENT_SENTENCES[event],
                    "reason": reason,
                    "url": url,
                },
            )
        try:
            EmailMessage(
                subject.replace("\n", " "), body, settings.DEFAULT_FROM_EMAIL, [email]
            ).send()
            sent += 1
        except Exception:  # one failed recipient must not stop the others
            logger.exception("Proposal email to %s not sent", email)
    return sent
