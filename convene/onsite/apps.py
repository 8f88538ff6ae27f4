from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnsiteConfig(AppConfig):
    name = "convene.onsite"
    label = "onsite"
    verbose_name = _("On site")

    def ready(self):
        # Registrations sits below this app: it asks for attachments with a signal, and
        # the confirmation answers it from here.
        from convene.core.audit import register_audit_actions
        from convene.core.outbox import register_outbox

        from . import delivery, receivers
        from .audit import describe_onsite_entry
        from .enums import OnsiteAuditAction

        receivers.connect_signals()
        register_outbox("onsite.OnsiteEmail", send=delivery.send_onsite_emails)
        register_audit_actions(OnsiteAuditAction, describe=describe_onsite_entry)
