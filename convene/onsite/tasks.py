from django_tasks import task

from .batches import generate_badge_batch
from .delivery import send_onsite_emails
from .models import BadgeBatch


@task()
def generate_badges_task(batch_id: int) -> int:
    """Generate a batch of badges (services.request_badge_batch queues it); the number of
    badges generated."""
    batch = BadgeBatch.objects.select_related("badge_print", "meeting").get(pk=batch_id)
    return generate_badge_batch(batch).done


@task()
def send_onsite_emails_task(email_ids: list[int]) -> int:
    """Send these emails of onsite's outbox (after the commit that queued them)."""
    return send_onsite_emails(email_ids)
