import datetime

import pytest
from django.utils import translation

from convene.dialogues.enums import Region
from convene.dialogues.models import Partner
from convene.dialogues.selectors import current_dialogue, partner_groups, partners_by_name
from tests.factories.dialogues import PartnerFactory

pytestmark = pytest.mark.django_db


def _names(groups):
    return {group.key: [partner.name for partner in group.partners] for group in groups}


def test_current_dialogue_is_the_configured_one(reference_data, settings):
    assert current_dialogue().slug == settings.DIALOGUE_SLUG == "rabat-process"


def test_current_dialogue_none_before_set_up(db):
    assert current_dialogue() is None


def test_partner_groups_counts_per_group_in_presentation_order(reference_data):
    groups = partner_groups(reference_data)

    assert [(group.key, len(group.partners)) for group in groups] == [
        ("north_africa", 4),
        ("central_africa", 7),
        ("west_africa", 17),
        ("europe", 29),
        ("organisations", 2),
        ("observers", 4),
    ]


def test_partner_groups_labels_in_english(reference_data):
    with translation.override("en"):
        labels = [group.label for group in partner_groups(reference_data)]

    assert [str(label) for label in labels] == [
        "North Africa",
        "Central Africa",
        "West Africa",
        "Europe",
        "Partner organisations",
        "Observer organisations",
    ]


def test_partner_groups_sorted_by_english_name_ignoring_accents(reference_data):
    with translation.override("en"):
        names = _names(partner_groups(reference_data))

    assert names["west_africa"] == [
        "Benin", "Burkina Faso", "Cabo Verde", "Côte d'Ivoire", "Gambia", "Ghana", "Guinea",
        "Guinea-Bissau", "Liberia", "Mali", "Mauritania", "Niger", "Nigeria",
        "São Tomé and Príncipe", "Senegal", "Sierra Leone", "Togo",
    ]  # fmt: skip
    assert names["organisations"] == ["ECOWAS Commission", "European Union (European Commission)"]
    assert names["observers"] == [
        "International Committee of the Red Cross (ICRC)",
        "International Organization for Migration (IOM)",
        "UN Office on Drugs and Crime (UNODC)",
        "UN Refugee Agency (UNHCR)",
    ]


def test_partner_groups_sorted_by_french_name_ignoring_accents(reference_data):
    with translation.override("fr"):
        names = _names(partner_groups(reference_data))

    assert names["north_africa"] == ["Algérie", "Libye", "Maroc", "Tunisie"]
    assert names["west_africa"] == [
        "Bénin", "Burkina Faso", "Cap-Vert", "Côte d'Ivoire", "Gambie", "Ghana", "Guinée",
        "Guinée-Bissau", "Libéria", "Mali", "Mauritanie", "Niger", "Nigéria",
        "Sao Tomé-et-Principe", "Sénégal", "Sierra Leone", "Togo",
    ]  # fmt: skip
    assert names["europe"] == [
        "Allemagne", "Autriche", "Belgique", "Bulgarie", "Chypre", "Croatie", "Danemark",
        "Espagne", "Estonie", "Finlande", "France", "Grèce", "Hongrie", "Irlande", "Italie",
        "Lettonie", "Lituanie", "Luxembourg", "Malte", "Norvège", "Pays-Bas", "Pologne",
        "Portugal", "République tchèque", "Roumanie", "Slovaquie", "Slovénie", "Suède", "Suisse",
    ]  # fmt: skip


def test_partner_groups_leave_out_a_partner_that_left(reference_data):
    Partner.objects.filter(code="SE").update(left_on=datetime.date(2020, 1, 31))

    groups = {group.key: group for group in partner_groups(reference_data)}

    assert "SE" not in {partner.code for partner in groups["europe"].partners}
    assert len(groups["europe"].partners) == 28


def test_partner_groups_keep_observer_countries_in_their_region(reference_data):
    groups = {group.key: group for group in partner_groups(reference_data)}

    assert [(p.code, p.status) for p in groups["north_africa"].partners] == [
        ("DZ", "observer"),
        ("LY", "observer"),
        ("MA", "partner"),
        ("TN", "partner"),
    ]


def test_partner_groups_only_the_given_dialogue(reference_data):
    from convene.dialogues.models import Dialogue

    other = Dialogue.objects.create(slug="khartoum-process", name_en="Khartoum", name_fr="Khartoum")
    PartnerFactory(dialogue=other, code="SN", name_en="Senegal (Khartoum)")

    groups = partner_groups(reference_data)

    assert sum(len(group.partners) for group in groups) == 63


# A small set spanning accents, apostrophes and names that move between languages.
SAMPLE = ["ES", "SN", "DE", "GQ", "DK", "CI", "EG"]
SAMPLE_EN = [
    "Côte d'Ivoire",
    "Denmark",
    "Egypt",
    "Equatorial Guinea",
    "Germany",
    "Senegal",
    "Spain",
]
SAMPLE_FR = [
    "Allemagne",
    "Côte d'Ivoire",
    "Danemark",
    "Égypte",
    "Espagne",
    "Guinée équatoriale",
    "Sénégal",
]


@pytest.fixture
def sample(reference_data):
    PartnerFactory(
        dialogue=reference_data,
        code="EG",
        region=Region.NORTH_AFRICA,
        name_en="Egypt",
        name_fr="Égypte",
    )
    return Partner.objects.filter(dialogue=reference_data, code__in=SAMPLE)


@pytest.mark.parametrize(("language", "expected"), [("en", SAMPLE_EN), ("fr", SAMPLE_FR)])
def test_partners_by_name_in_the_active_language(sample, language, expected):
    with translation.override(language):
        names = [partner.name for partner in partners_by_name(sample)]

    assert names == expected


def test_partners_by_name_in_a_given_language(sample):
    with translation.override("en"):
        codes = [partner.code for partner in partners_by_name(sample, language="fr")]

    assert codes == ["DE", "CI", "DK", "EG", "ES", "GQ", "SN"]
