from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnsiteConfig(AppConfig):
    name = "convene.onsite"
    label = "onsite"
    verbose_name = _("On site")

    def ready(self):
        # Registrations sits below this app: it asks for attachments with a signal, and
        # the confirmation answers it from here.
        from convene.core.admin_site import register_admin_urls, register_index_links
        from convene.core.audit import register_audit_actions
        from convene.core.daily_jobs import register_daily_job
        from convene.core.outbox import register_outbox
        from convene.meetings.signals import demo_meetings_loaded

        from . import delivery, receivers
        from .admin import door_links, passport_urls
        from .audit import describe_onsite_entry
        from .demo_data import load_demo_checkin, load_demo_visa_letters_and_funding
        from .enums import OnsiteAuditAction
        from .services import erase_expired_passport_data

        receivers.connect_signals()
        demo_meetings_loaded.connect(load_demo_visa_letters_and_funding, dispatch_uid="onsite.demo")
        demo_meetings_loaded.connect(load_demo_checkin, dispatch_uid="onsite.demo_checkin")
        register_outbox("onsite.OnsiteEmail", send=delivery.send_onsite_emails)
        register_admin_urls(passport_urls)
        register_index_links(door_links)
        register_audit_actions(OnsiteAuditAction, describe=describe_onsite_entry)
        # Passport data is kept PASSPORT_RETENTION_DAYS after its meeting, then erased by
        # the task worker (manage.py erase_passport_data does the same by hand).
        register_daily_job("onsite.erase_expired_passport_data", erase_expired_passport_data)
