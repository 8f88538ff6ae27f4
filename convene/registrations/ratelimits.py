"""Rate limiting of public POSTs per client address (REGISTRATION_RATE_LIMIT, or "off")."""

from functools import wraps

from django.conf import settings
from django.shortcuts import render
from django_ratelimit.core import is_ratelimited


def registration_rate(group, request):
    rate = (settings.REGISTRATION_RATE_LIMIT or "").strip().lower()
    return None if rate in ("", "off", "none") else rate


def is_limited(request, group: str) -> bool:
    return is_ratelimited(
        request, group=group, key="ip", rate=registration_rate, method="POST", increment=True
    )


def limit_public_posts(group: str):
    """View decorator answering 429 with a translated page once the client is over its rate."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method == "POST" and is_limited(request, group):
                return render(request, "registrations/rate_limited.html", status=429)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
