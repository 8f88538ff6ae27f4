"""The arithmetic of `make bench`'s figures: pure functions of what the run collected.

Kept apart from the processes and sockets of bench/run.py so that each figure the
table and results.json print can be checked by hand (tests/bench/test_figures.py).
"""

import json
import math

# The processes whose CPU counts: app, task worker, PostgreSQL (see procstat.Sampler).
MEASURED = ("app", "worker", "postgres_backends", "postgres_background")
# Statuses that hold a place: what capacity and delegation size limit.
HOLDING = ("awaiting_secretariat", "approved")
# Figures of the rush that fail the run when not 0.
MUST_BE_ZERO = ("errors", "lost", "oversold", "delegation_overflows", "other_status")


def percentile(values, fraction: float) -> float:
    """Nearest-rank percentile of a list of numbers (0 when empty)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(len(ordered) * fraction))
    return ordered[rank - 1]


def latency_summary(latencies_s) -> dict:
    """p50, p90, p99, max and mean in milliseconds, to 0.1 ms, of latencies in seconds."""
    latencies = [seconds * 1000 for seconds in latencies_s]
    return {
        "p50_ms": round(percentile(latencies, 0.50), 1),
        "p90_ms": round(percentile(latencies, 0.90), 1),
        "p99_ms": round(percentile(latencies, 0.99), 1),
        "max_ms": round(max(latencies, default=0.0), 1),
        "mean_ms": round(sum(latencies) / len(latencies), 1) if latencies else 0.0,
    }


def error_kinds(results, ok: int) -> dict:
    """{kind: count} of the answers other than `ok`: a transport error or "HTTP <status>"."""
    kinds = {}
    for result in results:
        if result.status != ok:
            kind = result.error or f"HTTP {result.status}"
            kinds[kind] = kinds.get(kind, 0) + 1
    return kinds


def rate_per_s(count: int, elapsed_s: float) -> float:
    """`count` per second over `elapsed_s`, to 0.1 (0 when nothing elapsed)."""
    return round(count / elapsed_s, 1) if elapsed_s else 0.0


def per_item(total: float, count: int, *, digits: int = 2) -> float:
    """`total` divided among `count` items (at least one), rounded to `digits`."""
    return round(total / max(1, count), digits)


def share(part: float, whole: float) -> float:
    """`part` as a fraction of `whole` (0 when `whole` is 0)."""
    return part / whole if whole else 0


def ratio(part: float, whole: float) -> float | None:
    """`part` in times `whole`, to 0.01 (None when `whole` is 0: no ratio to show)."""
    return round(part / whole, 2) if whole else None


def measured_cpu_ms(cpu: dict) -> float:
    """CPU of the app, the task worker and PostgreSQL: what a registration costs."""
    return sum(cpu.get(group, 0) for group in MEASURED)


def ours_total(cpu: dict) -> float:
    """CPU of everything this run started or used, load generator aside."""
    return sum(cpu.get(group, 0) for group in (*MEASURED, "bench_tool"))


def cpu_breakdown(
    cpu: dict, *, count: int, client_cpu_ms: float, window_ms: float, cpus: int
) -> dict:
    """CPU ms per item of `cpu` (ms per group, with the machine's total) split by group.

    `window_ms` is the wall time `cpu` was measured over; `cpus` the machine's cores.
    """
    per = 1 / max(1, count)
    others_ms = max(0.0, cpu["machine"] - ours_total(cpu) - client_cpu_ms)
    postgres = cpu.get("postgres_backends", 0) + cpu.get("postgres_background", 0)
    return {
        "app": round(cpu.get("app", 0) * per, 2),
        "worker": round(cpu.get("worker", 0) * per, 2),
        "postgres": round(postgres * per, 2),
        "postgres_backends": round(cpu.get("postgres_backends", 0) * per, 2),
        "postgres_background": round(cpu.get("postgres_background", 0) * per, 2),
        "load_generator": round(client_cpu_ms * per, 2),
        "other_processes": round(others_ms * per, 2),
        "postgres_other_databases": round(cpu.get("postgres_other_databases", 0) * per, 2),
        "window_s": round(window_ms / 1000, 2),
        # Share of the machine's CPU capacity that other processes used meanwhile.
        "other_processes_share": round(others_ms / (window_ms * cpus), 2) if window_ms else None,
    }


def tally_rush(rows, answered: dict, *, capacity: int, delegation_size: int) -> dict:
    """What the database holds after the rush, against what the API answered.

    `rows`: (email, reference, status, participation, delegation code) of every
    registration of the rush meeting; `answered`: {email sent: body answered 202}.
    """
    by_email = {email for email, _reference, _status, _participation, _code in rows}
    lost = sum(1 for email in answered if email not in by_email) + sum(
        1 for email in by_email if email not in answered
    )
    mismatched = sum(1 for email, body in answered.items() if body.get("email") != email)
    in_person = sum(1 for _e, _r, status, p, _c in rows if status in HOLDING and p == "in_person")
    per_delegation = {}
    statuses = {}
    for _email, _reference, status, _participation, code in rows:
        if status in HOLDING:
            per_delegation[code] = per_delegation.get(code, 0) + 1
        statuses[status] = statuses.get(status, 0) + 1
    return {
        "rows": len(rows),
        "approved": statuses.get("approved", 0),
        "waitlisted": statuses.get("waitlisted", 0),
        "other_status": len(rows) - statuses.get("approved", 0) - statuses.get("waitlisted", 0),
        "lost": lost,
        "answer_mismatch": mismatched,
        "in_person_holding": in_person,
        "oversold": max(0, in_person - capacity),
        "delegation_overflows": sum(1 for n in per_delegation.values() if n > delegation_size),
        "delegations_full": sum(1 for n in per_delegation.values() if n == delegation_size),
    }


def targets_met(rush: dict, page: dict, targets: dict) -> dict:
    """Whether each target is met; None for peak RSS when it could not be read."""
    rss = rush["peak_rss_mb_per_app_process"]
    return {
        "rush_throughput": rush["throughput_per_s"] >= targets["rush_throughput_per_s"],
        "rush_p99": rush["p99_ms"] <= targets["rush_p99_ms"],
        "page_throughput": page["requests_per_s"] >= targets["page_requests_per_s"],
        "page_p99": page["p99_ms"] <= targets["page_p99_ms"],
        "peak_rss": rss < targets["peak_rss_mb_per_app_process"] if rss else None,
    }


def failures(rush: dict) -> dict:
    """{figure: value} of the rush's figures that must be 0 and are not, in a fixed order."""
    return {name: rush[name] for name in MUST_BE_ZERO if rush[name]}


# --- check-in at the door ------------------------------------------------------------

# What the door answers a person who may come in: the first scan of the day, a repeat.
ADMITTED = ("welcome", "already_in")


def tally_checkin(results, stored_ids) -> dict:
    """What the scans sent through the API were answered, against what the database holds.

    `results`: one Result per request of one scan, tagged (id sent, "first" or "repeat");
    `stored_ids`: the ids of the CheckinScan rows of the meeting. A scan is lost when it
    was not answered 200 with its own id and an admitting outcome, or has no row.
    """
    outcomes = {}
    errors = lost = 0
    for result in results:
        client_id, _kind = result.tag
        answer = _scan_answer(result)
        if result.status != 200:
            errors += 1
        if answer is not None:
            outcomes[answer["outcome"]] = outcomes.get(answer["outcome"], 0) + 1
        answered = (
            answer is not None and answer["id"] == client_id and answer["outcome"] in ADMITTED
        )
        if not answered or client_id not in stored_ids:
            lost += 1
    return {
        "checkins": len(results),
        "welcomed": outcomes.get("welcome", 0),
        "duplicates_refused": outcomes.get("already_in", 0),
        "other_outcomes": {k: v for k, v in outcomes.items() if k not in ADMITTED},
        "errors": errors,
        "lost": lost,
    }


def _scan_answer(result) -> dict | None:
    """The one answer of a one-scan request answered 200, else None."""
    if result.status != 200:
        return None
    try:
        answers = json.loads(result.body)["results"]
    except (ValueError, KeyError, TypeError):
        return None
    return answers[0] if isinstance(answers, list) and len(answers) == 1 else None


def checkin_targets_met(checkin: dict, calibration: dict | None, targets: dict) -> dict:
    """Whether each check-in target is met; throughput None without a calibration."""
    bare = calibration["throughput_per_s"] if calibration else 0
    return {
        "checkin_lost": checkin["lost"] == 0,
        "checkin_attendance": checkin["attendance_records"] == checkin["expected_attendance"],
        "checkin_p99": checkin["p99_ms"] < targets["checkin_p99_ms"],
        "checkin_throughput": (
            checkin["per_s"] >= targets["checkin_share_of_bare_throughput"] * bare if bare else None
        ),
    }


def checkin_failures(checkin: dict) -> dict:
    """{figure: value} of the check-in's figures that fail the run: scans lost, errors,
    attendance records other than one per person sent, repeats not refused."""
    failed = {}
    for name in ("lost", "errors"):
        if checkin[name]:
            failed[f"checkin_{name}"] = checkin[name]
    if checkin["attendance_records"] != checkin["expected_attendance"]:
        failed["checkin_attendance_records"] = checkin["attendance_records"]
    if checkin["duplicates_refused"] != checkin["repeats"]:
        failed["checkin_duplicates_refused"] = checkin["duplicates_refused"]
    return failed
