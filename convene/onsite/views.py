from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from convene.core.errors import TryAgainLater
from convene.meetings.models import Meeting
from convene.registrations.models import Registration
from convene.registrations.ratelimits import limit_public_posts
from convene.registrations.tokens import registration_from_token

from . import services
from .confirmation import confirmation_filename, confirmation_pdf
from .errors import FundingError
from .permissions import can_request_funding
from .tokens import TokenRefused


def confirmation_download(request, token):
    """The confirmation PDF, behind the personal link the registration page uses; a page
    saying why when the registration is not (or no longer) approved."""
    registration = registration_from_token(token)
    if registration is None:
        return render(request, "registrations/invalid_link.html", status=404)
    try:
        content = confirmation_pdf(registration)
    except TokenRefused as refusal:
        return render(
            request,
            "onsite/confirmation_refused.html",
            {"registration": registration, "meeting": registration.meeting, "refusal": refusal},
            status=404,
        )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{confirmation_filename(registration)}"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@limit_public_posts("funding")
def personal_funding_request(request, token):
    """The delegate asks for a funded place from their personal page (when the meeting
    lets delegates ask; request_funding decides) and is sent back to it."""
    registration = registration_from_token(token)
    if registration is None:
        return render(request, "registrations/invalid_link.html", status=404)
    try:
        services.request_funding(registration, actor=None)
    except (FundingError, TryAgainLater) as error:
        # Nothing was saved: the page says why, and a busy moment may be tried again.
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            gettext("Your request for a funded place is sent: you will be emailed the decision."),
        )
    return redirect(reverse("registrations:personal", kwargs={"token": token}) + "#funding")


@login_required
@require_POST
def focal_point_funding_request(request, slug):
    """The focal point asks for a funded place for a delegate of theirs (by reference)
    and is sent back to the delegation's page."""
    meeting = get_object_or_404(Meeting.objects.published(), slug=slug)
    reference = request.POST.get("reference", "")
    registration = (
        Registration.objects.select_related("meeting", "delegation")
        .filter(meeting=meeting, reference=reference[:12])
        .first()
    )
    # Another delegation's registration answers as an unknown one would: no hint of it.
    if registration is None or not can_request_funding(request.user, registration):
        raise PermissionDenied
    try:
        services.request_funding(registration, actor=request.user)
    except (FundingError, TryAgainLater) as error:
        # Nothing was saved: the page says why, and a busy moment may be tried again.
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            gettext("A funded place is requested for %(name)s.") % {"name": registration.full_name},
        )
    back = reverse("registrations:focal_point_meeting", kwargs={"slug": meeting.slug})
    return redirect(f"{back}#registration-{registration.reference}")
