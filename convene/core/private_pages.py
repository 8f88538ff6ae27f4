"""`Cache-Control: private, no-store` on every response that may show personal data.

A shared cache (a proxy, a CDN, a browser of a shared computer) must never keep a
delegate's personal page, a focal point's list of nominees, a proposal or a back-office
page. Which pages those are is decided here, once, rather than per view:

- the views listed below, whoever asks (a personal link works without signing in);
- any answer to a signed-in user, whose pages may carry their name or their rights;
- any answer to a POST or other unsafe method, which may echo what was typed;
- any page that showed a one-time message, which may name the visitor or their address.

Anything else (the public pages of anonymous visitors, static files, the health check)
keeps whatever caching its view chose.
"""

from django.conf import settings

PRIVATE = "private, no-store"

# Namespaces whose every page is private.
PRIVATE_NAMESPACES = frozenset({"admin"})
# (namespace, URL name) of the private views of the public site and the API.
PRIVATE_VIEWS = frozenset(
    {
        ("registrations", "submitted"),
        ("registrations", "personal"),
        ("registrations", "verify"),
        ("registrations", "attachment"),
        ("registrations", "focal_point_home"),
        ("registrations", "focal_point_meeting"),
        ("registrations", "login"),
        ("registrations", "logout"),
        ("labels", "proposals"),
        ("labels", "proposal_create"),
        ("labels", "proposal"),
        ("labels", "proposal_edit"),
        ("practices", "good_practice_submit"),
        ("practices", "good_practice_submit_delegate"),
        ("api", "meeting_registrations"),
        ("onsite", "confirmation_download"),
        ("onsite", "passport_entry"),
        ("onsite", "travel"),
        ("onsite", "personal_funding_request"),
        ("onsite", "focal_point_funding_request"),
        ("onsite", "certificate_download"),
        ("onsite", "verify_certificate"),
    }
)
# Sign-in and password pages, in whichever namespace they are mounted.
PRIVATE_URL_NAMES = frozenset(
    {
        "login",
        "logout",
        "password_change",
        "password_change_done",
        "password_reset",
        "password_reset_done",
        "password_reset_confirm",
        "password_reset_complete",
    }
)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def is_private_view(resolver_match) -> bool:
    if resolver_match is None:
        return False
    namespace = resolver_match.namespace
    if PRIVATE_NAMESPACES.intersection(resolver_match.namespaces):
        return True
    name = resolver_match.url_name
    return (namespace, name) in PRIVATE_VIEWS or name in PRIVATE_URL_NAMES


def is_signed_in(request) -> bool:
    # Without a session cookie nobody is signed in: reading request.user would load the
    # session and add `Vary: Cookie` to every public page for nothing.
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    user = getattr(request, "user", None)
    return bool(user and user.is_authenticated)


def showed_messages(request) -> bool:
    # The message storage marks itself used once a template has listed its messages.
    return bool(getattr(getattr(request, "_messages", None), "used", False))


def is_private_request(request) -> bool:
    """Whether the answer to `request` may show personal data."""
    return (
        request.method not in SAFE_METHODS
        or is_private_view(getattr(request, "resolver_match", None))
        or is_signed_in(request)
        or showed_messages(request)
    )


class PrivatePagesMiddleware:
    """Placed right after AuthenticationMiddleware, so that it knows who is signed in
    and sees the final headers of every view's answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if is_private_request(request):
            response["Cache-Control"] = PRIVATE
        return response
