"""Each predicate of convene.practices.permissions, per persona."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from convene.core.models import User
from convene.meetings.enums import Category
from convene.practices.enums import PracticeStatus
from convene.practices.permissions import (
    can_download_practice_attachment,
    can_moderate_practice,
    can_share_practice,
)
from convene.registrations.enums import RegistrationStatus
from tests.factories.core import FocalPointRoleFactory
from tests.factories.dialogues import DialogueFactory, PartnerFactory
from tests.factories.meetings import MeetingFactory
from tests.factories.practices import GoodPracticeFactory
from tests.factories.registrations import RegistrationFactory

pytestmark = pytest.mark.django_db

PERSONAS = [
    "secretariat_officer",
    "focal_point_france",
    "focal_point_senegal",
    "organiser",
    "outsider",
]


def _fresh(user):
    """The user as a new request loads it: roles are cached per user object."""
    return User.objects.get(pk=user.pk)


@pytest.fixture
def meeting(reference_data):
    return MeetingFactory(dialogue=reference_data, published=True, slug="rabat-2030")


@pytest.fixture
def partners(reference_data):
    return {
        "france": reference_data.partners.get(code="FR"),
        "senegal": reference_data.partners.get(code="SN"),
        "former": PartnerFactory(
            dialogue=reference_data, code="XF", left_on=datetime.date(2020, 1, 1)
        ),
        "elsewhere": PartnerFactory(dialogue=DialogueFactory(slug="another-dialogue"), code="XE"),
    }


# --- can_share_practice, signed in ---


@pytest.mark.parametrize(
    ("persona", "shares_for"),
    [
        ("secretariat_officer", {"france", "senegal"}),
        ("focal_point_france", {"france"}),
        ("focal_point_senegal", {"senegal"}),
        ("outsider", set()),
    ],
)
def test_can_share_practice_for_the_partners_a_person_speaks_for(
    request, meeting, partners, persona, shares_for
):
    user = _fresh(request.getfixturevalue(persona))

    allowed = {
        name
        for name, partner in partners.items()
        if can_share_practice(user, meeting, partner=partner)
    }

    assert allowed == shares_for
    assert can_share_practice(user, meeting) is bool(shares_for)


def test_can_share_practice_false_for_anonymous_and_nobody(meeting, partners):
    assert can_share_practice(AnonymousUser(), meeting) is False
    assert can_share_practice(None, meeting, partner=partners["france"]) is False


def test_can_share_practice_false_for_the_focal_point_of_a_partner_that_left(meeting, partners):
    former = FocalPointRoleFactory(partner=partners["former"]).user

    assert can_share_practice(_fresh(former), meeting) is False
    assert can_share_practice(_fresh(former), meeting, partner=partners["former"]) is False


# --- can_share_practice, through a registration ---


@pytest.mark.parametrize(
    ("status", "allowed"),
    [
        (RegistrationStatus.APPROVED, True),
        (RegistrationStatus.AWAITING_SECRETARIAT, False),
        (RegistrationStatus.WAITLISTED, False),
        (RegistrationStatus.CANCELLED, False),
    ],
)
def test_can_share_practice_as_a_delegate_only_once_approved(meeting, partners, status, allowed):
    registration = RegistrationFactory(
        meeting=meeting, delegation=partners["senegal"], status=status
    )

    assert can_share_practice(None, meeting, registration=registration) is allowed


def test_can_share_practice_as_a_delegate_for_their_delegation_only(meeting, partners):
    registration = RegistrationFactory(
        meeting=meeting, delegation=partners["senegal"], status=RegistrationStatus.APPROVED
    )

    allowed = {
        name
        for name, partner in partners.items()
        if can_share_practice(None, meeting, partner=partner, registration=registration)
    }

    assert allowed == {"senegal"}


def test_can_share_practice_as_an_invited_delegate_for_any_current_partner(meeting, partners):
    registration = RegistrationFactory(
        meeting=meeting,
        delegation=None,
        category=Category.CIVIL_SOCIETY,
        status=RegistrationStatus.APPROVED,
    )

    allowed = {
        name
        for name, partner in partners.items()
        if can_share_practice(None, meeting, partner=partner, registration=registration)
    }

    assert allowed == {"france", "senegal"}


def test_can_share_practice_false_with_a_registration_for_another_meeting(
    reference_data, meeting, partners
):
    other = MeetingFactory(dialogue=reference_data, published=True, slug="dakar-2030")
    registration = RegistrationFactory(
        meeting=other, delegation=partners["senegal"], status=RegistrationStatus.APPROVED
    )

    assert can_share_practice(None, meeting, registration=registration) is False


# --- can_moderate_practice ---


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("secretariat_officer", True),
        ("focal_point_france", False),
        ("organiser", False),
        ("outsider", False),
    ],
)
def test_can_moderate_practice_only_for_the_secretariat(request, persona, allowed):
    assert can_moderate_practice(_fresh(request.getfixturevalue(persona))) is allowed
    assert can_moderate_practice(AnonymousUser()) is False


# --- can_download_practice_attachment ---


@pytest.fixture
def practice_of_france(meeting, partners, reference_data):
    def make(status):
        return GoodPracticeFactory(
            meeting=meeting,
            partner=partners["france"],
            domain=reference_data.action_plans.get(code="CAP").domains.get(number=1),
            status=status,
        )

    return make


@pytest.mark.parametrize(
    ("status", "readers"),
    [
        (PracticeStatus.SUBMITTED, {"secretariat_officer", "focal_point_france"}),
        (PracticeStatus.REJECTED, {"secretariat_officer", "focal_point_france"}),
        (PracticeStatus.PUBLISHED, set(PERSONAS)),
    ],
)
def test_can_download_practice_attachment_per_persona(request, practice_of_france, status, readers):
    practice = practice_of_france(status)

    allowed = {
        persona
        for persona in PERSONAS
        if can_download_practice_attachment(_fresh(request.getfixturevalue(persona)), practice)
    }

    assert allowed == readers
    assert can_download_practice_attachment(AnonymousUser(), practice) is (
        status == PracticeStatus.PUBLISHED
    )
