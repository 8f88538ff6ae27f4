"""`make bench`: a registration rush and the public meeting page, on gunicorn and PostgreSQL.

Steps: reset a dedicated database, migrate, load the reference data, create the rush
meeting through the application's services (bench/setup_meeting.py), start gunicorn
(config/gunicorn.conf.py) and the task worker on a free loopback port, send the rush
through the API, wait until every email is sent, check the database, load the public
page, then print a table and write var/bench/results.json. Every process started here
is stopped on the way out, whatever happens. See bench/README.md.

main() runs these as named steps: prepare, start_server, rush, page, calibrate, then
the figures (bench/figures.py), the targets and the report.
"""

import argparse
import contextlib
import csv
import json
import os
import platform
import random
import runpy
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from cryptography.fernet import Fernet
from psycopg import sql

from . import client, figures, procstat, profile

ROOT = Path(__file__).resolve().parent.parent
PARTNERS_CSV = ROOT / "convene" / "dialogues" / "reference" / "partners.csv"
SLUG = "bench-rush"
RUSH_PATH = f"/api/v1/meetings/{SLUG}/registrations/"
PAGE_PATH = f"/en/meetings/{SLUG}/"
CAPACITY, DELEGATION_SIZE = 150, 3
# What the registration API answers to every registration it accepts.
ACCEPTED = 202
HOST = "127.0.0.1"
TARGETS = {
    "rush_throughput_per_s": 200,
    "rush_p99_ms": 600,
    "page_requests_per_s": 1000,
    "page_p99_ms": 80,
    "peak_rss_mb_per_app_process": 150,
}
# Issue 12: check-in through the API (one scan per request) with p99 under 30 ms, and at
# least half the bare view's throughput of the same run (the calibration).
TARGETS.update({"checkin_p99_ms": 30, "checkin_share_of_bare_throughput": 0.5})
CHECKIN_SLUG = "bench-checkin"
CHECKIN_PATH = "/api/v1/check-in/scans/"
# Issue 11: the badges at most 1.5 times as long as the bare page of the same names and
# QR codes, and the generating process's peak memory under 300 MB.
BADGE_TARGETS = {"badges_seconds_ratio_to_bare": 1.5, "badges_peak_mb": 300}


class BenchFailure(Exception):
    pass


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/convene_bench"
        ),
        help="dropped and re-created: its name must contain 'bench'",
    )
    parser.add_argument("--registrations", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--page-clients", type=int, default=32)
    parser.add_argument("--page-seconds", type=float, default=10.0)
    parser.add_argument(
        "--tasks",
        choices=["database", "immediate"],
        default=os.environ.get("BENCH_TASKS", "database"),
        help="database: run_task_worker sends the emails (production); immediate: inline",
    )
    parser.add_argument("--output", default=str(ROOT / "var" / "bench" / "results.json"))
    parser.add_argument("--time-limit", type=int, default=900, help="seconds, for everything")
    parser.add_argument(
        "--no-calibration",
        dest="calibration",
        action="store_false",
        help="skip the bare Django view the rush is compared with (bench/bare)",
    )
    parser.add_argument(
        "--badges",
        type=int,
        default=500,
        help="badges rendered after the rush, against a bare WeasyPrint page (0: skip)",
    )
    parser.add_argument(
        "--checkins",
        type=int,
        default=2000,
        help="approved delegates checked in at the door through the API (0: skip)",
    )
    parser.add_argument(
        "--checkin-repeats",
        type=int,
        default=400,
        help="scans again of people already in, among the check-ins",
    )
    parser.add_argument("--checkin-devices", type=int, default=8, help="scanners (API tokens)")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="sample the app and the worker with py-spy during the rush (var/bench/profile*)",
    )
    return parser.parse_args()


# --- processes -----------------------------------------------------------------------


class Processes:
    """What this run started, to stop it all on the way out."""

    def __init__(self):
        self.started = []

    def start(self, name, command, *, env, log):
        handle = open(log, "ab")  # noqa: SIM115 (kept open for the process's life)
        process = subprocess.Popen(  # noqa: S603
            command,
            **_child_io(env, handle),
            start_new_session=True,  # its own process group, so its children stop too
        )
        self.started.append((name, process, handle))
        return process

    def check_alive(self):
        for name, process, _handle in self.started:
            if process.poll() is not None and not name.startswith("py-spy"):
                raise BenchFailure(f"{name} exited with code {process.returncode}")

    def stop_all(self, grace=15.0):
        for _name, process, _handle in reversed(self.started):
            _signal_group(process, signal.SIGTERM)
        deadline = time.monotonic() + grace
        for _name, process, handle in reversed(self.started):
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                # Still running: its group is still its own, so end the whole group.
                _signal_group(process, signal.SIGKILL)
                process.wait(timeout=5)
            handle.close()
        self.started.clear()


def _child_io(env, log_handle) -> dict:
    """Every child runs from the project's root, reads nothing and logs to one file."""
    return {
        "cwd": ROOT,
        "env": env,
        "stdin": subprocess.DEVNULL,
        "stdout": log_handle,
        "stderr": subprocess.STDOUT,
    }


def _signal_group(process, signum):
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signum)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def run_step(command, *, env, log, timeout=600):
    with open(log, "ab") as handle:
        result = subprocess.run(  # noqa: S603
            command, **_child_io(env, handle), timeout=timeout, check=False
        )
    if result.returncode:
        raise BenchFailure(f"{' '.join(command[1:])} failed: see {log}")


def wait_for_health(port, processes, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        processes.check_alive()
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/healthz", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise BenchFailure(f"/healthz did not answer 200 within {timeout:.0f} s")


# --- database ------------------------------------------------------------------------


def reset_database(url: str) -> str:
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if "bench" not in name:
        raise BenchFailure(f"Refusing to drop database {name!r}: its name must contain 'bench'.")
    if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise BenchFailure("The benchmark runs on loopback only: use a local PostgreSQL.")
    # Query parameters are Django's OPTIONS (django-environ), not libpq's: leave them out.
    admin = urlunsplit(parts._replace(path="/postgres", query=""))
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as connection:
        drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        connection.execute(drop)
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return name


def connect(url: str):
    """A connection of this run's own, to watch the outbox and check the results."""
    # Query parameters are Django's OPTIONS (django-environ), not libpq's: leave them out.
    return psycopg.connect(
        urlunsplit(urlsplit(url)._replace(query="")), autocommit=True, connect_timeout=5
    )


def wait_for_outbox(connection, *, tasks: str, timeout=600.0) -> dict:
    """Wait until no email is pending nor any task queued or running."""
    started = time.perf_counter()
    deadline = started + timeout
    while True:
        pending, failing = connection.execute(
            "SELECT count(*), count(*) FILTER (WHERE attempts > 0)"
            " FROM registrations_notification WHERE sent_at IS NULL"
        ).fetchone()
        queued = 0
        if tasks == "database":
            (queued,) = connection.execute(
                "SELECT count(*) FROM django_tasks_database_dbtaskresult"
                " WHERE status IN ('READY', 'RUNNING')"
            ).fetchone()
        if (pending == 0 and queued == 0) or (queued == 0 and pending == failing):
            break
        if time.perf_counter() > deadline:
            break
        time.sleep(0.1)
    return {"drain_s": round(time.perf_counter() - started, 2), "pending": pending}


def check_database(connection, rush_results) -> dict:
    rows = connection.execute(
        """
        SELECT r.email, r.reference, r.status, r.participation, p.code
        FROM registrations_registration r
        JOIN meetings_meeting m ON m.id = r.meeting_id
        LEFT JOIN dialogues_partner p ON p.id = r.delegation_id
        WHERE m.slug = %s
        """,
        [SLUG],
    ).fetchall()
    # Every accepted registration is answered 202 with the address and what to do next,
    # never its reference nor status (no enumeration): rows are matched by address.
    answered = {
        result.tag[0]: json.loads(result.body)
        for result in rush_results
        if result.status == ACCEPTED
    }
    notifications = connection.execute(
        "SELECT count(*), count(sent_at), count(*) FILTER (WHERE last_error <> '')"
        " FROM registrations_notification"
    ).fetchone()
    return {
        **figures.tally_rush(rows, answered, capacity=CAPACITY, delegation_size=DELEGATION_SIZE),
        "emails": {
            "queued": notifications[0],
            "sent": notifications[1],
            "with_errors": notifications[2],
        },
    }


# --- load ----------------------------------------------------------------------------


def partner_codes() -> list[tuple[str, str]]:
    with PARTNERS_CSV.open(encoding="utf-8", newline="") as handle:
        return [(row["code"], row["kind"]) for row in csv.DictReader(handle)]


def rush_requests(count: int, host: str) -> list:
    """`count` distinct registrations spread over every partner, in a shuffled order."""
    partners = partner_codes()
    rng = random.Random(2026)  # the same rush every run
    requests = []
    for i in range(count):
        code, kind = partners[i % len(partners)]
        language = "fr" if i % 2 else "en"
        body = json.dumps(
            {
                "first_name": f"Delegate {i}",
                "last_name": "Rush",
                "email": f"delegate{i:05d}@bench.convene.test",
                "phone": f"+22177{1000000 + i}",
                "delegation": code,
                "institution": "Ministry of Foreign Affairs",
                "function": "Adviser",
                "level_of_government": "national"
                if kind == "country"
                else "international_organisation",
                "role": ("head", "member", "expert")[i % 3],
                "participation": "in_person",
                "language": language,
                "consent": True,
            }
        ).encode()
        request = client.http_request(
            "POST",
            RUSH_PATH,
            host,
            body=body,
            headers=("Content-Type: application/json", f"Accept-Language: {language}"),
        )
        requests.append(((f"delegate{i:05d}@bench.convene.test", code), request))
    rng.shuffle(requests)
    return requests


def warm_up(port, host, workers):
    """A few requests per app process so the rush does not time their first imports."""
    bad_post = client.http_request(
        "POST",
        RUSH_PATH,
        host,
        body=b"{}",
        headers=("Content-Type: application/json",),
    )
    page = client.http_request("GET", PAGE_PATH, host)
    warm = [(None, bad_post), (None, page)] * (4 * workers)
    client.run_requests(HOST, port, warm, clients=workers)


def start_profilers(processes, app, worker, out_dir) -> list:
    executable = profile.py_spy()
    if executable is None:
        print("bench: --profile needs py-spy (.venv/bin/pip install py-spy): not profiling")
        return []
    started = []
    for name, pid, children in (("app", app.pid, True), ("worker", worker and worker.pid, False)):
        if pid:
            raw = out_dir / f"profile-{name}.txt"
            command = profile.command(executable, pid, raw, subprocesses=children)
            log = out_dir / "profile.log"
            started.append((processes.start(f"py-spy {name}", command, env=None, log=log), raw))
    time.sleep(1.0)  # let py-spy attach before the rush starts
    return started


def stop_profilers(profilers, out_dir) -> None:
    if not profilers:
        return
    for process, _raw in profilers:
        process.send_signal(signal.SIGINT)  # py-spy writes its output on SIGINT
    for process, _raw in profilers:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
    summary = "".join(profile.summarise(raw) for _process, raw in profilers)
    (out_dir / "profile.txt").write_text(summary, encoding="utf-8")
    print(f"bench: profiles in {os.path.relpath(out_dir)}/profile*.txt")


# --- machine -------------------------------------------------------------------------


def machine_info(connection, gunicorn: dict, tasks: str) -> dict:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        memory_kb = int(Path("/proc/meminfo").read_text().split()[1])
    except OSError:
        memory_kb = 0
    return {
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "memory_gb": round(memory_kb / 1024 / 1024, 1),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "postgresql": connection.execute("SHOW server_version").fetchone()[0],
        "load_average_at_start": [round(n, 2) for n in os.getloadavg()],
        "gunicorn": gunicorn,
        "tasks_backend": tasks,
    }


def gunicorn_settings(env) -> dict:
    saved = dict(os.environ)
    try:
        os.environ.update(env)
        config = runpy.run_path(str(ROOT / "config" / "gunicorn.conf.py"))
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return {
        "workers": config.get("workers", 1),
        "worker_class": config.get("worker_class", "sync"),
        "threads": config.get("threads", 1),
        "max_requests": config.get("max_requests", 0),
    }


# --- steps ---------------------------------------------------------------------------


@dataclass
class Server:
    """The application under test: gunicorn, and the task worker when tasks go through one."""

    port: int
    app: subprocess.Popen
    worker: subprocess.Popen | None
    gunicorn: dict

    @property
    def host(self) -> str:
        return f"{HOST}:{self.port}"


@dataclass
class Rush:
    phase: client.Phase
    cpu: dict  # ms per group of processes, from the first request to the last email sent
    window_ms: float
    outbox: dict
    checks: dict


@dataclass
class Page:
    phase: client.Phase
    cpu: dict  # ms per group of processes during the measured seconds


@dataclass
class Checkin:
    phase: client.Phase
    cpu: dict  # ms per group of processes during the check-ins
    window_ms: float
    devices: int
    repeats: int
    delegates: int
    tally: dict  # figures.tally_checkin
    attendance_records: int


def _abort(signum, _frame):
    raise SystemExit(f"bench: stopped by {signal.Signals(signum).name}")


def prepare_output(output: str) -> Path:
    """The output's folder, emptied of the last run's logs and mail."""
    out_dir = Path(output).resolve().parent
    out_dir.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(out_dir / "app" / "mail", ignore_errors=True)
    for log in out_dir.glob("*.log"):
        log.unlink()
    return out_dir


def stop_after(time_limit: int) -> None:
    """End the run (and, on the way out, every process it started) on a signal or time out."""
    signal.signal(signal.SIGTERM, _abort)
    signal.signal(signal.SIGHUP, _abort)
    signal.signal(signal.SIGALRM, _abort)
    signal.alarm(time_limit)


def app_environment(args, *, port: int, var_dir: Path) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        # Never send real mail, nor share a cache, from a benchmark.
        if key not in ("EMAIL_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=args.database_url,
        DEBUG="false",
        HTTPS="false",
        VAR_DIR=str(var_dir),  # mail files under it: the default, as without EMAIL_URL
        ALLOWED_HOSTS=HOST,
        SITE_URL=f"http://{HOST}:{port}",
        REGISTRATION_RATE_LIMIT="off",
        # Eight scanners each send far more than a door's few scans a second.
        CHECKIN_API_RATE_LIMIT="off",
        TASKS_BACKEND=args.tasks,
        HOST=HOST,
        PORT=str(port),
    )
    # Production settings on PostgreSQL refuse to start without keys of passport data;
    # the bench's database is new each run, so a new key does.
    env.setdefault("PASSPORT_DATA_KEYS", Fernet.generate_key().decode("ascii"))
    return env


def prepare(args, env: dict, out_dir: Path) -> str:
    """A fresh database holding the reference data and the rush meeting; returns its name."""
    print(f"bench: resetting database {urlsplit(args.database_url).path.lstrip('/')}")
    database_name = reset_database(args.database_url)
    log = out_dir / "setup.log"
    python = sys.executable
    run_step([python, "manage.py", "migrate", "--noinput"], env=env, log=log)
    run_step([python, "manage.py", "load_reference_data"], env=env, log=log)
    run_step([python, "-m", "bench.setup_meeting", SLUG], env=env, log=log)
    if args.checkins:
        run_step(
            [
                python,
                "-m",
                "bench.setup_checkin",
                CHECKIN_SLUG,
                str(checkin_setup_path(out_dir)),
                "--delegates",
                str(args.checkins),
                "--devices",
                str(args.checkin_devices),
            ],
            env=env,
            log=log,
        )
    run_step(
        [python, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"], env=env, log=log
    )
    return database_name


def start_gunicorn(processes: Processes, name: str, wsgi: str, *, env: dict, log: Path):
    """gunicorn with the production settings (config/gunicorn.conf.py) serving `wsgi`."""
    command = [sys.executable, "-m", "gunicorn", "--config", "config/gunicorn.conf.py", wsgi]
    return processes.start(name, command, env=env, log=log)


def start_server(args, env: dict, out_dir: Path, processes: Processes) -> Server:
    """gunicorn, and run_task_worker with database tasks, answering /healthz."""
    port = int(env["PORT"])
    gunicorn = gunicorn_settings(env)
    print(
        f"bench: starting gunicorn on {HOST}:{port} ({gunicorn['workers']} "
        f"{gunicorn['worker_class']} workers)"
        + (" and run_task_worker" if args.tasks == "database" else "")
    )
    app = start_gunicorn(
        processes, "gunicorn", "config.wsgi", env=env, log=out_dir / "gunicorn.log"
    )
    worker = None
    if args.tasks == "database":
        worker = processes.start(
            "run_task_worker",
            [sys.executable, "manage.py", "run_task_worker"],
            env=env,
            log=out_dir / "run_task_worker.log",
        )
    wait_for_health(port, processes)
    return Server(port=port, app=app, worker=worker, gunicorn=gunicorn)


def start_sampler(server: Server, connection, database_name: str) -> procstat.Sampler:
    """CPU and memory of the app, the worker and PostgreSQL, this run's own backend aside."""
    own_backend = connection.execute("SELECT pg_backend_pid()").fetchone()[0]
    sampler = procstat.Sampler(
        app_root=server.app.pid,
        worker_root=server.worker.pid if server.worker else None,
        database=database_name,
        exclude_backends=[own_backend],
    )
    sampler.start()
    return sampler


def cpu_since(sampler: procstat.Sampler, before) -> tuple[dict, float]:
    """CPU ms per group of processes since the snapshot `before`, and the window's ms."""
    after = sampler.snapshot()
    return procstat.Sampler.delta(before, after), (after[2] - before[2]) * 1000


def rush(args, server: Server, connection, sampler, processes, out_dir: Path) -> Rush:
    """Send the registrations, wait until every email is sent, check the database."""
    requests = rush_requests(args.registrations, server.host)
    profilers = (
        start_profilers(processes, server.app, server.worker, out_dir) if args.profile else []
    )
    print(f"bench: rush of {len(requests)} registrations from {args.clients} clients")
    before = sampler.snapshot()
    phase = client.run_requests(HOST, server.port, requests, clients=args.clients)
    processes.check_alive()
    outbox = wait_for_outbox(connection, tasks=args.tasks)
    cpu, window_ms = cpu_since(sampler, before)
    stop_profilers(profilers, out_dir)
    checks = check_database(connection, phase.results)
    return Rush(phase=phase, cpu=cpu, window_ms=window_ms, outbox=outbox, checks=checks)


def page(args, server: Server, sampler, processes) -> Page:
    """The public meeting page from many clients, after a one-second warm-up."""
    print(f"bench: public page for {args.page_seconds:.0f} s from {args.page_clients} clients")
    request = client.http_request("GET", PAGE_PATH, server.host, headers=("Accept-Language: en",))
    client.run_for(HOST, server.port, request, clients=args.page_clients, seconds=1.0)
    before = sampler.snapshot()
    phase = client.run_for(
        HOST, server.port, request, clients=args.page_clients, seconds=args.page_seconds
    )
    cpu, _window_ms = cpu_since(sampler, before)
    processes.check_alive()
    return Page(phase=phase, cpu=cpu)


def checkin_setup_path(out_dir: Path) -> Path:
    return out_dir / "checkin_setup.json"


def checkin_plan(delegates: int, repeats: int, devices: int, rng: random.Random) -> list:
    """The order of the scans at the door: (delegate index, device index, "first" or
    "repeat"). Every delegate once, in a shuffled order, from a random device; then
    `repeats` delegates scanned again, each at a random place at least 200 scans after
    their first (so that the first has been answered: the repeat must find them in)."""
    firsts = list(range(delegates))
    rng.shuffle(firsts)
    keyed = [(float(place), delegate, "first") for place, delegate in enumerate(firsts)]
    gap = min(200, max(0, delegates - 1))
    eligible = list(range(max(0, delegates - gap)))
    for place in rng.sample(eligible, min(repeats, len(eligible))):
        keyed.append((rng.uniform(place + gap, delegates), firsts[place], "repeat"))
    keyed.sort(key=lambda item: item[0])
    return [(delegate, rng.randrange(devices), kind) for _key, delegate, kind in keyed]


def checkin_requests(setup: dict, host: str, *, repeats: int) -> list:
    """One request per scan, as a scanner at the door sends them: its device's token, a
    new id, the QR code's text, the time of the scan (now: the meeting is held today)."""
    tokens, codes = setup["tokens"], setup["codes"]
    rng = random.Random(2031)  # the same door every run
    scanned_at = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime())
    requests = []
    for delegate, device, kind in checkin_plan(len(codes), repeats, len(tokens), rng):
        client_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        body = json.dumps(
            {
                "queued": 0,
                "checkins": [{"id": client_id, "code": codes[delegate], "scanned_at": scanned_at}],
            }
        ).encode()
        request = client.http_request(
            "POST",
            CHECKIN_PATH,
            host,
            body=body,
            headers=(
                "Content-Type: application/json",
                f"Authorization: Bearer {tokens[device]}",
                f"Accept-Language: {'fr' if device % 2 else 'en'}",
            ),
        )
        requests.append(((client_id, kind), request))
    return requests


def checkin(args, server: Server, connection, sampler, processes, out_dir: Path) -> Checkin:
    """The devices check every delegate in, and some again, one scan per request."""
    setup = json.loads(checkin_setup_path(out_dir).read_text(encoding="utf-8"))
    requests = checkin_requests(setup, server.host, repeats=args.checkin_repeats)
    repeats = sum(1 for (_id, kind), _request in requests if kind == "repeat")
    # Warm-up: each app process reads a device and answers a scan (of a code that is
    # nobody's: a refusal, no attendance) before the clock starts.
    warm = []
    for n in range(4 * server.gunicorn["workers"]):
        token = setup["tokens"][n % len(setup["tokens"])]
        body = json.dumps(
            {
                "checkins": [
                    {"id": str(uuid.uuid4()), "code": "warm-up", "scanned_at": "2030-01-01T00:00Z"}
                ]
            }
        ).encode()
        headers = ("Content-Type: application/json", f"Authorization: Bearer {token}")
        warm.append(
            (
                None,
                client.http_request("POST", CHECKIN_PATH, server.host, body=body, headers=headers),
            )
        )
    client.run_requests(HOST, server.port, warm, clients=server.gunicorn["workers"])
    devices = len(setup["tokens"])
    print(
        f"bench: check-in of {len(setup['codes'])} delegates and {repeats} repeated scans "
        f"from {devices} devices"
    )
    before = sampler.snapshot()
    phase = client.run_requests(HOST, server.port, requests, clients=devices)
    cpu, window_ms = cpu_since(sampler, before)
    processes.check_alive()
    stored = {
        str(row[0])
        for row in connection.execute(
            "SELECT s.client_id FROM onsite_checkinscan s"
            " JOIN onsite_checkindevice d ON d.id = s.device_id"
            " JOIN meetings_meeting m ON m.id = d.meeting_id WHERE m.slug = %s",
            [CHECKIN_SLUG],
        ).fetchall()
    }
    (attendance,) = connection.execute(
        "SELECT count(*) FROM onsite_attendance a JOIN meetings_meeting m ON m.id = a.meeting_id"
        " WHERE m.slug = %s",
        [CHECKIN_SLUG],
    ).fetchone()
    return Checkin(
        phase=phase,
        cpu=cpu,
        window_ms=window_ms,
        devices=devices,
        repeats=repeats,
        delegates=len(setup["codes"]),
        tally=figures.tally_checkin(phase.results, stored),
        attendance_records=attendance,
    )


def calibrate(env: dict, database_name: str, out_dir: Path, *, count: int, clients: int) -> dict:
    """The same rush on a bare Django view doing only the locked count-and-insert.

    Run after the application has stopped, on the same machine, database server and
    gunicorn settings: the ceiling of a Django view here, whatever the machine.
    """
    port = free_port()
    host = f"{HOST}:{port}"
    bare_env = {**env, "DJANGO_SETTINGS_MODULE": "bench.bare.settings", "PORT": str(port)}
    created = subprocess.run(
        [sys.executable, "-m", "bench.bare.create_tables"],
        cwd=ROOT,
        env=bare_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if created.returncode:
        raise BenchFailure(f"calibration tables not created: {created.stderr.strip()[-300:]}")
    path = f"/meetings/{int(created.stdout.strip())}/registrations/"

    def post(email):
        body = json.dumps({"email": email}).encode()
        headers = ("Content-Type: application/json",)
        return client.http_request("POST", path, host, body=body, headers=headers)

    processes = Processes()
    sampler = None
    try:
        print(f"bench: calibration, the same rush on a bare Django view ({host})")
        app = start_gunicorn(
            processes,
            "bare gunicorn",
            "bench.bare.wsgi",
            env=bare_env,
            log=out_dir / "calibration.log",
        )
        wait_for_health(port, processes)
        sampler = procstat.Sampler(app_root=app.pid, worker_root=None, database=database_name)
        sampler.start()
        warm = [(None, post(f"warm{i}@bench.convene.test")) for i in range(64)]
        client.run_requests(HOST, port, warm, clients=8)
        rush = [(None, post(f"bare{i:05d}@bench.convene.test")) for i in range(count)]
        before = sampler.snapshot()
        phase = client.run_requests(HOST, port, rush, clients=clients)
        cpu, _window_ms = cpu_since(sampler, before)
        processes.check_alive()
    finally:
        if sampler:
            sampler.stop()
        processes.stop_all()
    return calibration_figures(phase, cpu)


# --- results -------------------------------------------------------------------------


def rush_figures(args, run: Rush, *, rss: dict, machine: dict, database_name: str) -> dict:
    results = run.phase.results
    submitted = len(results)
    created = sum(1 for r in results if r.status == ACCEPTED)
    checks = run.checks
    return {
        "submitted": submitted,
        "created": created,
        "approved": checks["approved"],
        "waitlisted": checks["waitlisted"],
        "other_status": checks["other_status"],
        "errors": submitted - created,
        "error_kinds": figures.error_kinds(results, ACCEPTED),
        "lost": checks["lost"],
        "answer_mismatch": checks["answer_mismatch"],
        "oversold": checks["oversold"],
        "delegation_overflows": checks["delegation_overflows"],
        "in_person_holding": checks["in_person_holding"],
        "delegations_full": checks["delegations_full"],
        "clients": args.clients,
        "duration_s": round(run.phase.elapsed, 2),
        "throughput_per_s": figures.rate_per_s(submitted, run.phase.elapsed),
        **figures.latency_summary(r.latency for r in results),
        "database": f"PostgreSQL {machine['postgresql']}, database {database_name}",
        "emails": checks["emails"],
        "drain_s": run.outbox["drain_s"],
        "cpu_ms_per_registration": figures.per_item(figures.measured_cpu_ms(run.cpu), submitted),
        "cpu_ms_breakdown": figures.cpu_breakdown(
            run.cpu,
            count=submitted,
            client_cpu_ms=run.phase.client_cpu_ms,
            window_ms=run.window_ms,
            cpus=os.cpu_count() or 1,
        ),
        "peak_rss_mb_per_app_process": round(rss["workers_max"] or 0.0, 1),
        "peak_rss_mb_gunicorn_master": round(rss["master"] or 0.0, 1),
    }


def page_figures(args, run: Page) -> dict:
    results = run.phase.results
    ok = sum(1 for r in results if r.status == 200)
    return {
        "path": PAGE_PATH,
        "clients": args.page_clients,
        "seconds": args.page_seconds,
        "requests": len(results),
        "errors": len(results) - ok,
        "error_kinds": figures.error_kinds(results, 200),
        "requests_per_s": figures.rate_per_s(ok, run.phase.elapsed),
        **figures.latency_summary(r.latency for r in results),
        "cpu_ms_per_request": figures.per_item(figures.measured_cpu_ms(run.cpu), ok, digits=3),
        "load_generator_cpu_ms_per_request": figures.per_item(
            run.phase.client_cpu_ms, ok, digits=3
        ),
    }


def checkin_figures(run: Checkin) -> dict:
    """The "checkin" entry of results.json."""
    results = run.phase.results
    latency = figures.latency_summary(r.latency for r in results)
    return {
        "devices": run.devices,
        "checkins": len(results),
        "per_s": figures.rate_per_s(len(results), run.phase.elapsed),
        "p50_ms": latency["p50_ms"],
        "p99_ms": latency["p99_ms"],
        "duplicates_refused": run.tally["duplicates_refused"],
        "lost": run.tally["lost"],
        "attendance_records": run.attendance_records,
        "expected_attendance": run.delegates,
        "repeats": run.repeats,
        "welcomed": run.tally["welcomed"],
        "other_outcomes": run.tally["other_outcomes"],
        "errors": run.tally["errors"],
        "error_kinds": figures.error_kinds(results, 200),
        "duration_s": round(run.phase.elapsed, 2),
        "p90_ms": latency["p90_ms"],
        "max_ms": latency["max_ms"],
        "scans_per_request": 1,
        "cpu_ms_per_checkin": figures.per_item(figures.measured_cpu_ms(run.cpu), len(results)),
        "cpu_ms_breakdown": figures.cpu_breakdown(
            run.cpu,
            count=len(results),
            client_cpu_ms=run.phase.client_cpu_ms,
            window_ms=run.window_ms,
            cpus=os.cpu_count() or 1,
        ),
        "load_generator_cpu_ms_per_checkin": figures.per_item(
            run.phase.client_cpu_ms, len(results), digits=3
        ),
    }


def badges(env: dict, out_dir: Path, *, count: int) -> dict:
    """The badges' rendering (bench/badges.py), then the bare page's, each in a fresh
    process so that each peak memory is its own."""
    print(f"bench: {count} badges, then the same names and QR codes on a bare page")
    figures_of = {}
    for mode, extra in (("badges", []), ("bare", ["--bare"])):
        with open(out_dir / "badges.log", "ab") as log:
            done = subprocess.run(  # noqa: S603
                [sys.executable, "-m", "bench.badges", SLUG, "--count", str(count), *extra],
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=log,
                timeout=900,
                check=False,
            )
        if done.returncode:
            raise BenchFailure(f"bench.badges {mode} failed: see {out_dir / 'badges.log'}")
        figures_of[mode] = json.loads(done.stdout.decode().strip().splitlines()[-1])
    return badge_figures(figures_of["badges"], figures_of["bare"])


def badge_figures(real: dict, bare: dict) -> dict:
    """The badges entry of results.json from the two runs of bench/badges.py, with the
    ratios to the bare page and whether issue 11's targets are met."""
    ratio = figures.ratio(real["seconds"], bare["seconds"])
    return {
        "count": real["count"],
        "seconds": real["seconds"],
        "pages_per_s": real["pages_per_s"],
        "peak_mb": real["peak_mb"],
        "bare_seconds": bare["seconds"],
        "bare_pages_per_s": bare["pages_per_s"],
        "bare_peak_mb": bare["peak_mb"],
        "ratio_to_bare": ratio,
        "cpu_seconds": real["cpu_seconds"],
        "bare_cpu_seconds": bare["cpu_seconds"],
        "cpu_ratio_to_bare": figures.ratio(real["cpu_seconds"], bare["cpu_seconds"]),
        "targets": BADGE_TARGETS,
        "targets_met": {
            # On the measured seconds, not the rounded ratio.
            "badges_seconds_ratio_to_bare": real["seconds"]
            <= BADGE_TARGETS["badges_seconds_ratio_to_bare"] * bare["seconds"],
            "badges_peak_mb": real["peak_mb"] < BADGE_TARGETS["badges_peak_mb"],
        },
    }


def calibration_figures(phase: client.Phase, cpu: dict) -> dict:
    created_ok = sum(1 for r in phase.results if r.status == 201)
    return {
        "view": "bench/bare: lock the meeting row, count, insert (ORM, no middleware)",
        "submitted": len(phase.results),
        "errors": len(phase.results) - created_ok,
        "error_kinds": figures.error_kinds(phase.results, 201),
        "throughput_per_s": figures.rate_per_s(len(phase.results), phase.elapsed),
        **figures.latency_summary(r.latency for r in phase.results),
        "cpu_ms_per_registration": figures.per_item(
            figures.measured_cpu_ms(cpu), len(phase.results)
        ),
    }


def with_targets(results: dict) -> dict:
    """`results` with the targets and whether each is met."""
    met = figures.targets_met(results["registration_rush"], results["public_page"], TARGETS)
    if "checkin" in results:
        met.update(
            figures.checkin_targets_met(results["checkin"], results.get("calibration"), TARGETS)
        )
    return {**results, "targets": TARGETS, "targets_met": met}


def report(results: dict, output: str) -> int:
    """Write results.json, print the table; 1 when the rush lost, oversold or refused any."""
    Path(output).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print()
    print_table(results)
    print(f"\nWritten: {os.path.relpath(output)}")
    failed = figures.failures(results["registration_rush"])
    if "checkin" in results:
        failed.update(figures.checkin_failures(results["checkin"]))
    if failed:
        print(f"bench: FAILED: {', '.join(f'{n}={v}' for n, v in failed.items())}")
        return 1
    return 0


# --- table ---------------------------------------------------------------------------


def print_table(results: dict) -> None:
    rush, page, machine = results["registration_rush"], results["public_page"], results["machine"]
    cpu = rush["cpu_ms_breakdown"]
    met = results["targets_met"]
    mark = {True: "met", False: "NOT met", None: "n/a"}
    rows = [
        ("Registration rush", ""),
        ("  submitted / 202 answered", f"{rush['submitted']} / {rush['created']}"),
        (
            "  approved / waitlisted / other",
            f"{rush['approved']} / {rush['waitlisted']} / {rush['other_status']}",
        ),
        (
            "  errors / lost / oversold / delegation overflows",
            f"{rush['errors']} / {rush['lost']} / {rush['oversold']} / "
            f"{rush['delegation_overflows']}",
        ),
        (
            "  throughput",
            f"{rush['throughput_per_s']:.0f} registrations/s "
            f"({mark[met['rush_throughput']]}: >= {TARGETS['rush_throughput_per_s']})",
        ),
        (
            "  latency p50 / p90 / p99 / max",
            f"{rush['p50_ms']:.0f} / {rush['p90_ms']:.0f} / {rush['p99_ms']:.0f} / "
            f"{rush['max_ms']:.0f} ms ({mark[met['rush_p99']]}: p99 <= {TARGETS['rush_p99_ms']})",
        ),
        (
            "  emails sent, worker drained after",
            f"{rush['emails']['sent']} of {rush['emails']['queued']}, +{rush['drain_s']:.1f} s",
        ),
        (
            "  CPU per registration",
            f"{rush['cpu_ms_per_registration']:.1f} ms "
            f"(app {cpu['app']:.1f}, worker {cpu['worker']:.1f}, PostgreSQL "
            f"{cpu['postgres']:.1f})",
        ),
        (
            "  other processes on the machine",
            f"used {100 * (cpu['other_processes_share'] or 0):.0f}% of its CPU during the rush "
            f"(load generator: {cpu['load_generator']:.1f} ms/registration)",
        ),
        (
            "  peak RSS per app process",
            f"{rush['peak_rss_mb_per_app_process']:.0f} MB "
            f"({mark[met['peak_rss']]}: < {TARGETS['peak_rss_mb_per_app_process']})",
        ),
        ("Public meeting page", f"{page['clients']} clients, {page['seconds']:.0f} s"),
        (
            "  requests/s",
            f"{page['requests_per_s']:.0f} "
            f"({mark[met['page_throughput']]}: >= {TARGETS['page_requests_per_s']})",
        ),
        (
            "  latency p50 / p99 / max",
            f"{page['p50_ms']:.1f} / {page['p99_ms']:.1f} / "
            f"{page['max_ms']:.1f} ms ({mark[met['page_p99']]}: p99 <= {TARGETS['page_p99_ms']})",
        ),
        ("  errors", str(page["errors"])),
        ("  CPU per request", f"{page['cpu_ms_per_request']:.2f} ms (app + PostgreSQL)"),
        *_checkin_rows(results),
        *_calibration_rows(results),
        *_badge_rows(results),
        (
            "Machine",
            f"{machine['cpus']} CPUs, load {machine['load_average_at_start']}, "
            f"PostgreSQL {machine['postgresql']}",
        ),
        (
            "  gunicorn",
            ", ".join(f"{k} {v}" for k, v in machine["gunicorn"].items())
            + f"; tasks {machine['tasks_backend']}",
        ),
    ]
    width = max(len(label) for label, _value in rows)
    for label, value in rows:
        print(f"{label:<{width}}  {value}")


def _checkin_rows(results: dict) -> list[tuple[str, str]]:
    door = results.get("checkin")
    if not door:
        return []
    met = results["targets_met"]
    mark = {True: "met", False: "NOT met", None: "n/a: no calibration"}
    bare = (results.get("calibration") or {}).get("throughput_per_s", 0)
    share = figures.share(door["per_s"], bare)
    return [
        (
            "Check-in at the door (API)",
            f"{door['devices']} devices, one scan per request",
        ),
        (
            "  scans sent / welcomed / already in",
            f"{door['checkins']} / {door['welcomed']} / {door['duplicates_refused']} "
            f"(repeats sent {door['repeats']})",
        ),
        (
            "  attendance records / lost / errors",
            f"{door['attendance_records']} ({mark[met['checkin_attendance']]}: "
            f"{door['expected_attendance']}) / {door['lost']} ({mark[met['checkin_lost']]}) / "
            f"{door['errors']}",
        ),
        (
            "  throughput",
            f"{door['per_s']:.0f} scans/s, {100 * share:.0f}% of the bare view "
            f"({mark[met['checkin_throughput']]}: >= "
            f"{100 * TARGETS['checkin_share_of_bare_throughput']:.0f}%)",
        ),
        (
            "  latency p50 / p90 / p99 / max",
            f"{door['p50_ms']:.1f} / {door['p90_ms']:.1f} / {door['p99_ms']:.1f} / "
            f"{door['max_ms']:.1f} ms ({mark[met['checkin_p99']]}: p99 < "
            f"{TARGETS['checkin_p99_ms']})",
        ),
        (
            "  CPU per scan",
            f"{door['cpu_ms_per_checkin']:.1f} ms (app + PostgreSQL); other processes used "
            f"{100 * (door['cpu_ms_breakdown']['other_processes_share'] or 0):.0f}% of the "
            "machine meanwhile",
        ),
    ]


def _calibration_rows(results: dict) -> list[tuple[str, str]]:
    bare = results.get("calibration")
    if not bare:
        return []
    rush = results["registration_rush"]
    share = figures.share(rush["throughput_per_s"], bare["throughput_per_s"])
    return [
        ("Calibration: bare Django view", "the same rush, locked count-and-insert only"),
        (
            "  throughput, latency p99",
            f"{bare['throughput_per_s']:.0f} registrations/s, {bare['p99_ms']:.0f} ms "
            f"(errors {bare['errors']})",
        ),
        ("  CPU per registration", f"{bare['cpu_ms_per_registration']:.1f} ms (app + PostgreSQL)"),
        ("  the rush above reaches", f"{100 * share:.0f}% of this throughput"),
    ]


def _badge_rows(results: dict) -> list[tuple[str, str]]:
    made = results.get("badges")
    if not made:
        return []
    met = made["targets_met"]
    return [
        ("Badges (A6, one process)", f"{made['count']} badges"),
        (
            "  seconds, pages/s, peak memory",
            f"{made['seconds']:.1f} s, {made['pages_per_s']:.0f}/s, {made['peak_mb']:.0f} MB",
        ),
        (
            "  bare page, same names and QR",
            f"{made['bare_seconds']:.1f} s, {made['bare_pages_per_s']:.0f}/s, "
            f"{made['bare_peak_mb']:.0f} MB",
        ),
        (
            "  badges / bare (target 1.5), CPU",
            f"{_times(made['ratio_to_bare'])} {_met(met['badges_seconds_ratio_to_bare'])}, "
            f"CPU {_times(made['cpu_ratio_to_bare'])}",
        ),
        (
            "  peak memory (target < 300 MB)",
            f"{made['peak_mb']:.0f} MB {_met(met['badges_peak_mb'])}",
        ),
    ]


def _times(ratio: float | None) -> str:
    return "n/a" if ratio is None else f"{ratio:.2f}x"


def _met(met: bool) -> str:
    return "(met)" if met else "(missed)"


# --- main ----------------------------------------------------------------------------


def main() -> int:
    args = parse_args()
    out_dir = prepare_output(args.output)
    stop_after(args.time_limit)
    env = app_environment(args, port=free_port(), var_dir=out_dir / "app")
    processes = Processes()
    connection = sampler = None
    try:
        database_name = prepare(args, env, out_dir)
        server = start_server(args, env, out_dir, processes)
        connection = connect(args.database_url)
        machine = machine_info(connection, server.gunicorn, args.tasks)
        sampler = start_sampler(server, connection, database_name)
        warm_up(server.port, server.host, server.gunicorn["workers"])
        rush_run = rush(args, server, connection, sampler, processes, out_dir)
        page_run = page(args, server, sampler, processes)
        checkin_run = (
            checkin(args, server, connection, sampler, processes, out_dir)
            if args.checkins
            else None
        )
        sampler.sample()
        rss = sampler.app_peak_rss()
    finally:
        signal.alarm(0)
        if sampler:
            sampler.stop()
        if connection:
            connection.close()
        processes.stop_all()

    results = {
        "registration_rush": rush_figures(
            args, rush_run, rss=rss, machine=machine, database_name=database_name
        ),
        "public_page": page_figures(args, page_run),
        "machine": machine,
    }
    if checkin_run is not None:
        results["checkin"] = checkin_figures(checkin_run)
    if args.calibration:
        results["calibration"] = calibrate(
            env, database_name, out_dir, count=args.registrations, clients=args.clients
        )
    if args.badges:
        results["badges"] = badges(env, out_dir, count=args.badges)
    return report(with_targets(results), args.output)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchFailure as failure:
        sys.exit(f"bench: {failure}")
