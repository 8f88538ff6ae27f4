from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from convene.core.bilingual import LANGUAGE_CODES, active_language
from convene.core.errors import TryAgainLater
from convene.core.formatting import format_date, format_date_range
from convene.meetings.models import Meeting
from convene.registrations.enums import RegistrationStatus
from convene.registrations.models import Registration
from convene.registrations.ratelimits import limit_public_posts
from convene.registrations.tokens import registration_from_token

from . import selectors, services
from .confirmation import confirmation_filename, confirmation_pdf
from .enums import VisaLetterStatus
from .errors import FundingError, PassportError, TravelError
from .forms import PassportForm, TravelForm
from .models import VisaLetter
from .permissions import can_request_funding
from .ratelimits import limit_verification_reads
from .selectors import expects_travel_details, is_funded, passport_receipt, travel_details_of
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


def _verification_section(letter: VisaLetter, language: str) -> dict:
    """What the page says of `letter` in `language`: the number, the name, the meeting, its
    dates and the status, and nothing else (no passport data, no contact, no function)."""
    with translation.override(language):
        if letter.is_valid:
            status = str(VisaLetterStatus.VALID.label)
        else:
            status = gettext("Withdrawn on %(date)s") % {
                "date": format_date(timezone.localdate(letter.withdrawn_at), "j F Y")
            }
        return {
            "language": language,
            "heading": gettext("Visa support letter"),
            "rows": [
                (gettext("Number"), letter.number),
                (gettext("Name"), letter.holder_name),
                (gettext("Meeting"), letter.meeting_title),
                (
                    gettext("Dates"),
                    format_date_range(letter.meeting_starts_on, letter.meeting_ends_on),
                ),
                (gettext("Status"), status),
            ],
        }


def _page_languages() -> list[str]:
    """The page's language first, then the other: a consulate reads either."""
    first = active_language()
    return [first, *(code for code in LANGUAGE_CODES if code != first)]


@limit_verification_reads
def verify_visa_letter(request, code):
    """The public page a letter's QR code opens: is this letter genuine and still valid?
    Unknown codes answer 404 with a sentence, never a hint of which codes exist."""
    letter = selectors.visa_letter_for_verification(code)
    if letter is None:
        response = render(request, "onsite/visa_letter_unknown.html", status=404)
    else:
        response = render(
            request,
            "onsite/visa_letter_verification.html",
            {
                "letter": letter,
                "sections": [
                    _verification_section(letter, language) for language in _page_languages()
                ],
            },
        )
    # Neither indexed nor kept by a shared cache: the page names a person.
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
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


# --- walk-ins -----------------------------------------------------------------------
# Imported here so that this part merges as one block with the other parts of check-in.
from convene.registrations.admin import PARTICIPATION_FIELDS, PERSON_FIELDS  # noqa: E402

from .errors import WalkInError  # noqa: E402
from .forms import WalkInForm  # noqa: E402
from .models import Attendance  # noqa: E402
from .permissions import can_register_walk_in  # noqa: E402


@login_required
@require_http_methods(["GET", "POST"])
def walk_in(request, slug):
    """A person who turns up unregistered, registered and approved at the desk in one
    step (services.register_walk_in), and checked in for today unless unticked; then the
    empty form again for the next one, with what was done said above it. The
    Secretariat only (can_register_walk_in)."""
    meeting = get_object_or_404(Meeting.objects.select_related("dialogue"), slug=slug)
    if not can_register_walk_in(request.user, meeting):
        raise PermissionDenied
    form = WalkInForm(request.POST or None, meeting=meeting)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                registration = services.register_walk_in(
                    meeting,
                    actor=request.user,
                    data=form.registration_data(),
                    check_in=form.cleaned_data["check_in_now"],
                    override_reason=form.cleaned_data["override_reason"],
                )
            except TryAgainLater as error:
                form.add_error(None, error.message)
                status = 503
            except WalkInError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(
                    request,
                    _walk_in_done(
                        registration, meeting, check_in=form.cleaned_data["check_in_now"]
                    ),
                )
                return redirect(request.path)
    return render(
        request,
        "onsite/walk_in.html",
        {
            "meeting": meeting,
            "form": form,
            "person_fields": PERSON_FIELDS,
            "participation_fields": PARTICIPATION_FIELDS,
        },
        status=status,
    )


def _walk_in_done(registration: Registration, meeting: Meeting, *, check_in: bool) -> str:
    values = {"name": registration.full_name, "reference": registration.reference}
    today = timezone.localdate(timezone.now(), meeting.tzinfo)
    if Attendance.objects.filter(registration=registration, day=today).exists():
        return (
            gettext("%(name)s is registered and approved (%(reference)s), and checked in today.")
            % values
        )
    if check_in:
        return (
            gettext(
                "%(name)s is registered and approved (%(reference)s); not checked in: the "
                "meeting is not held today."
            )
            % values
        )
    return gettext("%(name)s is registered and approved (%(reference)s).") % values
