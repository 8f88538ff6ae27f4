"""iCalendar (RFC 5545) for a meeting: one event per session of its programme, or one
event for the whole meeting when it has no programme yet."""

import datetime

import icalendar
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Meeting


def _uid(kind: str, pk: int) -> str:
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "convene"
    return f"{kind}-{pk}@{host}"


def meeting_calendar(meeting: Meeting, *, page_url: str) -> bytes:
    """The calendar file in the active language, times in the venue's zone.

    With a programme, each session is an event and the meeting itself is not: a calendar
    would otherwise show the whole span on top of the sessions it contains. Without one,
    the meeting is a single all-day event over its dates.
    """
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Convene//Meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    # An X- property is written unescaped: a line break in the title would break the file.
    calendar.add("x-wr-calname", " ".join(meeting.title.split()))
    stamp = timezone.now().astimezone(datetime.UTC).replace(microsecond=0)

    sessions = list(meeting.sessions.all())
    if not sessions:
        event = icalendar.Event()
        event.add("uid", _uid("meeting", meeting.pk))
        event.add("dtstamp", stamp)
        event.add("summary", meeting.title)
        event.add("dtstart", meeting.starts_on)
        event.add("dtend", meeting.ends_on + datetime.timedelta(days=1))
        event.add("location", meeting.location())
        event.add("description", f"{meeting.summary}\n\n{page_url}".strip())
        event.add("url", page_url)
        calendar.add_component(event)

    for session in sessions:
        item = icalendar.Event()
        item.add("uid", _uid("session", session.pk))
        item.add("dtstamp", stamp)
        item.add("summary", f"{session.title} ({meeting.title})")
        item.add("dtstart", session.starts_at)
        item.add("dtend", session.ends_at)
        item.add("location", meeting.location(session.room))
        speakers = ", ".join(speaker.name for speaker in session.speakers.all())
        details = [session.description]
        if speakers:
            details.append(_("Speakers: %(names)s") % {"names": speakers})
        details.append(page_url)
        item.add("description", "\n\n".join(part for part in details if part))
        item.add("url", page_url)
        calendar.add_component(item)

    calendar.add_missing_timezones()
    return calendar.to_ical()
