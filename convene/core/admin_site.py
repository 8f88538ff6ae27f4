from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import permissions
from .sign_in import AdminSignInForm


class ConveneAdminSite(admin.AdminSite):
    """The back-office: open to staff accounts holding a current role, nobody else."""

    site_header = _("Convene back-office")
    site_title = _("Convene back-office")
    index_title = _("Back-office")
    # Counted by the sign-in throttle (convene/core/sign_in.py).
    login_form = AdminSignInForm

    def has_permission(self, request):
        return permissions.can_use_back_office(request.user)
