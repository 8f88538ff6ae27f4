from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    name = "convene.registrations"
    label = "registrations"
    verbose_name = _("Registrations")

    def ready(self):
        # Imported here: these modules import models, loaded only once the registry is.
        from convene.core.audit import register_audit_actions
        from convene.core.outbox import register_outbox

        from . import delivery, receivers
        from .audit import describe_registration_entry
        from .enums import RegistrationAuditAction

        receivers.connect_signals()
        register_outbox("registrations.Notification", send=delivery.send_notifications)
        register_audit_actions(RegistrationAuditAction, describe=describe_registration_entry)
