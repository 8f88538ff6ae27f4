from django.db import models
from django.utils.translation import gettext_lazy as _


class PartnerKind(models.TextChoices):
    COUNTRY = "country", _("Country")
    ORGANISATION = "organisation", _("Organisation")


class PartnerStatus(models.TextChoices):
    PARTNER = "partner", _("Partner")
    OBSERVER = "observer", _("Observer")


class Region(models.TextChoices):
    """Order matters: partner lists follow it."""

    NORTH_AFRICA = "north_africa", _("North Africa")
    CENTRAL_AFRICA = "central_africa", _("Central Africa")
    WEST_AFRICA = "west_africa", _("West Africa")
    EUROPE = "europe", _("Europe")


REGION_ORDER = {region.value: index for index, region in enumerate(Region)}
