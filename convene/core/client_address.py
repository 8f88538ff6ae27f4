"""The client's address, as the rate limits and the sign-in throttle count it.

Behind a load balancer every request comes from the balancer's address, so the client is
read from X-Forwarded-For, but only when TRUST_X_FORWARDED_FOR says a proxy sets it:
otherwise any stranger could pick the address they are counted under. Each trusted proxy
appends the address it received the request from, so with TRUSTED_PROXY_COUNT proxies the
client is the Nth entry from the right; entries further left are whatever the client sent
and are ignored. A header missing, too short or malformed falls back to the peer address:
a bad header must never answer 500 nor let a client pick its own address.
"""

import ipaddress

from django.conf import settings


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_address(request) -> str:
    """The address of the client that sent `request`, as a normalised IP string."""
    peer = request.META.get("REMOTE_ADDR", "") or ""
    if getattr(settings, "TRUST_X_FORWARDED_FOR", False):
        proxies = max(int(getattr(settings, "TRUSTED_PROXY_COUNT", 1)), 1)
        header = request.META.get("HTTP_X_FORWARDED_FOR", "")
        entries = [entry for entry in header.split(",") if entry.strip()] if header else []
        if len(entries) >= proxies:
            chosen = _valid(entries[-proxies])
            if chosen:
                return chosen
    return _valid(peer) or "0.0.0.0"  # noqa: S104 - an address to count under, not to bind
