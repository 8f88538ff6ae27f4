import datetime
import zoneinfo

import pytest
from django.utils import translation

from convene.core.formatting import (
    format_date,
    format_date_range,
    format_local_date,
    format_local_datetime,
    format_time_zone,
)

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


@pytest.mark.parametrize(
    ("language", "start", "end", "expected"),
    [
        ("en", (2021, 9, 14), (2021, 9, 15), "14-15 September 2021"),
        ("fr", (2021, 9, 14), (2021, 9, 15), "14-15 septembre 2021"),
        ("en", (2021, 9, 14), (2021, 9, 14), "14 September 2021"),
        ("fr", (2021, 9, 14), (2021, 9, 14), "14 septembre 2021"),
        ("en", (2021, 9, 30), (2021, 10, 1), "30 September - 1 October 2021"),
        ("fr", (2021, 9, 30), (2021, 10, 1), "30 septembre - 1er octobre 2021"),
        ("fr", (2021, 9, 1), (2021, 9, 2), "1er-2 septembre 2021"),
        ("en", (2021, 9, 1), (2021, 9, 2), "1-2 September 2021"),
        ("en", (2021, 12, 31), (2022, 1, 2), "31 December 2021 - 2 January 2022"),
        ("fr", (2021, 12, 31), (2022, 1, 2), "31 décembre 2021 - 2 janvier 2022"),
    ],
)
def test_format_date_range_shortest_form_per_language(language, start, end, expected):
    with translation.override(language):
        result = format_date_range(datetime.date(*start), datetime.date(*end))

    assert result == expected


@pytest.mark.parametrize(
    ("zone", "day", "expected"),
    [
        ("Europe/Paris", (2021, 9, 14), "Europe/Paris (UTC+02:00)"),
        ("Europe/Paris", (2021, 1, 14), "Europe/Paris (UTC+01:00)"),
        ("Africa/Dakar", (2021, 9, 14), "Africa/Dakar (UTC+00:00)"),
        ("America/Sao_Paulo", (2021, 9, 14), "America/Sao_Paulo (UTC-03:00)"),
        ("Asia/Kolkata", (2021, 9, 14), "Asia/Kolkata (UTC+05:30)"),
    ],
)
def test_format_time_zone_gives_the_offset_of_that_day(zone, day, expected):
    with translation.override("en"):
        result = format_time_zone(zoneinfo.ZoneInfo(zone), datetime.date(*day))

    assert result == expected


@pytest.mark.parametrize(
    ("language", "expected"), [("en", "1 June 2021, 12:00"), ("fr", "1er juin 2021, 12:00")]
)
def test_format_local_datetime_shows_the_venue_time(language, expected):
    moment = datetime.datetime(2021, 6, 1, 10, 0, tzinfo=datetime.UTC)

    with translation.override(language):
        assert format_local_datetime(moment, PARIS) == expected


def test_format_local_datetime_crosses_midnight_in_the_venue_zone():
    moment = datetime.datetime(2021, 6, 30, 22, 30, tzinfo=datetime.UTC)

    with translation.override("en"):
        assert format_local_datetime(moment, PARIS) == "1 July 2021, 00:30"


@pytest.mark.parametrize(
    ("language", "expected"), [("en", "1 July 2021"), ("fr", "1er juillet 2021")]
)
def test_format_local_date_is_the_day_at_the_venue(language, expected):
    # Still 30 June in UTC, already 1 July in Paris.
    moment = datetime.datetime(2021, 6, 30, 22, 30, tzinfo=datetime.UTC)

    with translation.override(language):
        assert format_local_date(moment, PARIS) == expected


@pytest.mark.parametrize(
    ("language", "day", "expected"),
    [
        ("fr", 1, "lundi 1er septembre 2031"),
        ("fr", 2, "mardi 2 septembre 2031"),
        ("fr", 11, "jeudi 11 septembre 2031"),
        ("en", 1, "Monday 1 September 2031"),
    ],
)
def test_format_date_first_of_the_month_is_ordinal_in_french_only(language, day, expected):
    with translation.override(language):
        assert format_date(datetime.date(2031, 9, day), "l j F Y") == expected


def test_format_local_date_and_datetime_on_the_first_in_french():
    moment = datetime.datetime(2031, 9, 1, 10, 30, tzinfo=PARIS)

    with translation.override("fr"):
        assert (format_local_date(moment, PARIS), format_local_datetime(moment, PARIS)) == (
            "1er septembre 2031",
            "1er septembre 2031, 10:30",
        )
