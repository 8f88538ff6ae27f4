from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from convene.core import permissions
from convene.core.admin import (
    AuditHistoryMixin,
    OutboxEmailAdmin,
    ReadOnlyAdmin,
    RoleScopedAdmin,
    apply_to_each,
)

from . import services
from .enums import PracticeStatus, ProposalStatus
from .errors import LabelError
from .models import GoodPractice, LabelProposal, ProposalComment, ProposalEmail
from .permissions import can_view_all_proposals


class ProposalCommentInline(admin.TabularInline):
    """Comments are written on the proposal's page, through `add_comment`."""

    model = ProposalComment
    extra = 0
    fields = ("created_at", "author", "body")
    readonly_fields = fields
    can_delete = False

    def has_view_permission(self, request, obj=None):
        return can_view_all_proposals(request.user)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class YearFilter(admin.SimpleListFilter):
    title = _("year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = LabelProposal.objects.filter(starts_on__isnull=False).dates("starts_on", "year")
        return [(str(day.year), str(day.year)) for day in years.order_by("-starts_on")]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(starts_on__year=int(value))
        return queryset


@admin.register(LabelProposal)
class LabelProposalAdmin(AuditHistoryMixin, ReadOnlyAdmin, RoleScopedAdmin):
    """The Secretariat reads proposals here; they change on the site, through the services
    (the proposal page, or the action below), never by editing the record."""

    list_display = ("reference", "title_en", "lead_partner", "activity_type", "starts_on", "status")
    list_filter = (
        "status",
        "activity_type",
        "lead_partner",
        ("lead_partner__region", admin.AllValuesFieldListFilter),
        YearFilter,
    )
    search_fields = ("reference", "title_en", "title_fr", "lead_partner__name_en")
    list_select_related = ("lead_partner",)
    inlines = [ProposalCommentInline]
    actions = ["start_review"]
    history_shows_action = True
    fieldsets = (
        (None, {"fields": ("reference", "status", "lead_partner", "co_organisers", "meeting")}),
        (_("English"), {"fields": ("title_en", "description_en")}),
        (_("French"), {"fields": ("title_fr", "description_fr")}),
        (
            _("The activity"),
            {
                "fields": (
                    "activity_type",
                    "starts_on",
                    "ends_on",
                    "format",
                    "place",
                    "expected_participants",
                    "participant_profile",
                    "objectives_and_results",
                    "domains",
                    "objectives",
                )
            },
        ),
        (
            _("Funding and support"),
            {
                "fields": (
                    "funded_by_lead_partner",
                    "support_expertise",
                    "support_logistics",
                    "support_funds",
                    "support_details",
                    "concept_note_link",
                    "draft_agenda_link",
                )
            },
        ),
        (
            _("Review and decision"),
            {
                "fields": (
                    "check_alignment",
                    "check_partner_led",
                    "check_relevance",
                    "check_feasibility",
                    "decided_by",
                    "decided_on",
                    "decision_reference",
                )
            },
        ),
        (_("Internal"), {"fields": ("proposed_by", "created_at", "updated_at", "history")}),
    )
    readonly_fields = ("history", "concept_note_link", "draft_agenda_link")

    def has_view_permission(self, request, obj=None):
        return can_view_all_proposals(request.user)

    def _document_link(self, proposal, name):
        # Uploads are not served under MEDIA_URL: the proposal page sends them to those
        # involved, the Secretariat included.
        if not getattr(proposal, name):
            return self.get_empty_value_display()
        return format_html(
            '<a href="{}?document={}">{}</a>',
            proposal.get_absolute_url(),
            name,
            gettext("Download"),
        )

    @admin.display(description=LabelProposal._meta.get_field("concept_note").verbose_name)
    def concept_note_link(self, proposal):
        return self._document_link(proposal, "concept_note")

    @admin.display(description=LabelProposal._meta.get_field("draft_agenda").verbose_name)
    def draft_agenda_link(self, proposal):
        return self._document_link(proposal, "draft_agenda")

    @admin.action(description=_("Start the review of the selected proposals"))
    def start_review(self, request, queryset):
        apply_to_each(
            self,
            request,
            queryset.filter(status=ProposalStatus.SUBMITTED),
            lambda proposal: services.set_proposal_status(
                proposal, ProposalStatus.UNDER_REVIEW, actor=request.user
            ),
            refusals=LabelError,
            done_message=lambda count: (
                ngettext(
                    "%(count)d proposal under review.", "%(count)d proposals under review.", count
                )
                % {"count": count}
            ),
            warn_when_none_done=True,
        )


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
            reverse("labels:good_practice_attachment", args=[practice.pk]),
            gettext("Download"),
        )

    def has_moderate_permission(self, request):
        return permissions.is_secretariat(request.user)

    def _moderate(self, request, queryset, new_status):
        changed = 0
        for practice in queryset.exclude(status=new_status):
            try:
                services.set_practice_status(practice, new_status, actor=request.user)
                changed += 1
            except LabelError as error:
                self.message_user(request, f"{practice}: {error.message}", messages.ERROR)
        return changed

    @admin.action(description=_("Publish the selected good practices"), permissions=["moderate"])
    def publish(self, request, queryset):
        count = self._moderate(request, queryset, PracticeStatus.PUBLISHED)
        self.message_user(
            request,
            ngettext(
                "%(count)d good practice published.", "%(count)d good practices published.", count
            )
            % {"count": count},
            messages.SUCCESS if count else messages.WARNING,
        )

    @admin.action(
        description=_("Do not publish the selected good practices"), permissions=["moderate"]
    )
    def do_not_publish(self, request, queryset):
        count = self._moderate(request, queryset, PracticeStatus.REJECTED)
        self.message_user(
            request,
            ngettext(
                "%(count)d good practice not published.",
                "%(count)d good practices not published.",
                count,
            )
            % {"count": count},
            messages.SUCCESS if count else messages.WARNING,
        )


@admin.register(ProposalEmail)
class ProposalEmailAdmin(OutboxEmailAdmin):
    search_fields = ("recipient", "proposal__reference")
    list_select_related = ("proposal",)
