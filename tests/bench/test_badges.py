"""The badges' lines of the bench table, from the figures bench/badges.py gives."""

import pytest

from bench import badges as bench_badges
from bench.figures import ratio
from bench.run import _badge_rows, badge_figures
from tests.factories.meetings import MeetingFactory

pytestmark = pytest.mark.django_db


REAL = {"count": 500, "seconds": 12.34, "cpu_seconds": 11.0, "pages_per_s": 40.5, "peak_mb": 180.2}
BARE = {"count": 500, "seconds": 7.5, "cpu_seconds": 7.0, "pages_per_s": 66.7, "peak_mb": 120.0}


def test_badge_figures_give_the_ratios_and_the_targets_of_issue_11():
    assert badge_figures(REAL, BARE) == {
        "count": 500,
        "seconds": 12.34,
        "pages_per_s": 40.5,
        "peak_mb": 180.2,
        "bare_seconds": 7.5,
        "bare_pages_per_s": 66.7,
        "bare_peak_mb": 120.0,
        "ratio_to_bare": 1.65,
        "cpu_seconds": 11.0,
        "bare_cpu_seconds": 7.0,
        "cpu_ratio_to_bare": 1.57,
        "targets": {"badges_seconds_ratio_to_bare": 1.5, "badges_peak_mb": 300},
        "targets_met": {"badges_seconds_ratio_to_bare": False, "badges_peak_mb": True},
    }


def test_badge_figures_meet_the_targets_at_their_limits():
    real = {**REAL, "seconds": 15.0, "peak_mb": 299.9}
    over = {**REAL, "seconds": 15.01, "peak_mb": 300.0}

    assert badge_figures(real, {**BARE, "seconds": 10.0})["targets_met"] == {
        "badges_seconds_ratio_to_bare": True,
        "badges_peak_mb": True,
    }
    assert badge_figures(over, {**BARE, "seconds": 10.0})["targets_met"] == {
        "badges_seconds_ratio_to_bare": False,
        "badges_peak_mb": False,
    }


def test_ratio_is_none_without_a_whole():
    assert (ratio(3.0, 2.0), ratio(1.0, 3.0), ratio(1.0, 0)) == (1.5, 0.33, None)


def test_badge_rows_show_the_badges_beside_the_bare_page():
    results = {"badges": badge_figures(REAL, BARE)}

    assert _badge_rows(results) == [
        ("Badges (A6, one process)", "500 badges"),
        ("  seconds, pages/s, peak memory", "12.3 s, 40/s, 180 MB"),
        ("  bare page, same names and QR", "7.5 s, 67/s, 120 MB"),
        ("  badges / bare (target 1.5), CPU", "1.65x (missed), CPU 1.57x"),
        ("  peak memory (target < 300 MB)", "180 MB (met)"),
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
