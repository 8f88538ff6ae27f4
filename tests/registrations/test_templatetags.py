"""What the registrations app renders in other apps' pages: the meeting page's places."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from convene.meetings.enums import MeetingFormat
from convene.registrations.enums import Participation, RegistrationStatus
from tests.factories.registrations import RegistrationFactory
from tests.html import parse

pytestmark = pytest.mark.django_db

S = RegistrationStatus


def _meeting_url(meeting, language="en"):
    return f"/{language}/meetings/{meeting.slug}/"


def test_meeting_page_says_the_places_left_and_the_endorsement(make_meeting, senegal, client):
    meeting = make_meeting(
        format=MeetingFormat.HYBRID,
        in_person_capacity=3,
        online_capacity=1,
        focal_point_endorsement_required=True,
    )
    RegistrationFactory(meeting=meeting, delegation=senegal, status=S.APPROVED)
    RegistrationFactory(meeting=meeting, delegation=senegal, status=S.AWAITING_SECRETARIAT)
    RegistrationFactory(meeting=meeting, delegation=senegal, status=S.WAITLISTED)
    RegistrationFactory(
        meeting=meeting,
        delegation=senegal,
        status=S.APPROVED,
        participation=Participation.ONLINE,
    )

    page = parse(client.get(_meeting_url(meeting)))

    assert page.texts("section.registration #places-left li") == [
        "In person: 1 place left.",
        "Online: 0 places left.",
        "Your focal point must endorse your registration before it can hold a place.",
    ]


def test_meeting_page_in_french_says_the_places_left(make_meeting, senegal, client):
    meeting = make_meeting(in_person_capacity=1)

    page = parse(client.get(_meeting_url(meeting, "fr")))

    assert page.texts("#places-left li") == ["En présentiel : 1 place restante."]


def test_meeting_page_says_nothing_of_places_when_registration_is_closed(make_meeting, client):
    meeting = make_meeting(
        in_person_capacity=10,
        focal_point_endorsement_required=True,
        registration_closes_at=timezone.now() - datetime.timedelta(hours=1),
    )

    page = parse(client.get(_meeting_url(meeting)))

    assert page.select("#places-left") == []


def test_meeting_page_counts_places_in_one_query_only_when_limited(make_meeting, client, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    unlimited = make_meeting(slug="unlimited")
    limited = make_meeting(slug="limited", in_person_capacity=10)
    client.get(_meeting_url(unlimited))  # the page frame's reads, cached per process

    with CaptureQueriesContext(connection) as unlimited_queries:
        client.get(_meeting_url(unlimited))
    with CaptureQueriesContext(connection) as limited_queries:
        client.get(_meeting_url(limited))

    assert len(limited_queries) == len(unlimited_queries) + 1
