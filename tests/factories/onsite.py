"""Onsite: a delegate's passport data, a meeting's visa letter settings, funding
requests and travel details.

PassportDetails are those of an adult with a passport valid for years; the letter
settings name a signatory in both languages (issuing needs one) and no letterhead.
TravelDetails: arrival the day before the first day at 14:30 and departure the evening
of the last day (venue time), by flight, no hotel; pass `hotel_needed=True` with the
check-in and check-out dates for a room.
"""

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from convene.onsite.enums import FundingStatus, MeansOfTravel
from convene.onsite.models import (
    Attendance,
    CheckinDevice,
    FundingRequest,
    PassportDetails,
    TravelDetails,
    VisaLetterSettings,
)
from tests.factories.core import UserFactory
from tests.factories.meetings import MeetingFactory
from tests.factories.registrations import RegistrationFactory


class PassportDetailsFactory(DjangoModelFactory):
    class Meta:
        model = PassportDetails

    registration = None  # always given: passport data belongs to one registration
    date_of_birth = datetime.date(1980, 5, 17)
    nationality = "Senegalese"
    passport_number = factory.Sequence(lambda n: f"A{n:08d}")
    issue_date = datetime.date(2024, 1, 10)
    expiry_date = datetime.date(2034, 1, 9)


class VisaLetterSettingsFactory(DjangoModelFactory):
    class Meta:
        model = VisaLetterSettings

    meeting = None  # always given
    institution_en = "Secretariat of the Rabat Process"
    institution_fr = "Secrétariat du Processus de Rabat"
    signatory_name = "Claire Martin"
    signatory_function_en = "Head of the Secretariat"
    signatory_function_fr = "Cheffe du Secrétariat"
    signature_place_en = "Brussels"
    signature_place_fr = "Bruxelles"
    contact_email = "letters@example.org"
    contact_phone = "+32 2 555 01 23"


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
    # A decision is dated (a database constraint); pass decided_at=None with REQUESTED.
    decided_at = factory.LazyFunction(timezone.now)


class CheckinDeviceFactory(DjangoModelFactory):
    """A browser device of the meeting's door, named by a check-in staff member."""

    class Meta:
        model = CheckinDevice

    meeting = factory.SubFactory(MeetingFactory)
    name = factory.Sequence(lambda n: f"Desk {n + 1}")
    user = factory.SubFactory(UserFactory)


class AttendanceFactory(DjangoModelFactory):
    """The registration present on the meeting's first day at 09:00 at the venue."""

    class Meta:
        model = Attendance

    registration = factory.SubFactory(RegistrationFactory)
    meeting = factory.SelfAttribute("registration.meeting")
    day = factory.LazyAttribute(lambda o: o.registration.meeting.starts_on)
    checked_in_at = factory.LazyAttribute(lambda o: _at_venue(o.registration.meeting, o.day, 9))
