"""Fixtures of the proposal tests (imported by each module: `from ... import *`)."""

import pytest

from convene.dialogues.models import Objective
from tests.factories.labels import LabelProposalFactory

__all__ = ["cadiz_objective", "make_proposal", "marrakesh_objective"]


@pytest.fixture
def cadiz_objective(reference_data):
    """Cadiz Action Plan, domain 1, objective 1: the plan of new proposals."""
    return Objective.objects.get(domain__action_plan__code="CAP", domain__number=1, number="1")


@pytest.fixture
def marrakesh_objective(reference_data):
    """Marrakesh Action Plan, domain 1, objective 1: for activities dated 2018-2022."""
    return Objective.objects.get(domain__action_plan__code="MAP", domain__number=1, number="1")


@pytest.fixture
def make_proposal(reference_data, france, focal_point_france, cadiz_objective):
    """A proposal led by France, proposed by its focal point, aligned with Cadiz 1.1."""

    def make(**fields):
        fields.setdefault("dialogue", reference_data)
        fields.setdefault("lead_partner", france)
        fields.setdefault("proposed_by", focal_point_france)
        fields.setdefault("objectives", [cadiz_objective])
        return LabelProposalFactory(**fields)

    return make
