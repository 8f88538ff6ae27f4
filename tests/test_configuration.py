"""Configuration comes only from the environment, and .env.example documents all of it."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
READERS = {
    "config/settings.py": r"env(?:\.\w+)?\(\s*\"([A-Z][A-Z0-9_]+)\"",
    "config/gunicorn.conf.py": r"os\.environ\.get\(\s*[\"']([A-Z][A-Z0-9_]+)[\"']",
    "tests/conftest.py": r"(?:os\.environ\.get\(|_flag\()\s*\"([A-Z][A-Z0-9_]+)\"",
    "Makefile": r"^([A-Z][A-Z0-9_]+) \?=",
}


def _documented() -> set[str]:
    text = (ROOT / ".env.example").read_text()
    return set(re.findall(r"^([A-Z][A-Z0-9_]+)=", text, flags=re.MULTILINE))


def _read_by_code() -> set[str]:
    names = set()
    for relative, pattern in READERS.items():
        names |= set(re.findall(pattern, (ROOT / relative).read_text(), flags=re.MULTILINE))
    # The Makefile's interpreter choice is not a setting of the product.
    return names - {"PYTHON"}


def test_env_example_documents_every_variable_the_code_reads():
    read = _read_by_code()
    assert "DATABASE_URL" in read  # the patterns do find variables
    assert read - _documented() == set()


def test_env_example_lists_nothing_the_code_ignores():
    assert _documented() - _read_by_code() == set()
