"""The confirmation and the funding on the registration's pages, rendered by this app so
that registrations, the lower app, names nothing of them."""

from django import template

from ..confirmation import confirmation_qr_svg
from ..enums import FundingStatus
from ..errors import PassportError
from ..models import FundingRequest
from ..permissions import (
    can_decide_funding,
    can_issue_visa_letters,
    can_print_badges,
    can_read_passport_data,
    can_view_funding,
    can_view_logistics,
    can_view_visa_letters,
)
from ..selectors import (
    FUNDING_COUNTED_STATUSES,
    expects_travel_details,
    funding_counts,
    passport_receipt,
    registration_letters,
    travel_details_of,
)
from ..services import check_passport_entry, may_request_funding, visa_letter_refusal
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


# --- funded places ------------------------------------------------------------------------


@register.inclusion_tag("onsite/_personal_funding.html", takes_context=True)
def personal_funding(context, registration, personal_token):
    """The funding state of the delegate's registration and, when they may ask (the
    meeting lets delegates ask), the button; nothing when the meeting offers no funded
    places, the registration ended, or it could never have one and has no request."""
    meeting = registration.meeting
    # A registration that ended has no funded place left to speak of (its grant no
    # longer counts): the page says nothing rather than "covered".
    if not meeting.funded_places_per_delegation:
        return {"show": False}
    if registration.status not in FUNDING_COUNTED_STATUSES:
        return {"show": False}
    funding = FundingRequest.objects.filter(registration=registration).first()
    may_request = may_request_funding(registration, funding, actor=None, meeting=meeting)
    return {
        "show": funding is not None or may_request,
        "funding": funding,
        "may_request": may_request,
        "personal_token": personal_token,
        "meeting": meeting,
        "csrf_token": context.get("csrf_token"),
    }


@register.simple_tag
def delegation_funding(meeting, partner, user):
    """The funding of a delegation at a meeting, read once for the focal point's page:
    None when the meeting offers no funded places, else {"granted", "offered",
    "requests" (by registration id), "meeting", "user"} for delegate_funding."""
    if not meeting.funded_places_per_delegation:
        return None
    requests = FundingRequest.objects.filter(
        registration__meeting=meeting, registration__delegation=partner
    )
    return {
        **funding_counts(meeting, partner.pk),
        "requests": {funding.registration_id: funding for funding in requests},
        "meeting": meeting,
        "user": user,
    }


@register.inclusion_tag("onsite/_delegate_funding.html")
def delegate_funding(registration, funding, csrf_token):
    """One delegate's funding on the focal point's card (`funding`: delegation_funding),
    with the focal point's "Ask" form while they may ask; no query of its own."""
    if not funding:
        return {"show": False}
    request = funding["requests"].get(registration.pk)
    may_request = may_request_funding(
        registration, request, actor=funding["user"], meeting=funding["meeting"]
    )
    return {
        "show": request is not None or may_request,
        "funding": request,
        "may_request": may_request,
        "registration": registration,
        "meeting": funding["meeting"],
        "counted": request is not None and registration.status in FUNDING_COUNTED_STATUSES,
        "csrf_token": csrf_token,
    }


@register.inclusion_tag("onsite/_funding_panel.html", takes_context=True)
def funding_panel(context, registration):
    """The registration's funding on its back-office page: its state and history in
    words, and the forms the user may use (ask, grant, refuse or withdraw with a
    reason). Nothing when the meeting offers no funded places and nobody asked."""
    user = context["request"].user
    meeting = registration.meeting
    funding = (
        FundingRequest.objects.filter(registration=registration)
        .select_related("decided_by", "requested_by")
        .first()
    )
    if funding is None and not meeting.funded_places_per_delegation:
        return {"show": False}
    if not can_view_funding(user, meeting):
        return {"show": False}
    may_decide = funding is not None and can_decide_funding(user, meeting)
    status = funding.status if funding else None
    return {
        "show": True,
        "registration": registration,
        "meeting": meeting,
        "funding": funding,
        "counted": funding is not None and registration.status in FUNDING_COUNTED_STATUSES,
        "counts": funding_counts(meeting, registration.delegation_id)
        if registration.delegation_id
        else None,
        "may_request": may_request_funding(registration, funding, actor=user, meeting=meeting),
        "may_grant": may_decide and status != FundingStatus.GRANTED,
        "may_refuse": may_decide and status != FundingStatus.REFUSED,
        "csrf_token": context.get("csrf_token"),
    }


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


# --- certificates of attendance ---------------------------------------------------------


@register.inclusion_tag("onsite/_personal_certificate.html")
def personal_certificate(registration, personal_token):
    """The link to the certificate of attendance, once the meeting's last day has begun,
    for an approved registration checked in at least once (certificates.certificate_days);
    nothing otherwise."""
    from ..certificates import certificate_days, format_days

    days = certificate_days(registration)
    if not days:
        return {"show": False}
    return {
        "show": True,
        "days": days,
        "days_text": ", ".join(format_days(days)),
        "personal_token": personal_token,
    }
