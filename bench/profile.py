"""Optional sampling profiles of the rush with py-spy (`make bench BENCH_ARGS=--profile`).

py-spy is not a dependency of the project: install it into the venv by hand
(`.venv/bin/pip install py-spy`). Writes the raw collapsed stacks (for flame graphs)
and a summary of where the samples fall under var/bench/.
"""

import shutil
import sys
from collections import Counter
from pathlib import Path


def py_spy() -> str | None:
    beside = Path(sys.executable).parent / "py-spy"
    return str(beside) if beside.exists() else shutil.which("py-spy")


def command(executable: str, pid: int, output: Path, *, subprocesses: bool) -> list[str]:
    args = [executable, "record", "--pid", str(pid), "--rate", "200", "--format", "raw"]
    args += ["--output", str(output), "--nonblocking"]
    return [*args, "--subprocesses"] if subprocesses else args


def _frames(line: str):
    stack, _, count = line.rpartition(" ")
    # Drop the "process N:..." and "thread" prefixes py-spy adds with --subprocesses.
    frames = [f for f in stack.split(";") if not f.startswith(("process ", "thread "))]
    return frames, int(count)


def _location(frame: str) -> str:
    # "func (path/to/module.py:123)" -> "path/to/module.py"
    return frame.rpartition(" (")[2].rsplit(":", 1)[0]


def _short(frame: str) -> str:
    name, _, _where = frame.partition(" (")
    return f"{name} ({_location(frame).rsplit('/', 1)[-1]})"


# Leaf functions of a process waiting for work (py-spy leaves most idle threads out).
IDLE = ("SyncWorker.wait", "EpollSelector.select", "select")
# psycopg waiting for the server: a query's round trip, a lock, a commit.
DATABASE_WAIT = ("Connection.wait", "_execute_send", "_exec_command")
# Framework work worth seeing apart.
LANDMARKS = {
    "BaseForm.full_clean": "form validation",
    "Model.validate_constraints": "  of which constraint checks (queries)",
    "SQLCompiler.as_sql": "ORM: compiling SQL",
    "Template.render": "template rendering",
    "Atomic.__exit__": "commit",
    "DatabaseWrapper.is_usable": "connection health check",
}


def summarise(raw: Path, *, top: int = 20) -> str:
    """Busy samples: how many wait for PostgreSQL, and the project's busiest functions.

    Inclusive: a function counts once per sample whose stack contains it.
    """
    if not raw.exists():
        return f"{raw.name}: no samples\n"
    inclusive, waiting, total, waits = Counter(), Counter(), 0, 0
    for line in raw.read_text().splitlines():
        if not line.strip():
            continue
        frames, count = _frames(line)
        leaf = frames[-1].partition(" (")[0] if frames else ""
        if not frames or leaf.endswith(IDLE):
            continue
        total += count
        is_wait = leaf.endswith(DATABASE_WAIT)
        waits += count * is_wait
        names = {f.partition(" (")[0] for f in frames}
        for frame in {
            _short(f) for f in frames if _location(f).startswith(("convene/", "config/"))
        } | {label for name, label in LANDMARKS.items() if name in names}:
            inclusive[frame] += count
            waiting[frame] += count * is_wait
    if not total:
        return f"{raw.name}: no busy samples\n"
    lines = [
        f"{raw.name}: {total} busy samples, {100 * waits / total:.0f}% waiting for PostgreSQL",
        "   total  (waiting)  project function, inclusive",
    ]
    lines += [
        f"  {100 * n / total:5.1f}%  ({100 * waiting[frame] / total:5.1f}%)  {frame}"
        for frame, n in sorted(
            ((f, n) for f, n in inclusive.items() if f not in LANDMARKS.values()),
            key=lambda item: -item[1],
        )[:top]
    ]
    lines.append("   total  (waiting)  framework, inclusive")
    lines += [
        f"  {100 * inclusive[label] / total:5.1f}%  ({100 * waiting[label] / total:5.1f}%)  {label}"
        for label in LANDMARKS.values()
    ]
    return "\n".join(lines) + "\n"
