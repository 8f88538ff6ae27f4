from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PracticesConfig(AppConfig):
    name = "convene.practices"
    label = "practices"
    verbose_name = _("Good practices")

    def ready(self):
        from convene.core.audit import register_audit_actions
        from convene.meetings import page_cache
        from convene.meetings.signals import demo_meetings_loaded

        from .audit import describe_practice_entry
        from .demo_data import load_demo_practices
        from .enums import PracticeAuditAction
        from .models import GoodPractice

        # Published practices are listed on the meeting's cached page.
        page_cache.retire_pages_on_change(GoodPractice)
        demo_meetings_loaded.connect(load_demo_practices, dispatch_uid="practices.demo")
        register_audit_actions(PracticeAuditAction, describe=describe_practice_entry)
