from django.db import migrations, models

from convene.core.search import normalise_for_search

# As services.SEARCHED_FIELDS reads them when the migration was written: a migration
# keeps its own copy, so that a later change there does not rewrite history.
SEARCHED_FIELDS = ("first_name", "last_name", "email", "institution", "reference")
BATCH = 500


def fill_search_text(apps, schema_editor):
    """Give the registrations written before the field their `search_text`."""
    registration_model = apps.get_model("registrations", "Registration")
    batch = []
    rows = registration_model.objects.only(*SEARCHED_FIELDS).order_by("pk")
    for registration in rows.iterator(chunk_size=BATCH):
        registration.search_text = normalise_for_search(
            " ".join(getattr(registration, name) or "" for name in SEARCHED_FIELDS)
        )
        batch.append(registration)
        if len(batch) == BATCH:
            registration_model.objects.bulk_update(batch, ["search_text"])
            batch = []
    if batch:
        registration_model.objects.bulk_update(batch, ["search_text"])


class Migration(migrations.Migration):
    dependencies = [
        ("registrations", "0003_outbox_retries"),
    ]

    operations = [
        migrations.AddField(
            model_name="registration",
            name="search_text",
            field=models.TextField(default="", editable=False),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
    ]
