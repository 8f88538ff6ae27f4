import json

from django.db import transaction
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt

from .models import BareMeeting, BareRegistration


@csrf_exempt
def register(request, meeting_id):
    """Lock the meeting, count its places held, insert: nothing else."""
    email = json.loads(request.body)["email"]
    with transaction.atomic():
        meeting = BareMeeting.objects.select_for_update().get(pk=meeting_id)
        taken = BareRegistration.objects.filter(meeting=meeting, waitlisted=False).count()
        registration = BareRegistration.objects.create(
            meeting=meeting, email=email, waitlisted=taken >= meeting.capacity
        )
    return _sized(JsonResponse({"reference": str(registration.pk)}, status=201))


def healthz(request):
    return _sized(JsonResponse({"status": "ok"}))


def _sized(response):
    # What CommonMiddleware would add; without it gunicorn would answer in chunks.
    response["Content-Length"] = str(len(response.content))
    return response
