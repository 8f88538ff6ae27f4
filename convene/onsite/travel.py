"""The rules of a delegate's travel details, shared by the form (errors per field) and
save_travel_details (which checks them again: a form is not the only way in)."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext

from convene.core.formatting import format_date
from convene.meetings.models import Meeting

# How long before the first day a delegate may arrive, and after the last day leave,
# for the dates to be of this meeting: beyond, the date is a typing mistake (a wrong
# month or year) more often than a real journey.
TRAVEL_WINDOW = datetime.timedelta(days=7)


def at_venue(day: datetime.date, time: datetime.time, meeting: Meeting) -> datetime.datetime:
    """The moment a date and a time mean at the venue."""
    return datetime.datetime.combine(day, time, tzinfo=meeting.tzinfo)


def venue_day(moment: datetime.datetime, meeting: Meeting) -> datetime.date:
    return timezone.localtime(moment, meeting.tzinfo).date()


def travel_problems(values: dict, *, meeting: Meeting, funded: bool) -> dict[str, str]:
    """What is wrong with `values` (model field names of TravelDetails), as a translated
    sentence per field; empty when nothing is. Reads arrival_at, departure_at,
    hotel_needed, hotel_check_in, hotel_check_out and departure_city."""
    problems: dict[str, str] = {}
    first, last = meeting.starts_on, meeting.ends_on
    arrival, departure = values.get("arrival_at"), values.get("departure_at")
    if arrival is not None:
        day = venue_day(arrival, meeting)
        if day > last:
            problems["arrival_at"] = gettext(
                "The arrival cannot be after the meeting's last day (%(day)s)."
            ) % {"day": format_date(last, "j F Y")}
        elif day < first - TRAVEL_WINDOW:
            problems["arrival_at"] = gettext(
                "The arrival is more than a week before the meeting (%(day)s): check the date."
            ) % {"day": format_date(first, "j F Y")}
    if departure is not None:
        day = venue_day(departure, meeting)
        if day < first:
            problems["departure_at"] = gettext(
                "The departure cannot be before the meeting's first day (%(day)s)."
            ) % {"day": format_date(first, "j F Y")}
        elif day > last + TRAVEL_WINDOW:
            problems["departure_at"] = gettext(
                "The departure is more than a week after the meeting (%(day)s): check the date."
            ) % {"day": format_date(last, "j F Y")}
        elif arrival is not None and departure <= arrival:
            problems["departure_at"] = gettext("The departure must come after the arrival.")
    if values.get("hotel_needed"):
        problems.update(
            _hotel_problems(values, arrival=arrival, departure=departure, meeting=meeting)
        )
    if funded and not (values.get("departure_city") or "").strip():
        problems["departure_city"] = gettext(
            "Your travel is funded: give the city you leave from, for the ticket."
        )
    return problems


def _hotel_problems(values, *, arrival, departure, meeting) -> dict[str, str]:
    problems = {}
    check_in, check_out = values.get("hotel_check_in"), values.get("hotel_check_out")
    if check_in is None:
        problems["hotel_check_in"] = gettext("Give the night you check in to the hotel.")
    if check_out is None:
        problems["hotel_check_out"] = gettext("Give the day you leave the hotel.")
    if check_in is None or check_out is None:
        return problems
    if check_out <= check_in:
        problems["hotel_check_out"] = gettext(
            "The check-out must be at least one day after the check-in."
        )
        return problems
    # A night flight landing at 1 a.m. needs the room from the evening before.
    if arrival is not None and check_in < venue_day(arrival, meeting) - datetime.timedelta(days=1):
        problems["hotel_check_in"] = gettext("The check-in is before your arrival (%(day)s).") % {
            "day": format_date(venue_day(arrival, meeting), "j F Y")
        }
    if departure is not None and check_out > venue_day(departure, meeting):
        problems["hotel_check_out"] = gettext(
            "The check-out is after your departure (%(day)s)."
        ) % {"day": format_date(venue_day(departure, meeting), "j F Y")}
    return problems
