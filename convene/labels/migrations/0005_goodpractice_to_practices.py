from django.db import migrations


class Migration(migrations.Migration):
    """GoodPractice now belongs to the practices app (practices 0001), which kept its
    table: only the labels state forgets it."""

    dependencies = [
        ("labels", "0004_outbox_retries"),
        ("practices", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="GoodPractice")],
            database_operations=[],
        ),
    ]
