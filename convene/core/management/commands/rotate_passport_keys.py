from django.core.management.base import BaseCommand, CommandError

from convene.core.encryption import UndecryptableValue, rotate_stored_data


class Command(BaseCommand):
    help = (
        "Re-encrypt the stored passport data with the first key of PASSPORT_DATA_KEYS. "
        "To replace a key: put the new key first and keep the old one after it, run this "
        "command, then remove the old key. Safe to run again."
    )

    def handle(self, *args, **options):
        try:
            counts = rotate_stored_data()
        except UndecryptableValue as error:
            raise CommandError(str(error)) from None
        for label, (rotated, current) in counts.items():
            self.stdout.write(
                f"{label}: {rotated} row(s) re-encrypted with the first key, "
                f"{current} already under it."
            )
