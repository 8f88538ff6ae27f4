from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LabelsConfig(AppConfig):
    name = "convene.labels"
    label = "labels"
    verbose_name = _("Labelled activities and good practices")

    def ready(self):
        # Imported here: these modules import models, loaded only once the registry is.
        from convene.core.outbox import register_outbox
        from convene.meetings import page_cache

        from . import delivery
        from .models import GoodPractice

        register_outbox("labels.ProposalEmail", send=delivery.send_proposal_emails)
        # Published practices are listed on the meeting's cached page.
        page_cache.retire_pages_on_change(GoodPractice)
