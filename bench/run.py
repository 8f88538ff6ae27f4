"""`make bench`: a registration rush and the public meeting page, on gunicorn and PostgreSQL.

Steps: reset a dedicated database, migrate, load the reference data, create the rush
meeting through the application's services (bench/setup_meeting.py), start gunicorn
(config/gunicorn.conf.py) and the task worker on a free loopback port, send the rush
through the API, wait until every email is sent, check the database, load the public
page, then print a table and write var/bench/results.json. Every process started here
is stopped on the way out, whatever happens. See bench/README.md.
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
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

from . import client, procstat, profile

ROOT = Path(__file__).resolve().parent.parent
PARTNERS_CSV = ROOT / "convene" / "dialogues" / "reference" / "partners.csv"
SLUG = "bench-rush"
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


# The processes whose CPU counts: app, task worker, PostgreSQL (see procstat.Sampler).
MEASURED = ("app", "worker", "postgres_backends", "postgres_background")


def ours_total(cpu: dict) -> float:
    """CPU of everything this run started or used, load generator aside."""
    return sum(cpu.get(group, 0) for group in (*MEASURED, "bench_tool"))


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
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=handle,
            stderr=subprocess.STDOUT,
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
            command,
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=handle,
            stderr=subprocess.STDOUT,
            timeout=timeout,
            check=False,
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
    by_email = {email: (reference, status, code) for email, reference, status, _p, code in rows}
    # Every accepted registration is answered 202 with the address and what to do next,
    # never its reference nor status (no enumeration): rows are matched by address.
    answered = {}
    for result in rush_results:
        if result.status == ACCEPTED:
            answered[result.tag[0]] = json.loads(result.body)
    lost = sum(1 for email in answered if email not in by_email) + sum(
        1 for email in by_email if email not in answered
    )
    mismatched = sum(1 for email, body in answered.items() if body.get("email") != email)
    holding = ("awaiting_secretariat", "approved")
    in_person = sum(1 for _e, _r, status, p, _c in rows if status in holding and p == "in_person")
    per_delegation = {}
    for _email, _reference, status, _participation, code in rows:
        if status in holding:
            per_delegation[code] = per_delegation.get(code, 0) + 1
    statuses = {}
    for _email, _reference, status, _participation, _code in rows:
        statuses[status] = statuses.get(status, 0) + 1
    notifications = connection.execute(
        "SELECT count(*), count(sent_at), count(*) FILTER (WHERE last_error <> '')"
        " FROM registrations_notification"
    ).fetchone()
    return {
        "rows": len(rows),
        "approved": statuses.get("approved", 0),
        "waitlisted": statuses.get("waitlisted", 0),
        "other_status": len(rows) - statuses.get("approved", 0) - statuses.get("waitlisted", 0),
        "lost": lost,
        "answer_mismatch": mismatched,
        "in_person_holding": in_person,
        "oversold": max(0, in_person - CAPACITY),
        "delegation_overflows": sum(1 for n in per_delegation.values() if n > DELEGATION_SIZE),
        "delegations_full": sum(1 for n in per_delegation.values() if n == DELEGATION_SIZE),
        "emails": {
            "queued": notifications[0],
            "sent": notifications[1],
            "with_errors": notifications[2],
        },
    }


# --- load ----------------------------------------------------------------------------


def partner_codes() -> list[str]:
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
            f"/api/v1/meetings/{SLUG}/registrations/",
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
        f"/api/v1/meetings/{SLUG}/registrations/",
        host,
        body=b"{}",
        headers=("Content-Type: application/json",),
    )
    page = client.http_request("GET", f"/en/meetings/{SLUG}/", host)
    warm = [(None, bad_post), (None, page)] * (4 * workers)
    client.run_requests(HOST, port, warm, clients=workers)


def latency_summary(results) -> dict:
    latencies = [r.latency * 1000 for r in results]
    return {
        "p50_ms": round(client.percentile(latencies, 0.50), 1),
        "p90_ms": round(client.percentile(latencies, 0.90), 1),
        "p99_ms": round(client.percentile(latencies, 0.99), 1),
        "max_ms": round(max(latencies, default=0.0), 1),
        "mean_ms": round(sum(latencies) / len(latencies), 1) if latencies else 0.0,
    }


def error_summary(results, ok: int) -> dict:
    kinds = {}
    for result in results:
        if result.status != ok:
            kind = result.error or f"HTTP {result.status}"
            kinds[kind] = kinds.get(kind, 0) + 1
    return kinds


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


# --- report --------------------------------------------------------------------------


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


def calibrate(env: dict, database_name: str, out_dir: Path, *, count: int, clients: int) -> dict:
    """The same rush on a bare Django view doing only the locked count-and-insert.

    Run after the application has stopped, on the same machine, database server and
    gunicorn settings: the ceiling of a Django view here, whatever the machine.
    """
    port = free_port()
    host = f"{HOST}:{port}"
    bare_env = {**env, "DJANGO_SETTINGS_MODULE": "bench.bare.settings", "PORT": str(port)}
    python = sys.executable
    log = out_dir / "calibration.log"
    created = subprocess.run(  # noqa: S603
        [python, "-m", "bench.bare.create_tables"],
        cwd=ROOT,
        env=bare_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if created.returncode:
        raise BenchFailure(f"calibration tables not created: {created.stderr.strip()[-300:]}")
    meeting_id = int(created.stdout.strip())
    processes = Processes()
    sampler = None
    try:
        print(f"bench: calibration, the same rush on a bare Django view ({host})")
        app = processes.start(
            "bare gunicorn",
            [python, "-m", "gunicorn", "--config", "config/gunicorn.conf.py", "bench.bare.wsgi"],
            env=bare_env,
            log=log,
        )
        wait_for_health(port, processes)
        sampler = procstat.Sampler(app_root=app.pid, worker_root=None, database=database_name)
        sampler.start()
        path = f"/meetings/{meeting_id}/registrations/"

        def post(email):
            body = json.dumps({"email": email}).encode()
            headers = ("Content-Type: application/json",)
            return client.http_request("POST", path, host, body=body, headers=headers)

        warm = [(None, post(f"warm{i}@bench.convene.test")) for i in range(64)]
        client.run_requests(HOST, port, warm, clients=8)
        rush = [(None, post(f"bare{i:05d}@bench.convene.test")) for i in range(count)]
        before = sampler.snapshot()
        phase = client.run_requests(HOST, port, rush, clients=clients)
        cpu = procstat.Sampler.delta(before, sampler.snapshot())
        processes.check_alive()
    finally:
        if sampler:
            sampler.stop()
        processes.stop_all()
    created_ok = sum(1 for r in phase.results if r.status == 201)
    per = 1 / max(1, len(phase.results))
    return {
        "view": "bench/bare: lock the meeting row, count, insert (ORM, no middleware)",
        "submitted": len(phase.results),
        "errors": len(phase.results) - created_ok,
        "error_kinds": error_summary(phase.results, 201),
        "throughput_per_s": round(len(phase.results) / phase.elapsed, 1) if phase.elapsed else 0,
        **latency_summary(phase.results),
        "cpu_ms_per_registration": round(sum(cpu.get(group, 0) for group in MEASURED) * per, 2),
    }


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
        *_calibration_rows(results),
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


def _calibration_rows(results: dict) -> list[tuple[str, str]]:
    bare = results.get("calibration")
    if not bare:
        return []
    rush = results["registration_rush"]
    share = rush["throughput_per_s"] / bare["throughput_per_s"] if bare["throughput_per_s"] else 0
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


# --- main ----------------------------------------------------------------------------


def _abort(signum, _frame):
    raise SystemExit(f"bench: stopped by {signal.Signals(signum).name}")


def main() -> int:
    args = parse_args()
    out_dir = Path(args.output).resolve().parent
    out_dir.mkdir(parents=True, exist_ok=True)
    var_dir = out_dir / "app"
    shutil.rmtree(var_dir / "mail", ignore_errors=True)
    for log in out_dir.glob("*.log"):
        log.unlink()
    signal.signal(signal.SIGTERM, _abort)
    signal.signal(signal.SIGHUP, _abort)
    signal.signal(signal.SIGALRM, _abort)
    signal.alarm(args.time_limit)

    port = free_port()
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
        TASKS_BACKEND=args.tasks,
        HOST=HOST,
        PORT=str(port),
    )
    host = f"{HOST}:{port}"
    processes = Processes()
    connection = sampler = None
    try:
        print(f"bench: resetting database {urlsplit(args.database_url).path.lstrip('/')}")
        database_name = reset_database(args.database_url)
        setup_log = out_dir / "setup.log"
        python = sys.executable
        run_step([python, "manage.py", "migrate", "--noinput"], env=env, log=setup_log)
        run_step([python, "manage.py", "load_reference_data"], env=env, log=setup_log)
        run_step([python, "-m", "bench.setup_meeting", SLUG], env=env, log=setup_log)
        run_step(
            [python, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
            env=env,
            log=setup_log,
        )
        gunicorn = gunicorn_settings(env)
        print(
            f"bench: starting gunicorn on {host} ({gunicorn['workers']} {gunicorn['worker_class']}"
            f" workers)" + (" and run_task_worker" if args.tasks == "database" else "")
        )
        app = processes.start(
            "gunicorn",
            [python, "-m", "gunicorn", "--config", "config/gunicorn.conf.py", "config.wsgi"],
            env=env,
            log=out_dir / "gunicorn.log",
        )
        worker = None
        if args.tasks == "database":
            worker = processes.start(
                "run_task_worker",
                [python, "manage.py", "run_task_worker"],
                env=env,
                log=out_dir / "run_task_worker.log",
            )
        wait_for_health(port, processes)
        connection = psycopg.connect(
            urlunsplit(urlsplit(args.database_url)._replace(query="")),
            autocommit=True,
            connect_timeout=5,
        )
        own_backend = connection.execute("SELECT pg_backend_pid()").fetchone()[0]
        machine = machine_info(connection, gunicorn, args.tasks)
        sampler = procstat.Sampler(
            app_root=app.pid,
            worker_root=worker.pid if worker else None,
            database=database_name,
            exclude_backends=[own_backend],
        )
        sampler.start()
        warm_up(port, host, gunicorn["workers"])

        requests = rush_requests(args.registrations, host)
        profilers = start_profilers(processes, app, worker, out_dir) if args.profile else []
        print(f"bench: rush of {len(requests)} registrations from {args.clients} clients")
        before = sampler.snapshot()
        rush = client.run_requests(HOST, port, requests, clients=args.clients)
        processes.check_alive()
        outbox = wait_for_outbox(connection, tasks=args.tasks)
        after = sampler.snapshot()
        stop_profilers(profilers, out_dir)
        cpu = procstat.Sampler.delta(before, after)
        checks = check_database(connection, rush.results)

        print(f"bench: public page for {args.page_seconds:.0f} s from {args.page_clients} clients")
        page_request = client.http_request(
            "GET", f"/en/meetings/{SLUG}/", host, headers=("Accept-Language: en",)
        )
        client.run_for(HOST, port, page_request, clients=args.page_clients, seconds=1.0)
        page_before = sampler.snapshot()
        page = client.run_for(
            HOST, port, page_request, clients=args.page_clients, seconds=args.page_seconds
        )
        page_cpu = procstat.Sampler.delta(page_before, sampler.snapshot())
        processes.check_alive()
        sampler.sample()
        rss = sampler.app_peak_rss()
    finally:
        signal.alarm(0)
        if sampler:
            sampler.stop()
        if connection:
            connection.close()
        processes.stop_all()

    calibration = (
        calibrate(env, database_name, out_dir, count=args.registrations, clients=args.clients)
        if args.calibration
        else None
    )

    submitted = len(rush.results)
    created = sum(1 for r in rush.results if r.status == ACCEPTED)
    errors = submitted - created
    per = 1 / max(1, submitted)
    window_ms = (after[2] - before[2]) * 1000
    others_ms = max(0.0, cpu["machine"] - ours_total(cpu) - rush.client_cpu_ms)
    ours = sum(cpu.get(group, 0) for group in MEASURED)
    page_ok = sum(1 for r in page.results if r.status == 200)
    rush_summary = latency_summary(rush.results)
    results = {
        "registration_rush": {
            "submitted": submitted,
            "created": created,
            "approved": checks["approved"],
            "waitlisted": checks["waitlisted"],
            "other_status": checks["other_status"],
            "errors": errors,
            "error_kinds": error_summary(rush.results, ACCEPTED),
            "lost": checks["lost"],
            "answer_mismatch": checks["answer_mismatch"],
            "oversold": checks["oversold"],
            "delegation_overflows": checks["delegation_overflows"],
            "in_person_holding": checks["in_person_holding"],
            "delegations_full": checks["delegations_full"],
            "clients": args.clients,
            "duration_s": round(rush.elapsed, 2),
            "throughput_per_s": round(submitted / rush.elapsed, 1) if rush.elapsed else 0.0,
            **rush_summary,
            "database": f"PostgreSQL {machine['postgresql']}, database {database_name}",
            "emails": checks["emails"],
            "drain_s": outbox["drain_s"],
            "cpu_ms_per_registration": round(ours * per, 2),
            "cpu_ms_breakdown": {
                "app": round(cpu.get("app", 0) * per, 2),
                "worker": round(cpu.get("worker", 0) * per, 2),
                "postgres": round(
                    (cpu.get("postgres_backends", 0) + cpu.get("postgres_background", 0)) * per,
                    2,
                ),
                "postgres_backends": round(cpu.get("postgres_backends", 0) * per, 2),
                "postgres_background": round(cpu.get("postgres_background", 0) * per, 2),
                "load_generator": round(rush.client_cpu_ms * per, 2),
                "other_processes": round(others_ms * per, 2),
                "postgres_other_databases": round(cpu.get("postgres_other_databases", 0) * per, 2),
                "window_s": round(window_ms / 1000, 2),
                # Share of the machine's CPU capacity that other processes used meanwhile.
                "other_processes_share": round(others_ms / (window_ms * (os.cpu_count() or 1)), 2)
                if window_ms
                else None,
            },
            "peak_rss_mb_per_app_process": round(rss["workers_max"] or 0.0, 1),
            "peak_rss_mb_gunicorn_master": round(rss["master"] or 0.0, 1),
        },
        "public_page": {
            "path": f"/en/meetings/{SLUG}/",
            "clients": args.page_clients,
            "seconds": args.page_seconds,
            "requests": len(page.results),
            "errors": len(page.results) - page_ok,
            "error_kinds": error_summary(page.results, 200),
            "requests_per_s": round(page_ok / page.elapsed, 1) if page.elapsed else 0.0,
            **latency_summary(page.results),
            "cpu_ms_per_request": round(
                sum(page_cpu.get(group, 0) for group in MEASURED) / max(1, page_ok), 3
            ),
            "load_generator_cpu_ms_per_request": round(page.client_cpu_ms / max(1, page_ok), 3),
        },
        "machine": machine,
    }
    if calibration:
        results["calibration"] = calibration
    rush_out, page_out = results["registration_rush"], results["public_page"]
    results["targets"] = TARGETS
    results["targets_met"] = {
        "rush_throughput": rush_out["throughput_per_s"] >= TARGETS["rush_throughput_per_s"],
        "rush_p99": rush_out["p99_ms"] <= TARGETS["rush_p99_ms"],
        "page_throughput": page_out["requests_per_s"] >= TARGETS["page_requests_per_s"],
        "page_p99": page_out["p99_ms"] <= TARGETS["page_p99_ms"],
        "peak_rss": rush_out["peak_rss_mb_per_app_process"] < TARGETS["peak_rss_mb_per_app_process"]
        if rush_out["peak_rss_mb_per_app_process"]
        else None,
    }
    Path(args.output).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print()
    print_table(results)
    print(f"\nWritten: {os.path.relpath(args.output)}")
    failures = [
        name
        for name in ("errors", "lost", "oversold", "delegation_overflows", "other_status")
        if rush_out[name]
    ]
    if failures:
        print(f"bench: FAILED: {', '.join(f'{n}={rush_out[n]}' for n in failures)}")
        return 1
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchFailure as failure:
        sys.exit(f"bench: {failure}")
