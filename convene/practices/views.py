"""Good practices: the public library, and their submission by delegates and focal points."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from convene.core.downloads import file_download, file_suffix
from convene.dialogues.selectors import current_dialogue
from convene.meetings.models import Meeting
from convene.registrations.tokens import registration_from_token

from . import selectors, services
from .errors import PracticeError
from .filters import PracticeFilterForm
from .forms import GoodPracticeForm
from .models import GoodPractice
from .permissions import can_download_practice_attachment, can_share_practice


@require_GET
def practice_library(request):
    dialogue = current_dialogue()
    if dialogue is None:
        raise Http404
    form = PracticeFilterForm(request.GET, dialogue=dialogue)
    practices = list(
        selectors.published_practices(dialogue, filters=form.filters(), query=form.query())
    )
    return render(
        request,
        "practices/practices.html",
        {"dialogue": dialogue, "form": form, "practices": practices},
    )


@require_GET
def detail(request, pk):
    practice = selectors.published_practice(pk)
    if practice is None:
        raise Http404
    return render(request, "practices/practice.html", {"practice": practice})


@require_GET
def attachment(request, pk):
    """The practice's attachment, for those allowed to read it; 404 for anyone else, so
    that an unpublished practice's file is not even known to exist."""
    practice = get_object_or_404(GoodPractice.objects.select_related("partner"), pk=pk)
    if not practice.attachment or not can_download_practice_attachment(request.user, practice):
        raise Http404
    return file_download(
        practice.attachment,
        filename=f"good-practice-{practice.pk}.{file_suffix(practice.attachment)}",
    )


def _submit(request, meeting, *, partners, actor=None, registration=None):
    """Show the form, or submit it through the service; None once submitted."""
    form = GoodPracticeForm(
        request.POST or None, request.FILES or None, meeting=meeting, partners=partners
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_good_practice(
                meeting, data=form.practice_data(), actor=actor, registration=registration
            )
        except PracticeError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(
                request,
                _(
                    "Thank you. The Secretariat will review your good practice "
                    "before publishing it."
                ),
            )
            return None
    return render(
        request,
        "practices/practice_form.html",
        {"meeting": meeting, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def submit_as_delegate(request, token):
    registration = registration_from_token(token)
    if registration is None:
        return render(request, "registrations/invalid_link.html", status=404)
    meeting = registration.meeting
    if not can_share_practice(None, meeting, registration=registration):
        raise PermissionDenied
    partners = selectors.practice_partners(meeting, registration=registration)
    response = _submit(request, meeting, partners=partners, registration=registration)
    return response or redirect("registrations:personal", token=token)


@login_required
@require_http_methods(["GET", "POST"])
def submit_as_focal_point(request, slug):
    meeting = get_object_or_404(Meeting.objects.public(), slug=slug)
    if not can_share_practice(request.user, meeting):
        raise PermissionDenied
    partners = selectors.practice_partners(meeting, actor=request.user)
    response = _submit(request, meeting, partners=partners, actor=request.user)
    return response or redirect("practices:good_practice_submit", slug=meeting.slug)
