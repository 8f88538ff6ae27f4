from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ERROR_FLAG, ChangeList
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from convene.core import permissions
from convene.core.admin import AuditHistoryMixin, OutboxEmailAdmin, RoleScopedAdmin, apply_to_each
from convene.dialogues.admin import PartnersByNameAdminMixin
from convene.meetings.models import Meeting

from . import exports, selectors, services
from .enums import ExportFormat, Source
from .errors import RegistrationError
from .forms import EntryMeetingForm, StaffEntryForm
from .models import Notification, Registration
from .permissions import (
    can_change_registration,
    can_endorse_registration_on_behalf,
    can_enter_any_registration,
    can_export_registrations,
    can_manage_any_registrations,
    can_view_registrations_of,
)


class ActionReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000
    )


# How each decision reads on the registration's page: its button, what follows it, and
# whether it asks for a reason ("required"), takes a note ("optional") or neither.
DECISION_TEXTS = {
    "approve": (
        _("Approve"),
        _("The registration takes its place and the delegate is emailed."),
        None,
        _("Confirm the approval"),
    ),
    "approve_over_quota": (
        _("Approve over the quota"),
        _(
            "No place is free for this registration: approving it exceeds the meeting's "
            "or the delegation's limit. The reason is recorded."
        ),
        "required",
        _("Approve over the quota"),
    ),
    "waitlist": (
        _("Put on the waiting list"),
        _(
            "The registration waits until the Secretariat decides again: it is not "
            "promoted when a place frees. The delegate is emailed."
        ),
        "optional",
        _("Put on the waiting list"),
    ),
    "reject": (
        _("Reject"),
        _("The registration is refused and the delegate is emailed. This is final."),
        "required",
        _("Reject the registration"),
    ),
    "endorse_on_behalf": (
        _("Endorse on the focal point's behalf"),
        _(
            "The registration then takes a place if one is free, else joins the waiting "
            "list. The reason is recorded with your name."
        ),
        "required",
        _("Endorse on the focal point's behalf"),
    ),
}


def _decision_panels(decisions: list[str]) -> list[dict]:
    fields = ("label", "consequence", "reason", "confirm")
    return [
        {"name": name, **dict(zip(fields, DECISION_TEXTS[name], strict=True))} for name in decisions
    ]


# Each decision, as the registration's page and the list's actions take it: through its
# service, which authorises it again under the meeting's lock.
DECISION_SERVICES = {
    "approve": lambda registration, actor, reason: services.approve_registration(
        registration, actor=actor
    ),
    "approve_over_quota": lambda registration, actor, reason: services.approve_registration(
        registration, actor=actor, override_reason=reason
    ),
    "waitlist": lambda registration, actor, reason: services.waitlist_registration(
        registration, actor=actor, reason=reason
    ),
    "reject": lambda registration, actor, reason: services.reject_registration(
        registration, actor=actor, reason=reason
    ),
    "endorse_on_behalf": lambda registration, actor, reason: (
        services.endorse_registration_on_behalf(registration, actor=actor, reason=reason)
    ),
}


class DecisionForm(forms.Form):
    """The reason or note sent with a decision from the registration's page. Whether one
    is required is the service's to say (it refuses a rejection without a reason)."""

    reason = forms.CharField(required=False, max_length=1000)


class RegistrationAdminForm(forms.ModelForm):
    """Also checks the constraints that involve fields the form leaves out.

    Status is read-only here, so model validation would skip the one-active-registration-
    per-email constraint, and a changed email could fail in the database (a 500). The
    days attended are ticked among the meeting's days, as the delegate ticks them.
    """

    class Meta:
        model = Registration
        fields = ()  # RegistrationAdmin fills them in from its fieldsets

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "days" in self.fields and self.instance.meeting_id:
            self.fields["days"] = forms.MultipleChoiceField(
                label=capfirst(Registration._meta.get_field("days").verbose_name),
                # As the public form shows them, in the page's language.
                choices=[
                    (day.isoformat(), formats.date_format(day, "l j F Y"))
                    for day in self.instance.meeting.days
                ],
                widget=forms.CheckboxSelectMultiple,
                error_messages={"required": _("Choose at least one day.")},
            )

    def validate_unique(self):
        super().validate_unique()
        if self.errors:
            return
        try:
            self.instance.validate_constraints()
        except ValidationError as error:
            self._update_errors(error)


# The person's fields and how they take part, as the entry form asks them and the
# registration's page shows them.
PERSON_FIELDS = (
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
PARTICIPATION_FIELDS = (
    "participation",
    "days",
    "dietary_needs",
    "accessibility_needs",
    "needs_visa_letter",
)


class RegistrationChangeList(ChangeList):
    """The list, with each row's place on its waiting list read for the page at once."""

    def get_results(self, request):
        super().get_results(request)
        positions = selectors.waiting_list_positions(self.result_list)
        for registration in self.result_list:
            registration.listed_waiting_position = positions.get(registration.pk)


class DelegationListFilter(admin.RelatedOnlyFieldListFilter):
    """The delegations of the registrations listed, and those without one (the invited
    categories) named in words rather than the admin's "-"."""

    def __init__(self, field, request, params, model, model_admin, field_path):
        super().__init__(field, request, params, model, model_admin, field_path)
        self.empty_value_display = gettext("No delegation (invited)")


class StaffEntryAdminMixin:
    """The back-office's "Add registration": staff enter someone (a speaker, a guest,
    staff) through submit_registration, as the Secretariat's or organisers' source.

    Two steps on the admin's add page: the meeting, among those the user may enter for
    (can_enter_registration), then the person, on a form built for that meeting (its
    days, its ways of attending, its dialogue's partners). Refusals of the service (an
    address already registered, a lock not granted in time) are shown on the form; the
    registration is saved, placed and audited by the service only.
    """

    add_form_template = "admin/registrations/registration/entry_form.html"
    ENTRY_FIELDSETS = (
        (None, {"fields": ("meeting",)}),
        (
            _("Person"),
            {"fields": PERSON_FIELDS},
        ),
        (
            _("Participation"),
            {"fields": PARTICIPATION_FIELDS},
        ),
        (_("Entry"), {"fields": ("send_verification", "note")}),
    )

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        if "meeting" not in request.GET:
            chooser = EntryMeetingForm(request.POST or None, user=request.user)
            if chooser.is_valid():
                meeting = chooser.cleaned_data["meeting"]
                return redirect(f"{request.path}?{urlencode({'meeting': meeting.pk})}")
            return self._render_entry(request, chooser, choosing_meeting=True)
        chooser = EntryMeetingForm({"meeting": request.GET["meeting"]}, user=request.user)
        if not chooser.is_valid():
            return self._render_entry(request, chooser, choosing_meeting=True)
        meeting = chooser.cleaned_data["meeting"]
        form = StaffEntryForm(request.POST or None, meeting=meeting)
        if request.method == "POST" and form.is_valid():
            try:
                registration = services.submit_registration(
                    meeting,
                    data=form.registration_data(),
                    source=Source.SECRETARIAT,
                    actor=request.user,
                    send_verification=form.cleaned_data["send_verification"],
                    note=form.cleaned_data["note"],
                )
            except RegistrationError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                self.message_user(
                    request,
                    gettext("%(name)s is registered (%(reference)s): %(status)s.")
                    % {
                        "name": registration.full_name,
                        "reference": registration.reference,
                        "status": registration.get_status_display(),
                    },
                    messages.SUCCESS,
                )
                return redirect(registration.get_admin_url())
        return self._render_entry(request, form, choosing_meeting=False)

    def _render_entry(self, request, form, *, choosing_meeting):
        fieldsets = [(None, {"fields": ["meeting"]})] if choosing_meeting else self.ENTRY_FIELDSETS
        admin_form = helpers.AdminForm(form, list(fieldsets), {}, model_admin=self)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Add a registration"),
            "subtitle": None,
            "adminform": admin_form,
            "object_id": None,
            "original": None,
            "is_popup": False,
            "to_field": None,
            "media": self.media + admin_form.media,
            "inline_admin_formsets": [],
            "errors": helpers.AdminErrorList(form, []),
            "preserved_filters": self.get_preserved_filters(request),
            # One way out of the form: the new registration's page.
            "show_save_and_add_another": False,
            "show_save_and_continue": False,
            "choosing_meeting": choosing_meeting,
        }
        return self.render_change_form(request, context, add=True)


@admin.register(Registration)
class RegistrationAdmin(
    StaffEntryAdminMixin, PartnersByNameAdminMixin, AuditHistoryMixin, RoleScopedAdmin
):
    """The Secretariat's and organisers' view of registrations, with the decisions as
    actions on the list and as buttons on each registration's page (decide_view).

    Details are corrected through `update_registration` (audited); status changes only
    through the decisions, and the consents are the delegate's.
    """

    form = RegistrationAdminForm
    empty_choice_prompts = {"level_of_government": _("Choose a level")}
    # Adds the export links, which carry the list's filters and search.
    change_list_template = "admin/registrations/registration/change_list.html"
    # Adds the decisions open to the user on this registration.
    change_form_template = "admin/registrations/registration/change_form.html"

    # Chosen to fit 1,280 pixels beside the filters without scrolling sideways; role,
    # level of government and the rest are filters and the registration's page.
    list_display = (
        "reference",
        "person",
        "delegation",
        "meeting_title",
        "status",
        "waiting_list_position",
        "participation",
        "created",
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
        ("delegation", DelegationListFilter),
    )
    # Shows the search box; get_search_results decides what it finds.
    search_fields = ("search_text",)
    search_help_text = _(
        "Name, email, institution, reference or delegation (in English or French); "
        "accents and capitals do not matter."
    )
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
            {"fields": PERSON_FIELDS},
        ),
        (
            _("Participation"),
            {
                "fields": (
                    *PARTICIPATION_FIELDS,
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
                "<int:object_id>/decide/<str:decision>/",
                self.admin_site.admin_view(self.decide_view),
                name="registrations_registration_decide",
            ),
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

    def decide_view(self, request, object_id, decision):
        """Take one decision on one registration (POST from its page), through its service.

        The predicate answers first (403); the service then checks the transition and
        authorises again under the meeting's lock. A refusal (a transition no longer
        possible, a missing reason, no place free, the meeting busy) is shown as a
        message on the registration's page; nothing is saved.
        """
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if decision not in selectors.DECISIONS:
            raise Http404
        registration = Registration.objects.select_related("meeting").filter(pk=object_id).first()
        if registration is None:
            raise Http404
        if not selectors.DECISIONS[decision](request.user, registration):
            raise PermissionDenied
        form = DecisionForm(request.POST)
        if not form.is_valid():
            for error in form.errors["reason"]:
                self.message_user(request, error, messages.ERROR)
            return redirect(registration.get_admin_url())
        reason = form.cleaned_data["reason"]
        try:
            DECISION_SERVICES[decision](registration, request.user, reason)
        except RegistrationError as error:
            self.message_user(request, error.message, messages.ERROR)
        else:
            self.message_user(
                request,
                gettext("Decision recorded: %(reference)s is now “%(status)s”.")
                % {
                    "reference": registration.reference,
                    "status": registration.get_status_display(),
                },
                messages.SUCCESS,
            )
        return redirect(registration.get_admin_url())

    def change_view(self, request, object_id, form_url="", extra_context=None):
        registration = self.get_object(request, object_id)
        decisions = selectors.decisions_open_to(request.user, registration) if registration else []
        extra_context = {**(extra_context or {}), "decisions": _decision_panels(decisions)}
        return super().change_view(request, object_id, form_url, extra_context)

    def get_changelist(self, request, **kwargs):
        return RegistrationChangeList

    def get_search_results(self, request, queryset, search_term):
        # Words matched without accents or case, in either language (the selector).
        return selectors.search_registrations(queryset, search_term), False

    @admin.display(description=_("name"), ordering="last_name")
    def person(self, registration):
        return f"{registration.last_name}, {registration.first_name}"

    @admin.display(description=_("meeting"), ordering="meeting__starts_on")
    def meeting_title(self, registration):
        # Not the foreign key itself, which the list would keep on one line: a meeting's
        # title is long, and wraps.
        return registration.meeting.title

    @admin.display(description=_("created"), ordering="created_at")
    def created(self, registration):
        # The day is enough in the list (the time is on the registration's page).
        return formats.date_format(timezone.localtime(registration.created_at), "SHORT_DATE_FORMAT")

    @admin.display(description=_("waiting list"))
    def waiting_list_position(self, registration):
        # Set for the page's rows by RegistrationChangeList: one query for the page.
        position = getattr(registration, "listed_waiting_position", None)
        return "-" if position is None else position

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_export": can_export_registrations(request.user),
            # The list of the site's models beside the table would leave it half the
            # width and make it scroll sideways at 1,280 pixels; the filters stay.
            "is_nav_sidebar_enabled": False,
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
        # For which meetings: the entry form's first step (StaffEntryAdminMixin).
        return can_enter_any_registration(request.user)

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

    @staticmethod
    def _decider(decision, request):
        """The list action's `decide(registration, reason)` for `decision`, by the user."""
        return lambda registration, reason: DECISION_SERVICES[decision](
            registration, request.user, reason
        )

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
            self._decider("approve", request),
        )

    @admin.action(description=_("Approve over the quota (with a reason)"))
    def approve_over_quota(self, request, queryset):
        return self._with_reason(
            request,
            queryset,
            self._decider("approve_over_quota", request),
            gettext("Approve over the quota"),
        )

    @admin.action(description=_("Put the selected registrations on the waiting list"))
    def waitlist(self, request, queryset):
        return self._apply(
            request,
            queryset,
            self._decider("waitlist", request),
        )

    @admin.action(description=_("Reject the selected registrations (with a reason)"))
    def reject(self, request, queryset):
        return self._with_reason(
            request,
            queryset,
            self._decider("reject", request),
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
            self._decider("endorse_on_behalf", request),
            gettext("Endorse on the focal point's behalf"),
        )


@admin.register(Notification)
class NotificationAdmin(OutboxEmailAdmin):
    search_fields = ("recipient", "registration__reference")
    list_select_related = ("registration",)
