from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LabelsConfig(AppConfig):
    name = "convene.labels"
    label = "labels"
    verbose_name = _("Labelled activities and good practices")

    def ready(self):
        from convene.meetings import page_cache

        from .models import GoodPractice

        # Published practices are listed on the meeting's cached page.
        page_cache.retire_pages_on_change(GoodPractice)
