"""Create the calibration tables in the benchmark's database; prints the meeting's id."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.bare.settings")

import django

django.setup()

from django.db import connection  # noqa: E402

from .models import BareMeeting, BareRegistration  # noqa: E402


def main() -> None:
    with connection.schema_editor() as editor:
        editor.create_model(BareMeeting)
        editor.create_model(BareRegistration)
    print(BareMeeting.objects.create(capacity=150).pk)


if __name__ == "__main__":
    main()
