"""The confirmation on the registration's personal page, rendered by this app so that
registrations, the lower app, names nothing of it."""

from django import template

from ..confirmation import confirmation_qr_svg
from ..permissions import can_issue_visa_letters, can_print_badges, can_view_visa_letters
from ..selectors import registration_letters
from ..services import visa_letter_refusal
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


@register.inclusion_tag("onsite/_visa_letter_panel.html", takes_context=True)
def visa_letter_panel(context, registration):
    """The registration page's visa letter panel, for those who issue the meeting's
    letters, when the meeting offers them: the letters issued, and the issue buttons or
    the sentence saying what is missing. The services check everything again."""
    user = context["request"].user
    meeting = registration.meeting
    if not meeting.offers_visa_letters or not can_view_visa_letters(user, meeting):
        return {"show": False}
    letters = registration_letters(registration)
    refusal = visa_letter_refusal(registration)
    return {
        "show": True,
        "registration": registration,
        "letters": letters,
        "has_passport": getattr(registration, "passport", None) is not None,
        "may_issue": can_issue_visa_letters(user, meeting),
        "refusal": refusal.message if refusal else "",
    }
