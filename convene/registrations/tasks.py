from django_tasks import task

from .delivery import deliver_notifications, send_notifications


@task()
def send_notifications_task(notification_ids: list[int]) -> int:
    """Send these emails (the inline backend, right after the commit that queued them)."""
    return send_notifications(notification_ids)


@task()
def deliver_notifications_task() -> int:
    """Send every new email (a worker; see notifications._enqueue)."""
    return deliver_notifications()
