from collections.abc import Callable

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import permissions
from .sign_in import AdminSignInForm

# Back-office pages that belong to no model's admin (a registration's passport data, whose
# model has no list on purpose). Core imports no app: each app registers a function that
# returns its URL patterns for the site (wrapping its views in site.admin_view).
_extra_urls: list[Callable[[admin.AdminSite], list]] = []


def register_admin_urls(urls: Callable[[admin.AdminSite], list]) -> None:
    """From an AppConfig.ready: `urls(site)` gives URL patterns mounted under the
    back-office's root, before the models' pages."""
    if urls not in _extra_urls:
        _extra_urls.append(urls)


# Links the back-office's home page offers above the models' lists (the check-in page of
# a meeting the user works at the door of). Each app registers a function of the request
# returning (text, address) pairs, already decided by its predicates.
_index_links: list[Callable] = []


def register_index_links(links: Callable) -> None:
    """From an AppConfig.ready: `links(request)` gives [(text, url), …] for the home page."""
    if links not in _index_links:
        _index_links.append(links)


class ConveneAdminSite(admin.AdminSite):
    """The back-office: open to staff accounts holding a current role, nobody else."""

    site_header = _("Convene back-office")
    site_title = _("Convene back-office")
    index_title = _("Back-office")
    # Counted by the sign-in throttle (convene/core/sign_in.py).
    login_form = AdminSignInForm

    def has_permission(self, request):
        return permissions.can_use_back_office(request.user)

    index_template = "admin/convene_index.html"

    def index(self, request, extra_context=None):
        links = [link for links in _index_links for link in links(request)]
        return super().index(request, {**(extra_context or {}), "convene_links": links})

    def get_urls(self):
        extra = [pattern for urls in _extra_urls for pattern in urls(self)]
        return [*extra, *super().get_urls()]
