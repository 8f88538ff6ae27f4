"""Writes of convene.core.services that have no other home in the tests."""

import pytest
from axes.models import AccessAttempt
from django.utils import timezone

from convene.core.models import AuditEntry
from convene.core.services import lift_sign_in_lock
from tests.factories.core import UserFactory

pytestmark = pytest.mark.django_db


def _attempt(username, address, failures):
    return AccessAttempt.objects.create(
        username=username,
        ip_address=address,
        user_agent="",
        failures_since_start=failures,
        attempt_time=timezone.now(),
        get_data="",
        post_data="",
        http_accept="",
        path_info="/en/admin/login/",
    )


def test_lift_sign_in_lock_clears_the_account_from_every_address_and_is_audited():
    actor = UserFactory()
    first = _attempt("locked@example.org", "192.0.2.1", 4)
    _attempt("locked@example.org", "192.0.2.2", 1)
    other = _attempt("other@example.org", "192.0.2.1", 2)

    lift_sign_in_lock(first, actor=actor)

    assert list(AccessAttempt.objects.values_list("pk", flat=True)) == [other.pk]
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action, entry.object_id, entry.from_state, entry.reason) == (
        actor,
        "sign_in_lock_lifted",
        str(first.pk),
        "5",
        "locked@example.org",
    )
