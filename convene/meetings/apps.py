from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "convene.meetings"
    label = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        # Imported here: the module imports models, loaded only once the registry is.
        from . import page_cache

        page_cache.connect_signals()
