"""The public catalogue of labelled activities, in both languages."""

import datetime

import pytest

from convene.labels.enums import ActivityType, ProposalStatus
from tests.factories.labels import LabelProposalFactory
from tests.factories.meetings import MeetingFactory
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
