from bench.procstat import Sampler


def test_delta_sums_cpu_per_group_and_counts_new_processes_in_full():
    before = ({("app", 1, 10): 100.0, ("app", 2, 11): 50.0}, 1000.0, 0.0)
    after = (
        {
            ("app", 1, 10): 180.0,
            ("app", 2, 11): 50.0,
            ("app", 3, 12): 30.0,  # born after `before`
            ("app", 1, 99): 5.0,  # pid 1 reused by a new process
            ("worker", 4, 13): 25.0,
        },
        1600.0,
        1.0,
    )

    assert Sampler.delta(before, after) == {"app": 115.0, "worker": 25.0, "machine": 600.0}
