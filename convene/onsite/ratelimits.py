"""Rate limit of the public verification page of visa letters, per client address
(VISA_LETTER_VERIFICATION_RATE_LIMIT, "60/m" by default, or "off"): its codes cannot be
guessed, and the limit keeps anyone from trying."""

from functools import wraps

from django.conf import settings
from django.shortcuts import render
from django_ratelimit import ALL
from django_ratelimit.core import is_ratelimited


def verification_rate(group, request):
    rate = (settings.VISA_LETTER_VERIFICATION_RATE_LIMIT or "").strip().lower()
    return None if rate in ("", "off", "none") else rate


def _limit_reads(*, group: str, template: str):
    """A decorator answering 429 with `template` (a translated page) once the client
    is over VISA_LETTER_VERIFICATION_RATE_LIMIT in `group`."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if is_ratelimited(
                request, group=group, key="ip", rate=verification_rate, method=ALL, increment=True
            ):
                return render(request, template, status=429)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


limit_verification_reads = _limit_reads(
    group="visa-letter-verification", template="onsite/visa_letter_rate_limited.html"
)
# The same rate for the public verification page of certificates of attendance, counted
# apart: a consulate checking letters does not use up a school checking certificates.
limit_certificate_verification_reads = _limit_reads(
    group="certificate-verification", template="onsite/certificate_rate_limited.html"
)
