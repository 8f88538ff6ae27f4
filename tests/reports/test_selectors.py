"""Reads behind the coverage and partner pages, on data built here."""

import datetime

import pytest

from convene.registrations.enums import RegistrationStatus
from convene.reports import selectors
from tests.factories.labels import LabelProposalFactory
from tests.factories.meetings import MeetingFactory
from tests.factories.registrations import RegistrationFactory
from tests.labels.catalogue_fixtures import *  # noqa: F403
from tests.labels.catalogue_fixtures import _domain, _ids, _labelled, _objective  # noqa: F401

pytestmark = pytest.mark.django_db


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
    dakar = MeetingFactory(
        dialogue=dialogue,
        published=True,
        starts_on=datetime.date(2024, 3, 5),
        ends_on=datetime.date(2024, 3, 6),
    )
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
    assert record.registered == []


def _meeting_with_french_delegates(dialogue, france, *, starts_on, ends_on, count=1, **fields):
    meeting = MeetingFactory(
        dialogue=dialogue, published=True, starts_on=starts_on, ends_on=ends_on, **fields
    )
    RegistrationFactory.create_batch(
        count, meeting=meeting, delegation=france, status=RegistrationStatus.APPROVED
    )
    return meeting


def test_partner_record_counts_as_attended_only_meetings_that_are_over(dialogue, people):
    france = people["france"]
    day = datetime.date
    past = _meeting_with_french_delegates(
        dialogue, france, starts_on=day(2024, 3, 5), ends_on=day(2024, 3, 6), count=2
    )
    older = _meeting_with_french_delegates(
        dialogue, france, starts_on=day(2023, 1, 9), ends_on=day(2023, 1, 9)
    )
    under_way = _meeting_with_french_delegates(
        dialogue, france, starts_on=day(2031, 5, 1), ends_on=day(2031, 5, 2)
    )
    later = _meeting_with_french_delegates(
        dialogue, france, starts_on=day(2031, 9, 1), ends_on=day(2031, 9, 2), count=3
    )
    now = datetime.datetime(2031, 5, 2, 12, tzinfo=datetime.UTC)  # the last day of under_way

    record = selectors.partner_record(france, now=now)

    assert [(meeting, meeting.delegates) for meeting in record.attended] == [
        (past, 2),
        (older, 1),
    ]
    assert [(meeting, meeting.delegates) for meeting in record.registered] == [
        (under_way, 1),
        (later, 3),
    ]


def test_partner_record_ends_a_meeting_at_its_venue_date(dialogue, people):
    france = people["france"]
    # 23:30 UTC on 2 May is already 3 May in Niamey (UTC+1), still 2 May in Dakar (UTC).
    niamey = _meeting_with_french_delegates(
        dialogue,
        france,
        starts_on=datetime.date(2031, 5, 1),
        ends_on=datetime.date(2031, 5, 2),
        time_zone="Africa/Niamey",
    )
    dakar = _meeting_with_french_delegates(
        dialogue,
        france,
        starts_on=datetime.date(2031, 5, 1),
        ends_on=datetime.date(2031, 5, 2),
        time_zone="Africa/Dakar",
    )
    now = datetime.datetime(2031, 5, 2, 23, 30, tzinfo=datetime.UTC)

    record = selectors.partner_record(france, now=now)

    assert (record.attended, record.registered) == ([niamey], [dakar])


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
