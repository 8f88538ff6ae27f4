"""Reads on label proposals that more than one place uses."""

from convene.core import permissions
from convene.dialogues.models import ActionPlan

from .models import LabelProposal
from .permissions import can_view_all_proposals


def proposals_visible_to(user):
    """The Secretariat sees every proposal; a focal point, those their partner leads."""
    proposals = LabelProposal.objects.all()
    if can_view_all_proposals(user):
        return proposals
    return proposals.filter(lead_partner__in=permissions.focal_point_partner_ids(user))


def action_plans_open_to(dialogue, starts_on) -> list[ActionPlan]:
    """The action plans a proposal starting on `starts_on` may serve.

    The plan in force that year (the Marrakesh plan for 2018-2022, the Cadiz plan from
    2023); without a date, or after every plan's last year, the current plan (the one
    that started last). Before the first plan, none.
    """
    plans = list(ActionPlan.objects.filter(dialogue=dialogue).order_by("start_year"))
    if not plans:
        return []
    if starts_on is None or starts_on.year > max(plan.end_year for plan in plans):
        return [plans[-1]]
    return [plan for plan in plans if plan.start_year <= starts_on.year <= plan.end_year]
