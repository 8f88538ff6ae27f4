import zoneinfo

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from convene.core import permissions
from convene.core.admin import AuditHistoryMixin, RoleScopedAdmin, apply_to_each
from convene.core.bilingual import paired_field_names
from convene.core.locks import bound_lock_waits
from convene.dialogues.admin import PartnersByNameAdminMixin

from .enums import Category, MeetingStatus
from .errors import MeetingError
from .models import Meeting, Session, Speaker
from .permissions import (
    can_manage_any_meeting,
    can_manage_meeting,
    can_publish_meeting,
    can_read_staff_notes,
    can_view_meeting_in_back_office,
)
from .selectors import meetings_visible_to
from .services import (
    CAPACITY_FIELDS,
    limits_below_places_held,
    publication_problems,
    set_meeting_status,
    update_meeting_capacities,
)


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0
    fields = ("day", "start_time", "end_time", "title_en", "title_fr", "room_en", "room_fr")
    show_change_link = True
    ordering = ("day", "start_time")

    class Media:
        # Title and room inputs as wide as their column: the table fits 1,280 pixels.
        css = {"all": ("convene/admin-meetings.css",)}

    def has_view_permission(self, request, obj=None):
        return obj is None or can_view_meeting_in_back_office(request.user, obj)

    def has_add_permission(self, request, obj=None):
        return obj is None or can_manage_meeting(request.user, obj)

    has_change_permission = has_delete_permission = has_add_permission


class MeetingAdminForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ()  # MeetingAdmin fills them in from its fieldsets

    def clean(self):
        cleaned = super().clean()
        # A published page must stay complete in both languages, whoever edits it.
        if self.instance.pk and self.instance.status == MeetingStatus.PUBLISHED:
            for name in Meeting.BILINGUAL_REQUIRED:
                for field in paired_field_names(name):
                    if field in self.fields and not str(cleaned.get(field) or "").strip():
                        self.add_error(
                            field,
                            _("Required while the meeting is published, in both languages."),
                        )
        # Checked again by update_meeting_capacities under the lock; here, so that the
        # refusal shows on its field.
        if self.instance.pk:
            limits = {
                name: cleaned.get(name) for name in CAPACITY_FIELDS if name in self.changed_data
            }
            for name, message in limits_below_places_held(self.instance, limits).items():
                self.add_error(name, message)
        return cleaned


@admin.register(Meeting)
class MeetingAdmin(PartnersByNameAdminMixin, AuditHistoryMixin, RoleScopedAdmin):
    """Secretariat: every meeting. Organisers: edit their meetings. Focal points and
    check-in staff: read. Publication goes through `set_meeting_status` (actions)."""

    form = MeetingAdminForm
    list_display = ("title_en", "starts_on", "city_en", "format", "is_labelled", "status")
    list_filter = ("status", "format", "kind", "is_labelled")
    search_fields = ("title_en", "title_fr", "slug", "city_en", "city_fr")
    date_hierarchy = "starts_on"
    prepopulated_fields = {"slug": ("title_en",)}
    filter_horizontal = ("lead_partners", "domains", "objectives")
    inlines = [SessionInline]
    actions = ["publish", "unpublish", "cancel"]

    class Media:
        # The list's long headers wrap, so the table fits 1,280 pixels beside the filters.
        css = {"all": ("convene/admin-meetings.css",)}

    readonly_fields = ("status", "published_at", "publication_check", "history")
    empty_choice_prompts = {
        "dialogue": _("Choose a dialogue"),
        "host_country": _("No host country"),
    }
    fieldsets = (
        (
            None,
            {"fields": ("dialogue", "slug", "kind", "status", "published_at", "publication_check")},
        ),
        (
            _("English"),
            {
                "fields": (
                    "title_en",
                    "summary_en",
                    "description_en",
                    "city_en",
                    "venue_en",
                    "organisers_en",
                    "eligibility_en",
                )
            },
        ),
        (
            _("French"),
            {
                "fields": (
                    "title_fr",
                    "summary_fr",
                    "description_fr",
                    "city_fr",
                    "venue_fr",
                    "organisers_fr",
                    "eligibility_fr",
                )
            },
        ),
        (
            _("When and where"),
            {
                "fields": (
                    "starts_on",
                    "ends_on",
                    "time_zone",
                    "format",
                    "host_country",
                    "in_person_capacity",
                )
            },
        ),
        (
            _("Label and alignment"),
            {
                "fields": (
                    "is_labelled",
                    "lead_partners",
                    "secretariat_support",
                    "domains",
                    "objectives",
                )
            },
        ),
        (
            _("Registration"),
            {
                "fields": (
                    "registration_opens_at",
                    "registration_closes_at",
                    "registration_changes_until",
                    "eligible_categories",
                    "online_capacity",
                    "delegation_size",
                    "delegation_heads",
                    "approval_mode",
                    "focal_point_endorsement_required",
                    "email_verification_required",
                    "attachment_required",
                    "attachment_label_en",
                    "attachment_label_fr",
                )
            },
        ),
        (
            _("Papers and funding"),
            {
                "fields": (
                    "offers_visa_letters",
                    "funded_places_per_delegation",
                    "delegates_may_request_funding",
                )
            },
        ),
        (_("Internal"), {"fields": ("staff_note", "history")}),
    )

    def get_queryset(self, request):
        return meetings_visible_to(request.user)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if can_read_staff_notes(request.user, obj):
            return fieldsets
        # Left out of the fieldsets, the note is neither shown nor part of the form.
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f != "staff_note"]})
            for name, options in fieldsets
        ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "eligible_categories":
            # Stored as a JSON list of codes; staff tick the categories.
            return forms.MultipleChoiceField(
                label=db_field.verbose_name,
                choices=Category.choices,
                widget=forms.CheckboxSelectMultiple,
                required=False,
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """Show and read the registration dates in the venue's time zone, not the server's."""
        zone_name = request.POST.get("time_zone") or ""
        if not zone_name and object_id:
            zone_name = (
                Meeting.objects.filter(pk=object_id).values_list("time_zone", flat=True).first()
                or ""
            )
        try:
            zone = zoneinfo.ZoneInfo(zone_name or Meeting._meta.get_field("time_zone").default)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            zone = timezone.get_current_timezone()
        with timezone.override(zone):
            try:
                response = super().changeform_view(request, object_id, form_url, extra_context)
            except MeetingError as error:
                # Registrations took places between the form's check and the save: nothing
                # was saved (the change form's transaction rolled back).
                self.message_user(request, error.message, messages.ERROR)
                return HttpResponseRedirect(request.get_full_path())
            # Rendering is lazy; it must happen while the venue's zone is active.
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
        return response

    def save_model(self, request, obj, form, change):
        # Registrations hold this row's lock while they count places: an edit waits for
        # it no longer than they do, then answers 503 "very busy" (nothing saved).
        bound_lock_waits()
        limits = {
            name: form.cleaned_data[name] for name in CAPACITY_FIELDS if name in form.changed_data
        }
        if not change or not limits:
            super().save_model(request, obj, form, change)
            return
        # The limits change through their service (lock, check against the places held,
        # audit); the lock it takes is held while the rest of the form is saved.
        update_meeting_capacities(obj, actor=request.user, **limits)
        obj.save(
            update_fields=[
                field.name
                for field in Meeting._meta.concrete_fields
                if not field.primary_key and field.name not in CAPACITY_FIELDS
            ]
        )

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return permissions.can_use_back_office(request.user)
        return can_view_meeting_in_back_office(request.user, obj)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return can_manage_any_meeting(request.user)
        return can_manage_meeting(request.user, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not can_publish_meeting(request.user, None):
            for name in ("publish", "unpublish", "cancel"):
                actions.pop(name, None)
        return actions

    @admin.display(description=_("ready to publish?"))
    def publication_check(self, meeting):
        if meeting.pk is None:
            return "-"
        problems = publication_problems(meeting)
        if not problems:
            return gettext("Yes: both languages are complete.")
        return format_html(
            "<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((p,) for p in problems))
        )

    def _set_status(self, request, queryset, status):
        apply_to_each(
            self,
            request,
            queryset,
            lambda meeting: set_meeting_status(meeting, status, actor=request.user),
            refusals=MeetingError,
            done_message=lambda count: (
                ngettext("%(count)d meeting updated.", "%(count)d meetings updated.", count)
                % {"count": count}
            ),
        )

    @admin.action(description=_("Publish the selected meetings"))
    def publish(self, request, queryset):
        self._set_status(
            request, queryset.exclude(status=MeetingStatus.PUBLISHED), MeetingStatus.PUBLISHED
        )

    @admin.action(description=_("Withdraw the selected meetings to draft"))
    def unpublish(self, request, queryset):
        self._set_status(request, queryset.exclude(status=MeetingStatus.DRAFT), MeetingStatus.DRAFT)

    @admin.action(description=_("Cancel the selected meetings"))
    def cancel(self, request, queryset):
        self._set_status(
            request, queryset.exclude(status=MeetingStatus.CANCELLED), MeetingStatus.CANCELLED
        )


class SpeakerInline(admin.TabularInline):
    model = Speaker
    extra = 0
    fields = ("position", "name", "affiliation_en", "affiliation_fr", "role_en", "role_fr")

    class Media:
        # Title and room inputs as wide as their column: the table fits 1,280 pixels.
        css = {"all": ("convene/admin-meetings.css",)}

    def has_view_permission(self, request, obj=None):
        return obj is None or can_view_meeting_in_back_office(request.user, obj.meeting)

    def has_add_permission(self, request, obj=None):
        return obj is None or can_manage_meeting(request.user, obj.meeting)

    has_change_permission = has_delete_permission = has_add_permission


@admin.register(Session)
class SessionAdmin(RoleScopedAdmin):
    """Reached from the meeting's programme, for descriptions and speakers."""

    list_display = ("__str__", "meeting")
    list_select_related = ("meeting",)
    inlines = [SpeakerInline]
    fieldsets = (
        (None, {"fields": ("meeting", "day", "start_time", "end_time")}),
        (_("English"), {"fields": ("title_en", "description_en", "room_en")}),
        (_("French"), {"fields": ("title_fr", "description_fr", "room_fr")}),
    )
    empty_choice_prompts = {"meeting": _("Choose a meeting")}

    def has_module_permission(self, request):
        return False

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if permissions.is_secretariat(request.user):
            return queryset
        return queryset.filter(meeting__in=permissions.managed_meeting_ids(request.user))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "meeting" and not permissions.is_secretariat(request.user):
            kwargs["queryset"] = Meeting.objects.filter(
                pk__in=permissions.managed_meeting_ids(request.user)
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return can_manage_any_meeting(request.user)
        return can_manage_meeting(request.user, obj.meeting)

    def has_add_permission(self, request, *args):
        return self.has_view_permission(request)

    has_change_permission = has_delete_permission = has_view_permission
