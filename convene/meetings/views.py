from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from convene.dialogues.selectors import current_dialogue

from . import page_cache, selectors
from .calendar import meeting_calendar
from .permissions import can_view_meeting


def _meeting_or_404(request, slug):
    meeting = selectors.meeting_for_page(slug)
    if meeting is None or not can_view_meeting(request.user, meeting):
        raise Http404
    return meeting


@require_GET
def home(request):
    dialogue = current_dialogue()
    upcoming, past = selectors.public_meetings(dialogue) if dialogue else ([], [])
    return render(
        request, "meetings/home.html", {"dialogue": dialogue, "upcoming": upcoming, "past": past}
    )


@require_GET
def meeting_detail(request, slug):
    # A published meeting's page is the same for everyone: see page_cache.
    key = page_cache.page_key(request, slug)
    if key and (html := cache.get(key)) is not None:
        return HttpResponse(html)
    meeting = _meeting_or_404(request, slug)
    now = timezone.now()
    # Moments on the page (registration opening) are dates at the venue, not the server's.
    with timezone.override(meeting.tzinfo):
        response = render(
            request,
            "meetings/detail.html",
            {
                "meeting": meeting,
                "programme": selectors.programme_by_day(meeting),
                "alignment": selectors.alignment(meeting),
                "window": meeting.registration_window(now),
                "registration_status": meeting.registration_status(now),
                "is_preview": not meeting.is_public,
            },
        )
    if key and meeting.is_published:
        page_cache.store(key, response.content, meeting)
    return response


@require_GET
def meeting_calendar_file(request, slug):
    meeting = _meeting_or_404(request, slug)
    page_url = request.build_absolute_uri(meeting.get_absolute_url())
    response = HttpResponse(
        meeting_calendar(meeting, page_url=page_url), content_type="text/calendar; charset=utf-8"
    )
    filename = f"{slugify(meeting.slug)}.ics"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
