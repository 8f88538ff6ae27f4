"""The check-in entry of `make bench`: the tally of the answers, the targets, the failures,
and the order of the scans at the door."""

import json
import random

from bench import figures
from bench.client import Result
from bench.run import TARGETS, checkin_plan


def _scan(client_id, outcome, *, kind="first", status=200, answered_id=None):
    body = json.dumps({"results": [{"id": answered_id or client_id, "outcome": outcome}]}).encode()
    return Result(tag=(client_id, kind), status=status, body=body, started=0.0, latency=0.0)


def test_tally_checkin_counts_welcomes_and_refused_duplicates():
    results = [
        _scan("a", "welcome"),
        _scan("b", "welcome"),
        _scan("c", "already_in", kind="repeat"),
    ]

    tally = figures.tally_checkin(results, {"a", "b", "c"})

    assert tally == {
        "checkins": 3,
        "welcomed": 2,
        "duplicates_refused": 1,
        "other_outcomes": {},
        "errors": 0,
        "lost": 0,
    }


def test_tally_checkin_counts_each_way_of_losing_a_scan_once():
    results = [
        _scan("a", "welcome"),  # answered, but no row in the database
        Result(tag=("b", "first"), status=0, body=b"", started=0, latency=0, error="reset"),
        _scan("c", "welcome", status=503),
        _scan("d", "welcome", answered_id="someone-else"),
        _scan("e", "garbage"),
        Result(tag=("f", "first"), status=200, body=b"not json", started=0, latency=0),
        _scan("g", "welcome"),
    ]

    tally = figures.tally_checkin(results, {"b", "c", "d", "e", "f", "g"})

    assert (tally["lost"], tally["errors"], tally["welcomed"]) == (6, 2, 3)
    assert tally["other_outcomes"] == {"garbage": 1}


def test_tally_checkin_of_nothing_is_all_zero():
    assert figures.tally_checkin([], set()) == {
        "checkins": 0,
        "welcomed": 0,
        "duplicates_refused": 0,
        "other_outcomes": {},
        "errors": 0,
        "lost": 0,
    }


def _door(**changes) -> dict:
    door = {
        "lost": 0,
        "errors": 0,
        "attendance_records": 2000,
        "expected_attendance": 2000,
        "duplicates_refused": 400,
        "repeats": 400,
        "p99_ms": 29.9,
        "per_s": 150.0,
    }
    door.update(changes)
    return door


def test_checkin_targets_met_at_the_bounds():
    # Half of the bare view's 300/s is 150/s: met; p99 must stay under 30 ms.
    assert figures.checkin_targets_met(_door(), {"throughput_per_s": 300.0}, TARGETS) == {
        "checkin_lost": True,
        "checkin_attendance": True,
        "checkin_p99": True,
        "checkin_throughput": True,
    }


def test_checkin_targets_missed_just_past_the_bounds():
    door = _door(lost=1, attendance_records=2001, p99_ms=30.0, per_s=149.9)

    assert figures.checkin_targets_met(door, {"throughput_per_s": 300.0}, TARGETS) == {
        "checkin_lost": False,
        "checkin_attendance": False,
        "checkin_p99": False,
        "checkin_throughput": False,
    }


def test_checkin_throughput_target_is_open_without_a_calibration():
    assert figures.checkin_targets_met(_door(), None, TARGETS)["checkin_throughput"] is None


def test_checkin_failures_name_what_fails_the_run():
    door = _door(lost=2, errors=1, attendance_records=1999, duplicates_refused=398)

    assert figures.checkin_failures(door) == {
        "checkin_lost": 2,
        "checkin_errors": 1,
        "checkin_attendance_records": 1999,
        "checkin_duplicates_refused": 398,
    }


def test_checkin_failures_of_a_clean_door_is_empty():
    assert figures.checkin_failures(_door()) == {}


def test_checkin_plan_scans_everyone_once_and_repeats_after_their_first_scan():
    plan = checkin_plan(2000, 400, 8, random.Random(7))

    firsts = [delegate for delegate, _device, kind in plan if kind == "first"]
    repeats = [
        (place, delegate)
        for place, (delegate, _device, kind) in enumerate(plan)
        if kind == "repeat"
    ]
    first_place = {
        delegate: place for place, (delegate, _device, kind) in enumerate(plan) if kind == "first"
    }
    assert sorted(firsts) == list(range(2000))
    assert len(repeats) == 400
    assert len({delegate for _place, delegate in repeats}) == 400
    assert min(place - first_place[delegate] for place, delegate in repeats) >= 200
    assert {device for _delegate, device, _kind in plan} == set(range(8))


def test_checkin_plan_is_the_same_for_the_same_seed():
    assert checkin_plan(50, 10, 3, random.Random(1)) == checkin_plan(50, 10, 3, random.Random(1))
