from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from convene.core.bilingual import localized
from convene.core.search import normalise_for_search

from .enums import REGION_ORDER, PartnerKind, PartnerStatus, Region
from .models import Dialogue, Partner


def current_dialogue() -> Dialogue | None:
    """The dialogue this deployment serves (DIALOGUE_SLUG), or None before set-up."""
    return Dialogue.objects.filter(slug=settings.DIALOGUE_SLUG).first()


@dataclass
class PartnerGroup:
    key: str
    label: str
    partners: list = field(default_factory=list)


def partners_by_name(partners, *, language: str | None = None) -> list[Partner]:
    """`partners` (a queryset or any iterable) in the order of their names in `language`
    (default: the active one), accents and case ignored (core's normalise_for_search,
    which also sorts the partner select of core's role inline): in French "Égypte" between
    "Danemark" and "Espagne", in English "Egypt" between "Denmark" and "Equatorial
    Guinea". Sorted in Python, not by the database: the same order on SQLite and
    PostgreSQL, whatever their collation. Every list of partners shown is sorted here."""
    return sorted(
        partners,
        key=lambda partner: (
            normalise_for_search(localized(partner, "name", language)),
            partner.pk,
        ),
    )


def partner_groups(dialogue: Dialogue) -> list[PartnerGroup]:
    """Current partners in the order the Dialogue presents them.

    Countries by region (North, Central, West Africa, Europe), then partner
    organisations, then observer organisations. Observer countries stay in their
    region and carry their status. Names sort in the active language.
    """
    groups = {region.value: PartnerGroup(region.value, region.label) for region in Region}
    organisations = PartnerGroup("organisations", _("Partner organisations"))
    observers = PartnerGroup("observers", _("Observer organisations"))
    partners = partners_by_name(Partner.objects.filter(dialogue=dialogue, left_on__isnull=True))
    for partner in partners:
        if partner.kind == PartnerKind.COUNTRY:
            groups[partner.region].partners.append(partner)
        elif partner.status == PartnerStatus.PARTNER:
            organisations.partners.append(partner)
        else:
            observers.partners.append(partner)
    ordered = sorted(groups.values(), key=lambda group: REGION_ORDER[group.key])
    return [*ordered, organisations, observers]


def partner_choices(dialogue: Dialogue) -> list[tuple]:
    """Current partners as grouped choices for a select: countries, organisations, observers."""
    groups = {
        "countries": (_("Partner countries"), []),
        "organisations": (_("Partner organisations"), []),
        "observers": (_("Observers"), []),
    }
    partners = Partner.objects.filter(dialogue=dialogue, left_on__isnull=True)
    for partner in partners_by_name(partners):
        if partner.status == PartnerStatus.OBSERVER:
            key = "observers"
        elif partner.kind == PartnerKind.COUNTRY:
            key = "countries"
        else:
            key = "organisations"
        groups[key][1].append((partner.pk, partner.name))
    return [(label, options) for label, options in groups.values() if options]
