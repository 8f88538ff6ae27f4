"""The good-practice library, a practice's page and the meeting page's practices, in both
languages."""

import pytest

from convene.practices import services
from convene.practices.enums import PracticeStatus
from tests.factories.practices import GoodPracticeFactory
from tests.html import parse

pytestmark = pytest.mark.django_db

PARIS_EN = "National authorities, local authorities and migration"
PARIS_FR = "Autorités nationales, autorités locales et migration"
PRACTICE_TITLE = (
    "Un guichet unique municipal pour l'accueil et l'intégration socio-économique des "
    "personnes migrantes"
)


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
