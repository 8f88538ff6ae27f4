"""Human formats that depend on the active language."""

import datetime

from django.utils import formats, timezone
from django.utils.translation import gettext as _


def format_date_range(start: datetime.date, end: datetime.date) -> str:
    """ "14-15 September 2021" / "14-15 septembre 2021", shortest unambiguous form."""
    if start == end:
        return formats.date_format(start, "j F Y")
    if (start.year, start.month) == (end.year, end.month):
        return f"{formats.date_format(start, 'j')}-{formats.date_format(end, 'j F Y')}"
    if start.year == end.year:
        return f"{formats.date_format(start, 'j F')} - {formats.date_format(end, 'j F Y')}"
    return f"{formats.date_format(start, 'j F Y')} - {formats.date_format(end, 'j F Y')}"


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
    return formats.date_format(local, "j F Y, H:i")


def format_local_date(moment: datetime.datetime, tzinfo) -> str:
    return formats.date_format(timezone.localtime(moment, tzinfo), "j F Y")
