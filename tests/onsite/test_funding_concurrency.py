"""Funded-place numbers hold under concurrent grants on PostgreSQL: two grants for a
delegation's last place at the same moment make one grant and one refusal. The control
test removes the meeting's lock and then both are granted, which shows the first test
would catch a missing lock."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from convene.onsite import services
from convene.onsite.enums import FundingStatus
from convene.onsite.errors import FundingBusyError, FundingError
from convene.onsite.models import FundingRequest
from tests.locking import hold_row_lock

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def two_requests(meeting, make_registration, secretariat_officer):
    """Two delegates of Senegal asked for the delegation's one funded place."""
    meeting.funded_places_per_delegation = 1
    meeting.save(update_fields=["funded_places_per_delegation"])
    awa = make_registration()
    ines = make_registration(email="ines@example.org", reference="INES2031", first_name="Inès")
    return [
        services.request_funding(awa, actor=secretariat_officer),
        services.request_funding(ines, actor=secretariat_officer),
    ]


@pytest.fixture
def slow_count(monkeypatch):
    """Widen the window between counting the granted places and saving the grant."""
    count = services.granted_funded_places

    def count_slowly(meeting, delegation_id):
        found = count(meeting, delegation_id)
        time.sleep(0.3)
        return found

    monkeypatch.setattr(services, "granted_funded_places", count_slowly)


def _grant_both_at_once(requests, actor) -> list[str]:
    barrier = threading.Barrier(len(requests))

    def grant(funding):
        try:
            barrier.wait(timeout=30)
            services.grant_funding(funding, actor=actor)
            return "granted"
        except FundingError as error:
            return error.code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(requests)) as pool:
        return sorted(pool.map(grant, requests))


def test_simultaneous_grants_of_the_last_place_make_one_grant(
    two_requests, secretariat_officer, slow_count
):
    results = _grant_both_at_once(two_requests, secretariat_officer)

    assert results == ["granted", "no_place_left"]
    assert sorted(FundingRequest.objects.values_list("status", flat=True)) == [
        FundingStatus.GRANTED,
        FundingStatus.REQUESTED,
    ]


def test_control_without_the_lock_both_are_granted(
    two_requests, secretariat_officer, slow_count, monkeypatch
):
    monkeypatch.setattr(services, "_lock_meeting", lambda meeting, **kwargs: None)

    results = _grant_both_at_once(two_requests, secretariat_officer)

    assert results == ["granted", "granted"]
    assert list(FundingRequest.objects.values_list("status", flat=True)) == [
        FundingStatus.GRANTED,
        FundingStatus.GRANTED,
    ]


def test_grant_while_the_meeting_is_locked_too_long_is_busy(
    two_requests, secretariat_officer, settings
):
    settings.MEETING_LOCK_TIMEOUT_SECONDS = 0.2
    holder = hold_row_lock("meetings_meeting", two_requests[0].registration.meeting_id)
    try:
        with pytest.raises(FundingBusyError) as caught:
            services.grant_funding(two_requests[0], actor=secretariat_officer)
    finally:
        holder.rollback()
        holder.close()

    assert caught.value.code == "busy"
    two_requests[0].refresh_from_db()
    assert two_requests[0].status == FundingStatus.REQUESTED
