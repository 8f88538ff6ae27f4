"""Fixtures of the public-page selector tests (labels, practices, reports): a dialogue,
an action plan, three partners and two labelled activities, built here."""

import datetime

import pytest

from convene.dialogues.enums import Region
from convene.labels.enums import ActivityType, ProposalStatus
from tests.factories.dialogues import (
    ActionPlanFactory,
    DialogueFactory,
    DomainFactory,
    ObjectiveFactory,
    PartnerFactory,
)
from tests.factories.labels import LabelProposalFactory

__all__ = [
    "LABELLED",
    "_domain",
    "_ids",
    "_labelled",
    "_objective",
    "activities",
    "dialogue",
    "people",
    "plan",
]  # fmt: skip

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
