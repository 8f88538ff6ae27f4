from django.core.management.base import BaseCommand

from convene.dialogues.services import import_reference_data


class Command(BaseCommand):
    help = "Load the dialogue, partners and action plans from the reference files (idempotent)."

    def handle(self, *args, **options):
        summary = import_reference_data()
        created = ", ".join(f"{count} {label}" for label, count in summary.created.items())
        self.stdout.write(f"Reference data loaded (created: {created}).")
