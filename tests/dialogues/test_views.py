"""The public partners and action-plans pages, in both languages."""

import datetime

import pytest

from convene.dialogues.models import Partner
from tests.factories.dialogues import PartnerFactory
from tests.factories.meetings import MeetingFactory
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


# --- Action plans ---


def test_action_plans_page_lists_both_plans_newest_first(client, reference_data):
    english = parse(client.get("/en/action-plans/"))
    french = parse(client.get("/fr/action-plans/"))

    assert english.texts("section.action-plan > h2") == [
        "Cadiz Action Plan 2023-2027",
        "Marrakesh Action Plan 2018-2020",
    ]
    assert french.texts("section.action-plan > h2") == [
        "Plan d'action de Cadix 2023-2027",
        "Plan d'action de Marrakech 2018-2020",
    ]


def test_action_plans_page_domains_and_objectives_in_english(client, reference_data):
    page = parse(client.get("/en/action-plans/"))

    assert page.texts("#plan-map > .domain > h3") == [
        "Domain 1: Development benefits of migration and addressing root causes of irregular "
        "migration and the phenomenon of displaced persons",
        "Domain 2: Legal migration and mobility",
        "Domain 3: Protection and asylum",
        "Domain 4: Irregular migration, migrant smuggling and trafficking in human beings",
        "Domain 5: Return, readmission and reintegration",
    ]
    assert len(page.select("#plan-map .objective-title")) == 10
    assert page.texts("#plan-cap .objective-title")[4:6] == [
        "Objective 5a: Enhance the protection of refugees and forcibly displaced persons",
        "Objective 5b: Promote actions to respect the dignity and the human rights of migrants",
    ]


def test_action_plans_page_titles_in_french(client, reference_data):
    page = parse(client.get("/fr/action-plans/"))

    domains = page.select("#plan-map > .domain > h3")
    objectives = page.select("#plan-map .objective-title")
    assert len(domains) == 5
    assert domains[1].text.endswith("Migration légale et mobilité")
    assert objectives[0].text.endswith(
        "Maximiser l'impact positif de la migration régulière pour le développement"
    )


@pytest.mark.parametrize(
    ("language", "title", "dates"),
    [
        ("en", "National authorities, local authorities and migration", "14-15 September 2021"),
        ("fr", "Autorités nationales, autorités locales et migration", "14-15 septembre 2021"),
    ],
)
def test_action_plans_page_lists_paris_under_map_domain_1_objective_1(
    client, demo_data, language, title, dates
):
    page = parse(client.get(f"/{language}/action-plans/"))

    domains = page.select("#plan-map > .domain")
    expected = [f"{title} ({dates})"]
    assert domains[0].texts("> .coverage .aligned-meetings li") == expected
    assert domains[0].texts("> .coverage .coverage-year") == ["2021"]
    assert domains[0].texts(".objectives > li")[0].endswith(expected[0])
    assert domains[0].select(".objectives > li")[0].texts(".aligned-meetings") == expected
    assert domains[0].select(".objectives > li")[1].select(".aligned-meetings") == []
    assert [len(domain.select(".aligned-meetings")) for domain in domains] == [2, 0, 0, 0, 0]
    assert title not in page.select_one("#plan-cap").text
    assert [link.attrs["href"] for link in page.select("#plan-map .aligned-meetings a")] == [
        f"/{language}/meetings/paris-2021/"
    ] * 2


def test_action_plans_page_leaves_out_draft_and_cancelled_meetings(client, reference_data):
    domain = reference_data.action_plans.get(code="CAP").domains.get(number=1)
    for status in ("draft", "cancelled"):
        MeetingFactory(dialogue=reference_data, status=status).domains.add(domain)
    MeetingFactory(dialogue=reference_data, published=True, title_en="Published").domains.add(
        domain
    )

    page = parse(client.get("/en/action-plans/"))

    assert [link.text for link in page.select(".aligned-meetings a")] == ["Published"]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_action_plans_page_cadiz_domains_4_and_5_still_being_entered(
    client, reference_data, language
):
    page = parse(client.get(f"/{language}/action-plans/"))

    cadiz = page.select("#plan-cap > .domain")
    assert [bool(domain.select(".hint")) for domain in cadiz] == [False, False, False, True, True]
    assert page.select("#plan-map .hint") == []


def test_action_plans_page_hint_text_in_each_language(client, reference_data):
    page = parse(client.get("/en/action-plans/"))

    hint = "The objectives of this domain are still being entered."
    assert page.texts("#plan-cap .hint") == [hint, hint]
    french = parse(client.get("/fr/action-plans/"))
    hint = "Les objectifs de ce domaine sont en cours de saisie."
    assert french.texts("#plan-cap .hint") == [hint, hint]


def test_action_plans_page_queries_do_not_grow_with_meetings(
    client, demo_data, reference_data, django_assert_num_queries
):
    # Dialogue, plans, domains, objectives; labelled activities and their domains and
    # objectives; published meetings, their lead partners, domains and objectives.
    with django_assert_num_queries(11):
        before = len(parse(client.get("/en/action-plans/")).select(".aligned-meetings li"))
    cadiz = reference_data.action_plans.get(code="CAP")
    for number in (1, 2, 3):
        domain = cadiz.domains.get(number=number)
        for meeting in MeetingFactory.create_batch(2, dialogue=reference_data, published=True):
            meeting.domains.add(domain)
            meeting.objectives.add(*domain.objectives.all())

    with django_assert_num_queries(11):
        response = client.get("/en/action-plans/")

    # Six meetings under their domains, and fourteen under objectives (7 objectives x 2).
    assert len(parse(response).select(".aligned-meetings li")) == before + 6 + 14
