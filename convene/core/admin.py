from axes import admin as axes_admin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from . import outbox, permissions, services
from .audit import audit_action_label, describe_audit_entry, registered_audit_actions
from .enums import Role
from .errors import TryAgainLater
from .forms import ByLabelIterator, prompt_empty_choice
from .models import AuditEntry, RoleAssignment, User
from .search import normalise_for_search
from .selectors import audit_entries_for


class ReadOnlyAdmin:
    """Records written by services only (audit, outbox, sign-in attempts): listed and
    read in the back-office, never added, edited or deleted there. Put first in the bases."""

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditHistoryMixin:
    """The read-only field "history": the object's latest audit entries, oldest first.

    Add "history" to the fieldsets and readonly_fields. Each line reads "when · who ·
    what", the what a sentence in the staff member's language (core.audit), never the
    stored codes; subclasses say who acted when no user did.
    """

    HISTORY_LIMIT = 50
    history_anonymous_actor = _("system")

    @admin.display(description=_("history"))
    def history(self, obj):
        if obj is None or obj.pk is None:
            return "-"
        latest = list(audit_entries_for(obj).order_by("-created_at", "-id")[: self.HISTORY_LIMIT])
        if not latest:
            return "-"
        return format_html(
            "<ol>{}</ol>",
            format_html_join(
                "",
                "<li>{} · {} · {}</li>",
                (
                    (
                        f"{entry.created_at:%Y-%m-%d %H:%M:%S}",
                        entry.actor or self.history_anonymous_actor,
                        describe_audit_entry(entry),
                    )
                    for entry in reversed(latest)
                ),
            ),
        )


def apply_to_each(
    model_admin, request, objects, apply, *, refusals, done_message, warn_when_none_done=False
) -> int:
    """Call `apply(obj)` for each of `objects` (a bulk admin action through a service).

    Each refusal (an exception of the `refusals` types) is reported with its object and
    the loop goes on, except after a lock held too long (TryAgainLater): each further
    object would wait as long again, past the server's timeout, so the rest are left for
    a second try. Then reports `done_message(count)`: when something was done, or as a
    warning when nothing was and `warn_when_none_done`. Returns how many were done.
    """
    done = 0
    for obj in objects:
        try:
            apply(obj)
        except refusals as error:
            model_admin.message_user(request, f"{obj}: {error.message}", messages.ERROR)
            if isinstance(error, TryAgainLater):
                break
        else:
            done += 1
    if done:
        model_admin.message_user(request, done_message(done), messages.SUCCESS)
    elif warn_when_none_done:
        model_admin.message_user(request, done_message(done), messages.WARNING)
    return done


class EmptyChoicePromptsMixin:
    """Selects say what their empty choice means (`empty_choice_prompts`, by field name),
    not Django's "---------"."""

    empty_choice_prompts: dict = {}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        prompt = self.empty_choice_prompts.get(db_field.name)
        if field is not None and prompt is not None:
            prompt_empty_choice(field, prompt)
        return field


class RoleScopedAdmin(EmptyChoicePromptsMixin, admin.ModelAdmin):
    """Access decided by Convene's roles (core.permissions), not Django's model permissions.

    By default only the Secretariat sees and edits; subclasses widen view or change
    access with one predicate each.
    """

    def get_action_choices(self, request, default_choices=None):
        # The list's action menu opens on a prompt, not on Django's "---------".
        return super().get_action_choices(request, [("", _("Choose an action"))])

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_view_permission(self, request, obj=None):
        return permissions.is_secretariat(request.user)

    def has_add_permission(self, request, *args):
        return permissions.is_secretariat(request.user)

    def has_change_permission(self, request, obj=None):
        return permissions.is_secretariat(request.user)

    def has_delete_permission(self, request, obj=None):
        return permissions.is_secretariat(request.user)


class RoleAssignmentForm(forms.ModelForm):
    """Also checks the constraints that involve the user, and who may grant the role.

    An inline form leaves its parent key out of model validation, so without this a
    second current Secretariat or meeting role would fail in the database (a 500).
    `actor` is set per request by RoleAssignmentInline.get_formset.
    """

    actor = None

    def clean_role(self):
        role = self.cleaned_data["role"]
        granted = role == Role.SECRETARIAT and (
            self.instance.pk is None or self.instance.role != Role.SECRETARIAT
        )
        if granted and not permissions.can_grant_secretariat_role(self.actor):
            raise ValidationError(
                gettext("Only a superuser can grant the Secretariat role."),
                code="secretariat_role",
            )
        return role

    def validate_unique(self):
        super().validate_unique()
        if self.errors:
            return
        try:
            self.instance.validate_constraints(exclude=self._get_validation_exclusions())
        except ValidationError as error:
            self._update_errors(error)


class RoleAssignmentInline(EmptyChoicePromptsMixin, admin.TabularInline):
    model = RoleAssignment
    form = RoleAssignmentForm
    fk_name = "user"
    extra = 0
    fields = ("role", "partner", "meeting", "starts_on", "ends_on")
    empty_choice_prompts = {
        "role": _("Choose a role"),
        "partner": _("No partner"),
        "meeting": _("No meeting"),
    }

    class Media:
        # Selects no wider than their column: the roles fit 1,280 pixels.
        css = {"all": ("convene/admin-accounts.css",)}

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = type(formset.form.__name__, (formset.form,), {"actor": request.user})
        return formset

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "partner":
            # Partners by name in the staff member's language, not in English order.
            field.iterator = ByLabelIterator
            field.widget.choices = field.choices
        return field

    def has_view_permission(self, request, obj=None):
        return permissions.is_secretariat(request.user)

    def has_change_permission(self, request, obj=None):
        # `obj` is the account whose roles these are.
        if obj is None:
            return permissions.is_secretariat(request.user)
        return permissions.can_change_account(request.user, obj)

    has_add_permission = has_delete_permission = has_change_permission


class ConveneUserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name", "language")


class ConveneUserChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(RoleScopedAdmin, DjangoUserAdmin):
    form = ConveneUserChangeForm
    add_form = ConveneUserCreationForm
    ordering = ("email",)
    list_display = ("email", "full_name", "language", "is_staff", "is_active")
    list_filter = ("is_staff", "is_active", "role_assignments__role")
    search_fields = ("email", "full_name")
    filter_horizontal = ()
    inlines = [RoleAssignmentInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("full_name", "language")}),
        (_("Access"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "email",
                    "full_name",
                    "language",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    readonly_fields = ("last_login", "date_joined")

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not permissions.can_grant_superuser(request.user):
            readonly.append("is_superuser")
        return readonly

    def has_change_permission(self, request, obj=None):
        # Also decides the password change view (UserAdmin.user_change_password asks
        # this for the account) and the deactivation, a change like any other.
        if obj is None:
            return permissions.is_secretariat(request.user)
        return permissions.can_change_account(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return permissions.is_secretariat(request.user)
        return permissions.can_delete_account(request.user, obj)


class AuditActionFilter(admin.SimpleListFilter):
    """The kinds of change by their names in the staff member's language (core.audit)."""

    title = _("action")
    parameter_name = "action"

    def lookups(self, request, model_admin):
        kinds = sorted(
            registered_audit_actions().values(),
            key=lambda action: normalise_for_search(str(action.label)),
        )
        return [(action.code, action.label) for action in kinds]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(action=self.value())
        return queryset


class SubjectKindFilter(admin.RelatedFieldListFilter):
    """The kind of record an entry is about (the field has no translated name)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = gettext("kind of record")


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin, RoleScopedAdmin):
    list_display = ("created_at", "actor", "action_label", "subject_label", "description")
    list_filter = (AuditActionFilter, ("content_type", SubjectKindFilter))
    search_fields = ("reason", "actor__email", "object_id")
    list_select_related = ("actor", "content_type")
    # The stored codes (action, states, reason) are read through their sentence.
    fields = ("created_at", "actor", "subject_label", "action_label", "description")

    @admin.display(description=_("subject"))
    def subject_label(self, entry):
        return f"{entry.content_type.name} #{entry.object_id}"

    @admin.display(description=_("action"))
    def action_label(self, entry):
        return audit_action_label(entry.action)

    @admin.display(description=_("description"))
    def description(self, entry):
        return describe_audit_entry(entry)


class OutboxStateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("pending", pgettext_lazy("email", "Pending")),
            ("failed", pgettext_lazy("email", "Failed")),
            ("sent", pgettext_lazy("email", "Sent")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "pending":
            return queryset.filter(sent_at__isnull=True, failed_at__isnull=True)
        if self.value() == "failed":
            return queryset.filter(sent_at__isnull=True, failed_at__isnull=False)
        if self.value() == "sent":
            return queryset.filter(sent_at__isnull=False)
        return queryset


class OutboxEventFilter(admin.SimpleListFilter):
    """The kinds of email by their names in the staff member's language."""

    title = _("event")
    parameter_name = "event"

    def lookups(self, request, model_admin):
        return list(model_admin.model.event_kinds.choices)

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(event=self.value())
        return queryset


class OutboxEmailAdmin(ReadOnlyAdmin, RoleScopedAdmin):
    """The emails of an outbox (see OutboxEmail), read-only, with a Resend action for
    those that failed or wait; subclasses add their subject's columns. Kinds of email
    show by label (OutboxEmail.event_kinds), never by code."""

    list_display = (
        "created_at",
        "event_label",
        "recipient",
        "language",
        "state",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "last_error",
    )
    list_filter = (OutboxStateFilter, OutboxEventFilter)
    actions = ["resend"]

    def get_fields(self, request, obj=None):
        return [
            "event_label" if name == "event" else name for name in super().get_fields(request, obj)
        ]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "event_label"]

    @admin.display(description=_("event"), ordering="event")
    def event_label(self, email):
        return email.get_event_label()

    @admin.display(description=_("state"))
    def state(self, email):
        if email.sent_at:
            return pgettext_lazy("email", "Sent")
        if email.failed_at:
            return pgettext_lazy("email", "Failed")
        return pgettext_lazy("email", "Pending")

    def has_view_permission(self, request, obj=None):
        return permissions.can_view_outbox(request.user)

    def has_resend_permission(self, request):
        return permissions.can_resend_email(request.user)

    @admin.action(description=_("Resend the selected emails"), permissions=["resend"])
    def resend(self, request, queryset):
        ids = list(queryset.values_list("pk", flat=True))
        try:
            sent = outbox.resend_outbox_emails(self.model, ids, actor=request.user)
        except outbox.OutboxError as error:
            self.message_user(request, error.message, messages.ERROR)
            return
        if sent == len(ids):
            message = ngettext("%(count)d email sent.", "%(count)d emails sent.", sent)
            self.message_user(request, message % {"count": sent}, messages.SUCCESS)
            return
        message = ngettext(
            "%(sent)d of %(count)d email sent; the others wait for their next attempt "
            "(see their last error).",
            "%(sent)d of %(count)d emails sent; the others wait for their next attempt "
            "(see their last error).",
            len(ids),
        )
        self.message_user(request, message % {"sent": sent, "count": len(ids)}, messages.WARNING)


class GroupAdmin(DjangoGroupAdmin):
    """Django's groups and permissions: superusers only (Convene's access is by role)."""

    def has_module_permission(self, request):
        return permissions.can_manage_permission_groups(request.user)

    def has_view_permission(self, request, obj=None):
        return permissions.can_manage_permission_groups(request.user)

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission


admin.site.unregister(Group)
admin.site.register(Group, GroupAdmin)


class TaskResultAdmin(DBTaskResultAdmin):
    """Background task results, read-only, for superusers only."""

    def has_module_permission(self, request):
        return permissions.can_view_task_results(request.user)

    def has_view_permission(self, request, obj=None):
        return permissions.can_view_task_results(request.user)


admin.site.unregister(DBTaskResult)
admin.site.register(DBTaskResult, TaskResultAdmin)


class SignInRecordAdmin(ReadOnlyAdmin):
    """Read-only lists of sign-in attempts for the Secretariat (can_view_sign_in_attempts)."""

    def has_module_permission(self, request):
        return permissions.can_view_sign_in_attempts(request.user)

    def has_view_permission(self, request, obj=None):
        return permissions.can_view_sign_in_attempts(request.user)


@admin.register(AccessAttempt)
class AccessAttemptAdmin(SignInRecordAdmin, axes_admin.AccessAttemptAdmin):
    """Failures being counted; an account is locked once its failures reach the limit."""

    actions = ["lift_lock"]

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not permissions.can_lift_sign_in_lock(request.user):
            actions.pop("lift_lock", None)
        return actions

    @admin.action(description=_("Lift the lock"))
    def lift_lock(self, request, queryset):
        # Offered only to those can_lift_sign_in_lock lets in (get_actions).
        usernames = set()
        for attempt in queryset:
            if attempt.username not in usernames:
                usernames.add(attempt.username)
                services.lift_sign_in_lock(attempt, actor=request.user)
        count = len(usernames)
        self.message_user(
            request,
            ngettext(
                "Lock lifted for %(count)d account.", "Lock lifted for %(count)d accounts.", count
            )
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(AccessLog)
class AccessLogAdmin(SignInRecordAdmin, axes_admin.AccessLogAdmin):
    """Successful sign-ins and sign-outs."""


@admin.register(AccessFailureLog)
class AccessFailureLogAdmin(SignInRecordAdmin, axes_admin.AccessFailureLogAdmin):
    """Every failed sign-in, kept after its lock is lifted."""
