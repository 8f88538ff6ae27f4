"""Emails about a registration's onsite matters (funding decisions), through onsite's
outbox: the queueing, called by the services.

`queue_delegate_email` writes one OnsiteEmail row in the transaction of the change; a
task sends it after commit. A mail server that is down loses nothing: the row stays
pending and the task worker tries again (see convene.core.outbox). Rendering and
sending, what the task runs, is in delivery.py, which imports nothing of this module.
"""

from django.db import transaction

from .models import OnsiteEmail
from .tasks import send_onsite_emails_task


def queue_delegate_email(registration, event: str, *, reason: str = "") -> OnsiteEmail:
    """Record the delegate's email about `event`, in their language; sent after commit.
    Call in a transaction."""
    email = OnsiteEmail.objects.create(
        registration=registration,
        event=event,
        reason=reason,
        recipient=registration.email,
        language=registration.language,
    )
    transaction.on_commit(lambda: send_onsite_emails_task.enqueue([email.pk]), robust=True)
    return email
