from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from convene.core.errors import TryAgainLater
from convene.registrations.tokens import registration_from_token

from . import services
from .confirmation import confirmation_filename, confirmation_pdf
from .errors import PassportError
from .forms import PassportForm
from .selectors import passport_receipt
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
def passport_entry(request, token):
    """The delegate's passport data for a visa support letter, behind the personal link:
    a receipt of what was sent (never the whole number) and the form to send or correct
    it; a page saying why when the registration is not asked for it."""
    registration = registration_from_token(token)
    if registration is None:
        return render(request, "registrations/invalid_link.html", status=404)
    try:
        services.check_passport_entry(registration)
    except PassportError as refusal:
        return _passport_refused(request, registration, refusal)
    form = PassportForm(request.POST or None, meeting=registration.meeting)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.save_passport_details(registration, data=form.cleaned_data, actor=None)
            except TryAgainLater as error:
                # Nothing was saved: the form again, with what was typed.
                form.add_error(None, error.message)
                status = 503
            except PassportError as error:
                if error.field is None:
                    return _passport_refused(request, registration, error)
                form.add_error(error.field, error.message)
            else:
                messages.success(
                    request,
                    gettext("Thank you: your passport data is received for your letter."),
                )
                return redirect(request.path)
    return render(
        request,
        "onsite/passport.html",
        {
            "registration": registration,
            "meeting": registration.meeting,
            "form": form,
            "receipt": passport_receipt(registration),
        },
        status=status,
    )


def _passport_refused(request, registration, refusal: PassportError):
    return render(
        request,
        "onsite/passport_refused.html",
        {"registration": registration, "meeting": registration.meeting, "refusal": refusal},
        status=404,
    )
