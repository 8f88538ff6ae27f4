from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from convene.core.admin import (
    AuditHistoryMixin,
    OutboxEmailAdmin,
    ReadOnlyAdmin,
    RoleScopedAdmin,
    apply_to_each,
)
from convene.dialogues.admin import PartnerListFilter

from . import services
from .enums import ProposalStatus
from .errors import LabelError
from .models import LabelProposal, ProposalComment, ProposalEmail
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
        ("lead_partner", PartnerListFilter),
        ("lead_partner__region", admin.ChoicesFieldListFilter),
        YearFilter,
    )
    search_fields = ("reference", "title_en", "title_fr", "lead_partner__name_en")
    list_select_related = ("lead_partner",)
    inlines = [ProposalCommentInline]
    actions = ["start_review"]
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


@admin.register(ProposalEmail)
class ProposalEmailAdmin(OutboxEmailAdmin):
    search_fields = ("recipient", "proposal__reference")
    list_select_related = ("proposal",)
