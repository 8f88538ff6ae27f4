from axes import apps as axes_apps
from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    default = True
    name = "convene.core"
    label = "core"
    verbose_name = _("Accounts and audit")

    def ready(self):
        # Imported here: the module imports models, loaded only once the registry is.
        from . import encryption
        from .audit import describe_core_entry, register_audit_actions
        from .enums import AuditAction

        register_audit_actions(AuditAction, describe=describe_core_entry)
        # A malformed key stops every start (and registers the checks of the stored data).
        encryption.configured_keys()


class ConveneAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with the role-aware site (listed by path in INSTALLED_APPS)."""

    default = False
    default_site = "convene.core.admin_site.ConveneAdminSite"


class SignInSecurityConfig(axes_apps.AppConfig):
    """django-axes, headed in the back-office by what it does rather than by the
    library's name ("Axes"), in the staff member's language (listed by path in
    INSTALLED_APPS)."""

    default = False
    verbose_name = _("Sign-in security")
