from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Read-only pages about what the Dialogue did; no models of its own."""

    name = "convene.reports"
    label = "reports"
    verbose_name = _("Reports")
