from django.contrib.contenttypes.models import ContentType

from .models import AuditEntry


def audit_entries_for(obj):
    """The audit trail of one object, newest first, with the actors."""
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    ).select_related("actor")
