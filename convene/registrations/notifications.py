"""Emails about registrations, through an outbox.

`queue_notification` writes a Notification row in the same transaction as the status
change, and enqueues its sending after commit. A failing or slow mail server therefore
never blocks nor loses anything: the row stays pending and `send_pending_notifications`
(run by the worker or cron) tries again.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import models, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from convene.core.enums import Role

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8


class Event(models.TextChoices):
    VERIFY = "verify", _("Verify your email address")
    RECEIVED = "received", _("Registration received")
    ENDORSED = "endorsed", _("Endorsed by the focal point")
    APPROVED = "approved", _("Registration approved")
    WAITLISTED = "waitlisted", _("On the waiting list")
    PROMOTED = "promoted", _("Promoted from the waiting list")
    DECLINED = "declined", _("Declined by the focal point")
    REJECTED = "rejected", _("Registration not accepted")
    CANCELLED = "cancelled", _("Registration cancelled")
    LINK = "link", _("Your personal link")
    FOCAL_POINT_NEW = "focal_point_new", _("New registration for your delegation")


def queue_notification(registration, event: str) -> list:
    """Record the emails an event sends and send them after commit. Call in a transaction."""
    from .models import Notification

    if event == Event.FOCAL_POINT_NEW:
        recipients = [
            (assignment.user.email, assignment.user.language)
            for assignment in registration.delegation.role_assignments.filter(
                role=Role.FOCAL_POINT, ends_on__isnull=True, user__is_active=True
            ).select_related("user")
        ]
    else:
        recipients = [(registration.email, registration.language)]
    notifications = [
        Notification.objects.create(
            registration=registration, event=event, recipient=email, language=language
        )
        for email, language in recipients
    ]
    for notification in notifications:
        transaction.on_commit(lambda pk=notification.pk: _enqueue(pk), robust=True)
    return notifications


def _enqueue(notification_id: int) -> None:
    from .tasks import send_notification_task

    send_notification_task.enqueue(notification_id)


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def render_notification(notification) -> tuple[str, str]:
    """(subject, body) in the recipient's language."""
    from .tokens import VERIFY_SALT, make_token

    registration = notification.registration
    meeting = registration.meeting
    with translation.override(notification.language):
        personal_url = absolute_url(
            reverse("registrations:personal", kwargs={"token": make_token(registration)})
        )
        context = {
            "registration": registration,
            "meeting": meeting,
            "personal_url": personal_url,
            "meeting_url": absolute_url(meeting.get_absolute_url()),
            "verify_url": absolute_url(
                reverse(
                    "registrations:verify",
                    kwargs={"token": make_token(registration, salt=VERIFY_SALT)},
                )
            ),
            "focal_point_url": absolute_url(
                reverse("registrations:focal_point_meeting", kwargs={"slug": meeting.slug})
            ),
        }
        subject = gettext("%(event)s: %(meeting)s") % {
            "event": Event(notification.event).label,
            "meeting": meeting.title,
        }
        body = render_to_string(f"registrations/email/{notification.event}.txt", context)
    return subject, body


def send_notification(notification_id: int) -> bool:
    """Send one pending notification; True when sent. Safe to call twice."""
    from .models import Notification

    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("registration__meeting", "registration__delegation")
            .filter(pk=notification_id, sent_at__isnull=True)
            .first()
        )
        if notification is None:
            return False
        try:
            subject, body = render_notification(notification)
            EmailMessage(
                subject=subject.replace("\n", " "),
                body=body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[notification.recipient],
            ).send()
        except Exception as error:
            notification.attempts += 1
            notification.last_error = f"{type(error).__name__}: {error}"[:500]
            notification.save(update_fields=["attempts", "last_error"])
            logger.warning("Notification %s not sent: %s", notification_id, notification.last_error)
            return False
        notification.attempts += 1
        notification.sent_at = timezone.now()
        notification.save(update_fields=["attempts", "sent_at"])
    return True


def send_pending_notifications(*, limit: int = 500) -> int:
    """Retry what is pending (oldest first); returns how many were sent."""
    from .models import Notification

    pending = Notification.objects.filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS).order_by(
        "created_at"
    )[:limit]
    return sum(send_notification(pk) for pk in pending.values_list("pk", flat=True))
