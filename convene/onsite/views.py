from django.http import HttpResponse
from django.shortcuts import render

from convene.registrations.tokens import registration_from_token

from .confirmation import confirmation_filename, confirmation_pdf
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
