"""Reads behind the catalogue of labelled activities, on data built here."""

import datetime

import pytest

from convene.dialogues.enums import Region
from convene.labels import selectors
from convene.labels.enums import ActivityType
from tests.factories.labels import LabelProposalFactory
from tests.labels.catalogue_fixtures import *  # noqa: F403
from tests.labels.catalogue_fixtures import _domain, _ids, _labelled, _objective  # noqa: F401

pytestmark = pytest.mark.django_db


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
