from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from convene.core.admin import ReadOnlyAdmin, RoleScopedAdmin, apply_to_each

from . import services
from .enums import PracticeStatus
from .errors import PracticeError
from .models import GoodPractice
from .permissions import can_moderate_practice


@admin.register(GoodPractice)
class GoodPracticeAdmin(ReadOnlyAdmin, RoleScopedAdmin):
    """The Secretariat moderates good practices with the two actions, through
    `set_practice_status`; the record itself is read, not edited."""

    list_display = ("title", "meeting", "partner", "level_of_government", "status", "created_at")
    list_filter = ("status", "meeting", "level_of_government", "language")
    search_fields = ("title", "summary", "contact_name", "contact_email", "partner__name_en")
    list_select_related = ("meeting", "partner")
    actions = ["publish", "do_not_publish"]
    fields = (
        "status",
        "published_at",
        "title",
        "summary",
        "language",
        "meeting",
        "session",
        "partner",
        "level_of_government",
        "domain",
        "objective",
        "contact_name",
        "contact_email",
        "attachment_link",
        "submitted_by",
        "submitted_by_registration",
        "created_at",
    )
    readonly_fields = fields

    @admin.display(description=_("attachment"))
    def attachment_link(self, practice):
        # Uploads are not served under MEDIA_URL: the download view checks who asks.
        if not practice.attachment:
            return self.get_empty_value_display()
        return format_html(
            '<a href="{}">{}</a>',
            reverse("practices:good_practice_attachment", args=[practice.pk]),
            gettext("Download"),
        )

    def has_moderate_permission(self, request):
        return can_moderate_practice(request.user)

    def _moderate(self, request, queryset, new_status, done_message):
        apply_to_each(
            self,
            request,
            queryset.exclude(status=new_status),
            lambda practice: services.set_practice_status(practice, new_status, actor=request.user),
            refusals=PracticeError,
            done_message=done_message,
            warn_when_none_done=True,
        )

    @admin.action(description=_("Publish the selected good practices"), permissions=["moderate"])
    def publish(self, request, queryset):
        self._moderate(
            request,
            queryset,
            PracticeStatus.PUBLISHED,
            lambda count: (
                ngettext(
                    "%(count)d good practice published.",
                    "%(count)d good practices published.",
                    count,
                )
                % {"count": count}
            ),
        )

    @admin.action(
        description=_("Do not publish the selected good practices"), permissions=["moderate"]
    )
    def do_not_publish(self, request, queryset):
        self._moderate(
            request,
            queryset,
            PracticeStatus.REJECTED,
            lambda count: (
                ngettext(
                    "%(count)d good practice not published.",
                    "%(count)d good practices not published.",
                    count,
                )
                % {"count": count}
            ),
        )
