import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from convene.core import permissions
from convene.core.confirmation import confirmation_page, is_confirmed
from convene.core.downloads import file_download, file_suffix
from convene.core.errors import TryAgainLater
from convene.core.selectors import audit_entries_for
from convene.meetings.enums import RegistrationWindow
from convene.meetings.models import Meeting
from convene.meetings.permissions import can_view_meeting
from convene.meetings.selectors import meeting_for_page

from . import exports, selectors, services
from .audit import delegate_history_line
from .enums import PLACE_HOLDING, ExportFormat, RegistrationStatus, Source
from .errors import RegistrationError
from .forms import (
    LostLinkForm,
    OptionalNoteForm,
    ReasonForm,
    RegistrationEditForm,
    RegistrationForm,
)
from .models import Registration
from .permissions import (
    can_download_attachment,
    can_export_delegation_registrations,
    can_use_focal_point_pages,
)
from .ratelimits import limit_public_posts
from .tokens import VERIFY_SALT, make_token, registration_from_token

# The meeting and address of the last registration sent from this browser, for the
# "check your email" page.
SUBMITTED_SESSION_KEY = "submitted_registration"
# Registration references as new_reference() makes them.
REFERENCE = re.compile(r"[A-Z0-9]{1,12}")


def _public_meeting(request, slug) -> Meeting:
    meeting = meeting_for_page(slug)
    if meeting is None or not can_view_meeting(request.user, meeting):
        raise Http404
    return meeting


def _form_error(form, error: RegistrationError) -> int:
    """Show the refusal on the form, which keeps what was typed; returns the status.

    A lock held too long (TryAgainLater) is 503: nothing was saved and the same form
    may be sent again in a moment (DatabaseUnavailableMiddleware adds Retry-After).
    """
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)
    return 503 if isinstance(error, TryAgainLater) else 400


@require_http_methods(["GET", "POST"])
@limit_public_posts("register")
def register(request, slug):
    meeting = _public_meeting(request, slug)
    now = timezone.now()
    window = meeting.registration_window(now)
    is_open = window == RegistrationWindow.OPEN
    form = None
    status = 400 if request.method == "POST" else 200
    if is_open:
        form = RegistrationForm(request.POST or None, request.FILES or None, meeting=meeting)
        if request.method == "POST" and form.is_valid():
            data = form.registration_data()
            try:
                # A new registration and one for an address already registered are
                # answered alike (see submit_self_registration).
                services.submit_self_registration(meeting, data=data, source=Source.PUBLIC_FORM)
            except RegistrationError as error:
                status = _form_error(form, error)
            else:
                request.session[SUBMITTED_SESSION_KEY] = [meeting.pk, data["email"]]
                return redirect("registrations:submitted", slug=meeting.slug)
    context = {
        "meeting": meeting,
        "window": window,
        "registration_status": meeting.registration_status(now),
        "form": form,
    }
    if is_open:
        context["places_left"] = selectors.places_left(meeting)
        context["endorsement"] = selectors.endorsement_note(meeting)
        # Once a delegation is chosen (a form sent back for a missing field), say what it has left.
        partner = getattr(form, "cleaned_data", {}).get("delegation")
        if partner is not None and meeting.delegation_size is not None:
            context["delegation_places"] = {
                "partner": partner,
                "left": selectors.delegation_summary(meeting, partner)["remaining"],
            }
    return render(request, "registrations/register.html", context, status=status)


def submitted(request, slug):
    """ "Check your email": the same page whether the address was new or registered already,
    so it shows only what the visitor typed, nothing read from a registration."""
    meeting = _public_meeting(request, slug)
    meeting_id, email = request.session.get(SUBMITTED_SESSION_KEY) or (None, "")
    if meeting_id != meeting.pk:
        return redirect("registrations:register", slug=meeting.slug)
    return render(
        request,
        "registrations/submitted.html",
        {"meeting": meeting, "email": email, "message": services.submitted_message(email)},
    )


@require_http_methods(["GET", "POST"])
def verify(request, token):
    registration = registration_from_token(token, salt=VERIFY_SALT)
    if registration is None:
        return render(request, "registrations/invalid_link.html", status=404)
    if request.method == "POST":
        services.verify_registration_email(registration)
        return redirect("registrations:personal", token=make_token(registration))
    return render(request, "registrations/verify.html", {"registration": registration})


@require_http_methods(["GET", "POST"])
def personal(request, token):
    registration = registration_from_token(token)
    if registration is None:
        return render(request, "registrations/invalid_link.html", status=404)
    meeting = registration.meeting
    edit_form = RegistrationEditForm(
        request.POST if request.POST.get("action") == "edit" else None,
        instance=registration,
        meeting=meeting,
    )
    status = 400 if request.method == "POST" else 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "cancel":
                if not is_confirmed(request):
                    return _confirm_cancel(request, registration)
                services.cancel_registration(registration, reason=services.CANCELLED_BY_DELEGATE)
                messages.success(request, _("Your registration is cancelled."))
                return redirect(request.path)
            if action == "edit" and edit_form.is_valid():
                services.update_registration(registration, data=edit_form.cleaned_data, actor=None)
                messages.success(request, _("Your changes are saved."))
                return redirect(request.path)
        except TryAgainLater as error:
            # Nothing was saved: the page again, with what was typed, to send once more.
            if action == "edit":
                status = _form_error(edit_form, error)
            else:
                messages.error(request, error.message)
                status = 503
        except RegistrationError as error:
            messages.error(request, error.message)
            return redirect(request.path)
    history = registration_history(registration)
    deadline = meeting.changes_deadline
    return render(
        request,
        "registrations/personal.html",
        {
            "registration": registration,
            "meeting": meeting,
            "edit_form": edit_form,
            "history": history,
            "can_change": registration.status
            not in (
                RegistrationStatus.CANCELLED,
                RegistrationStatus.REJECTED,
                RegistrationStatus.DECLINED,
            ),
            # The details form shows only while update_registration would accept it.
            "can_edit": deadline is None or timezone.now() < deadline,
            # Only a registration holding a place gives one up by cancelling.
            "holds_place": registration.status in PLACE_HOLDING,
            "can_register_again": registration.status == RegistrationStatus.CANCELLED
            and meeting.registration_window() == RegistrationWindow.OPEN,
        },
        status=status,
    )


def _confirm_cancel(request, registration):
    if registration.status in PLACE_HOLDING:
        consequence = _(
            "Your registration to %(meeting)s will be cancelled and your place given "
            "to the next person on the waiting list. This cannot be undone."
        )
    else:
        # Waiting, or not yet placed: there is no place to give away.
        consequence = _(
            "Your registration to %(meeting)s will be cancelled. This cannot be undone."
        )
    return confirmation_page(
        request,
        title=_("Cancel your registration?"),
        consequences=[
            consequence % {"meeting": registration.meeting.title},
            _("You can register again while registration is open, behind those already waiting."),
        ],
        fields={"action": "cancel"},
        confirm_label=_("Yes, cancel my registration"),
        back_url=request.path,
    )


def registration_history(registration) -> list[dict]:
    """The audit trail, oldest first, each entry told in the delegate's words."""
    return [
        {"entry": entry, "what": delegate_history_line(entry)}
        for entry in audit_entries_for(registration).order_by("created_at", "id")
    ]


@require_http_methods(["GET", "POST"])
@limit_public_posts("lost-link")
def lost_link(request, slug):
    meeting = _public_meeting(request, slug)
    form = LostLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.send_new_link(meeting, email=form.cleaned_data["email"])
        # Same answer whether or not the address is registered: no enumeration.
        messages.success(
            request,
            _("If this address has a registration for this meeting, a new link is on its way."),
        )
        return redirect("registrations:lost_link", slug=meeting.slug)
    return render(request, "registrations/lost_link.html", {"meeting": meeting, "form": form})


# --- focal points -------------------------------------------------------------------------


@login_required
def focal_point_home(request):
    if not can_use_focal_point_pages(request.user):
        # Staff without a delegation sign in here too: their work is in the back-office.
        if permissions.can_use_back_office(request.user):
            return redirect("admin:index")
        raise PermissionDenied
    return render(
        request,
        "registrations/focal_point_home.html",
        {"meetings": selectors.meetings_for_focal_point(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def focal_point_meeting(request, slug):
    meeting = get_object_or_404(Meeting.objects.published(), slug=slug)
    partner = selectors.focal_point_delegation(request.user, meeting)
    if partner is None:
        raise PermissionDenied
    nominate_form = RegistrationForm(
        request.POST if request.POST.get("action") == "nominate" else None,
        meeting=meeting,
        fixed_delegation=partner,
        prefix="nominate",
    )
    status = 400 if request.method == "POST" else 200
    if request.method == "POST":
        response = _focal_point_action(request, meeting, partner, nominate_form)
        if isinstance(response, int):
            status = response
        elif response is not None:
            return response
    registrations = selectors.registrations_visible_to(request.user, meeting=meeting).filter(
        delegation=partner
    )
    # Self-registrations awaiting endorsement hold no place: shown apart from those who do.
    pending, delegates = [], []
    for registration in registrations.order_by("created_at", "id"):
        awaiting = registration.status == RegistrationStatus.AWAITING_FOCAL_POINT
        (pending if awaiting else delegates).append(registration)
    return render(
        request,
        "registrations/focal_point_meeting.html",
        {
            "meeting": meeting,
            "partner": partner,
            "pending": pending,
            "delegates": delegates,
            "summary": selectors.delegation_summary(meeting, partner),
            "nominate_form": nominate_form,
            "reason_form": ReasonForm(),
            "note_form": OptionalNoteForm(),
        },
        status=status,
    )


def _focal_point_action(request, meeting, partner, nominate_form):
    """Do the posted action; returns a redirect, or the status of the page to show again."""
    action = request.POST.get("action")
    back = reverse("registrations:focal_point_meeting", kwargs={"slug": meeting.slug})
    try:
        if action == "nominate":
            if not nominate_form.is_valid():
                return 400
            registration = services.submit_registration(
                meeting,
                data=nominate_form.registration_data(),
                source=Source.FOCAL_POINT,
                actor=request.user,
            )
            messages.success(
                request,
                _("%(name)s is nominated (%(status)s).")
                % {"name": registration.full_name, "status": registration.get_status_display()},
            )
            return redirect(back)
        reference = request.POST.get("reference", "")
        if not REFERENCE.fullmatch(reference):
            raise Http404  # PostgreSQL refuses NUL characters even in a lookup
        registration = get_object_or_404(
            Registration, meeting=meeting, delegation=partner, reference=reference
        )
        if action == "endorse":
            form = OptionalNoteForm(request.POST)
            note = form.cleaned_data["reason"] if form.is_valid() else ""
            if not is_confirmed(request):
                return _confirm_decision(request, registration, action, note=note, back=back)
            services.endorse_registration(registration, actor=request.user, note=note)
            messages.success(request, _("%(name)s is endorsed.") % {"name": registration.full_name})
        elif action == "decline":
            form = ReasonForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Give a reason to decline."))
                return redirect(back)
            if not is_confirmed(request):
                return _confirm_decision(
                    request, registration, action, note=form.cleaned_data["reason"], back=back
                )
            services.decline_registration(
                registration, actor=request.user, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("%(name)s is declined.") % {"name": registration.full_name})
        else:
            messages.error(request, _("Unknown action."))
    except RegistrationError as error:
        if action == "nominate":
            return _form_error(nominate_form, error)
        if isinstance(error, TryAgainLater):
            # Shown on the page answered 503, rather than after a redirect (a 302).
            messages.error(request, error.message)
            return 503
        messages.error(request, error.message)
    return redirect(back)


def _confirm_decision(request, registration, action, *, note, back):
    """The second step of an endorsement or a decline, saying what each will do."""
    names = {"name": registration.full_name}
    if action == "endorse":
        title = _("Endorse %(name)s?") % names
        consequences = [
            _(
                "%(name)s will take one of your delegation's places, or join the "
                "waiting list if none is free, and will be emailed."
            )
            % names
        ]
        label = _("Yes, endorse")
    else:
        title = _("Decline %(name)s?") % names
        consequences = [
            _(
                "%(name)s will not attend as a delegate of your delegation and will be "
                "emailed the reason you give. This cannot be undone."
            )
            % names,
            _("Reason given: %(reason)s") % {"reason": note},
        ]
        label = _("Yes, decline")
    return confirmation_page(
        request,
        title=title,
        consequences=consequences,
        fields={"action": action, "reference": registration.reference, "reason": note},
        confirm_label=label,
        back_url=back,
    )


@login_required
def focal_point_export(request, slug, file_format):
    """The delegation's registrations to the meeting as a file, in the page's language."""
    if file_format not in ExportFormat.values:
        raise Http404
    meeting = get_object_or_404(Meeting.objects.published(), slug=slug)
    partner = selectors.focal_point_delegation(request.user, meeting)
    if not can_export_delegation_registrations(request.user, partner):
        raise PermissionDenied
    registrations = selectors.delegation_registrations_for_export(
        request.user, meeting=meeting, partner=partner
    )
    services.record_registrations_export(
        registrations,
        actor=request.user,
        file_format=file_format,
        filters=f"delegation={partner.code}",
    )
    return exports.registrations_response(
        registrations,
        file_format=file_format,
        filename=f"registrations-{meeting.slug}-{partner.code}",
        language=request.LANGUAGE_CODE,
    )


@login_required
def attachment(request, reference):
    """The nominating document, for the meeting's managers and the delegation's focal point."""
    registration = get_object_or_404(
        Registration.objects.select_related("meeting"), reference=reference
    )
    if not can_download_attachment(request.user, registration):
        raise Http404
    return file_download(
        registration.attachment,
        filename=f"{registration.reference}.{file_suffix(registration.attachment)}",
    )
