"""The confirmation on the registration's personal page, rendered by this app so that
registrations, the lower app, names nothing of it."""

from django import template

from ..confirmation import confirmation_qr_svg
from ..errors import PassportError
from ..permissions import can_print_badges, can_read_passport_data
from ..selectors import passport_receipt
from ..services import check_passport_entry
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


@register.inclusion_tag("onsite/_personal_passport.html")
def personal_passport(registration, personal_token):
    """The passport section of the personal page, while the delegate is asked for it
    (services.check_passport_entry): what was received, and the link to the form."""
    try:
        check_passport_entry(registration)
    except PassportError:
        return {"show": False}
    return {
        "show": True,
        "meeting": registration.meeting,
        "receipt": passport_receipt(registration),
        "personal_token": personal_token,
    }


@register.inclusion_tag("onsite/_passport_link.html", takes_context=True)
def passport_link(context, registration):
    """The link to a registration's passport data, on its back-office page: for those
    who may read it (can_read_passport_data), when the delegate asked for a letter."""
    user = context["request"].user
    show = registration.needs_visa_letter and can_read_passport_data(user, registration)
    return {"show": show, "registration": registration}
