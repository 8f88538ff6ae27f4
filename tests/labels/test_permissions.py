"""Each proposal predicate of convene.labels.permissions, per persona. The whole table of
personas and actions is in tests/test_access_matrix.py."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from convene.labels import permissions
from convene.labels.enums import DecidingBody, ProposalStatus
from tests.labels.proposal_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db

P = ProposalStatus
DECIDED = (P.LABELLED, P.NOT_LABELLED)

PROPOSERS_SIDE = (
    permissions.can_act_as_proposer,
    permissions.can_read_proposal_file,
    permissions.can_submit_proposal,
    permissions.can_withdraw_proposal,
    permissions.can_comment_on_proposal,
)
SECRETARIATS_SIDE = (
    permissions.can_review_proposal,
    permissions.can_decide_label,
    permissions.can_create_meeting_from_proposal,
)


@pytest.fixture
def proposal_in(make_proposal):
    """A proposal led by France in `status`, with its decision when it has one."""

    def make(status):
        if status in DECIDED:
            return make_proposal(
                status=status,
                decided_by=DecidingBody.STEERING_COMMITTEE,
                decided_on=datetime.date(2026, 1, 15),
            )
        return make_proposal(status=status)

    return make


@pytest.fixture
def people(secretariat_officer, focal_point_france, focal_point_senegal, organiser, outsider):
    return [
        secretariat_officer,
        focal_point_france,
        focal_point_senegal,
        organiser,
        outsider,
        AnonymousUser(),
    ]


def _answers(predicate, people, *args):
    return [predicate(person, *args) for person in people]


@pytest.mark.parametrize("predicate", PROPOSERS_SIDE)
def test_proposers_side_is_the_lead_partners_focal_point_and_the_secretariat(
    predicate, people, proposal_in
):
    proposal = proposal_in(P.SUBMITTED)

    assert _answers(predicate, people, proposal) == [True, True, False, False, False, False]


@pytest.mark.parametrize("predicate", SECRETARIATS_SIDE)
def test_secretariats_side_is_the_secretariat_only(predicate, people, proposal_in):
    proposal = proposal_in(P.LABELLED)

    assert _answers(predicate, people, proposal) == [True] + [False] * 5


def test_can_propose_for_own_partner_or_any_as_the_secretariat(people, france, senegal):
    assert _answers(permissions.can_propose_for, people, france) == [
        True,
        True,
        False,
        False,
        False,
        False,
    ]
    assert _answers(permissions.can_propose_for, people, senegal) == [
        True,
        False,
        True,
        False,
        False,
        False,
    ]


def test_can_propose_for_the_secretariat_and_every_focal_point(people):
    assert _answers(permissions.can_propose, people) == [True, True, True, False, False, False]


def test_can_view_all_proposals_only_for_the_secretariat(people):
    assert _answers(permissions.can_view_all_proposals, people) == [True] + [False] * 5


@pytest.mark.parametrize("status", [P.DRAFT, P.SUBMITTED, P.NOT_LABELLED, P.WITHDRAWN])
def test_can_view_proposal_before_the_label_only_for_the_proposers_side(
    status, people, proposal_in
):
    proposal = proposal_in(status)

    assert _answers(permissions.can_view_proposal, people, proposal) == [
        True,
        True,
        False,
        False,
        False,
        False,
    ]


def test_can_view_proposal_labelled_for_everyone(people, proposal_in):
    proposal = proposal_in(P.LABELLED)

    assert _answers(permissions.can_view_proposal, people, proposal) == [True] * 6


def test_can_read_proposal_file_of_a_labelled_proposal_still_the_proposers_side(
    people, proposal_in
):
    proposal = proposal_in(P.LABELLED)

    assert _answers(permissions.can_read_proposal_file, people, proposal) == [
        True,
        True,
        False,
        False,
        False,
        False,
    ]


@pytest.mark.parametrize(
    ("status", "editable"),
    [
        (P.DRAFT, True),
        (P.SUBMITTED, False),
        (P.UNDER_REVIEW, False),
        (P.CHANGES_REQUESTED, True),
        (P.RECOMMENDED, False),
        (P.LABELLED, False),
        (P.NOT_LABELLED, False),
        (P.WITHDRAWN, False),
    ],
)
def test_can_edit_proposal_by_status_for_the_proposers_side(status, editable, people, proposal_in):
    proposal = proposal_in(status)

    assert _answers(permissions.can_edit_proposal, people, proposal) == [
        editable,
        editable,
        False,
        False,
        False,
        False,
    ]
