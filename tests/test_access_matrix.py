"""Who may do what: persona, action and object, read from the apps' permission predicates.

The expected answers are written out cell by cell in MATRIX, not derived from the rules
they check. To add a decision, name its predicate in ACTIONS (and its object in OBJECTS
if new) and add its rows; to add a persona, add it to PERSONAS and a column to each row.

Columns, in PERSONAS' order: the Secretariat officer, a superuser without role, the
focal points of Senegal and of France, the organiser and the check-in staff of the
meeting, a delegate's account without role, and an anonymous visitor. "Y" lets in, "."
keeps out; an object "-" is a decision asked about no object.
"""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from convene.labels import permissions as labels
from convene.labels.enums import DecidingBody, ProposalStatus
from convene.meetings import permissions as meetings
from convene.onsite import permissions as onsite
from convene.practices import permissions as practices
from convene.practices.enums import PracticeStatus
from convene.registrations import permissions as registrations
from convene.registrations.enums import RegistrationStatus
from tests.factories.core import CheckinRoleFactory, OrganiserRoleFactory, UserFactory
from tests.factories.labels import LabelProposalFactory
from tests.factories.meetings import MeetingFactory
from tests.factories.practices import GoodPracticeFactory
from tests.factories.registrations import RegistrationFactory

pytestmark = pytest.mark.django_db

PERSONAS = (
    "secretariat",
    "superuser",
    "fp_sn",
    "fp_fr",
    "organiser",
    "checkin",
    "delegate",
    "anon",
)

ACTIONS = {
    # meetings
    "create_meeting": meetings.can_create_meeting,
    "manage_any_meeting": meetings.can_manage_any_meeting,
    "manage_meeting": meetings.can_manage_meeting,
    "publish_meeting": meetings.can_publish_meeting,
    "check_in": meetings.can_check_in,
    "view_meeting": meetings.can_view_meeting,
    "view_meeting_in_back_office": meetings.can_view_meeting_in_back_office,
    "read_staff_notes": meetings.can_read_staff_notes,
    # registrations
    "manage_any_registrations": registrations.can_manage_any_registrations,
    "use_focal_point_pages": registrations.can_use_focal_point_pages,
    "view_registrations_of": registrations.can_view_registrations_of,
    "enter_registration": registrations.can_enter_registration,
    "enter_any_registration": registrations.can_enter_any_registration,
    "nominate_for": registrations.can_nominate_for,
    "view_registration": registrations.can_view_registration,
    "download_attachment": registrations.can_download_attachment,
    "change_registration": registrations.can_change_registration,
    "endorse_registration": registrations.can_endorse_registration,
    "endorse_registration_on_behalf": registrations.can_endorse_registration_on_behalf,
    "decline_registration": registrations.can_decline_registration,
    "approve_registration": registrations.can_approve_registration,
    "waitlist_registration": registrations.can_waitlist_registration,
    "reject_registration": registrations.can_reject_registration,
    "cancel_registration": registrations.can_cancel_registration,
    "export_registrations": registrations.can_export_registrations,
    "export_delegation_registrations": registrations.can_export_delegation_registrations,
    # passport data for visa support letters
    "read_passport_data": onsite.can_read_passport_data,
    # label proposals
    "propose": labels.can_propose,
    "propose_for": labels.can_propose_for,
    "view_all_proposals": labels.can_view_all_proposals,
    "view_proposal": labels.can_view_proposal,
    "read_proposal_file": labels.can_read_proposal_file,
    "edit_proposal": labels.can_edit_proposal,
    "submit_proposal": labels.can_submit_proposal,
    "withdraw_proposal": labels.can_withdraw_proposal,
    "comment_on_proposal": labels.can_comment_on_proposal,
    "review_proposal": labels.can_review_proposal,
    "decide_label": labels.can_decide_label,
    "create_meeting_from_proposal": labels.can_create_meeting_from_proposal,
    # good practices
    "share_practice": practices.can_share_practice,
    "share_practice_for": lambda user, meeting_and_partner: practices.can_share_practice(
        user, meeting_and_partner[0], partner=meeting_and_partner[1]
    ),
    "moderate_practice": practices.can_moderate_practice,
    "download_practice_attachment": practices.can_download_practice_attachment,
}

MATRIX = """
action                        object                  sec su  fpSN fpFR org chk del anon
create_meeting                -                       Y   Y   .    .    .   .   .   .
manage_any_meeting            -                       Y   Y   .    .    Y   .   .   .
manage_meeting                meeting                 Y   Y   .    .    Y   .   .   .
manage_meeting                other_draft             Y   Y   .    .    .   .   .   .
publish_meeting               meeting                 Y   Y   .    .    .   .   .   .
check_in                      meeting                 Y   Y   .    .    Y   Y   .   .
check_in                      other_draft             Y   Y   .    .    .   .   .   .
view_meeting                  meeting                 Y   Y   Y    Y    Y   Y   Y   Y
view_meeting                  other_draft             Y   Y   .    .    .   .   .   .
view_meeting_in_back_office   meeting                 Y   Y   Y    Y    Y   Y   .   .
view_meeting_in_back_office   other_draft             Y   Y   .    .    .   .   .   .
read_staff_notes              meeting                 Y   Y   .    .    Y   .   .   .

manage_any_registrations      -                       Y   Y   .    .    Y   .   .   .
use_focal_point_pages         -                       .   .   Y    Y    .   .   .   .
view_registrations_of         meeting                 Y   Y   .    .    Y   .   .   .
enter_registration            meeting                 Y   Y   .    .    Y   .   .   .
enter_registration            other_draft             Y   Y   .    .    .   .   .   .
enter_any_registration        -                       Y   Y   .    .    Y   .   .   .
nominate_for                  senegal                 .   .   Y    .    .   .   .   .
nominate_for                  france                  .   .   .    Y    .   .   .   .
view_registration             registration_sn         Y   Y   Y    .    Y   .   .   .
view_registration             registration_fr         Y   Y   .    Y    Y   .   .   .
view_registration             registration_invited    Y   Y   .    .    Y   .   .   .
download_attachment           registration_sn         Y   Y   Y    .    Y   .   .   .
download_attachment           registration_fr         Y   Y   .    Y    Y   .   .   .
change_registration           registration_sn         Y   Y   .    .    Y   .   .   .
endorse_registration          registration_sn         .   .   Y    .    .   .   .   .
endorse_registration          registration_fr         .   .   .    Y    .   .   .   .
endorse_registration          registration_invited    .   .   .    .    .   .   .   .
endorse_registration_on_behalf registration_sn        Y   Y   .    .    .   .   .   .
endorse_registration_on_behalf registration_fr        Y   Y   .    .    .   .   .   .
decline_registration          registration_sn         .   .   Y    .    .   .   .   .
decline_registration          registration_fr         .   .   .    Y    .   .   .   .
approve_registration          registration_sn         Y   Y   .    .    Y   .   .   .
approve_registration          registration_fr         Y   Y   .    .    Y   .   .   .
approve_registration          other_registration      Y   Y   .    .    .   .   .   .
waitlist_registration         registration_sn         Y   Y   .    .    Y   .   .   .
reject_registration           registration_sn         Y   Y   .    .    Y   .   .   .
reject_registration           other_registration      Y   Y   .    .    .   .   .   .
cancel_registration           registration_sn         Y   Y   Y    .    Y   .   .   .
export_registrations          -                       Y   Y   .    .    Y   .   .   .
export_registrations          meeting                 Y   Y   .    .    Y   .   .   .
export_registrations          other_draft             Y   Y   .    .    .   .   .   .
export_delegation_registrations senegal               .   .   Y    .    .   .   .   .
export_delegation_registrations france                .   .   .    Y    .   .   .   .
cancel_registration           registration_fr         Y   Y   .    Y    Y   .   .   .
read_passport_data            registration_sn         Y   Y   .    .    Y   .   .   .
read_passport_data            registration_fr         Y   Y   .    .    Y   .   .   .
read_passport_data            other_registration      Y   Y   .    .    .   .   .   .

propose                       -                       Y   Y   Y    Y    .   .   .   .
propose_for                   senegal                 Y   Y   Y    .    .   .   .   .
propose_for                   france                  Y   Y   .    Y    .   .   .   .
view_all_proposals            -                       Y   Y   .    .    .   .   .   .
view_proposal                 proposal_draft          Y   Y   Y    .    .   .   .   .
view_proposal                 proposal_submitted      Y   Y   Y    .    .   .   .   .
view_proposal                 proposal_under_review   Y   Y   Y    .    .   .   .   .
view_proposal                 proposal_recommended    Y   Y   Y    .    .   .   .   .
view_proposal                 proposal_labelled       Y   Y   Y    Y    Y   Y   Y   Y
view_proposal                 proposal_not_labelled   Y   Y   Y    .    .   .   .   .
view_proposal                 proposal_withdrawn      Y   Y   Y    .    .   .   .   .
read_proposal_file            proposal_labelled       Y   Y   Y    .    .   .   .   .
edit_proposal                 proposal_draft          Y   Y   Y    .    .   .   .   .
edit_proposal                 proposal_submitted      .   .   .    .    .   .   .   .
edit_proposal                 proposal_changes        Y   Y   Y    .    .   .   .   .
edit_proposal                 proposal_labelled       .   .   .    .    .   .   .   .
submit_proposal               proposal_draft          Y   Y   Y    .    .   .   .   .
withdraw_proposal             proposal_submitted      Y   Y   Y    .    .   .   .   .
comment_on_proposal           proposal_under_review   Y   Y   Y    .    .   .   .   .
review_proposal               proposal_submitted      Y   Y   .    .    .   .   .   .
decide_label                  proposal_recommended    Y   Y   .    .    .   .   .   .
create_meeting_from_proposal  proposal_labelled       Y   Y   .    .    .   .   .   .

share_practice                meeting                 Y   Y   Y    Y    .   .   .   .
share_practice_for            meeting_senegal         Y   Y   Y    .    .   .   .   .
share_practice_for            meeting_france          Y   Y   .    Y    .   .   .   .
moderate_practice             -                       Y   Y   .    .    .   .   .   .
download_practice_attachment  practice_submitted      Y   Y   Y    .    .   .   .   .
download_practice_attachment  practice_published      Y   Y   Y    Y    Y   Y   Y   Y
"""


def _rows() -> list[tuple[str, str, tuple[bool, ...]]]:
    rows = []
    header, *lines = [line for line in MATRIX.strip().splitlines() if line.strip()]
    assert len(header.split()) == 2 + len(PERSONAS)
    for line in lines:
        action, target, *cells = line.split()
        assert len(cells) == len(PERSONAS), line
        assert set(cells) <= {"Y", "."}, line
        rows.append((action, target, tuple(cell == "Y" for cell in cells)))
    return rows


ROWS = _rows()


# --- the world the table speaks of ----------------------------------------------------


@pytest.fixture
def meeting(reference_data):
    return MeetingFactory(dialogue=reference_data, slug="matrix-meeting", published=True)


@pytest.fixture
def people(request, reference_data, meeting, secretariat_officer):
    return {
        "secretariat": secretariat_officer,
        "superuser": UserFactory(is_staff=True, is_superuser=True),
        "fp_sn": request.getfixturevalue("focal_point_senegal"),
        "fp_fr": request.getfixturevalue("focal_point_france"),
        "organiser": OrganiserRoleFactory(meeting=meeting).user,
        "checkin": CheckinRoleFactory(meeting=meeting).user,
        "delegate": UserFactory(),
        "anon": AnonymousUser(),
    }


def _partner(reference_data, code):
    return reference_data.partners.get(code=code)


def _proposal(reference_data, status):
    decided = {}
    if status in (ProposalStatus.LABELLED, ProposalStatus.NOT_LABELLED):
        decided = {
            "decided_by": DecidingBody.STEERING_COMMITTEE,
            "decided_on": datetime.date(2026, 1, 15),
        }
    return LabelProposalFactory(
        dialogue=reference_data,
        lead_partner=_partner(reference_data, "SN"),
        status=status,
        **decided,
    )


def _practice(reference_data, meeting, status):
    return GoodPracticeFactory(
        meeting=meeting,
        partner=_partner(reference_data, "SN"),
        domain=reference_data.action_plans.get(code="CAP").domains.get(number=1),
        status=status,
    )


def _registration(meeting, **fields):
    return RegistrationFactory(meeting=meeting, **fields)


# Each object, built from the reference data and the meeting on demand.
OBJECTS = {
    "-": None,
    "meeting": lambda data, meeting: meeting,
    "other_draft": lambda data, meeting: MeetingFactory(dialogue=data, slug="other-draft"),
    "senegal": lambda data, meeting: _partner(data, "SN"),
    "france": lambda data, meeting: _partner(data, "FR"),
    "registration_sn": lambda data, meeting: _registration(
        meeting,
        delegation=_partner(data, "SN"),
        status=RegistrationStatus.AWAITING_FOCAL_POINT,
    ),
    "registration_fr": lambda data, meeting: _registration(
        meeting, delegation=_partner(data, "FR")
    ),
    "registration_invited": lambda data, meeting: _registration(
        meeting, category="research", delegation=None
    ),
    "other_registration": lambda data, meeting: _registration(
        MeetingFactory(dialogue=data, slug="other-meeting"), delegation=_partner(data, "SN")
    ),
    "proposal_draft": lambda data, meeting: _proposal(data, ProposalStatus.DRAFT),
    "proposal_submitted": lambda data, meeting: _proposal(data, ProposalStatus.SUBMITTED),
    "proposal_under_review": lambda data, meeting: _proposal(data, ProposalStatus.UNDER_REVIEW),
    "proposal_changes": lambda data, meeting: _proposal(data, ProposalStatus.CHANGES_REQUESTED),
    "proposal_recommended": lambda data, meeting: _proposal(data, ProposalStatus.RECOMMENDED),
    "proposal_labelled": lambda data, meeting: _proposal(data, ProposalStatus.LABELLED),
    "proposal_not_labelled": lambda data, meeting: _proposal(data, ProposalStatus.NOT_LABELLED),
    "proposal_withdrawn": lambda data, meeting: _proposal(data, ProposalStatus.WITHDRAWN),
    "meeting_senegal": lambda data, meeting: (meeting, _partner(data, "SN")),
    "meeting_france": lambda data, meeting: (meeting, _partner(data, "FR")),
    "practice_submitted": lambda data, meeting: _practice(data, meeting, PracticeStatus.SUBMITTED),
    "practice_published": lambda data, meeting: _practice(data, meeting, PracticeStatus.PUBLISHED),
}


# --- the table itself ---------------------------------------------------------------------


def test_matrix_names_only_known_actions_and_objects():
    assert {action for action, _target, _cells in ROWS} <= set(ACTIONS)
    assert {target for _action, target, _cells in ROWS} <= set(OBJECTS)


def test_matrix_has_a_row_for_every_action():
    assert {action for action, _target, _cells in ROWS} == set(ACTIONS)


@pytest.mark.parametrize(
    ("action", "target", "expected"),
    ROWS,
    ids=[f"{action}-{target}" for action, target, _cells in ROWS],
)
def test_access(action, target, expected, people, reference_data, meeting):
    predicate = ACTIONS[action]
    if target == "-":
        answers = tuple(predicate(people[name]) for name in PERSONAS)
    else:
        subject = OBJECTS[target](reference_data, meeting)
        answers = tuple(predicate(people[name], subject) for name in PERSONAS)

    assert dict(zip(PERSONAS, answers, strict=True)) == dict(zip(PERSONAS, expected, strict=True))
