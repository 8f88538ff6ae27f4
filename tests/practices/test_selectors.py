"""Reads behind the good-practice library and the meeting page, on data built here."""

import datetime

import pytest

from convene.dialogues.enums import Region
from convene.practices import selectors
from convene.registrations.enums import LevelOfGovernment
from tests.factories.meetings import MeetingFactory
from tests.factories.practices import GoodPracticeFactory
from tests.labels.catalogue_fixtures import *  # noqa: F403
from tests.labels.catalogue_fixtures import _domain, _ids, _labelled, _objective  # noqa: F401

pytestmark = pytest.mark.django_db


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
