"""The badges' lines of the bench table, from the figures bench/badges.py gives."""

import pytest

from bench import badges as bench_badges
from bench.run import _badge_rows
from tests.factories.meetings import MeetingFactory

pytestmark = pytest.mark.django_db


def test_badge_rows_show_the_badges_beside_the_bare_page():
    results = {
        "badges": {
            "count": 500,
            "seconds": 12.34,
            "pages_per_s": 40.5,
            "peak_mb": 180.2,
            "bare_seconds": 7.5,
            "bare_pages_per_s": 66.7,
            "bare_peak_mb": 120.0,
        }
    }

    assert _badge_rows(results) == [
        ("Badges (A6, one process)", "500 badges"),
        ("  seconds, pages/s, peak memory", "12.3 s, 40/s, 180 MB"),
        ("  bare page, same names and QR", "7.5 s, 67/s, 120 MB"),
    ]


def test_badge_rows_absent_when_skipped():
    assert _badge_rows({}) == []


def test_bench_registrations_cycle_names_and_delegations(reference_data):
    meeting = MeetingFactory(dialogue=reference_data, slug="bench-rush")

    people = bench_badges.registrations(meeting, 6)

    assert [person.full_name for person in people] == [
        "Awa Ndiaye",
        "Maria Fernanda Alejandra Guadalupe de los Santos Villanueva Ortega",
        "محمد الأمين عبد الرحمن",
        "Ngozi Şahin",
        "Jean-Baptiste Ouédraogo",
        "Awa Ndiaye",
    ]
    assert [person.pk for person in people] == [None] * 6
    assert len({person.delegation_id for person in people}) == 6
