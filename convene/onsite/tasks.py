from django_tasks import task

from .batches import generate_badge_batch
from .models import BadgeBatch


@task()
def generate_badges_task(batch_id: int) -> int:
    """Generate a batch of badges (services.request_badge_batch queues it); the number of
    badges generated."""
    batch = BadgeBatch.objects.select_related("badge_print", "meeting").get(pk=batch_id)
    return generate_badge_batch(batch).done


@task()
def send_onsite_emails_task(email_ids: list[int]) -> int:
    """Send these emails of the onsite outbox (queued after the commit that wrote them)."""
    from .delivery import send_onsite_emails

    return send_onsite_emails(email_ids)
