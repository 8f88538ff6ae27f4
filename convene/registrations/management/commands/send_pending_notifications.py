from django.core.management.base import BaseCommand

from convene.core.outbox import send_due_emails


class Command(BaseCommand):
    help = (
        "Send the registration and label proposal emails whose next attempt is due (after a "
        "mail server failure). The task worker does it too; run it from cron as a backstop."
    )

    def handle(self, *args, **options):
        sent = send_due_emails()
        self.stdout.write(f"{sent} pending email(s) sent.")
