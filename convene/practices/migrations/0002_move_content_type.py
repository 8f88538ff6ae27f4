from django.db import migrations


def move_content_type(apps, schema_editor):
    """The content type follows the model, so that its permissions (held by groups) and
    its audit entries stay attached: labels.goodpractice becomes practices.goodpractice."""
    content_type = apps.get_model("contenttypes", "ContentType")
    if content_type.objects.filter(app_label="practices", model="goodpractice").exists():
        return
    content_type.objects.filter(app_label="labels", model="goodpractice").update(
        app_label="practices"
    )


def restore_content_type(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    if content_type.objects.filter(app_label="labels", model="goodpractice").exists():
        return
    content_type.objects.filter(app_label="practices", model="goodpractice").update(
        app_label="labels"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("practices", "0001_initial"),
    ]

    operations = [migrations.RunPython(move_content_type, restore_content_type)]
