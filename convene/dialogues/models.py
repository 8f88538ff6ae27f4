from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from convene.core.bilingual import Translated
from convene.core.models import TimeStampedModel
from convene.core.validators import validate_single_line

from .enums import PartnerKind, PartnerStatus, Region


class Dialogue(TimeStampedModel):
    """An intergovernmental dialogue, e.g. the Rabat Process."""

    slug = models.SlugField(_("short name in addresses"), unique=True)
    name_en = models.CharField(
        _("name (English)"), max_length=200, validators=[validate_single_line]
    )
    name_fr = models.CharField(
        _("name (French)"), max_length=200, validators=[validate_single_line]
    )
    full_name_en = models.CharField(
        _("full name (English)"), max_length=300, blank=True, validators=[validate_single_line]
    )
    full_name_fr = models.CharField(
        _("full name (French)"), max_length=300, blank=True, validators=[validate_single_line]
    )
    description_en = models.TextField(_("description (English)"), blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    secretariat_en = models.CharField(
        _("Secretariat (English)"), max_length=300, blank=True, validators=[validate_single_line]
    )
    secretariat_fr = models.CharField(
        _("Secretariat (French)"), max_length=300, blank=True, validators=[validate_single_line]
    )
    since_year = models.PositiveSmallIntegerField(_("since"), null=True, blank=True)

    name = Translated()
    full_name = Translated()
    description = Translated()
    secretariat = Translated()

    class Meta:
        verbose_name = _("dialogue")
        verbose_name_plural = _("dialogues")
        ordering = ["name_en"]

    def __str__(self):
        return self.name


class Partner(TimeStampedModel):
    """A country or organisation in a dialogue, as partner or observer.

    Membership has dates so that leaving (the United Kingdom in 2020) keeps history:
    a partner who left is kept with `left_on` set, never deleted.
    """

    dialogue = models.ForeignKey(
        Dialogue, on_delete=models.CASCADE, related_name="partners", verbose_name=_("dialogue")
    )
    code = models.CharField(
        _("code"),
        max_length=12,
        help_text=_("ISO 3166 alpha-2 code for a country, an acronym for an organisation."),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=PartnerKind.choices)
    status = models.CharField(_("status"), max_length=16, choices=PartnerStatus.choices)
    region = models.CharField(
        _("region"), max_length=20, choices=Region.choices, blank=True, default=""
    )
    name_en = models.CharField(
        _("name (English)"), max_length=200, validators=[validate_single_line]
    )
    name_fr = models.CharField(
        _("name (French)"), max_length=200, validators=[validate_single_line]
    )
    steering_committee = models.BooleanField(_("Steering Committee member"), default=False)
    joined_on = models.DateField(_("member since"), null=True, blank=True)
    left_on = models.DateField(_("member until"), null=True, blank=True)

    name = Translated()

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name_en"]
        constraints = [
            models.UniqueConstraint(
                fields=["dialogue", "code"], name="dialogues_partner_code_unique"
            ),
            models.CheckConstraint(
                name="dialogues_partner_country_has_region",
                condition=(
                    models.Q(kind=PartnerKind.COUNTRY) & ~models.Q(region="")
                    | models.Q(kind=PartnerKind.ORGANISATION, region="")
                ),
                violation_error_message=_(
                    "A country belongs to a region; an organisation has no region."
                ),
            ),
            models.CheckConstraint(
                name="dialogues_partner_left_after_joined",
                condition=models.Q(left_on__isnull=True)
                | models.Q(joined_on__isnull=True)
                | models.Q(left_on__gte=models.F("joined_on")),
                violation_error_message=_("A partner cannot leave before it joined."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_current(self) -> bool:
        return self.left_on is None


class ActionPlan(TimeStampedModel):
    """A strategic framework of a dialogue (Marrakesh, Cadiz): domains > objectives."""

    dialogue = models.ForeignKey(
        Dialogue, on_delete=models.CASCADE, related_name="action_plans", verbose_name=_("dialogue")
    )
    code = models.CharField(_("code"), max_length=12)
    name_en = models.CharField(
        _("name (English)"), max_length=200, validators=[validate_single_line]
    )
    name_fr = models.CharField(
        _("name (French)"), max_length=200, validators=[validate_single_line]
    )
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))

    name = Translated()

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        ordering = ["-start_year"]
        constraints = [
            models.UniqueConstraint(fields=["dialogue", "code"], name="dialogues_plan_code_unique"),
            models.CheckConstraint(
                name="dialogues_plan_years_ordered",
                condition=models.Q(end_year__gte=models.F("start_year")),
                violation_error_message=_("The last year cannot be before the first year."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("reports:action_plans") + f"#plan-{self.code.lower()}"


class Domain(TimeStampedModel):
    action_plan = models.ForeignKey(
        ActionPlan, on_delete=models.CASCADE, related_name="domains", verbose_name=_("action plan")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title_en = models.CharField(
        _("title (English)"), max_length=300, validators=[validate_single_line]
    )
    title_fr = models.CharField(
        _("title (French)"), max_length=300, blank=True, validators=[validate_single_line]
    )
    title_fr_is_official = models.BooleanField(
        _("French title is official"),
        default=True,
        help_text=_("Unticked while the French title is a working translation."),
    )

    title = Translated()

    class Meta:
        verbose_name = _("domain")
        verbose_name_plural = _("domains")
        ordering = ["action_plan", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["action_plan", "number"], name="dialogues_domain_number_unique"
            )
        ]

    def __str__(self):
        return f"{self.action_plan.code} {self.number}. {self.title}"


class Objective(TimeStampedModel):
    domain = models.ForeignKey(
        Domain, on_delete=models.CASCADE, related_name="objectives", verbose_name=_("domain")
    )
    # Text, not a number: the Cadiz plan numbers objectives "5a" and "5b".
    number = models.CharField(_("number"), max_length=8)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title_en = models.CharField(
        _("title (English)"), max_length=300, validators=[validate_single_line]
    )
    title_fr = models.CharField(
        _("title (French)"), max_length=300, blank=True, validators=[validate_single_line]
    )
    title_fr_is_official = models.BooleanField(_("French title is official"), default=True)

    title = Translated()

    class Meta:
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        ordering = ["domain", "position", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["domain", "number"], name="dialogues_objective_number_unique"
            )
        ]

    def __str__(self):
        return f"{self.domain.action_plan.code} {self.number}. {self.title}"
