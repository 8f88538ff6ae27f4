"""Onsite records. TravelDetails: arrival the day before the first day at 14:30 and
departure the evening of the last day (venue time), by flight, no hotel; pass
`hotel_needed=True` with the check-in and check-out dates for a room."""

import datetime

import factory
from factory.django import DjangoModelFactory

from convene.onsite.enums import FundingStatus, MeansOfTravel
from convene.onsite.models import FundingRequest, TravelDetails


def _at_venue(meeting, day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=meeting.tzinfo)


class TravelDetailsFactory(DjangoModelFactory):
    class Meta:
        model = TravelDetails

    registration = None  # always given
    arrival_at = factory.LazyAttribute(
        lambda o: _at_venue(
            o.registration.meeting,
            o.registration.meeting.starts_on - datetime.timedelta(days=1),
            14,
            30,
        )
    )
    departure_at = factory.LazyAttribute(
        lambda o: _at_venue(o.registration.meeting, o.registration.meeting.ends_on, 20)
    )
    means = MeansOfTravel.FLIGHT
    travel_number = "AF 718"
    arriving_at = "Blaise Diagne"
    hotel_needed = False


class FundingRequestFactory(DjangoModelFactory):
    class Meta:
        model = FundingRequest

    registration = None  # always given
    status = FundingStatus.GRANTED
