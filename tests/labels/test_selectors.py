"""Reads behind the public label pages: catalogue filters, coverage figures, partner
records and the good-practice search, on data built here."""

import datetime

import pytest

from convene.dialogues.enums import Region
from convene.labels import selectors
from convene.labels.enums import ActivityType, ProposalStatus
from convene.registrations.enums import LevelOfGovernment, RegistrationStatus
from tests.factories.dialogues import (
    ActionPlanFactory,
    DialogueFactory,
    DomainFactory,
    ObjectiveFactory,
    PartnerFactory,
)
from tests.factories.labels import GoodPracticeFactory, LabelProposalFactory
from tests.factories.meetings import MeetingFactory
from tests.factories.registrations import RegistrationFactory

pytestmark = pytest.mark.django_db

LABELLED = ProposalStatus.LABELLED


def _labelled(**fields):
    return LabelProposalFactory(
        status=LABELLED, decided_by="steering_committee", decided_on=datetime.date(2024, 1, 5),
        **fields,
    )  # fmt: skip


@pytest.fixture
def dialogue():
    return DialogueFactory()


@pytest.fixture
def plan(dialogue):
    """Domain 1 with objectives 1 and 2, domain 2 with objective 3."""
    plan = ActionPlanFactory(dialogue=dialogue, code="TEST", start_year=2023, end_year=2027)
    first = DomainFactory(action_plan=plan, number=1)
    second = DomainFactory(action_plan=plan, number=2)
    ObjectiveFactory(domain=first, number="1", position=1)
    ObjectiveFactory(domain=first, number="2", position=2)
    ObjectiveFactory(domain=second, number="3", position=3)
    return plan


def _domain(plan, number):
    return plan.domains.get(number=number)


def _objective(plan, number):
    return plan.domains.get(objectives__number=number).objectives.get(number=number)


@pytest.fixture
def people(dialogue):
    return {
        "senegal": PartnerFactory(
            dialogue=dialogue, code="SN", name_en="Senegal", region=Region.WEST_AFRICA
        ),
        "france": PartnerFactory(dialogue=dialogue, code="FR", name_en="France"),
        "spain": PartnerFactory(dialogue=dialogue, code="ES", name_en="Spain"),
    }


@pytest.fixture
def activities(dialogue, plan, people):
    """Two labelled activities and a draft that no filter may return."""
    return {
        "dakar": _labelled(
            dialogue=dialogue,
            lead_partner=people["senegal"],
            activity_type=ActivityType.WORKSHOP,
            starts_on=datetime.date(2024, 3, 4),
            objectives=[_objective(plan, "1")],
        ),
        "madrid": _labelled(
            dialogue=dialogue,
            lead_partner=people["spain"],
            activity_type=ActivityType.WEBINAR,
            starts_on=datetime.date(2025, 6, 2),
            domains=[_domain(plan, 2)],
        ),
        "draft": LabelProposalFactory(
            dialogue=dialogue,
            lead_partner=people["senegal"],
            starts_on=datetime.date(2024, 5, 5),
            objectives=[_objective(plan, "1")],
        ),
    }


def _ids(items):
    return {item.pk for item in items}


# --- catalogue ---


def test_labelled_activities_without_filters_are_the_labelled_ones_latest_first(
    dialogue, activities
):
    found = list(selectors.labelled_activities(dialogue))

    assert [activity.pk for activity in found] == [
        activities["madrid"].pk,
        activities["dakar"].pk,
    ]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"region": Region.WEST_AFRICA}, {"dakar"}),
        ({"region": Region.EUROPE}, {"madrid"}),
        ({"year": 2024}, {"dakar"}),
        ({"year": 2023}, set()),
        ({"type": ActivityType.WEBINAR}, {"madrid"}),
        ({"year": 2025, "type": ActivityType.WORKSHOP}, set()),
    ],
)
def test_labelled_activities_filter_by_region_year_and_type(
    dialogue, activities, filters, expected
):
    found = selectors.labelled_activities(dialogue, filters=filters)

    assert _ids(found) == {activities[name].pk for name in expected}


def test_labelled_activities_filter_by_lead_partner(dialogue, activities, people):
    found = selectors.labelled_activities(dialogue, filters={"partner": people["spain"].pk})

    assert _ids(found) == {activities["madrid"].pk}


def test_labelled_activities_domain_filter_includes_activities_naming_its_objectives(
    dialogue, plan, activities
):
    first = selectors.labelled_activities(dialogue, filters={"domain": _domain(plan, 1).pk})
    second = selectors.labelled_activities(dialogue, filters={"domain": _domain(plan, 2).pk})

    assert _ids(first) == {activities["dakar"].pk}
    assert _ids(second) == {activities["madrid"].pk}


def test_labelled_activities_objective_filter_and_no_duplicates(dialogue, plan, activities):
    activities["dakar"].domains.add(_domain(plan, 1))
    activities["dakar"].objectives.add(_objective(plan, "2"))

    by_objective = list(
        selectors.labelled_activities(dialogue, filters={"objective": _objective(plan, "2").pk})
    )
    by_domain = list(
        selectors.labelled_activities(dialogue, filters={"domain": _domain(plan, 1).pk})
    )

    assert [activity.pk for activity in by_objective] == [activities["dakar"].pk]
    assert [activity.pk for activity in by_domain] == [activities["dakar"].pk]


def test_activity_years_latest_first_from_labelled_activities_only(dialogue, activities):
    LabelProposalFactory(dialogue=dialogue, starts_on=datetime.date(2019, 1, 1))

    assert selectors.activity_years(dialogue) == [2025, 2024]


# --- coverage ---


def test_coverage_figures_on_known_data(dialogue, plan, activities, people):
    meeting = MeetingFactory(
        dialogue=dialogue,
        published=True,
        starts_on=datetime.date(2024, 9, 1),
        ends_on=datetime.date(2024, 9, 2),
        lead_partners=[people["france"]],
    )
    meeting.objectives.add(_objective(plan, "1"))
    draft = MeetingFactory(dialogue=dialogue)
    draft.objectives.add(_objective(plan, "2"))

    (coverage,) = selectors.action_plan_coverage(dialogue)

    first, second = coverage.domains
    assert (coverage.objective_count, coverage.served_objective_count) == (3, 1)
    assert (first.activities, first.meetings) == ([activities["dakar"]], [meeting])
    assert [(o.item.number, o.is_served) for o in first.objectives] == [
        ("1", True),
        ("2", False),
    ]
    assert [p.name for p in first.lead_partners] == ["France", "Senegal"]
    assert [(group.year, group.activities, group.meetings) for group in first.by_year] == [
        (2024, [activities["dakar"]], [meeting])
    ]
    assert (second.activities, second.meetings) == ([activities["madrid"]], [])
    assert second.objectives[0].is_served is False
    assert [p.name for p in second.lead_partners] == ["Spain"]


def test_coverage_groups_by_year_latest_first_with_undated_last(dialogue, plan, people):
    objective = _objective(plan, "3")
    old = _labelled(
        dialogue=dialogue,
        lead_partner=people["france"],
        starts_on=datetime.date(2023, 2, 1),
        objectives=[objective],
    )
    new = _labelled(
        dialogue=dialogue,
        lead_partner=people["france"],
        starts_on=datetime.date(2026, 2, 1),
        objectives=[objective],
    )
    undated = _labelled(
        dialogue=dialogue, lead_partner=people["spain"], starts_on=None, ends_on=None,
        objectives=[objective],
    )  # fmt: skip

    (coverage,) = selectors.action_plan_coverage(dialogue)

    served = coverage.domains[1].objectives[0]
    assert [(group.year, group.activities) for group in served.by_year] == [
        (2026, [new]),
        (2023, [old]),
        (None, [undated]),
    ]
    assert [p.name for p in served.lead_partners] == ["France", "Spain"]


def test_coverage_queries_do_not_grow_with_activities(
    dialogue, plan, activities, people, django_assert_num_queries
):
    for _ in range(3):
        meeting = MeetingFactory(dialogue=dialogue, published=True, lead_partners=[people["spain"]])
        meeting.domains.add(_domain(plan, 1))
        _labelled(dialogue=dialogue, lead_partner=people["france"], domains=[_domain(plan, 2)])

    # Plans, domains, objectives; activities and their two links; meetings, their lead
    # partners and their two links.
    with django_assert_num_queries(10):
        (coverage,) = selectors.action_plan_coverage(dialogue)
        figures = [
            (len(domain.activities), len(domain.meetings), len(domain.lead_partners))
            for domain in coverage.domains
        ]

    assert figures == [(1, 3, 2), (4, 0, 2)]


# --- partners ---


def test_partner_by_code_ignores_case_and_other_dialogues(dialogue, people):
    assert selectors.partner_by_code(dialogue, "fr") == people["france"]
    assert selectors.partner_by_code(dialogue, "Fr") == people["france"]
    assert selectors.partner_by_code(dialogue, "XX") is None


def test_partner_record_led_co_organised_and_attended(dialogue, plan, people):
    france, senegal = people["france"], people["senegal"]
    paris = MeetingFactory(dialogue=dialogue, published=True, lead_partners=[france])
    activity = _labelled(
        dialogue=dialogue, lead_partner=france, meeting=paris, starts_on=datetime.date(2021, 9, 14)
    )
    lyon = MeetingFactory(dialogue=dialogue, published=True, lead_partners=[france])
    MeetingFactory(dialogue=dialogue, lead_partners=[france])  # draft: not shown
    LabelProposalFactory(dialogue=dialogue, lead_partner=france)  # not labelled
    co = _labelled(dialogue=dialogue, lead_partner=senegal)
    co.co_organisers.add(france)
    dakar = MeetingFactory(dialogue=dialogue, published=True)
    RegistrationFactory.create_batch(
        2, meeting=dakar, delegation=france, status=RegistrationStatus.APPROVED
    )
    RegistrationFactory(meeting=dakar, delegation=france, status=RegistrationStatus.REJECTED)
    RegistrationFactory(meeting=dakar, delegation=senegal, status=RegistrationStatus.APPROVED)
    abuja = MeetingFactory(dialogue=dialogue, published=True)
    RegistrationFactory(meeting=abuja, delegation=france, status=RegistrationStatus.WAITLISTED)
    draft = MeetingFactory(dialogue=dialogue)
    RegistrationFactory(meeting=draft, delegation=france, status=RegistrationStatus.APPROVED)

    record = selectors.partner_record(france)

    assert record.led_activities == [activity]
    assert record.led_meetings == [lyon]
    assert record.co_organised == [co]
    assert [(meeting, meeting.delegates) for meeting in record.attended] == [(dakar, 2)]


# --- good practices ---


@pytest.fixture
def practices(dialogue, plan, people):
    paris = MeetingFactory(dialogue=dialogue, starts_on=datetime.date(2021, 9, 14))
    rabat = MeetingFactory(dialogue=dialogue, starts_on=datetime.date(2024, 5, 6))
    return {
        "reintegration": GoodPracticeFactory(
            meeting=paris,
            published=True,
            title="Réintégration des migrants de retour",
            summary="Un guichet municipal à Dakar.",
            language="fr",
            partner=people["senegal"],
            domain=_domain(plan, 1),
            objective=_objective(plan, "1"),
            level_of_government=LevelOfGovernment.LOCAL,
        ),
        "inclusion": GoodPracticeFactory(
            meeting=rabat,
            published=True,
            title="Local inclusion desks",
            summary="Reintegration and inclusion services in one place, in Lyon.",
            partner=people["france"],
            domain=_domain(plan, 2),
            level_of_government=LevelOfGovernment.NATIONAL,
        ),
        "pending": GoodPracticeFactory(
            meeting=rabat,
            title="Réintégration pending moderation",
            partner=people["france"],
            domain=_domain(plan, 1),
        ),
    }


def _search(dialogue, practices, query="", **filters):
    names = {practice.pk: name for name, practice in practices.items()}
    found = selectors.published_practices(dialogue, filters=filters, query=query)
    return [names[practice.pk] for practice in found]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("reintegration", {"reintegration", "inclusion"}),
        ("RÉINTÉGRATION", {"reintegration", "inclusion"}),
        ("réintégration dakar", {"reintegration"}),
        ("Reintegration LYON", {"inclusion"}),
        ("reintegration paris", set()),
        ("guichet", {"reintegration"}),
        ("  ", {"reintegration", "inclusion"}),
        ("100%", set()),
    ],
)
def test_practice_search_ignores_accents_and_case_and_needs_every_word(
    dialogue, practices, query, expected
):
    assert set(_search(dialogue, practices, query)) == expected


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"region": Region.WEST_AFRICA}, ["reintegration"]),
        ({"year": 2024}, ["inclusion"]),
        ({"level": LevelOfGovernment.LOCAL}, ["reintegration"]),
    ],
)
def test_practice_filters(dialogue, practices, filters, expected):
    assert _search(dialogue, practices, **filters) == expected


def test_practice_filters_by_domain_objective_and_partner(dialogue, plan, practices, people):
    assert _search(dialogue, practices, domain=_domain(plan, 2).pk) == ["inclusion"]
    assert _search(dialogue, practices, objective=_objective(plan, "1").pk) == ["reintegration"]
    assert _search(dialogue, practices, partner=people["france"].pk) == ["inclusion"]


def test_practice_years_and_meeting_page_list_published_only(dialogue, practices):
    paris = practices["reintegration"].meeting
    rabat = practices["inclusion"].meeting

    assert selectors.practice_years(dialogue) == [2024, 2021]
    assert selectors.practices_for_meeting_page(rabat) == [practices["inclusion"]]
    assert selectors.practices_for_meeting_page(paris) == [practices["reintegration"]]
    assert selectors.published_practice(practices["pending"].pk) is None


def test_coverage_of_reference_plans_newest_first_in_their_order(reference_data):
    plans = selectors.action_plan_coverage(reference_data)

    assert [plan.plan.code for plan in plans] == ["CAP", "MAP"]
    assert [domain.item.number for domain in plans[0].domains] == [1, 2, 3, 4, 5]
    assert [o.item.number for o in plans[0].domains[2].objectives] == ["5a", "5b", "6"]
    assert [(plan.served_objective_count, plan.objective_count) for plan in plans] == [
        (0, 7),
        (0, 10),
    ]


def test_coverage_counts_published_meetings_only(reference_data):
    domain = reference_data.action_plans.get(code="MAP").domains.get(number=2)
    objective = domain.objectives.get(number="3")
    published = MeetingFactory(dialogue=reference_data, published=True)
    for meeting in (published, MeetingFactory(dialogue=reference_data)):
        meeting.domains.add(domain)
        meeting.objectives.add(objective)

    plans = {plan.plan.code: plan for plan in selectors.action_plan_coverage(reference_data)}

    map_domain = plans["MAP"].domains[1]
    assert map_domain.meetings == [published]
    assert [o.meetings for o in map_domain.objectives] == [[published], []]
