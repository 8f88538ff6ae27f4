from django import template
from django.utils.translation import gettext

from convene.meetings.enums import RegistrationWindow
from convene.registrations import selectors

register = template.Library()


@register.simple_tag
def waitlist_note(registration):
    """Why a waitlisted registration waits and its place on the list, in the active
    language; "" for one not waiting. Read when rendered (the email when it leaves), so it
    tells where the list stands then. Two queries for a waitlisted registration, none
    otherwise."""
    parts = [selectors.waitlist_reason(registration)]
    position = selectors.waiting_list_position(registration)
    if position is not None:
        parts.append(
            gettext("You are number %(position)s on the waiting list.") % {"position": position}
        )
    return " ".join(part for part in parts if part)


@register.inclusion_tag("registrations/_places_left.html")
def meeting_places_left(meeting, window):
    """What the meeting page says of places while registration is open: seats left in
    each limited way of attending and the focal point's endorsement. One query when a
    way of attending is limited, none otherwise.

    Rendered inside the cached meeting page (meetings.page_cache): the numbers may be as
    old as PUBLIC_PAGE_CACHE_SECONDS. Retiring every page at each registration would
    empty the cache in a registration rush, when it matters most; the form, never
    cached, says the exact numbers.
    """
    is_open = window == RegistrationWindow.OPEN
    return {
        "places_left": selectors.places_left(meeting) if is_open else {},
        "endorsement": selectors.endorsement_note(meeting) if is_open else "",
    }
