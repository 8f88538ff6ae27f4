"""Reads of labelled activities.

Every function here returns what a public page shows in a fixed number of queries,
however many activities there are.
"""

from django.db.models import Prefetch, Q

from convene.dialogues.models import ActionPlan, Domain, Objective

from .enums import ProposalStatus
from .models import LabelProposal

# --- labelled activities ------------------------------------------------------------------


def labelled_activities(dialogue, *, filters: dict | None = None):
    """Labelled activities of the dialogue, latest first, filtered.

    `filters` keys (all optional, ids or values as the filter form cleans them):
    `domain` (named directly or through one of its objectives), `objective`,
    `partner` (the lead partner), `region` (of the lead partner), `year` (of the first
    day) and `type`.
    """
    filters = filters or {}
    activities = LabelProposal.objects.filter(dialogue=dialogue, status=ProposalStatus.LABELLED)
    if filters.get("domain"):
        matching = LabelProposal.objects.filter(
            Q(domains=filters["domain"]) | Q(objectives__domain=filters["domain"])
        )
        activities = activities.filter(pk__in=matching.values("pk"))
    if filters.get("objective"):
        activities = activities.filter(
            pk__in=LabelProposal.objects.filter(objectives=filters["objective"]).values("pk")
        )
    if filters.get("partner"):
        activities = activities.filter(lead_partner=filters["partner"])
    if filters.get("region"):
        activities = activities.filter(lead_partner__region=filters["region"])
    if filters.get("year"):
        activities = activities.filter(starts_on__year=filters["year"])
    if filters.get("type"):
        activities = activities.filter(activity_type=filters["type"])
    return (
        activities.select_related("lead_partner", "meeting")
        .prefetch_related(
            "co_organisers",
            Prefetch("domains", queryset=Domain.objects.select_related("action_plan")),
            Prefetch(
                "objectives",
                queryset=Objective.objects.select_related("domain__action_plan").order_by(
                    "domain__number", "position", "number"
                ),
            ),
        )
        .order_by("-starts_on", "-id")
    )


def activity_years(dialogue) -> list[int]:
    """Years of the labelled activities, latest first, for the year filter."""
    dates = (
        LabelProposal.objects.filter(dialogue=dialogue, status=ProposalStatus.LABELLED)
        .exclude(starts_on__isnull=True)
        .dates("starts_on", "year", order="DESC")
    )
    return [day.year for day in dates]


def plan_item_choices(dialogue) -> tuple[list, list]:
    """(domain choices, objective choices) grouped by action plan, newest plan first."""
    plans = ActionPlan.objects.filter(dialogue=dialogue).prefetch_related(
        Prefetch(
            "domains",
            queryset=Domain.objects.order_by("number").prefetch_related(
                Prefetch("objectives", queryset=Objective.objects.order_by("position", "number"))
            ),
        )
    )
    domains, objectives = [], []
    for plan in plans:
        domains.append(
            (plan.name, [(domain.pk, _domain_label(domain)) for domain in plan.domains.all()])
        )
        objectives.append(
            (
                plan.name,
                [
                    (objective.pk, _objective_label(domain, objective))
                    for domain in plan.domains.all()
                    for objective in domain.objectives.all()
                ],
            )
        )
    return domains, [(label, options) for label, options in objectives if options]


def _domain_label(domain) -> str:
    return f"{domain.number}. {domain.title}"


def _objective_label(domain, objective) -> str:
    return f"{objective.number}. {objective.title}"
