from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from convene.onsite.services import erase_expired_passport_data


class Command(BaseCommand):
    help = (
        "Erase the passport data of meetings that ended more than PASSPORT_RETENTION_DAYS "
        "ago (the task worker does it daily), each erasure audited. Lists the "
        "registrations concerned by reference and meeting, never a passport value."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="List what would be erased, erasing nothing.",
        )
        parser.add_argument(
            "--actor",
            metavar="EMAIL",
            default="",
            help="The account the audit entries name (default: none, as the daily job).",
        )

    def handle(self, *args, **options):
        actor = None
        if options["actor"]:
            actor = get_user_model().objects.filter(email__iexact=options["actor"]).first()
            if actor is None:
                raise CommandError(f"No account has the email {options['actor']!r}.")
        erased = erase_expired_passport_data(dry_run=options["dry_run"], actor=actor)
        days = settings.PASSPORT_RETENTION_DAYS
        for item in erased:
            self.stdout.write(
                f"{item.reference}\t{item.meeting}\tended {item.meeting_ended_on.isoformat()}"
            )
        if options["dry_run"]:
            self.stdout.write(
                f"{len(erased)} passport data would be erased (meetings ended more than "
                f"{days} days ago). Nothing was erased (dry run)."
            )
        else:
            self.stdout.write(
                f"{len(erased)} passport data erased (meetings ended more than {days} days ago)."
            )
