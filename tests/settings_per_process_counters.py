"""The project's settings with rate-limit counters kept in each process's memory.

Only for the control of tests/registrations/test_ratelimits.py: it shows that several
app processes then let more than the limit through, so that the test would catch
counters that are not shared.
"""

from config.settings import *  # noqa: F403
from config.settings import CACHES

CACHES = {
    **CACHES,
    "ratelimit": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
}
