"""The generation of a batch of badges, run by the task worker (tasks.generate_badges_task)
once services.request_badge_batch has logged the print and queued it."""

from django.core.files.base import ContentFile

from .badges import BADGES_PER_PART, join_pdfs, render_badge_parts
from .enums import BadgeBatchStatus
from .models import BadgeBatch
from .selectors import print_order
from .tokens import TokenRefused


def generate_badge_batch(batch: BadgeBatch, *, part_size: int = BADGES_PER_PART) -> BadgeBatch:
    """Render the batch's badges `part_size` at a time (badges.render_badge_parts), saving
    the progress after each part, then join the parts into its one PDF; delete the files
    of the meeting's earlier batches (a file is kept until the next generation). A
    registration no longer approved fails the batch, saying so, before any is rendered."""
    batch.status = BadgeBatchStatus.RUNNING
    batch.save(update_fields=["status", "updated_at"])
    badge_print = batch.badge_print
    registrations = sorted(
        badge_print.registrations.select_related("meeting__dialogue", "delegation"),
        key=print_order,
    )
    parts = []
    try:
        for done, part in render_badge_parts(
            registrations, layout=badge_print.layout, part_size=part_size
        ):
            parts.append(part)
            batch.done = done
            batch.save(update_fields=["done", "updated_at"])
    except TokenRefused as refusal:
        batch.status = BadgeBatchStatus.FAILED
        batch.error = refusal.message
        batch.save(update_fields=["status", "error", "updated_at"])
        return batch
    content = join_pdfs(parts)
    earlier = BadgeBatch.objects.filter(meeting=batch.meeting_id).exclude(pk=batch.pk)
    for old in earlier.exclude(file=""):
        old.file.delete(save=False)
        old.file = ""
        old.save(update_fields=["file", "updated_at"])
    batch.file.save(f"{batch.pk}.pdf", ContentFile(content), save=False)
    batch.status = BadgeBatchStatus.DONE
    batch.save(update_fields=["file", "status", "updated_at"])
    return batch
