from django_tasks import task

from .notifications import send_notification


@task()
def send_notification_task(notification_id: int) -> bool:
    return send_notification(notification_id)
