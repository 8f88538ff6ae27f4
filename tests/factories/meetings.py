"""Meetings and their programme.

A meeting is a draft, complete in both languages (so it can be published), in
person in Dakar, two days starting sixty days from today. `published=True` sets
the status directly, as data already published; tests of publication itself go
through `set_meeting_status`.
"""

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from convene.meetings.enums import MeetingFormat, MeetingKind, MeetingStatus
from convene.meetings.models import Meeting, Session, Speaker

from .dialogues import DialogueFactory


class MeetingFactory(DjangoModelFactory):
    class Meta:
        model = Meeting
        skip_postgeneration_save = True

    dialogue = factory.SubFactory(DialogueFactory)
    slug = factory.Sequence(lambda n: f"meeting-{n}")
    status = MeetingStatus.DRAFT
    kind = MeetingKind.THEMATIC
    title_en = factory.Sequence(lambda n: f"Meeting {n}")
    title_fr = factory.Sequence(lambda n: f"Réunion {n}")
    summary_en = "A summary."
    summary_fr = "Un résumé."
    description_en = "A description."
    description_fr = "Une description."
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=60))
    ends_on = factory.LazyAttribute(lambda meeting: meeting.starts_on + datetime.timedelta(days=1))
    time_zone = "Africa/Dakar"
    format = MeetingFormat.IN_PERSON
    city_en = "Dakar"
    city_fr = "Dakar"
    venue_en = "Conference centre"
    venue_fr = "Centre de conférences"

    class Params:
        published = factory.Trait(
            status=MeetingStatus.PUBLISHED, published_at=factory.LazyFunction(timezone.now)
        )

    @factory.post_generation
    def lead_partners(self, create, extracted, **kwargs):
        if create and extracted:
            self.lead_partners.set(extracted)


class SessionFactory(DjangoModelFactory):
    """One hour from 09:00 on the meeting's first day."""

    class Meta:
        model = Session

    meeting = factory.SubFactory(MeetingFactory)
    day = factory.LazyAttribute(lambda session: session.meeting.starts_on)
    start_time = datetime.time(9, 0)
    end_time = datetime.time(10, 0)
    title_en = factory.Sequence(lambda n: f"Session {n}")
    title_fr = factory.Sequence(lambda n: f"Séance {n}")


class SpeakerFactory(DjangoModelFactory):
    class Meta:
        model = Speaker

    session = factory.SubFactory(SessionFactory)
    position = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Speaker {n}")
