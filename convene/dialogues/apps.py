from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DialoguesConfig(AppConfig):
    name = "convene.dialogues"
    label = "dialogues"
    verbose_name = _("Dialogues and partners")

    def ready(self):
        # Imported here: the module imports models, loaded only once the registry is.
        from . import cached_reads

        cached_reads.connect_signals()
