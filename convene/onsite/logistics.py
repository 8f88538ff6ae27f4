"""A meeting's logistics list as spreadsheets: arrivals by day, hotel nights, funded
travel. Built once in the reader's language (headers, means of travel), moments at the
venue; every cell neutralised text (registrations.exports.text_cell), since names,
numbers and cities are typed by delegates. Callers check access and record the export
(services.record_logistics_export)."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy

from convene.core.bilingual import localized
from convene.registrations.enums import ExportFormat
from convene.registrations.exports import csv_response, text_cell, xlsx_sheets_response
from convene.registrations.models import Registration

from .selectors import is_funded, travel_details_of

# Headers by column key, in the order a CSV lays them out.
HEADERS = {
    "date": pgettext_lazy("logistics column", "Date"),
    "time": pgettext_lazy("logistics column", "Time"),
    "name": pgettext_lazy("logistics column", "Name"),
    "delegation": pgettext_lazy("logistics column", "Delegation"),
    "means": pgettext_lazy("logistics column", "Means of travel"),
    "number": pgettext_lazy("logistics column", "Flight or train number"),
    "arriving_at": pgettext_lazy("logistics column", "Arriving at"),
    "check_in": pgettext_lazy("logistics column", "Check-in"),
    "check_out": pgettext_lazy("logistics column", "Check-out"),
    "nights": pgettext_lazy("logistics column", "Nights"),
    "departure_city": pgettext_lazy("logistics column", "Departure city"),
    "arrival": pgettext_lazy("logistics column", "Arrival (venue time)"),
    "departure": pgettext_lazy("logistics column", "Departure (venue time)"),
}
ARRIVALS = ("date", "time", "name", "delegation", "means", "number", "arriving_at")
HOTEL = ("name", "check_in", "check_out", "nights")
FUNDED = ("name", "delegation", "departure_city", "arrival", "departure")
SHEET_TITLES = {
    "arrivals": _("Arrivals by day"),
    "hotel": _("Hotel nights"),
    "funded": _("Funded travel"),
}


@dataclass(frozen=True)
class LogisticsSheet:
    key: str
    title: str
    header: list[str]
    rows: list[list[str]]


def _moment(moment, meeting) -> str:
    if moment is None:
        return ""
    return timezone.localtime(moment, meeting.tzinfo).strftime("%Y-%m-%d %H:%M")


def _delegation(registration: Registration) -> str:
    if registration.delegation:
        return localized(registration.delegation, "name")
    return registration.institution


def _values(registration: Registration) -> dict:
    meeting = registration.meeting
    details = travel_details_of(registration)
    values = {
        "name": registration.full_name,
        "delegation": _delegation(registration),
        "departure_city": "",
        "arrival": "",
        "departure": "",
    }
    if details is None:
        return values
    arrival = timezone.localtime(details.arrival_at, meeting.tzinfo)
    values.update(
        date=arrival.strftime("%Y-%m-%d"),
        time=arrival.strftime("%H:%M"),
        means=details.get_means_display(),
        number=details.travel_number,
        arriving_at=details.arriving_at,
        check_in=details.hotel_check_in.isoformat() if details.hotel_check_in else "",
        check_out=details.hotel_check_out.isoformat() if details.hotel_check_out else "",
        nights=str(details.nights),
        departure_city=details.departure_city,
        arrival=_moment(details.arrival_at, meeting),
        departure=_moment(details.departure_at, meeting),
    )
    return values


def logistics_sheets(
    registrations: Iterable[Registration], *, language: str
) -> list[LogisticsSheet]:
    """The three lists of the meeting's travelling registrations (selectors.
    travelling_registrations: approved, in person, with travel and funding selected):
    arrivals by day (those who gave their travel, by arrival), hotel nights (those who
    need a room, by check-in), funded travel (every funded one, travel given or not)."""
    registrations = list(registrations)
    with_travel = [r for r in registrations if travel_details_of(r) is not None]
    arrivals = sorted(with_travel, key=lambda r: (r.travel.arrival_at, r.last_name, r.pk))
    hotel = sorted(
        (r for r in with_travel if r.travel.hotel_needed),
        key=lambda r: (r.travel.hotel_check_in, r.last_name, r.pk),
    )
    funded = [r for r in registrations if is_funded(r)]
    with translation.override(language):
        return [
            _sheet("arrivals", ARRIVALS, arrivals),
            _sheet("hotel", HOTEL, hotel),
            _sheet("funded", FUNDED, funded),
        ]


def _sheet(key: str, columns: tuple[str, ...], registrations) -> LogisticsSheet:
    return LogisticsSheet(
        key=key,
        title=str(SHEET_TITLES[key]),
        header=[text_cell(HEADERS[column]) for column in columns],
        rows=[
            [text_cell(values.get(column, "")) for column in columns]
            for values in map(_values, registrations)
        ],
    )


def logistics_table(sheets: list[LogisticsSheet], *, language: str):
    """The sheets as one table for a CSV: a first column "List" names the sheet each row
    comes from, then every column of the sheets, empty where a list has none."""
    columns = list(dict.fromkeys(c for sheet in sheets for c in _columns(sheet.key)))
    with translation.override(language):
        header = [
            text_cell(pgettext("logistics column", "List")),
            *(text_cell(HEADERS[c]) for c in columns),
        ]
    rows = []
    for sheet in sheets:
        positions = {column: index for index, column in enumerate(_columns(sheet.key))}
        for row in sheet.rows:
            rows.append(
                [
                    text_cell(sheet.title),
                    *(row[positions[c]] if c in positions else "" for c in columns),
                ]
            )
    return header, rows


def _columns(key: str) -> tuple[str, ...]:
    return {"arrivals": ARRIVALS, "hotel": HOTEL, "funded": FUNDED}[key]


def logistics_filename(meeting) -> str:
    return f"logistics-{meeting.slug}"


def logistics_response(registrations, *, meeting, file_format: str, language: str):
    """The logistics list of `meeting` as a download in `file_format` (an ExportFormat
    value) and `language`: an XLSX of three sheets, or a CSV of one table."""
    sheets = logistics_sheets(registrations, language=language)
    filename = logistics_filename(meeting)
    if file_format == ExportFormat.XLSX:
        return xlsx_sheets_response(
            [(sheet.title, sheet.header, sheet.rows) for sheet in sheets], filename=filename
        ), sum(len(sheet.rows) for sheet in sheets)
    header, rows = logistics_table(sheets, language=language)
    return csv_response(header, rows, filename=filename), len(rows)
