from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LabelsConfig(AppConfig):
    name = "convene.labels"
    label = "labels"
    verbose_name = _("Labelled activities")

    def ready(self):
        # Imported here: these modules import models, loaded only once the registry is.
        from convene.core.audit import register_audit_actions
        from convene.core.outbox import register_outbox
        from convene.meetings.signals import demo_meetings_loaded

        from . import delivery
        from .audit import describe_proposal_entry
        from .demo_data import load_demo_label_records
        from .enums import ProposalAuditAction

        register_outbox("labels.ProposalEmail", send=delivery.send_proposal_emails)
        demo_meetings_loaded.connect(load_demo_label_records, dispatch_uid="labels.demo")
        register_audit_actions(ProposalAuditAction, describe=describe_proposal_entry)
