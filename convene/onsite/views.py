from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from convene.core.errors import TryAgainLater
from convene.registrations.enums import RegistrationStatus
from convene.registrations.tokens import registration_from_token

from . import services
from .confirmation import confirmation_filename, confirmation_pdf
from .errors import TravelError
from .forms import TravelForm
from .selectors import expects_travel_details, is_funded, travel_details_of
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


@require_http_methods(["GET", "POST"])
def travel(request, token):
    """The delegate's travel details, behind the personal link: the form (GET), saved
    (POST) then back to the personal page; the form again with what was typed and the
    errors when refused. A page saying why for a registration not approved or not
    attending in person."""
    registration = registration_from_token(token)
    if registration is None:
        return render(request, "registrations/invalid_link.html", status=404)
    meeting = registration.meeting
    if not expects_travel_details(registration):
        return _travel_refused(request, registration)
    details = travel_details_of(registration)
    form = TravelForm(
        request.POST if request.method == "POST" else None,
        meeting=meeting,
        funded=is_funded(registration),
        details=details,
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.save_travel_details(registration, data=form.travel_values(), actor=None)
            except TravelError as error:
                if error.code in ("not_approved", "meeting_cancelled", "not_in_person"):
                    return _travel_refused(request, registration, error.message)
                form.add_error(form.field_for_problem(error.field), error.message)
            except TryAgainLater as error:
                form.add_error(None, error.message)
                status = 503
            else:
                messages.success(request, gettext("Your travel details are saved."))
                return redirect("registrations:personal", token=token)
    return render(
        request,
        "onsite/travel.html",
        {"registration": registration, "meeting": meeting, "form": form, "details": details},
        status=status,
    )


def _travel_refused(request, registration, message: str = ""):
    if not message:
        if registration.status != RegistrationStatus.APPROVED:
            message = gettext("Travel details are asked once the registration is approved.")
        elif registration.meeting.is_cancelled:
            message = gettext("This meeting is cancelled: no travel details are needed.")
        else:
            message = gettext("Travel details are asked only of those who attend in person.")
    return render(
        request,
        "onsite/travel_refused.html",
        {"registration": registration, "meeting": registration.meeting, "message": message},
        status=403,
    )
