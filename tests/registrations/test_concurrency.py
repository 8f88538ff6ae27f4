"""Never overbooked: many simultaneous registrations over real HTTP, on PostgreSQL.

Each test fires its requests from threads released together by a barrier at a live
server (in this process, one database connection per request thread). The control
test removes the meeting lock and slows the count down: it must then oversell, which
shows that the other tests would catch a missing lock.
"""

import json
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from convene.meetings.enums import ApprovalMode, MeetingFormat
from convene.registrations import services
from convene.registrations.enums import RegistrationStatus
from convene.registrations.models import Registration
from tests.factories.meetings import MeetingFactory
from tests.factories.registrations import registration_data
from tests.locking import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def open_meeting(reference_data, settings):
    settings.REGISTRATION_RATE_LIMIT = "off"
    from django.utils import timezone

    return MeetingFactory(
        dialogue=reference_data,
        published=True,
        format=MeetingFormat.IN_PERSON,
        approval_mode=ApprovalMode.FIRST_COME,
        email_verification_required=False,
        registration_opens_at=timezone.now() - timezone.timedelta(days=1),
        registration_closes_at=timezone.now() + timezone.timedelta(days=10),
    )


def _body(index: int, delegation: str, role: str = "member") -> dict:
    return {
        "first_name": f"Delegate{index}",
        "last_name": "Rush",
        "email": f"rush{index}@example.org",
        "phone": "+221771234567",
        "delegation": delegation,
        "institution": "Ministry",
        "function": "Officer",
        "level_of_government": "national",
        "role": role,
        "language": "en",
        "consent": True,
    }


def _fire(url: str, bodies: list[dict]) -> list[int]:
    """POST every body at once; returns the HTTP status codes in order."""
    barrier = threading.Barrier(len(bodies))

    def post(body):
        request = urllib.request.Request(  # noqa: S310  (the live server's http URL)
            url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
        )
        barrier.wait(timeout=30)
        try:
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    with ThreadPoolExecutor(max_workers=len(bodies)) as pool:
        return list(pool.map(post, bodies))


def _statuses(meeting) -> dict[str, int]:
    counts = {}
    for status in Registration.objects.filter(meeting=meeting).values_list("status", flat=True):
        counts[status] = counts.get(status, 0) + 1
    return counts


def _url(live_server, meeting) -> str:
    return f"{live_server.url}/api/v1/meetings/{meeting.slug}/registrations/"


def test_rush_on_last_places_never_exceeds_capacity(live_server, open_meeting):
    open_meeting.in_person_capacity = 5
    open_meeting.save()
    codes = ["SN", "FR", "ML", "NE", "BE", "ES", "IT", "PT", "MA", "NG"]
    bodies = [_body(index, codes[index % len(codes)]) for index in range(30)]

    results = _fire(_url(live_server, open_meeting), bodies)

    assert results == [202] * 30
    assert _statuses(open_meeting) == {
        RegistrationStatus.APPROVED: 5,
        RegistrationStatus.WAITLISTED: 25,
    }


def test_rush_from_one_delegation_never_exceeds_its_size(live_server, open_meeting):
    open_meeting.delegation_size = 2
    open_meeting.save()
    bodies = [_body(index, "SN") for index in range(20)]

    results = _fire(_url(live_server, open_meeting), bodies)

    assert results == [202] * 20
    approved = Registration.objects.filter(
        meeting=open_meeting, status=RegistrationStatus.APPROVED, delegation__code="SN"
    )
    assert approved.count() == 2
    assert _statuses(open_meeting)[RegistrationStatus.WAITLISTED] == 18


def test_rush_with_the_same_email_creates_one_registration(live_server, open_meeting):
    bodies = [dict(_body(0, "SN"), first_name=f"Copy{index}") for index in range(12)]

    results = _fire(_url(live_server, open_meeting), bodies)

    # Answered alike (no enumeration); the owner of the address hears of the others.
    assert results == [202] * 12
    registration = Registration.objects.get(meeting=open_meeting)
    assert sorted(registration.notifications.values_list("event", flat=True)) == [
        "already_registered"
    ] * 11 + ["approved"]


def test_rush_without_the_lock_oversells(live_server, open_meeting, monkeypatch):
    """Control: with the lock removed and the count slowed, the same rush oversells."""
    open_meeting.in_person_capacity = 3
    open_meeting.save()
    original = services.place_problem

    def slow_place_problem(meeting, registration):
        problem = original(meeting, registration)
        time.sleep(0.3)  # every request counts before any commits
        return problem

    monkeypatch.setattr(services, "lock_meeting", lambda meeting: meeting)
    monkeypatch.setattr(services, "place_problem", slow_place_problem)
    bodies = [_body(index, "SN" if index % 2 else "FR") for index in range(10)]

    _fire(_url(live_server, open_meeting), bodies)

    approved = _statuses(open_meeting).get(RegistrationStatus.APPROVED, 0)
    assert approved > 3


# --- nominees first ----------------------------------------------------------------------


def _nominate(meeting, partner, focal_point, email: str, role: str = "member"):
    data = registration_data(meeting, partner, email=email, role=role)
    return lambda: services.submit_registration(
        meeting, data=data, source=services.Source.FOCAL_POINT, actor=focal_point
    )


@pytest.fixture
def endorsed_meeting(open_meeting):
    """Decided by the Secretariat, each delegation "1+1", endorsement required."""
    open_meeting.approval_mode = ApprovalMode.MANUAL
    open_meeting.focal_point_endorsement_required = True
    open_meeting.delegation_size = 2
    open_meeting.delegation_heads = 1
    open_meeting.save()
    return open_meeting


def test_rush_of_self_registrations_leaves_the_place_to_the_nominee(
    live_server, endorsed_meeting, focal_point_senegal
):
    endorsed_meeting.delegation_size = 1
    endorsed_meeting.delegation_heads = None
    endorsed_meeting.save()
    senegal = endorsed_meeting.dialogue.partners.get(code="SN")
    url = _url(live_server, endorsed_meeting)
    bodies = [_body(index, "SN") for index in range(12)]
    calls = [lambda body=body: _fire(url, [body])[0] for body in bodies]
    nominate = _nominate(endorsed_meeting, senegal, focal_point_senegal, "nominee@sn.org")

    def nominate_amid_the_rush():
        # Half the strangers are in before the focal point nominates; the rest race it.
        registered = Registration.objects.filter(meeting=endorsed_meeting)
        deadline = time.monotonic() + 30
        while registered.count() < 6 and time.monotonic() < deadline:
            time.sleep(0.01)
        return nominate()

    calls.insert(6, nominate_amid_the_rush)

    results = race(calls)

    nominee = results.pop(6)
    assert results == [202] * 12
    # The rush came first: strangers registered before the nominee.
    earlier = Registration.objects.filter(meeting=endorsed_meeting, pk__lt=nominee.pk)
    assert earlier.count() >= 6
    assert Registration.objects.get(pk=nominee.pk).status == RegistrationStatus.AWAITING_SECRETARIAT
    assert _statuses(endorsed_meeting) == {
        RegistrationStatus.AWAITING_FOCAL_POINT: 12,
        RegistrationStatus.AWAITING_SECRETARIAT: 1,
    }


def _delegation_places(meeting) -> tuple[int, int]:
    """(places held, of which heads) by Senegal's delegation."""
    holding = Registration.objects.filter(
        meeting=meeting, delegation__code="SN", status__in=services.PLACE_HOLDING
    )
    return holding.count(), holding.filter(role="head").count()


def _endorsement_rush(meeting, focal_point) -> list:
    """Ten self-registrations awaiting endorsement (half heads), endorsed all at once while
    the focal point nominates a head and an expert."""
    senegal = meeting.dialogue.partners.get(code="SN")
    pending = [
        services.submit_registration(
            meeting,
            data=registration_data(
                meeting,
                senegal,
                email=f"pending{index}@sn.org",
                role="head" if index % 2 else "expert",
            ),
        )
        for index in range(10)
    ]
    calls = [
        lambda registration=registration: services.endorse_registration(
            registration, actor=focal_point
        )
        for registration in pending
    ]
    calls.insert(3, _nominate(meeting, senegal, focal_point, "head@sn.org", role="head"))
    calls.insert(8, _nominate(meeting, senegal, focal_point, "expert@sn.org", role="expert"))
    return race(calls)


def test_rush_of_endorsements_and_nominations_never_exceeds_the_delegation(
    endorsed_meeting, focal_point_senegal
):
    results = _endorsement_rush(endorsed_meeting, focal_point_senegal)

    assert [error for error in results if isinstance(error, Exception)] == []
    assert _delegation_places(endorsed_meeting) == (2, 1)
    assert _statuses(endorsed_meeting) == {
        RegistrationStatus.AWAITING_SECRETARIAT: 2,
        RegistrationStatus.WAITLISTED: 10,
    }


def test_rush_of_endorsements_without_the_lock_oversells(
    endorsed_meeting, focal_point_senegal, monkeypatch
):
    """Control: with the lock removed and the count slowed, the same rush oversells."""
    original = services.place_problem

    def slow_place_problem(meeting, registration):
        problem = original(meeting, registration)
        time.sleep(0.3)  # every request counts before any commits
        return problem

    monkeypatch.setattr(services, "lock_meeting", lambda meeting: meeting)
    monkeypatch.setattr(services, "place_problem", slow_place_problem)

    _endorsement_rush(endorsed_meeting, focal_point_senegal)

    assert _delegation_places(endorsed_meeting)[0] > 2
