from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DialoguesConfig(AppConfig):
    name = "convene.dialogues"
    label = "dialogues"
    verbose_name = _("Dialogues and partners")

    def ready(self):
        from . import cached_reads

        cached_reads.connect_signals()
