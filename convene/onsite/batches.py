"""The generation of a batch of badges, run by the task worker (tasks.generate_badges_task)
once services.request_badge_batch has logged the print and queued it."""

import io

from django.core.files.base import ContentFile
from pypdf import PdfReader, PdfWriter

from .badges import render_badges
from .enums import BadgeBatchStatus
from .models import BadgeBatch
from .selectors import print_order
from .tokens import TokenRefused

# Badges rendered between two progress reports: a multiple of four, so that every A4
# sheet but the last is full.
BATCH_CHUNK = 20


def generate_badge_batch(batch: BadgeBatch, *, chunk: int = BATCH_CHUNK) -> BadgeBatch:
    """Render the batch's badges `chunk` at a time, saving the progress after each, then
    its one PDF; delete the files of the meeting's earlier batches (a file is kept until
    the next generation). A registration no longer approved fails the batch, saying so."""
    batch.status = BadgeBatchStatus.RUNNING
    batch.save(update_fields=["status", "updated_at"])
    badge_print = batch.badge_print
    registrations = sorted(
        badge_print.registrations.select_related("meeting__dialogue", "delegation"),
        key=print_order,
    )
    writer = PdfWriter()
    try:
        for start in range(0, len(registrations), chunk):
            part = render_badges(registrations[start : start + chunk], layout=badge_print.layout)
            writer.append(PdfReader(io.BytesIO(part)))
            batch.done = min(start + chunk, len(registrations))
            batch.save(update_fields=["done", "updated_at"])
    except TokenRefused as refusal:
        batch.status = BadgeBatchStatus.FAILED
        batch.error = refusal.message
        batch.save(update_fields=["status", "error", "updated_at"])
        return batch
    output = io.BytesIO()
    writer.write(output)
    earlier = BadgeBatch.objects.filter(meeting=batch.meeting_id).exclude(pk=batch.pk)
    for old in earlier.exclude(file=""):
        old.file.delete(save=False)
        old.file = ""
        old.save(update_fields=["file", "updated_at"])
    batch.file.save(f"{batch.pk}.pdf", ContentFile(output.getvalue()), save=False)
    batch.status = BadgeBatchStatus.DONE
    batch.save(update_fields=["file", "status", "updated_at"])
    return batch
