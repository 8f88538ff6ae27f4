"""The public label pages, in both languages: catalogue, coverage, partners, library."""

import datetime

import pytest

from convene.labels import services
from convene.labels.enums import ActivityType, PracticeStatus, ProposalStatus
from convene.registrations.enums import RegistrationStatus
from tests.factories.labels import GoodPracticeFactory, LabelProposalFactory
from tests.factories.meetings import MeetingFactory
from tests.factories.registrations import RegistrationFactory
from tests.html import parse

pytestmark = pytest.mark.django_db

PARIS_EN = "National authorities, local authorities and migration"
PARIS_FR = "Autorités nationales, autorités locales et migration"
PRACTICE_TITLE = (
    "Un guichet unique municipal pour l'accueil et l'intégration socio-économique des "
    "personnes migrantes"
)


def _labelled(dialogue, **fields):
    return LabelProposalFactory(
        dialogue=dialogue,
        status=ProposalStatus.LABELLED,
        decided_by="steering_committee",
        decided_on=datetime.date(2024, 1, 5),
        **fields,
    )


# --- catalogue ---


@pytest.mark.parametrize(
    ("language", "title", "count", "facts", "link"),
    [
        (
            "en",
            PARIS_EN,
            "1 labelled activity found.",
            ["14-15 September 2021", "Paris, France", "Hybrid", "France"],
            f"Meeting page: {PARIS_EN}",
        ),
        (
            "fr",
            PARIS_FR,
            "1 activité labellisée trouvée.",
            ["14-15 septembre 2021", "Paris, France", "Hybride", "France"],
            f"Page de la réunion : {PARIS_FR}",
        ),
    ],
)
def test_catalogue_lists_paris_2021_in_each_language(
    client, demo_data, language, title, count, facts, link
):
    page = parse(client.get(f"/{language}/labels/"))

    assert page.texts("h1") == [
        {"en": "Labelled activities", "fr": "Activités labellisées"}[language]
    ]
    assert page.texts("#results-count") == [count]
    assert page.select_one("#results-count").attrs["role"] == "status"
    assert page.texts(".activity-card h3") == [title]
    assert page.texts(".activity-card .facts dd") == facts
    assert page.texts(".meeting-link a") == [link]
    assert page.select_one(".meeting-link a").attrs["href"] == f"/{language}/meetings/paris-2021/"
    assert page.select_one(".lead-partner a").attrs["href"] == f"/{language}/partners/fr/"


def test_catalogue_filters_are_a_labelled_get_form(client, demo_data):
    page = parse(client.get("/en/labels/"))

    form = page.select_one("form.filters")
    assert form.attrs["method"] == "get"
    names = [field.attrs["name"] for field in form.select("select")]
    assert names == ["domain", "objective", "partner", "region", "year", "type"]
    assert [form.select_one(f"label[for=id_{name}]").text for name in names] == [
        "Action-plan domain",
        "Action-plan objective",
        "Lead partner",
        "Region",
        "Year",
        "Type of activity",
    ]
    assert form.texts("#id_year option") == ["All", "2021"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("region=europe", [PARIS_EN]),
        ("region=west_africa", []),
        ("year=2021&type=meeting", [PARIS_EN]),
        ("type=webinar", []),
        ("year=not-a-year", [PARIS_EN]),  # an invalid value is left out, not an error
    ],
)
def test_catalogue_filters_by_query_string(client, demo_data, query, expected):
    response = client.get(f"/en/labels/?{query}")

    assert response.status_code == 200
    assert parse(response).texts(".activity-card h3") == expected


def test_catalogue_filters_by_domain_partner_and_objective(client, demo_data, reference_data):
    map_plan = reference_data.action_plans.get(code="MAP")
    domain_1 = map_plan.domains.get(number=1)
    domain_2 = map_plan.domains.get(number=2)
    objective_1 = domain_1.objectives.get(number="1")
    senegal = reference_data.partners.get(code="SN")
    france = reference_data.partners.get(code="FR")

    def titles(query):
        return parse(client.get(f"/en/labels/?{query}")).texts(".activity-card h3")

    assert titles(f"domain={domain_1.pk}") == [PARIS_EN]
    assert titles(f"domain={domain_2.pk}") == []
    assert titles(f"objective={objective_1.pk}") == [PARIS_EN]
    assert titles(f"partner={france.pk}") == [PARIS_EN]
    assert titles(f"partner={senegal.pk}") == []


def test_catalogue_empty_result_says_so_in_french(client, demo_data):
    page = parse(client.get("/fr/labels/?type=webinar"))

    assert page.texts("#results-count") == ["0 activité labellisée trouvée."]
    assert "Aucune activité labellisée ne correspond à ces filtres." in page.select_one("main").text
    assert page.select_one("a.button--secondary").attrs["href"] == "/fr/labels/"


def test_catalogue_queries_do_not_grow_with_activities(
    client, demo_data, reference_data, django_assert_num_queries
):
    # Dialogue; plans, domains, objectives (filter choices); partners; years; activities
    # with lead partner and meeting; co-organisers; domains; objectives.
    with django_assert_num_queries(10):
        client.get("/en/labels/")
    cadiz = reference_data.action_plans.get(code="CAP")
    partners = list(reference_data.partners.filter(code__in=["SN", "MA", "ES"]))
    for partner in partners:
        meeting = MeetingFactory(dialogue=reference_data, published=True)
        activity = _labelled(
            reference_data,
            lead_partner=partner,
            meeting=meeting,
            domains=list(cadiz.domains.all()[:2]),
            objectives=list(cadiz.domains.get(number=1).objectives.all()),
        )
        activity.co_organisers.set(partners)

    with django_assert_num_queries(10):
        response = client.get("/en/labels/")

    assert len(parse(response).select(".activity-card")) == 4
    assert len(parse(response).select(".meeting-link")) == 4


def test_catalogue_leaves_out_proposals_not_labelled_and_links_no_draft_meeting(
    client, reference_data
):
    france = reference_data.partners.get(code="FR")
    _labelled(reference_data, lead_partner=france, title_en="Labelled, meeting in draft",
              meeting=MeetingFactory(dialogue=reference_data))  # fmt: skip
    for status in (ProposalStatus.DRAFT, ProposalStatus.SUBMITTED, ProposalStatus.RECOMMENDED):
        LabelProposalFactory(dialogue=reference_data, lead_partner=france, status=status)

    page = parse(client.get("/en/labels/"))

    assert page.texts(".activity-card h3") == ["Labelled, meeting in draft"]
    assert page.select(".meeting-link") == []


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
    ("language", "led", "co", "attended"),
    [
        (
            "en",
            [f"Labelled activity {PARIS_EN} (14-15 September 2021)", "Lyon forum (2-3 May 2024)"],
            ["Dakar workshop (5-6 March 2024) · lead partner: Senegal"],
            ["Rabat meeting (7-8 October 2024) · 2 delegates"],
        ),
        (
            "fr",
            [
                f"Activité labellisée {PARIS_FR} (14-15 septembre 2021)",
                "Forum de Lyon (2-3 mai 2024)",
            ],
            ["Atelier de Dakar (5-6 mars 2024) · chef de file : Sénégal"],
            ["Réunion de Rabat (7-8 octobre 2024) · 2 délégués"],
        ),
    ],
)
def test_partner_page_what_france_led_co_organised_and_attended(
    client, demo_data, reference_data, language, led, co, attended
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

    page = parse(client.get(f"/{language}/partners/fr/"))

    assert page.texts(".led > li") == led
    assert page.texts(".co-organised > li") == co
    assert page.texts(".attended > li") == attended


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


# --- good practices: library, detail, meeting page ---


@pytest.mark.parametrize(
    ("language", "query", "count"),
    [
        ("en", "integration", "1 good practice found."),
        ("en", "INTÉGRATION guichet", "1 good practice found."),
        ("fr", "reintegration", "1 bonne pratique trouvée."),
        ("fr", "intégration lyon", "0 bonne pratique trouvée."),
    ],
)
def test_library_search_in_each_language(client, demo_data, language, query, count):
    page = parse(client.get(f"/{language}/good-practices/", {"q": query}))

    assert page.texts("#results-count") == [count]
    expected = [PRACTICE_TITLE] if count.startswith("1") else []
    assert page.texts(".practice-card h3") == expected


def test_library_marks_practices_in_another_language(client, demo_data):
    english = parse(client.get("/en/good-practices/"))
    french = parse(client.get("/fr/good-practices/"))

    assert english.select_one(".practice-card h3 a").attrs["lang"] == "fr"
    assert "lang" not in french.select_one(".practice-card h3 a").attrs


def test_library_leaves_out_practices_not_published(client, demo_data, reference_data):
    domain = reference_data.action_plans.get(code="MAP").domains.get(number=1)
    for status in (PracticeStatus.SUBMITTED, PracticeStatus.REJECTED):
        GoodPracticeFactory(meeting=demo_data, domain=domain, status=status, title=status)

    page = parse(client.get("/en/good-practices/"))

    assert page.texts(".practice-card h3") == [PRACTICE_TITLE]


def test_library_queries_do_not_grow_with_practices(
    client, demo_data, reference_data, django_assert_num_queries
):
    # Dialogue; plans, domains, objectives; partners; years; practices.
    with django_assert_num_queries(7):
        client.get("/en/good-practices/?q=integration")
    domain = reference_data.action_plans.get(code="CAP").domains.get(number=2)
    for _ in range(4):
        GoodPracticeFactory(
            meeting=demo_data, domain=domain, objective=domain.objectives.first(),
            published=True, title="Labour integration",
        )  # fmt: skip

    with django_assert_num_queries(7):
        response = client.get("/en/good-practices/?q=integration")

    assert len(parse(response).select(".practice-card")) == 5


@pytest.mark.parametrize(
    ("language", "facts"),
    [
        (
            "en",
            [
                "France",
                "Local authority",
                f"{PARIS_EN} · 14-15 September 2021 · "
                "Practical exercises and exchange of good practices",
            ],
        ),
        (
            "fr",
            [
                "France",
                "Autorité locale",
                f"{PARIS_FR} · 14-15 septembre 2021 · "
                "Exercices pratiques et échange de bonnes pratiques",
            ],
        ),
    ],
)
def test_good_practice_page_in_each_language(client, demo_data, language, facts):
    practice = demo_data.good_practices.get()

    page = parse(client.get(f"/{language}/good-practices/{practice.pk}/"))

    assert page.texts("h1") == [PRACTICE_TITLE]
    assert page.texts(".facts dd")[:3] == facts
    # Written in French: marked as such on the English page.
    assert (
        page.select_one("article.practice").attrs.get("lang") == {"en": "fr", "fr": None}[language]
    )


def test_good_practice_page_not_published_is_404(client, demo_data, reference_data):
    domain = reference_data.action_plans.get(code="MAP").domains.get(number=1)
    pending = GoodPracticeFactory(meeting=demo_data, domain=domain)

    assert client.get(f"/en/good-practices/{pending.pk}/").status_code == 404
    assert client.get("/en/good-practices/999999/").status_code == 404


@pytest.mark.parametrize(
    ("language", "heading", "item"),
    [
        ("en", "Good practices shared", "Practical exercises and exchange of good practices"),
        ("fr", "Bonnes pratiques partagées", "Exercices pratiques et échange de bonnes pratiques"),
    ],
)
def test_meeting_page_lists_published_practices(client, demo_data, language, heading, item):
    page = parse(client.get(f"/{language}/meetings/paris-2021/"))

    section = page.select_one("section.good-practices")
    assert section.texts("h2") == [heading]
    assert section.texts("li") == [f"{PRACTICE_TITLE} · France · {item}"]


def test_meeting_page_publishing_a_practice_retires_the_cached_page(
    client, demo_data, reference_data, secretariat_officer
):
    domain = reference_data.action_plans.get(code="MAP").domains.get(number=1)
    practice = GoodPracticeFactory(meeting=demo_data, domain=domain, title="Newly published")
    client.get("/en/meetings/paris-2021/")

    services.set_practice_status(practice, PracticeStatus.PUBLISHED, actor=secretariat_officer)

    page = parse(client.get("/en/meetings/paris-2021/"))
    assert [li.text.split(" · ")[0] for li in page.select(".good-practices li")] == [
        "Newly published",
        PRACTICE_TITLE,
    ]


def test_meeting_page_queries_do_not_grow_with_practices(
    client, demo_data, reference_data, django_assert_num_queries
):
    with django_assert_num_queries(9):
        client.get("/en/meetings/paris-2021/")
    domain = reference_data.action_plans.get(code="MAP").domains.get(number=1)
    session = demo_data.sessions.first()
    GoodPracticeFactory.create_batch(
        3, meeting=demo_data, domain=domain, session=session, published=True
    )

    with django_assert_num_queries(9):
        response = client.get("/en/meetings/paris-2021/")

    assert len(parse(response).select(".good-practices li")) == 4


def test_navigation_links_the_catalogue_and_library_in_french(client, reference_data):
    page = parse(client.get("/fr/labels/"))

    nav = page.select_one("nav.main-nav")
    assert nav.texts("a")[-2:] == ["Activités labellisées", "Bonnes pratiques"]
    assert nav.select("a[aria-current=page]")[0].text == "Activités labellisées"


def test_webinar_type_label_in_catalogue(client, reference_data):
    _labelled(
        reference_data,
        lead_partner=reference_data.partners.get(code="SN"),
        activity_type=ActivityType.WEBINAR,
        title_fr="Webinaire",
    )

    page = parse(client.get("/fr/labels/?type=webinar"))

    assert page.texts(".activity-card .eyebrow") == ["Webinaire"]
