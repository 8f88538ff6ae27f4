from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    name = "convene.registrations"
    label = "registrations"
    verbose_name = _("Registrations")

    def ready(self):
        from convene.core.outbox import register_outbox

        from . import notifications, receivers

        receivers.connect_signals()
        register_outbox("registrations.Notification", send=notifications.send_notifications)
