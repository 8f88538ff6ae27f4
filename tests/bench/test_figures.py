from bench import figures
from bench.client import Result
from bench.run import TARGETS


def _answer(status, *, error=""):
    return Result(tag=None, status=status, body=b"", started=0.0, latency=0.0, error=error)


def test_percentile_of_no_values_is_zero():
    assert figures.percentile([], 0.99) == 0.0


def test_percentile_of_one_value_is_that_value():
    assert figures.percentile([7.5], 0.50) == 7.5
    assert figures.percentile([7.5], 0.99) == 7.5


def test_percentile_of_a_hundred_values_takes_the_nearest_rank():
    values = list(range(100, 0, -1))  # 100 .. 1, unsorted on purpose

    assert figures.percentile(values, 0.50) == 50
    assert figures.percentile(values, 0.90) == 90
    assert figures.percentile(values, 0.99) == 99
    assert figures.percentile(values, 1.0) == 100


def test_percentile_rounds_the_rank_up():
    # Rank 1.5 of [10, 20, 30] is the 2nd value; rank 0 is still the 1st.
    assert figures.percentile([30, 10, 20], 0.50) == 20
    assert figures.percentile([30, 10, 20], 0.0) == 10


def test_percentile_p99_of_the_rush_size_is_its_1980th_value():
    assert figures.percentile(list(range(1, 2001)), 0.99) == 1980


def test_latency_summary_in_milliseconds():
    summary = figures.latency_summary([0.040, 0.010, 0.030, 0.020])

    assert summary == {
        "p50_ms": 20.0,
        "p90_ms": 40.0,
        "p99_ms": 40.0,
        "max_ms": 40.0,
        "mean_ms": 25.0,
    }


def test_latency_summary_of_one_latency_is_that_latency_everywhere():
    summary = figures.latency_summary([0.0123])

    assert summary == {
        "p50_ms": 12.3,
        "p90_ms": 12.3,
        "p99_ms": 12.3,
        "max_ms": 12.3,
        "mean_ms": 12.3,
    }


def test_latency_summary_of_no_latencies_is_zero():
    summary = figures.latency_summary([])

    assert summary == {"p50_ms": 0.0, "p90_ms": 0.0, "p99_ms": 0.0, "max_ms": 0.0, "mean_ms": 0.0}


def test_error_kinds_counts_statuses_and_transport_errors_apart_from_ok():
    answers = [
        _answer(202),
        _answer(400),
        _answer(400),
        _answer(0, error="connect: ECONNREFUSED"),
        _answer(503),
    ]

    assert figures.error_kinds(answers, 202) == {
        "HTTP 400": 2,
        "connect: ECONNREFUSED": 1,
        "HTTP 503": 1,
    }


def test_error_kinds_of_only_ok_answers_is_empty():
    assert figures.error_kinds([_answer(200), _answer(200)], 200) == {}


def test_rate_per_s_rounds_to_a_tenth():
    assert figures.rate_per_s(2000, 8.0) == 250.0
    assert figures.rate_per_s(1000, 3.0) == 333.3


def test_rate_per_s_is_zero_when_nothing_elapsed():
    assert figures.rate_per_s(5, 0.0) == 0.0
    assert figures.rate_per_s(0, 2.0) == 0.0


def test_per_item_divides_among_at_least_one():
    assert figures.per_item(3000.0, 2000) == 1.5
    assert figures.per_item(1.0, 3, digits=3) == 0.333
    assert figures.per_item(10.0, 0) == 10.0


def test_share_is_a_fraction_and_zero_of_nothing():
    assert figures.share(150.0, 600.0) == 0.25
    assert figures.share(150.0, 0.0) == 0


def test_measured_cpu_counts_app_worker_and_postgresql_only():
    cpu = {
        "app": 100.0,
        "worker": 20.0,
        "postgres_backends": 30.0,
        "postgres_background": 5.0,
        "bench_tool": 7.0,
        "postgres_other_databases": 11.0,
        "machine": 1000.0,
    }

    assert figures.measured_cpu_ms(cpu) == 155.0
    assert figures.ours_total(cpu) == 162.0
    assert figures.measured_cpu_ms({}) == 0


def test_cpu_breakdown_splits_per_registration():
    cpu = {
        "app": 4000.0,
        "worker": 1000.0,
        "postgres_backends": 2400.0,
        "postgres_background": 600.0,
        "bench_tool": 200.0,
        "postgres_other_databases": 100.0,
        "machine": 12000.0,
    }

    breakdown = figures.cpu_breakdown(
        cpu, count=2000, client_cpu_ms=400.0, window_ms=10000.0, cpus=2
    )

    # Other processes: 12000 - 8200 (ours) - 400 (load generator) = 3400 ms,
    # of 10 s x 2 CPUs = 20000 ms of capacity.
    assert breakdown == {
        "app": 2.0,
        "worker": 0.5,
        "postgres": 1.5,
        "postgres_backends": 1.2,
        "postgres_background": 0.3,
        "load_generator": 0.2,
        "other_processes": 1.7,
        "postgres_other_databases": 0.05,
        "window_s": 10.0,
        "other_processes_share": 0.17,
    }


def test_cpu_breakdown_without_a_window_nor_registrations():
    cpu = {"app": 30.0, "machine": 10.0}

    breakdown = figures.cpu_breakdown(cpu, count=0, client_cpu_ms=5.0, window_ms=0.0, cpus=2)

    assert breakdown == {
        "app": 30.0,
        "worker": 0.0,
        "postgres": 0.0,
        "postgres_backends": 0.0,
        "postgres_background": 0.0,
        "load_generator": 5.0,
        "other_processes": 0.0,
        "postgres_other_databases": 0.0,
        "window_s": 0.0,
        "other_processes_share": None,
    }


def test_tally_rush_counts_losses_oversold_places_and_delegations():
    rows = [
        ("a@x.test", "R1", "approved", "in_person", "SN"),
        ("b@x.test", "R2", "awaiting_secretariat", "in_person", "SN"),
        ("c@x.test", "R3", "approved", "online", "SN"),
        ("d@x.test", "R4", "waitlisted", "in_person", "FR"),
        ("e@x.test", "R5", "declined", "in_person", "FR"),
        ("f@x.test", "R6", "approved", "in_person", "MA"),  # nobody was answered 202 for it
        ("h@x.test", "R8", "approved", "online", "MA"),
    ]
    answered = {f"{name}@x.test": {"email": f"{name}@x.test"} for name in "abcdh"}
    answered["e@x.test"] = {"email": "x@x.test"}  # answered with another address
    answered["g@x.test"] = {"email": "g@x.test"}  # answered, but no row

    tally = figures.tally_rush(rows, answered, capacity=2, delegation_size=2)

    assert tally == {
        "rows": 7,
        "approved": 4,
        "waitlisted": 1,
        "other_status": 2,
        "lost": 2,
        "answer_mismatch": 1,
        "in_person_holding": 3,
        "oversold": 1,
        "delegation_overflows": 1,
        "delegations_full": 1,
    }


def test_tally_rush_of_nothing_is_all_zero():
    tally = figures.tally_rush([], {}, capacity=150, delegation_size=3)

    assert tally == {
        "rows": 0,
        "approved": 0,
        "waitlisted": 0,
        "other_status": 0,
        "lost": 0,
        "answer_mismatch": 0,
        "in_person_holding": 0,
        "oversold": 0,
        "delegation_overflows": 0,
        "delegations_full": 0,
    }


def test_targets_met_at_the_bounds():
    rush = {"throughput_per_s": 200.0, "p99_ms": 600.1, "peak_rss_mb_per_app_process": 150.0}
    page = {"requests_per_s": 999.9, "p99_ms": 80.0}

    assert figures.targets_met(rush, page, TARGETS) == {
        "rush_throughput": True,
        "rush_p99": False,
        "page_throughput": False,
        "page_p99": True,
        "peak_rss": False,
    }


def test_targets_met_leaves_peak_rss_open_when_unread():
    rush = {"throughput_per_s": 250.0, "p99_ms": 100.0, "peak_rss_mb_per_app_process": 0.0}
    page = {"requests_per_s": 1500.0, "p99_ms": 10.0}

    assert figures.targets_met(rush, page, TARGETS) == {
        "rush_throughput": True,
        "rush_p99": True,
        "page_throughput": True,
        "page_p99": True,
        "peak_rss": None,
    }


def test_failures_name_the_figures_that_are_not_zero_in_order():
    rush = {"errors": 0, "lost": 2, "oversold": 0, "delegation_overflows": 1, "other_status": 0}

    assert list(figures.failures(rush).items()) == [("lost", 2), ("delegation_overflows", 1)]


def test_failures_of_a_clean_rush_is_empty():
    rush = {"errors": 0, "lost": 0, "oversold": 0, "delegation_overflows": 0, "other_status": 0}

    assert figures.failures(rush) == {}
