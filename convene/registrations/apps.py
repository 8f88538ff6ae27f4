from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    name = "convene.registrations"
    label = "registrations"
    verbose_name = _("Registrations")

    def ready(self):
        # Imported here: these modules import models, loaded only once the registry is.
        from convene.core.outbox import register_outbox

        from . import delivery, receivers

        receivers.connect_signals()
        register_outbox("registrations.Notification", send=delivery.send_notifications)
