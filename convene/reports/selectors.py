"""Reads of what the Dialogue did: action-plan coverage and partner records.

Every function here returns what a public page shows in a fixed number of queries,
however many activities or meetings there are.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from convene.dialogues.models import ActionPlan, Domain, Objective, Partner
from convene.dialogues.selectors import partners_by_name
from convene.labels.enums import ProposalStatus
from convene.labels.models import LabelProposal
from convene.meetings.models import Meeting
from convene.registrations.enums import RegistrationStatus


@dataclass
class YearItems:
    year: int | None
    activities: list = field(default_factory=list)
    meetings: list = field(default_factory=list)


@dataclass
class Coverage:
    """What served one domain or objective: labelled activities, published meetings."""

    item: object
    activities: list = field(default_factory=list)
    meetings: list = field(default_factory=list)

    @property
    def is_served(self) -> bool:
        return bool(self.activities or self.meetings)

    @property
    def lead_partners(self) -> list:
        partners = {activity.lead_partner.pk: activity.lead_partner for activity in self.activities}
        for meeting in self.meetings:
            partners.update({partner.pk: partner for partner in meeting.lead_partners.all()})
        return partners_by_name(partners.values())

    @property
    def by_year(self) -> list[YearItems]:
        """Latest year first; activities without dates last."""
        years: dict = {}
        for activity in self.activities:
            years.setdefault(activity.year, YearItems(activity.year)).activities.append(activity)
        for meeting in self.meetings:
            year = meeting.starts_on.year
            years.setdefault(year, YearItems(year)).meetings.append(meeting)
        return sorted(years.values(), key=lambda group: (group.year is None, -(group.year or 0)))


@dataclass
class DomainCoverage(Coverage):
    objectives: list = field(default_factory=list)  # [Coverage]


@dataclass
class PlanCoverage:
    plan: object
    domains: list = field(default_factory=list)  # [DomainCoverage]

    @property
    def objective_count(self) -> int:
        return sum(len(domain.objectives) for domain in self.domains)

    @property
    def served_objective_count(self) -> int:
        return sum(
            1 for domain in self.domains for objective in domain.objectives if objective.is_served
        )


def action_plan_coverage(dialogue) -> list[PlanCoverage]:
    """Each action plan, newest first, with each domain and objective and what served it.

    An activity or meeting serves an objective it names, and a domain it names directly
    or through one of the domain's objectives. Activities are the labelled proposals;
    meetings are the published meetings (a labelled activity's meeting appears under
    both, as the activity and as the meeting). Objectives that nothing served have
    `is_served` false.
    """
    plans = list(
        ActionPlan.objects.filter(dialogue=dialogue).prefetch_related(
            Prefetch(
                "domains",
                queryset=Domain.objects.order_by("number").prefetch_related(
                    Prefetch(
                        "objectives", queryset=Objective.objects.order_by("position", "number")
                    )
                ),
            )
        )
    )
    activities = {
        activity.pk: activity
        for activity in LabelProposal.objects.filter(
            dialogue=dialogue, status=ProposalStatus.LABELLED
        )
        .select_related("lead_partner", "meeting")
        .order_by("starts_on", "id")
    }
    meetings = {
        meeting.pk: meeting
        for meeting in Meeting.objects.published()
        .filter(dialogue=dialogue)
        .prefetch_related("lead_partners")
        .order_by("starts_on", "id")
    }
    activity_domains = _links(LabelProposal.domains.through, "labelproposal", "domain", activities)
    activity_objectives = _links(
        LabelProposal.objectives.through, "labelproposal", "objective", activities
    )
    meeting_domains = _links(Meeting.domains.through, "meeting", "domain", meetings)
    meeting_objectives = _links(Meeting.objectives.through, "meeting", "objective", meetings)

    result = []
    for plan in plans:
        plan_coverage = PlanCoverage(plan)
        for domain in plan.domains.all():
            objective_ids = {objective.pk for objective in domain.objectives.all()}
            domain_coverage = DomainCoverage(
                domain,
                activities=_serving(
                    activities, activity_domains, activity_objectives, {domain.pk}, objective_ids
                ),
                meetings=_serving(
                    meetings, meeting_domains, meeting_objectives, {domain.pk}, objective_ids
                ),
            )
            for objective in domain.objectives.all():
                domain_coverage.objectives.append(
                    Coverage(
                        objective,
                        activities=_serving(
                            activities, {}, activity_objectives, set(), {objective.pk}
                        ),
                        meetings=_serving(meetings, {}, meeting_objectives, set(), {objective.pk}),
                    )
                )
            plan_coverage.domains.append(domain_coverage)
        result.append(plan_coverage)
    return result


def _links(through, owner: str, target: str, owners: dict) -> dict[int, set[int]]:
    """{owner id: {target ids}} of the given owners, from a many-to-many table in one query."""
    links: dict[int, set[int]] = {}
    rows = through.objects.filter(**{f"{owner}_id__in": list(owners)}).values_list(
        f"{owner}_id", f"{target}_id"
    )
    for owner_id, target_id in rows:
        links.setdefault(owner_id, set()).add(target_id)
    return links


def _serving(things: dict, domain_links, objective_links, domain_ids, objective_ids) -> list:
    return [
        thing
        for pk, thing in things.items()
        if domain_links.get(pk, set()) & domain_ids
        or objective_links.get(pk, set()) & objective_ids
    ]


@dataclass
class PartnerRecord:
    partner: Partner
    led_activities: list
    led_meetings: list
    co_organised: list
    attended: list
    registered: list


def partner_by_code(dialogue, code: str) -> Partner | None:
    """The partner with this reference-data code, in any case ("fr" finds France)."""
    return Partner.objects.filter(dialogue=dialogue, code__iexact=code).first()


def partner_record(partner: Partner, *, now=None) -> PartnerRecord:
    """What the partner led, co-organised, attended and is registered for, as the public
    may see it.

    Led: labelled activities with the partner as lead, and published meetings it led
    that are not already listed as one of those activities. Co-organised: labelled
    activities naming it among the co-organisers. Attended: published meetings that are
    over (their last day past at the venue, as of `now`) where its delegation had
    approved registrations, latest first; registered: the same for meetings still to
    come or under way, soonest first. `delegates` counts the approved registrations.
    """
    labelled = LabelProposal.objects.filter(status=ProposalStatus.LABELLED).select_related(
        "lead_partner", "meeting"
    )
    led_activities = list(labelled.filter(lead_partner=partner).order_by("-starts_on", "-id"))
    shown = {activity.meeting_id for activity in led_activities if activity.meeting_id}
    led_meetings = list(
        Meeting.objects.published()
        .filter(lead_partners=partner)
        .exclude(pk__in=shown)
        .order_by("-starts_on", "-id")
    )
    co_organised = list(labelled.filter(co_organisers=partner).order_by("-starts_on", "-id"))
    # Check-in does not exist yet, so an approved registration to a meeting that is over
    # stands for attendance. Once the onsite app records who came, count the delegates
    # checked in here instead (for the meetings that are over; approved ones stay the
    # count of `registered`).
    approved = Q(
        registrations__delegation=partner,
        registrations__status=RegistrationStatus.APPROVED,
    )
    meetings = list(
        Meeting.objects.published()
        .filter(approved)
        .annotate(delegates=Count("registrations", filter=approved))
        .order_by("-starts_on", "-id")
    )
    # The end is at each venue's own date, so the split is made here rather than in SQL.
    now = now or timezone.now()
    attended = [meeting for meeting in meetings if meeting.is_over(now)]
    registered = [meeting for meeting in reversed(meetings) if not meeting.is_over(now)]
    return PartnerRecord(partner, led_activities, led_meetings, co_organised, attended, registered)
