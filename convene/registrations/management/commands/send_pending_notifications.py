from django.core.management.base import BaseCommand

from convene.labels.notifications import send_pending_proposal_emails
from convene.registrations.notifications import send_pending_notifications


class Command(BaseCommand):
    help = (
        "Send the registration and label proposal emails still pending (after a mail server "
        "failure). Run from cron."
    )

    def handle(self, *args, **options):
        sent = send_pending_notifications() + send_pending_proposal_emails()
        self.stdout.write(f"{sent} pending email(s) sent.")
