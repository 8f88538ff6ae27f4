"""The confirmation on the registration's personal page, rendered by this app so that
registrations, the lower app, names nothing of it."""

from django import template

from ..confirmation import confirmation_qr_svg
from ..permissions import can_print_badges, can_view_logistics
from ..selectors import expects_travel_details, travel_details_of
from ..tokens import TokenRefused, check_confirmation

register = template.Library()


@register.inclusion_tag("onsite/_personal_confirmation.html")
def personal_confirmation(registration, personal_token):
    """The QR code and the PDF's link while the registration is approved; nothing else."""
    try:
        check_confirmation(registration)
    except TokenRefused:
        return {"qr": None}
    return {"qr": confirmation_qr_svg(registration), "personal_token": personal_token}


@register.inclusion_tag("onsite/_badge_link.html", takes_context=True)
def badge_link(context, registration):
    """The link to print a registration's badge, on its back-office page: only while it
    is approved and for those who print the meeting's badges."""
    user = context["request"].user
    try:
        check_confirmation(registration)
    except TokenRefused:
        return {"show": False}
    return {"show": can_print_badges(user, registration.meeting), "registration": registration}


@register.inclusion_tag("onsite/_personal_travel.html")
def personal_travel(registration, personal_token):
    """The delegate's travel: what they entered, or a prompt to give it, with the link to
    the form; only while the registration is approved and attends in person."""
    if not expects_travel_details(registration):
        return {"show": False}
    return {
        "show": True,
        "details": travel_details_of(registration),
        "meeting": registration.meeting,
        "personal_token": personal_token,
    }


@register.inclusion_tag("onsite/_registration_travel.html", takes_context=True)
def registration_travel(context, registration):
    """The travel details on a registration's back-office page, for those who read the
    meeting's logistics, while the registration is expected to give them."""
    user = context["request"].user
    if not expects_travel_details(registration) or not can_view_logistics(
        user, registration.meeting
    ):
        return {"show": False}
    return {
        "show": True,
        "details": travel_details_of(registration),
        "meeting": registration.meeting,
    }
