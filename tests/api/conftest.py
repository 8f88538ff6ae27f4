"""The API tests post to the registration endpoint: its meeting and partners."""

from tests.registrations.conftest import (  # noqa: F401
    _no_rate_limit,
    make_meeting,
    meeting,
    senegal,
)
