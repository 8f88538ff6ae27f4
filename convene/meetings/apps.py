from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "convene.meetings"
    label = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        # Imported here: the module imports models, loaded only once the registry is.
        from convene.core.audit import register_audit_actions

        from . import page_cache
        from .audit import describe_meeting_entry
        from .enums import MeetingAuditAction

        page_cache.connect_signals()
        register_audit_actions(MeetingAuditAction, describe=describe_meeting_entry)
