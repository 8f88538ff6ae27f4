from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext

from convene.core.admin import RoleScopedAdmin
from convene.meetings.models import Meeting

from . import selectors, services
from .badges import badge_filename, badges_filename, render_badges
from .errors import BadgeError
from .forms import BadgePrintForm
from .models import BadgePrint
from .permissions import can_print_any_badges, can_print_badges, can_view_badge_prints


@admin.register(BadgePrint)
class BadgePrintAdmin(RoleScopedAdmin):
    """The print log (read only: written by record_badge_print), and the page that
    prints a meeting's badges (print_view)."""

    change_list_template = "admin/onsite/badgeprint/change_list.html"
    list_display = (
        "created_at",
        "meeting",
        "printed_by",
        "badge_count",
        "layout",
        "is_reprint",
        "reason",
    )
    list_filter = ("is_reprint", "layout")
    list_select_related = ("meeting", "printed_by")
    readonly_fields = (
        "created_at",
        "meeting",
        "printed_by",
        "layout",
        "badge_count",
        "is_reprint",
        "reason",
        "registrations",
    )
    fields = readonly_fields

    def has_view_permission(self, request, obj=None):
        return can_view_badge_prints(request.user)

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # The log is evidence of who printed what: never deleted from here.
        return False

    def get_queryset(self, request):
        return selectors.badge_prints_visible_to(request.user)

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "badge_meetings": selectors.meetings_for_badges(request.user)
            if can_print_any_badges(request.user)
            else [],
        }
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        return [
            path(
                "meeting/<int:meeting_id>/",
                self.admin_site.admin_view(self.print_view),
                name="onsite_badgeprint_print",
            ),
            *super().get_urls(),
        ]

    def print_view(self, request, meeting_id):
        """A meeting's badges: filters and layout (GET), the PDF (POST), logged as a print.

        `?registration=<id>` narrows the page to one badge (the registration page's link).
        A reprint without a reason, or filters that match no approved registration, show
        the form again with the error; nothing is logged."""
        meeting = get_object_or_404(Meeting.objects.select_related("dialogue"), pk=meeting_id)
        if not can_print_badges(request.user, meeting):
            raise PermissionDenied
        registration_ids = self._registration_ids(request)
        single = None
        if registration_ids:
            single = next(
                iter(
                    selectors.registrations_for_badges(meeting, registration_ids=registration_ids)
                ),
                None,
            )
            if single is None:
                raise Http404(gettext("No approved registration matches these filters."))
        form = BadgePrintForm(request.POST or None, meeting=meeting)
        if request.method == "POST" and form.is_valid():
            registrations = selectors.registrations_for_badges(
                meeting,
                delegation=form.cleaned_data["delegation"],
                category=form.cleaned_data["category"],
                arrival=form.cleaned_data["arrival"],
                registration_ids=registration_ids,
            )
            layout = form.cleaned_data["layout"]
            try:
                services.record_badge_print(
                    meeting,
                    registrations=registrations,
                    actor=request.user,
                    layout=layout,
                    reason=form.cleaned_data["reason"],
                )
            except BadgeError as error:
                form.add_error(error.field, error.message)
            else:
                response = HttpResponse(
                    render_badges(registrations, layout=layout), content_type="application/pdf"
                )
                filename = badge_filename(single) if single else badges_filename(meeting, layout)
                response["Content-Disposition"] = f'attachment; filename="{filename}"'
                response["X-Content-Type-Options"] = "nosniff"
                return response
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Badges: %(meeting)s") % {"meeting": meeting.title},
            "meeting": meeting,
            "form": form,
            "single": single,
            "printed_before": bool(single and selectors.registrations_printed_before([single])),
        }
        return TemplateResponse(request, "admin/onsite/badgeprint/print.html", context)

    @staticmethod
    def _registration_ids(request) -> list[int]:
        value = request.GET.get("registration", "")
        if not value:
            return []
        if not value.isdigit():
            raise Http404(gettext("No approved registration matches these filters."))
        return [int(value)]
