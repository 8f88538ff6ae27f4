"""Fixtures of the registration tests: an open meeting, its organiser, the partners."""

import datetime

import pytest
from django.core.cache import cache
from django.db import OperationalError
from django.utils import timezone
from psycopg.errors import LockNotAvailable

from convene.core import locks
from convene.meetings.enums import ApprovalMode
from tests.factories.core import OrganiserRoleFactory
from tests.factories.meetings import MeetingFactory


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    """Rate limiting off unless a test is about it; its counters start from zero."""
    settings.REGISTRATION_RATE_LIMIT = "off"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def make_meeting(reference_data):
    """A published, in-person meeting sixty days ahead whose registration opened yesterday
    and closes in thirty days; decided by the Secretariat, no email verification, no
    quota, no endorsement. Keyword arguments override any field."""

    def make(**fields):
        now = timezone.now()
        values = {
            "dialogue": reference_data,
            "published": True,
            "registration_opens_at": now - datetime.timedelta(days=1),
            "registration_closes_at": now + datetime.timedelta(days=30),
            "approval_mode": ApprovalMode.MANUAL,
            "email_verification_required": False,
        }
        values.update(fields)
        return MeetingFactory(**values)

    return make


@pytest.fixture
def meeting(make_meeting):
    return make_meeting(
        slug="dakar-workshop", title_en="Dakar workshop", title_fr="Atelier de Dakar"
    )


@pytest.fixture
def meeting_organiser(meeting):
    return OrganiserRoleFactory(
        meeting=meeting, user__email="organiser@dakar.example.org", user__full_name="Organiser"
    ).user


@pytest.fixture
def other_organiser(make_meeting):
    """The organiser of another meeting."""
    return OrganiserRoleFactory(
        meeting=make_meeting(slug="other-meeting"),
        user__email="organiser@other.example.org",
        user__full_name="Other organiser",
    ).user


@pytest.fixture
def meeting_lock_not_granted(monkeypatch):
    """Every bounded lock wait runs out, as when another transaction holds the lock too long.

    Raised as the database driver raises it on PostgreSQL (SQLSTATE 55P03), on any database.
    """

    def lock_timeout():
        try:
            raise LockNotAvailable("canceling statement due to lock timeout")
        except LockNotAvailable as cause:
            raise OperationalError(str(cause)) from cause

    monkeypatch.setattr(locks, "bound_lock_waits", lock_timeout)
