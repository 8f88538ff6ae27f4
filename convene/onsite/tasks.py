from django_tasks import task

from .batches import generate_badge_batch
from .models import BadgeBatch


@task()
def generate_badges_task(batch_id: int) -> int:
    """Generate a batch of badges (services.request_badge_batch queues it); the number of
    badges generated."""
    batch = BadgeBatch.objects.select_related("badge_print", "meeting").get(pk=batch_id)
    return generate_badge_batch(batch).done
