"""The public partners page, in both languages."""

import datetime

import pytest

from convene.dialogues.models import Partner
from tests.factories.dialogues import PartnerFactory
from tests.html import parse

pytestmark = pytest.mark.django_db

GROUP_COUNTS = [
    ("north_africa", "(4)"),
    ("central_africa", "(7)"),
    ("west_africa", "(17)"),
    ("europe", "(29)"),
    ("organisations", "(2)"),
    ("observers", "(4)"),
]
STEERING_COMMITTEE = {
    "MA", "GQ", "BF", "ML", "NE", "NG", "SN", "BE", "FR", "IT", "NL", "PT", "ES", "CH", "EU",
    "ECOWAS",
}  # fmt: skip
OBSERVERS = {"DZ", "LY", "IOM", "UNHCR", "ICRC", "UNODC"}


def _badges(page):
    """{partner code: set of badge classes} for every listed partner."""
    return {
        item.attrs["data-code"]: {
            " ".join(sorted(badge.attrs["class"].split())) for badge in item.select(".badge")
        }
        for item in page.select("li[data-code]")
    }


# --- Partners ---


@pytest.mark.parametrize("language", ["en", "fr"])
def test_partners_page_counts_partners_per_group(client, reference_data, language):
    page = parse(client.get(f"/{language}/partners/"))

    assert [
        (section.attrs["id"], section.select_one("h2 .count").text)
        for section in page.select("section.partner-group")
    ] == GROUP_COUNTS


def test_partners_page_group_headings_in_english(client, reference_data):
    page = parse(client.get("/en/partners/"))

    assert page.texts("section.partner-group h2") == [
        "North Africa (4)",
        "Central Africa (7)",
        "West Africa (17)",
        "Europe (29)",
        "Partner organisations (2)",
        "Observer organisations (4)",
    ]


def test_partners_page_group_headings_in_french(client, reference_data):
    page = parse(client.get("/fr/partners/"))

    assert page.select_one("h1").text == "Partenaires du Dialogue"
    assert page.texts("section.partner-group h2") == [
        "Afrique du Nord (4)",
        "Afrique centrale (7)",
        "Afrique de l'Ouest (17)",
        "Europe (29)",
        "Organisations partenaires (2)",
        "Organisations observatrices (4)",
    ]
    assert page.select_one("li[data-code=FR]").text == "France CP (membre du Comité de pilotage)"
    assert page.select_one("li[data-code=DZ]").text == "Algérie Observateur"


def test_partners_page_names_in_each_language(client, reference_data):
    english = parse(client.get("/en/partners/"))
    french = parse(client.get("/fr/partners/"))

    assert english.texts("#north_africa .partner-name") == [
        "Algeria",
        "Libya",
        "Morocco",
        "Tunisia",
    ]
    assert french.texts("#north_africa .partner-name") == ["Algérie", "Libye", "Maroc", "Tunisie"]
    assert french.texts("#organisations .partner-name") == [
        "Commission de la CEDEAO",
        "Union européenne (Commission européenne)",
    ]
    assert english.select_one("li[data-code=SN] .partner-name").text == "Senegal"
    assert french.select_one("li[data-code=SN] .partner-name").text == "Sénégal"


@pytest.mark.parametrize("language", ["en", "fr"])
def test_partners_page_marks_steering_committee_and_observers(client, reference_data, language):
    badges = _badges(parse(client.get(f"/{language}/partners/")))

    assert {code for code, kinds in badges.items() if "badge badge--sc" in kinds} == (
        STEERING_COMMITTEE
    )
    assert {code for code, kinds in badges.items() if "badge" in kinds} == OBSERVERS
    assert len(badges) == 63


def test_partners_page_steering_committee_mark_is_spelled_out(client, reference_data):
    page = parse(client.get("/en/partners/"))

    assert page.select_one("li[data-code=FR]").text == (
        "France SC (member of the Steering Committee)"
    )
    assert page.select_one("li[data-code=DZ]").text == "Algeria Observer"
    assert page.select_one("li[data-code=AT]").text == "Austria"


def test_partners_page_leaves_out_a_partner_that_left(client, reference_data):
    Partner.objects.filter(code="SE").update(left_on=datetime.date(2020, 1, 31))

    page = parse(client.get("/en/partners/"))

    assert "SE" not in {item.attrs["data-code"] for item in page.select("li[data-code]")}
    assert page.select_one("#europe h2 .count").text == "(28)"


def test_partners_page_before_set_up_says_so(client, db):
    page = parse(client.get("/en/partners/"))

    assert page.select("section.partner-group") == []
    assert "The list of partners has not been loaded yet." in page.select_one("main").text


def test_partners_page_queries_do_not_grow_with_partners(
    client, reference_data, django_assert_num_queries
):
    # The dialogue, then its partners.
    with django_assert_num_queries(2):
        client.get("/en/partners/")
    PartnerFactory.create_batch(5, dialogue=reference_data, steering_committee=True)
    PartnerFactory.create_batch(3, dialogue=reference_data, organisation=True)

    with django_assert_num_queries(2):
        response = client.get("/en/partners/")

    assert len(parse(response).select("li[data-code]")) == 71
