"""The action-plans page with its coverage, and the partner pages, in both languages."""

import datetime

import pytest

from convene.labels.enums import ProposalStatus
from convene.registrations.enums import RegistrationStatus
from tests.factories.labels import LabelProposalFactory
from tests.factories.meetings import MeetingFactory
from tests.factories.registrations import RegistrationFactory
from tests.html import parse

pytestmark = pytest.mark.django_db

PARIS_EN = "National authorities, local authorities and migration"
PARIS_FR = "Autorités nationales, autorités locales et migration"


def _labelled(dialogue, **fields):
    return LabelProposalFactory(
        dialogue=dialogue,
        status=ProposalStatus.LABELLED,
        decided_by="steering_committee",
        decided_on=datetime.date(2024, 1, 5),
        **fields,
    )


# --- action plans ---


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


# --- action-plan coverage ---


@pytest.mark.parametrize(
    ("language", "summary", "gap", "figures"),
    [
        (
            "en",
            "1 of 10 objectives served by at least one activity or meeting.",
            "! No activity yet",
            "1 labelled activity · 1 meeting",
        ),
        (
            "fr",
            "1 objectif sur 10 servi par au moins une activité ou réunion.",
            "! Aucune activité à ce jour",
            "1 activité labellisée · 1 réunion",
        ),
    ],
)
def test_action_plans_coverage_of_marrakesh_in_each_language(
    client, demo_data, language, summary, gap, figures
):
    page = parse(client.get(f"/{language}/action-plans/"))

    plan = page.select_one("#plan-map")
    objectives = plan.select(".objectives > li")
    assert plan.texts(".coverage-summary") == [summary]
    assert [("objective--gap" in li.attrs["class"]) for li in objectives] == [False] + [True] * 9
    assert objectives[1].texts(".coverage-gap") == [gap]
    first = plan.select(".domain")[0]
    assert first.texts("> .coverage .coverage-figures") == [figures]
    assert first.texts("> .coverage .coverage-leads a") == ["France"]
    assert first.texts("> .coverage .coverage-year") == ["2021"]
    title = PARIS_EN if language == "en" else PARIS_FR
    assert first.texts("> .coverage .aligned-activities a") == [title]


# --- partner page ---


@pytest.mark.parametrize("code", ["fr", "FR", "Fr"])
def test_partner_page_found_by_code_in_any_case(client, demo_data, code):
    page = parse(client.get(f"/en/partners/{code}/"))

    assert page.texts("h1") == ["France"]


def test_partner_page_unknown_code_is_404(client, reference_data):
    assert client.get("/en/partners/xx/").status_code == 404


@pytest.mark.parametrize(
    ("language", "led", "co", "attended", "registered"),
    [
        (
            "en",
            [f"Labelled activity {PARIS_EN} (14-15 September 2021)", "Lyon forum (2-3 May 2024)"],
            ["Dakar workshop (5-6 March 2024) · lead partner: Senegal"],
            ["Rabat meeting (7-8 October 2024) · 2 delegates"],
            ["Tunis conference (1-2 October 2099) · 1 delegate registered"],
        ),
        (
            "fr",
            [
                f"Activité labellisée {PARIS_FR} (14-15 septembre 2021)",
                "Forum de Lyon (2-3 mai 2024)",
            ],
            ["Atelier de Dakar (5-6 mars 2024) · chef de file : Sénégal"],
            ["Réunion de Rabat (7-8 octobre 2024) · 2 délégués"],
            ["Conférence de Tunis (1er-2 octobre 2099) · 1 personne inscrite"],
        ),
    ],
)
def test_partner_page_what_france_led_co_organised_and_attended(
    client, demo_data, reference_data, language, led, co, attended, registered
):
    france = reference_data.partners.get(code="FR")
    senegal = reference_data.partners.get(code="SN")
    MeetingFactory(
        dialogue=reference_data, published=True, title_en="Lyon forum", title_fr="Forum de Lyon",
        starts_on=datetime.date(2024, 5, 2), ends_on=datetime.date(2024, 5, 3),
        lead_partners=[france],
    )  # fmt: skip
    dakar = _labelled(
        reference_data, lead_partner=senegal, title_en="Dakar workshop",
        title_fr="Atelier de Dakar", starts_on=datetime.date(2024, 3, 5),
        ends_on=datetime.date(2024, 3, 6),
    )  # fmt: skip
    dakar.co_organisers.add(france)
    rabat = MeetingFactory(
        dialogue=reference_data, published=True, title_en="Rabat meeting",
        title_fr="Réunion de Rabat", starts_on=datetime.date(2024, 10, 7),
        ends_on=datetime.date(2024, 10, 8),
    )  # fmt: skip
    RegistrationFactory.create_batch(
        2, meeting=rabat, delegation=france, status=RegistrationStatus.APPROVED
    )
    RegistrationFactory(meeting=rabat, delegation=france)  # awaiting: not counted
    tunis = MeetingFactory(
        dialogue=reference_data, published=True, title_en="Tunis conference",
        title_fr="Conférence de Tunis", starts_on=datetime.date(2099, 10, 1),
        ends_on=datetime.date(2099, 10, 2),
    )  # fmt: skip
    RegistrationFactory(meeting=tunis, delegation=france, status=RegistrationStatus.APPROVED)

    page = parse(client.get(f"/{language}/partners/fr/"))

    assert page.texts(".led > li") == led
    assert page.texts(".co-organised > li") == co
    assert page.texts(".attended > li") == attended
    assert page.texts(".registered > li") == registered


def test_partner_page_without_upcoming_registrations_has_no_registered_section(
    client, reference_data
):
    page = parse(client.get("/en/partners/fr/"))

    assert page.select("section.partner-registered") == []


def test_partner_page_says_when_nothing_is_recorded_in_french(client, reference_data):
    page = parse(client.get("/fr/partners/sn/"))

    assert page.texts("h1") == ["Sénégal"]
    assert page.texts("section p") == [
        "Aucune activité ni réunion pilotée à ce jour.",
        "Aucune activité labellisée co-organisée à ce jour.",
        "Aucune participation enregistrée à ce jour.",
    ]


def test_partners_page_links_each_partner_to_its_page(client, reference_data):
    page = parse(client.get("/fr/partners/"))

    links = page.select("li[data-code] a.partner-name")
    assert len(links) == 63
    assert {link.attrs["href"] for link in links} >= {"/fr/partners/fr/", "/fr/partners/ecowas/"}
