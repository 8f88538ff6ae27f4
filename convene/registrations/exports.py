"""Registrations as spreadsheets (CSV and XLSX), as staff download them.

A table is built once, in the reader's language: translated headers, labels rather than
codes, moments in the venue's time zone. Every cell is text and goes through
`neutralise_cell`, so a value typed by a delegate ("=HYPERLINK(...)") is never run as a
formula by the spreadsheet that opens the file. Callers check access and record the
export (services.record_registrations_export); this module only writes.
"""

import codecs
import csv
import datetime
import tempfile
from collections.abc import Iterable, Iterator

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from convene.core.bilingual import localized
from convene.core.formatting import format_date

from .enums import ExportFormat
from .models import Registration

# Characters with which a spreadsheet starts a formula, or that Excel strips before
# reading one (tab, carriage return).
DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def text_cell(value) -> str:
    """`value` as the text of a cell: neutralised, without the control characters a
    workbook cannot hold."""
    # Control characters are dropped before the check: a workbook cannot hold them, and
    # one dropped later could uncover a formula character behind it.
    return neutralise_cell(ILLEGAL_CHARACTERS_RE.sub("", str(value)))


def neutralise_cell(value: str) -> str:
    """`value` as a spreadsheet shows it as text: prefixed with an apostrophe when it
    starts with a character that opens a formula."""
    if value.startswith(DANGEROUS_PREFIXES):
        return f"'{value}"
    return value


def _yes_no(value: bool) -> str:
    return gettext("Yes") if value else gettext("No")


def _at_venue(moment: datetime.datetime | None, registration: Registration) -> str:
    if moment is None:
        return ""
    return timezone.localtime(moment, registration.meeting.tzinfo).strftime("%Y-%m-%d %H:%M")


def _days(registration: Registration) -> str:
    days = []
    for value in registration.days or ():
        try:
            day = datetime.date.fromisoformat(str(value))
        except ValueError:
            days.append(str(value))
        else:
            days.append(format_date(day, "j F Y"))
    return "; ".join(days)


# (header, value) per column, in the order of the file.
COLUMNS = (
    (_("Reference"), lambda r: r.reference),
    (_("Status"), lambda r: r.get_status_display()),
    # Read by selectors.registrations_for_export, as the back-office's list shows it.
    (_("Place on the waiting list"), lambda r: getattr(r, "listed_waiting_position", None) or ""),
    (_("Meeting"), lambda r: localized(r.meeting, "title") or r.meeting.slug),
    (_("Represents"), lambda r: r.get_category_display()),
    (_("Delegation"), lambda r: localized(r.delegation, "name") if r.delegation else ""),
    (pgettext_lazy("person", "Title"), lambda r: r.get_title_display() if r.title else ""),
    (_("First name(s)"), lambda r: r.first_name),
    (_("Last name"), lambda r: r.last_name),
    (_("Email"), lambda r: r.email),
    (_("Phone"), lambda r: r.phone),
    (_("Institution"), lambda r: r.institution),
    (_("Function"), lambda r: r.function),
    (_("Level of government"), lambda r: r.get_level_of_government_display()),
    (_("Role in the delegation"), lambda r: r.get_role_display()),
    (_("Participation"), lambda r: r.get_participation_display()),
    (_("Days attended"), _days),
    (_("Language for emails and documents"), lambda r: r.get_language_display()),
    (_("Dietary needs"), lambda r: r.dietary_needs),
    (_("Accessibility needs"), lambda r: r.accessibility_needs),
    (_("Visa support letter"), lambda r: _yes_no(r.needs_visa_letter)),
    (_("On the participant list"), lambda r: _yes_no(r.consent_participant_list)),
    (_("Entered through"), lambda r: r.get_source_display()),
    (_("Registered (venue time)"), lambda r: _at_venue(r.created_at, r)),
    (_("Waiting since (venue time)"), lambda r: _at_venue(r.waitlisted_at, r)),
    (_("Decided (venue time)"), lambda r: _at_venue(r.decided_at, r)),
    (_("Reason for the decision"), lambda r: r.decision_reason),
)


def registration_table(
    registrations: Iterable[Registration], *, language: str
) -> tuple[list[str], list[list[str]]]:
    """The header and one row per registration, every cell neutralised text in `language`
    without control characters (which the fields' validators refuse on entry anyway).

    Reads `meeting` and `delegation` of each registration: select them with it.
    """
    with translation.override(language):
        header = [text_cell(title) for title, _value in COLUMNS]
        rows = [
            [text_cell(value(registration)) for _title, value in COLUMNS]
            for registration in registrations
        ]
    return header, rows


class _Line:
    """The file-like object csv.writer writes one line to, handing the line back."""

    def write(self, line: str) -> str:
        return line


def _csv_lines(header: list[str], rows: list[list[str]]) -> Iterator[str]:
    # The byte order mark tells Excel the file is UTF-8, so accents read right.
    yield codecs.BOM_UTF8.decode("utf-8")
    writer = csv.writer(_Line())
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow(row)


def csv_response(header, rows, *, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        (line.encode("utf-8") for line in _csv_lines(header, rows)),
        content_type=CSV_CONTENT_TYPE,
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(header, rows, *, filename: str, sheet_title: str) -> FileResponse:
    """A workbook of one sheet (see xlsx_sheets_response)."""
    return xlsx_sheets_response([(sheet_title, header, rows)], filename=filename)


def xlsx_sheets_response(sheets, *, filename: str) -> FileResponse:
    """A workbook of one sheet per (title, header, rows) of `sheets`, written row by row
    (write-only mode) to a temporary file that the response then sends in chunks."""
    workbook = Workbook(write_only=True)
    for sheet_title, header, rows in sheets:
        # A sheet's title is at most 31 characters long.
        sheet = workbook.create_sheet(title=sheet_title[:31])
        sheet.append(header)
        for row in rows:
            sheet.append(row)
    # Closed (and so deleted) by the response once sent.
    handle = tempfile.TemporaryFile()  # noqa: SIM115
    workbook.save(handle)
    handle.seek(0)
    response = FileResponse(
        handle, as_attachment=True, filename=f"{filename}.xlsx", content_type=XLSX_CONTENT_TYPE
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def registrations_response(registrations, *, file_format: str, filename: str, language: str):
    """`registrations` as a download in `file_format` (an ExportFormat value) and `language`,
    named `filename` plus the format's extension."""
    header, rows = registration_table(registrations, language=language)
    if file_format == ExportFormat.XLSX:
        with translation.override(language):
            sheet_title = gettext("Registrations")
        return xlsx_response(header, rows, filename=filename, sheet_title=sheet_title)
    return csv_response(header, rows, filename=filename)
