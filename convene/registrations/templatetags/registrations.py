from django import template
from django.utils.translation import gettext

from convene.registrations import selectors
from convene.registrations.enums import RegistrationStatus

register = template.Library()


@register.simple_tag
def status_label(value):
    """The translated label of a registration status code (as stored in the audit log)."""
    try:
        return RegistrationStatus(value).label
    except ValueError:
        return value


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
