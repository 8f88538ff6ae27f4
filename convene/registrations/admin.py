from django import forms
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ERROR_FLAG
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from convene.core import permissions
from convene.core.admin import AuditHistoryMixin, OutboxEmailAdmin, RoleScopedAdmin, apply_to_each
from convene.dialogues.admin import PartnersByNameAdminMixin
from convene.meetings.models import Meeting

from . import exports, selectors, services
from .enums import ExportFormat
from .errors import RegistrationError
from .models import Notification, Registration
from .permissions import (
    can_change_registration,
    can_endorse_registration_on_behalf,
    can_export_registrations,
    can_manage_any_registrations,
    can_view_registrations_of,
)


class ActionReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000
    )


class RegistrationAdminForm(forms.ModelForm):
    """Also checks the constraints that involve fields the form leaves out.

    Status is read-only here, so model validation would skip the one-active-registration-
    per-email constraint, and a changed email could fail in the database (a 500).
    """

    class Meta:
        model = Registration
        fields = ()  # RegistrationAdmin fills them in from its fieldsets

    def validate_unique(self):
        super().validate_unique()
        if self.errors:
            return
        try:
            self.instance.validate_constraints()
        except ValidationError as error:
            self._update_errors(error)


@admin.register(Registration)
class RegistrationAdmin(PartnersByNameAdminMixin, AuditHistoryMixin, RoleScopedAdmin):
    """The Secretariat's and organisers' view of registrations, with the decisions as actions.

    Details are corrected through `update_registration` (audited); status changes only
    through the decisions, and the consents are the delegate's.
    """

    form = RegistrationAdminForm
    # Adds the export links, which carry the list's filters and search.
    change_list_template = "admin/registrations/registration/change_list.html"

    list_display = (
        "reference",
        "last_name",
        "first_name",
        "delegation",
        "role",
        "participation",
        "level_of_government",
        "status",
        "created_at",
    )
    list_filter = (
        # Related-only: an organiser's filter names their own meetings, not everyone's.
        ("meeting", admin.RelatedOnlyFieldListFilter),
        "status",
        "delegation__region",
        "level_of_government",
        "participation",
        "category",
        "needs_visa_letter",
        ("delegation", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("reference", "first_name", "last_name", "email", "institution")
    list_select_related = ("delegation", "meeting")
    list_per_page = 100
    history_anonymous_actor = _("the delegate or the system")
    actions = ["approve", "approve_over_quota", "waitlist", "reject", "endorse_on_behalf"]
    readonly_fields = (
        "reference",
        "meeting",
        "status",
        "source",
        "entered_by",
        "verified_at",
        "waitlisted_at",
        "decided_at",
        "decision_reason",
        "quota_override_reason",
        "created_at",
        "history",
        "attachment_link",
        # Given by the delegate only: staff never tick or untick them.
        "consent_processing",
        "consent_participant_list",
    )
    fieldsets = (
        (
            None,
            {"fields": ("reference", "meeting", "status", "source", "entered_by", "created_at")},
        ),
        (
            _("Person"),
            {
                "fields": (
                    "category",
                    "delegation",
                    "title",
                    "first_name",
                    "last_name",
                    "email",
                    "phone",
                    "institution",
                    "function",
                    "level_of_government",
                    "role",
                    "language",
                )
            },
        ),
        (
            _("Participation"),
            {
                "fields": (
                    "participation",
                    "days",
                    "dietary_needs",
                    "accessibility_needs",
                    "needs_visa_letter",
                    "consent_processing",
                    "consent_participant_list",
                    "attachment_link",
                )
            },
        ),
        (
            _("Decision"),
            {
                "fields": (
                    "verified_at",
                    "waitlisted_at",
                    "decided_at",
                    "decision_reason",
                    "quota_override_reason",
                    "history",
                )
            },
        ),
    )

    def get_urls(self):
        return [
            path(
                "export/<str:file_format>/",
                self.admin_site.admin_view(self.export_view),
                name="registrations_registration_export",
            ),
            *super().get_urls(),
        ]

    def export_view(self, request, file_format):
        """The list as it shows (scope, filters, search, order; every page) as a file in the
        page's language, audited with the filters and the number of rows."""
        if file_format not in ExportFormat.values:
            raise Http404
        if not can_export_registrations(request.user):
            raise PermissionDenied
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            # As the list itself answers filters it cannot apply.
            return redirect(
                f"{reverse('admin:registrations_registration_changelist')}?{ERROR_FLAG}=1"
            )
        registrations = selectors.registrations_for_export(changelist.queryset)
        services.record_registrations_export(
            registrations,
            actor=request.user,
            file_format=file_format,
            filters=request.GET.urlencode(),
        )
        return exports.registrations_response(
            registrations,
            file_format=file_format,
            filename=f"registrations-{timezone.localtime():%Y%m%d-%H%M}",
            language=request.LANGUAGE_CODE,
        )

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_export": can_export_registrations(request.user),
        }
        return super().changelist_view(request, extra_context)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if permissions.is_secretariat(request.user):
            return queryset
        return queryset.filter(meeting__in=permissions.managed_meeting_ids(request.user))

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return can_manage_any_registrations(request.user)
        return can_view_registrations_of(request.user, obj.meeting)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return can_manage_any_registrations(request.user)
        return can_change_registration(request.user, obj)

    def has_add_permission(self, request, *args):
        # Staff enter registrations through the focal point page or the public form.
        return False

    def has_delete_permission(self, request, obj=None):
        # Registrations are cancelled or rejected, never deleted: the audit trail stays.
        return False

    def get_readonly_fields(self, request, obj=None):
        # Quota-relevant fields change only through decisions.
        return (*self.readonly_fields, "category", "delegation", "participation", "role")

    def save_model(self, request, obj, form, change):
        # The form has copied its data onto `obj`; the service compares with the stored row.
        services.update_registration(
            obj,
            data={name: form.cleaned_data[name] for name in form.changed_data},
            actor=request.user,
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "meeting":
            kwargs["queryset"] = Meeting.objects.all()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("attachment"))
    def attachment_link(self, registration):
        if not registration.attachment:
            return "-"
        url = reverse("registrations:attachment", kwargs={"reference": registration.reference})
        return format_html('<a href="{}">{}</a>', url, gettext("Download"))

    def _apply(self, request, queryset, decide, *, reason=""):
        apply_to_each(
            self,
            request,
            queryset.order_by("created_at", "id"),
            lambda registration: decide(registration, reason),
            refusals=RegistrationError,
            done_message=lambda count: (
                ngettext(
                    "%(count)d registration updated.", "%(count)d registrations updated.", count
                )
                % {"count": count}
            ),
        )

    def _with_reason(self, request, queryset, decide, title):
        """Ask for a reason on an intermediate page, then decide each selected registration."""
        if "apply" in request.POST:
            form = ActionReasonForm(request.POST)
            if form.is_valid():
                return self._apply(request, queryset, decide, reason=form.cleaned_data["reason"])
        else:
            form = ActionReasonForm()
        return render(
            request,
            "admin/registrations/reason.html",
            {
                **self.admin_site.each_context(request),
                "title": title,
                "form": form,
                "registrations": queryset,
                "action": request.POST.get("action"),
                "checkbox_name": ACTION_CHECKBOX_NAME,
                "opts": self.model._meta,
            },
        )

    @admin.action(description=_("Approve the selected registrations"))
    def approve(self, request, queryset):
        return self._apply(
            request,
            queryset,
            lambda registration, reason: services.approve_registration(
                registration, actor=request.user
            ),
        )

    @admin.action(description=_("Approve over the quota (with a reason)"))
    def approve_over_quota(self, request, queryset):
        return self._with_reason(
            request,
            queryset,
            lambda registration, reason: services.approve_registration(
                registration, actor=request.user, override_reason=reason
            ),
            gettext("Approve over the quota"),
        )

    @admin.action(description=_("Put the selected registrations on the waiting list"))
    def waitlist(self, request, queryset):
        return self._apply(
            request,
            queryset,
            lambda registration, reason: services.waitlist_registration(
                registration, actor=request.user
            ),
        )

    @admin.action(description=_("Reject the selected registrations (with a reason)"))
    def reject(self, request, queryset):
        return self._with_reason(
            request,
            queryset,
            lambda registration, reason: services.reject_registration(
                registration, actor=request.user, reason=reason
            ),
            gettext("Reject registrations"),
        )

    def has_endorse_on_behalf_permission(self, request):
        return can_endorse_registration_on_behalf(request.user)

    @admin.action(
        description=_("Endorse on the focal point's behalf (with a reason)"),
        permissions=["endorse_on_behalf"],
    )
    def endorse_on_behalf(self, request, queryset):
        return self._with_reason(
            request,
            queryset,
            lambda registration, reason: services.endorse_registration_on_behalf(
                registration, actor=request.user, reason=reason
            ),
            gettext("Endorse on the focal point's behalf"),
        )


@admin.register(Notification)
class NotificationAdmin(OutboxEmailAdmin):
    search_fields = ("recipient", "registration__reference")
    list_select_related = ("registration",)
