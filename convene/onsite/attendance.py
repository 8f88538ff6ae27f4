"""The attendance sheet of one day of a meeting, as a PDF for meetings that keep paper:
A4 portrait, the delegates expected in person grouped by delegation (in name order),
each with their check-in time that day if any and an empty column to sign; the meeting,
the day and the venue at the head of every page, "Page X of Y" at its foot. Rendered in
the active language (the page's), fetching nothing but local files."""

import datetime

from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import get_language, gettext

from convene.core.formatting import format_date
from convene.meetings.models import Meeting

from .confirmation import vendored_fonts, write_pdf
from .selectors import attendance_sheet


def attendance_sheet_filename(meeting: Meeting, day: datetime.date) -> str:
    return f"attendance-{meeting.slug}-{day.isoformat()}.pdf"


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def page_counter_css() -> str:
    """The CSS `content` of "Page X of Y" in the active language: the translated
    sentence with the page counters where its placeholders are."""
    sentence = gettext("Page %(page)s of %(pages)s")
    first, _, rest = sentence.partition("%(page)s")
    middle, _, last = rest.partition("%(pages)s")
    parts = [_css_string(first), "counter(page)", _css_string(middle), "counter(pages)"]
    return " ".join([*parts, _css_string(last)])


def attendance_sheet_pdf(meeting: Meeting, day: datetime.date) -> tuple[bytes, int]:
    """The sheet's PDF and the number of delegates it names (for the audit entry)."""
    groups = attendance_sheet(meeting, day)
    rows = []
    for group in groups:
        delegates = []
        for registration, attendance in group.delegates:
            time = ""
            if attendance is not None:
                at = timezone.localtime(attendance.checked_in_at, meeting.tzinfo)
                time = formats.time_format(at, "H:i")
            delegates.append({"registration": registration, "time": time})
        rows.append({"name": group.name, "delegates": delegates})
    html = render_to_string(
        "onsite/attendance_sheet.html",
        {
            "meeting": meeting,
            "day": format_date(day, "l j F Y"),
            "location": meeting.location(),
            "groups": rows,
            "page_counter": page_counter_css(),
            "fonts": vendored_fonts(),
            "LANGUAGE_CODE": get_language(),
        },
    )
    return write_pdf(html), sum(len(group["delegates"]) for group in rows)
