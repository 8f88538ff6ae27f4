"""The API tests post to the registration endpoint: its meeting (the partners are in
tests/conftest.py)."""

from tests.registrations.conftest import (  # noqa: F401
    _no_rate_limit,
    make_meeting,
    meeting,
)
