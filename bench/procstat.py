"""CPU time and peak memory of the processes under test, read from /proc (Linux).

A sampler thread reads utime+stime of every process of interest a few times a
second and keeps the last value seen of each (pid, start time), so a process that
exits mid-run (a gunicorn worker recycled by max_requests, a closed PostgreSQL
backend) still counts, up to the last sample. Forked children start at zero, so a
process born after the "before" snapshot counts in full.
"""

import os
import re
import threading
import time
from pathlib import Path

PROC = Path("/proc")
TICK_MS = 1000 / os.sysconf("SC_CLK_TCK")
# A client backend's title names its peer: "127.0.0.1(54321)", "[local]".
CLIENT_BACKEND = re.compile(r"\(\d+\)|\[local\]")


def read_stat(pid: int):
    """(ppid, start time, cpu ms, comm) of a process, or None when it is gone."""
    try:
        data = (PROC / str(pid) / "stat").read_bytes()
    except OSError:
        return None
    close = data.rfind(b")")
    fields = data[close + 2 :].split()
    comm = data[data.find(b"(") + 1 : close].decode(errors="replace")
    return int(fields[1]), int(fields[19]), (int(fields[11]) + int(fields[12])) * TICK_MS, comm


def read_cmdline(pid: int) -> str:
    try:
        raw = (PROC / str(pid) / "cmdline").read_bytes()
    except OSError:
        return ""
    return raw.replace(b"\0", b" ").decode(errors="replace").strip()


def peak_rss_mb(pid: int) -> float | None:
    """VmHWM (peak resident set size) in MB."""
    try:
        for line in (PROC / str(pid) / "status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def machine_busy_ms() -> float:
    """CPU time spent by the whole machine (all cores), not idle nor waiting for I/O."""
    fields = (PROC / "stat").read_text().split("\n", 1)[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(v) for v in fields[:8])
    return (user + nice + system + irq + softirq + steal) * TICK_MS


def all_processes():
    """{pid: (ppid, start, cpu_ms, comm)} for every process visible now."""
    table = {}
    for entry in os.scandir(PROC):
        if entry.name.isdigit():
            stat = read_stat(int(entry.name))
            if stat:
                table[int(entry.name)] = stat
    return table


def descendants(table, root: int) -> set[int]:
    found, frontier = set(), {root}
    while frontier:
        found |= frontier
        frontier = {pid for pid, stat in table.items() if stat[0] in frontier} - found
    return found


def find_postmaster(table) -> int | None:
    """The local PostgreSQL server: the `postgres` process whose parent is not one."""
    for pid, (ppid, _start, _cpu, comm) in table.items():
        parent = table.get(ppid)
        if comm in ("postgres", "postmaster") and (parent is None or parent[3] != comm):
            return pid
    return None


class Sampler:
    """Samples the CPU of groups of processes: "app", "worker", "postgres" and others."""

    def __init__(self, *, app_root, worker_root, database, exclude_backends=(), interval=0.5):
        self.app_root = app_root
        self.worker_root = worker_root
        self.database = database
        self.exclude_backends = set(exclude_backends)
        self.interval = interval
        self.last = {}  # (group, pid, start) -> cpu ms
        self.peak_rss = {}  # pid -> MB, app processes only
        self.app_workers = set()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self.postgres_visible = False

    def _classify(self, table):
        groups = {}
        if self.app_root:
            app = descendants(table, self.app_root)
            groups.update(dict.fromkeys(app, "app"))
            self.app_workers |= app - {self.app_root}
        if self.worker_root:
            groups.update(dict.fromkeys(descendants(table, self.worker_root), "worker"))
        postmaster = find_postmaster(table)
        if postmaster:
            self.postgres_visible = True
            groups[postmaster] = "postgres_background"
            for pid, stat in table.items():
                if stat[0] != postmaster:
                    continue
                title = read_cmdline(pid)
                if not CLIENT_BACKEND.search(title):
                    groups[pid] = "postgres_background"
                elif pid in self.exclude_backends:
                    groups[pid] = "bench_tool"
                elif self.database in title.split():
                    groups[pid] = "postgres_backends"
                else:
                    groups[pid] = "postgres_other_databases"
        return groups

    def sample(self):
        table = all_processes()
        groups = self._classify(table)
        with self._lock:
            for pid, group in groups.items():
                _ppid, start, cpu, _comm = table[pid]
                self.last[group, pid, start] = cpu
                if group == "app":
                    rss = peak_rss_mb(pid)
                    if rss is not None:
                        self.peak_rss[pid] = max(rss, self.peak_rss.get(pid, 0.0))

    def _loop(self):
        while not self._stop.wait(self.interval):
            self.sample()

    def start(self):
        self.sample()
        self._thread.start()

    def stop(self):
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def snapshot(self):
        """Take a fresh sample and return {(group, pid, start): cpu ms} plus the machine total."""
        self.sample()
        with self._lock:
            return dict(self.last), machine_busy_ms(), time.perf_counter()

    @staticmethod
    def delta(before, after) -> dict:
        """CPU ms per group between two snapshots, with the machine's total."""
        cpu_before, machine_before, _ = before
        cpu_after, machine_after, _ = after
        groups = {}
        for key, value in cpu_after.items():
            groups[key[0]] = groups.get(key[0], 0.0) + value - cpu_before.get(key, 0.0)
        groups["machine"] = machine_after - machine_before
        return groups

    def app_peak_rss(self) -> dict:
        with self._lock:
            workers = [mb for pid, mb in self.peak_rss.items() if pid in self.app_workers]
            master = self.peak_rss.get(self.app_root)
        return {"workers_max": max(workers, default=None), "master": master}
