"""Human formats that depend on the active language."""

import datetime

from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _


def format_date(value: datetime.date, pattern: str) -> str:
    """Django's date_format, with French's ordinal first day: "1er septembre", never
    "1 septembre" (the other days are cardinal: "2 septembre")."""
    if value.day == 1 and (get_language() or "").startswith("fr"):
        # A backslash makes Django print the next character as it is.
        pattern = pattern.replace("j", r"\1\e\r")
    return formats.date_format(value, pattern)


def format_date_range(start: datetime.date, end: datetime.date) -> str:
    """ "14-15 September 2021" / "14-15 septembre 2021", shortest unambiguous form."""
    if start == end:
        return format_date(start, "j F Y")
    if (start.year, start.month) == (end.year, end.month):
        return f"{format_date(start, 'j')}-{format_date(end, 'j F Y')}"
    if start.year == end.year:
        return f"{format_date(start, 'j F')} - {format_date(end, 'j F Y')}"
    return f"{format_date(start, 'j F Y')} - {format_date(end, 'j F Y')}"


def format_time_zone(tzinfo, on: datetime.date) -> str:
    """ "Europe/Paris (UTC+02:00)" for the offset in force on that day."""
    moment = datetime.datetime.combine(on, datetime.time(12), tzinfo=tzinfo)
    offset = moment.utcoffset() or datetime.timedelta(0)
    total = int(offset.total_seconds() // 60)
    sign = "+" if total >= 0 else "-"
    hours, minutes = divmod(abs(total), 60)
    return _("%(zone)s (UTC%(sign)s%(hours)02d:%(minutes)02d)") % {
        "zone": str(tzinfo),
        "sign": sign,
        "hours": hours,
        "minutes": minutes,
    }


def format_local_datetime(moment: datetime.datetime, tzinfo) -> str:
    """A moment shown at the venue: "1 June 2021, 12:00"."""
    local = timezone.localtime(moment, tzinfo)
    return format_date(local, "j F Y, H:i")


def format_local_date(moment: datetime.datetime, tzinfo) -> str:
    return format_date(timezone.localtime(moment, tzinfo), "j F Y")
