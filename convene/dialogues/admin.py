from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from convene.core import permissions
from convene.core.admin import RoleScopedAdmin
from convene.core.enums import Role
from convene.core.models import RoleAssignment

from .forms import sort_partners_by_name
from .models import ActionPlan, Dialogue, Domain, Objective, Partner
from .selectors import partners_by_name


class PartnersByNameAdminMixin:
    """Partner selects of an admin form list their options by name in the staff
    member's language (a plain ForeignKey select would follow the English order)."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and db_field.related_model is Partner:
            sort_partners_by_name(field)
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and db_field.related_model is Partner:
            sort_partners_by_name(field)
        return field


class PartnerListFilter(admin.RelatedFieldListFilter):
    """A list filter on a partner, its choices by name in the staff member's language."""

    def field_choices(self, field, request, model_admin):
        partners = field.related_model._default_manager.complex_filter(field.get_limit_choices_to())
        return [(partner.pk, partner.name) for partner in partners_by_name(partners)]


class ReferenceDataAdmin(RoleScopedAdmin):
    """Reference data is public: every back-office role reads it, the Secretariat edits it."""

    def has_view_permission(self, request, obj=None):
        return permissions.can_use_back_office(request.user)


@admin.register(Dialogue)
class DialogueAdmin(ReferenceDataAdmin):
    list_display = ("name_en", "name_fr", "slug", "since_year")
    prepopulated_fields = {"slug": ("name_en",)}
    fieldsets = (
        (None, {"fields": ("slug", "since_year")}),
        (_("English"), {"fields": ("name_en", "full_name_en", "description_en", "secretariat_en")}),
        (_("French"), {"fields": ("name_fr", "full_name_fr", "description_fr", "secretariat_fr")}),
    )


class FocalPointListFilter(admin.SimpleListFilter):
    """Partners by whether someone can act as their focal point today.

    A focal point is current when the appointment is in force today (started, not ended)
    and the account is active, as for who may endorse and who is emailed. Without one,
    the partner's registrations awaiting endorsement wait for the Secretariat.
    """

    title = _("focal point")
    parameter_name = "focal_point"

    def lookups(self, request, model_admin):
        return [("none", _("None current")), ("current", _("At least one current"))]

    def queryset(self, request, queryset):
        if self.value() not in ("none", "current"):
            return queryset
        with_one = (
            RoleAssignment.objects.current()
            .filter(role=Role.FOCAL_POINT, user__is_active=True)
            .values("partner_id")
        )
        if self.value() == "none":
            return queryset.exclude(pk__in=with_one)
        return queryset.filter(pk__in=with_one)


@admin.register(Partner)
class PartnerAdmin(ReferenceDataAdmin):
    list_display = (
        "name_en",
        "name_fr",
        "code",
        "kind",
        "status",
        "region",
        "steering_committee",
        "left_on",
    )
    list_filter = (
        "kind",
        "status",
        "region",
        "steering_committee",
        ("left_on", admin.EmptyFieldListFilter),
        FocalPointListFilter,
    )
    search_fields = ("code", "name_en", "name_fr")
    ordering = ("name_en",)
    empty_choice_prompts = {
        "dialogue": _("Choose a dialogue"),
        "kind": _("Choose a kind"),
        "status": _("Choose a status"),
        "region": _("No region"),
    }
    fieldsets = (
        (None, {"fields": ("dialogue", "code", "kind", "status", "region", "steering_committee")}),
        (_("Names"), {"fields": ("name_en", "name_fr")}),
        (_("Membership"), {"fields": ("joined_on", "left_on")}),
    )


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 0
    fields = ("number", "title_en", "title_fr", "title_fr_is_official")
    show_change_link = True

    def has_view_permission(self, request, obj=None):
        return permissions.can_use_back_office(request.user)

    def has_add_permission(self, request, obj=None):
        return permissions.can_edit_reference_data(request.user)

    has_change_permission = has_delete_permission = has_add_permission


class ObjectiveInline(DomainInline):
    model = Objective
    fields = ("number", "position", "title_en", "title_fr", "title_fr_is_official")
    show_change_link = False


@admin.register(ActionPlan)
class ActionPlanAdmin(ReferenceDataAdmin):
    list_display = ("name_en", "code", "start_year", "end_year")
    inlines = [DomainInline]
    empty_choice_prompts = {"dialogue": _("Choose a dialogue")}


@admin.register(Domain)
class DomainAdmin(ReferenceDataAdmin):
    list_display = ("__str__", "action_plan", "number", "title_fr_is_official")
    list_filter = ("action_plan", "title_fr_is_official")
    list_select_related = ("action_plan",)
    inlines = [ObjectiveInline]
    empty_choice_prompts = {"action_plan": _("Choose an action plan")}

    def has_module_permission(self, request):
        # Reached from its action plan; not listed on the index.
        return False


@admin.register(Objective)
class ObjectiveAdmin(ReferenceDataAdmin):
    list_display = ("__str__", "domain", "title_fr_is_official")
    list_filter = ("domain__action_plan", "title_fr_is_official")
    list_select_related = ("domain__action_plan",)
    search_fields = ("title_en", "title_fr", "number")
    empty_choice_prompts = {"domain": _("Choose a domain")}

    def has_module_permission(self, request):
        return False
