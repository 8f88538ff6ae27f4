"""Public meeting pages: home, meeting page, register page, in both languages."""

import datetime
import zoneinfo

import pytest
from django.utils import timezone
from django.utils.html import escape
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from convene.meetings.enums import MeetingStatus
from convene.meetings.models import Meeting
from tests.factories.meetings import MeetingFactory, SessionFactory, SpeakerFactory
from tests.html import parse

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
TITLE_EN = "National authorities, local authorities and migration"
TITLE_FR = "Autorités nationales, autorités locales et migration"
PROGRAMME_EN = [
    [
        "Arrival of participants and registration",
        "Opening session",
        "Forms of migration governance at local and national level",
        "Lunch",
        "The role of associations and networks of local authorities",
        "Conclusions of the first day",
    ],
    [
        "Reception and socio-economic inclusion of migrants at local level",
        "Lunch",
        "Practical exercises and exchange of good practices",
        "Conclusions and closing session",
    ],
]
PROGRAMME_FR = [
    [
        "Accueil des participants et enregistrement",
        "Séance d'ouverture",
        "Formes de gouvernance des migrations aux niveaux local et national",
        "Déjeuner",
        "Le rôle des associations et réseaux d'autorités locales",
        "Conclusions de la première journée",
    ],
    [
        "Accueil et inclusion socio-économique des migrants au niveau local",
        "Déjeuner",
        "Exercices pratiques et échange de bonnes pratiques",
        "Conclusions et séance de clôture",
    ],
]


def _section(page, title_id):
    return page.select_one(f"section[aria-labelledby={title_id}]")


def _card_titles(page, title_id):
    return _section(page, title_id).texts(".meeting-card h3")


def _upcoming(reference_data, **fields):
    """A published meeting, a month ahead unless the dates are given."""
    fields.setdefault("starts_on", timezone.localdate() + datetime.timedelta(days=30))
    fields.setdefault("ends_on", fields["starts_on"] + datetime.timedelta(days=1))
    return MeetingFactory(dialogue=reference_data, published=True, **fields)


def _facts(page):
    return {
        item.select_one("dt").text: item.select_one("dd").text
        for item in page.select(".facts > div")
    }


# --- Home ---


@pytest.mark.parametrize(("language", "title"), [("en", TITLE_EN), ("fr", TITLE_FR)])
def test_home_lists_paris_2021_among_past_meetings(client, demo_data, language, title):
    page = parse(client.get(f"/{language}/"))

    assert _card_titles(page, "past-title") == [title]
    assert title not in _card_titles(page, "upcoming-title")


def test_home_card_shows_dates_city_format_and_label_in_english(client, demo_data):
    card = _section(parse(client.get("/en/")), "past-title").select_one(".meeting-card")

    assert card.select_one(".meeting-meta").text == (
        "14-15 September 2021 · Paris · Hybrid (in person or by video-conference)"
    )
    assert card.select_one(".label-mark").text == "Rabat Process labelled meeting · led by France"
    assert card.select_one("h3 a").attrs["href"] == "/en/meetings/paris-2021/"


def test_home_card_shows_dates_city_format_and_label_in_french(client, demo_data):
    card = _section(parse(client.get("/fr/")), "past-title").select_one(".meeting-card")

    assert card.select_one(".meeting-meta").text == (
        "14-15 septembre 2021 · Paris · Hybride (en présentiel ou par visioconférence)"
    )
    assert card.select_one("h3 a").attrs["href"] == "/fr/meetings/paris-2021/"
    # The wording around the lead country is still being translated: content only.
    label = card.select_one(".label-mark").text
    assert label.startswith("Réunion labellisée Processus de Rabat · ")
    assert label.endswith("France")


def test_home_splits_upcoming_soonest_first_and_past_latest_first(client, reference_data):
    today = timezone.localdate()
    days = datetime.timedelta
    for title, starts_on, ends_on in [
        ("Later", today + days(40), today + days(41)),
        ("Sooner", today + days(9), today + days(10)),
        ("Ends today", today - days(1), today),
        ("Last year", today - days(365), today - days(364)),
        ("Yesterday", today - days(2), today - days(1)),
    ]:
        _upcoming(reference_data, title_en=title, starts_on=starts_on, ends_on=ends_on)

    page = parse(client.get("/en/"))

    assert _card_titles(page, "upcoming-title") == ["Ends today", "Sooner", "Later"]
    assert _card_titles(page, "past-title") == ["Yesterday", "Last year"]


def test_home_leaves_out_drafts_and_cancelled_meetings(client, reference_data):
    _upcoming(reference_data, title_en="Published one")
    MeetingFactory(dialogue=reference_data, title_en="Draft one")
    MeetingFactory(dialogue=reference_data, title_en="Cancelled one", status="cancelled")

    page = parse(client.get("/en/"))

    assert _card_titles(page, "upcoming-title") == ["Published one"]
    assert "Draft one" not in page.select_one("main").text
    assert "Cancelled one" not in page.select_one("main").text


def test_home_drafts_not_listed_even_for_the_secretariat(
    client, secretariat_officer, reference_data
):
    MeetingFactory(dialogue=reference_data, title_en="Draft one")
    client.force_login(secretariat_officer)

    page = parse(client.get("/en/"))

    assert _card_titles(page, "upcoming-title") == []


def test_home_labelled_mark_only_on_labelled_meetings(client, reference_data):
    senegal = reference_data.partners.get(code="SN")
    _upcoming(reference_data, title_en="Labelled", is_labelled=True, lead_partners=[senegal])
    _upcoming(reference_data, title_en="Not labelled", is_labelled=False, lead_partners=[senegal])

    cards = parse(client.get("/en/")).select(".meeting-card")

    assert [(card.select_one("h3").text, card.texts(".label-mark")) for card in cards] == [
        ("Labelled", ["Rabat Process labelled meeting · led by Senegal"]),
        ("Not labelled", []),
    ]


def test_home_empty_states_in_english(client, reference_data):
    page = parse(client.get("/en/"))

    assert _section(page, "upcoming-title").texts("p") == ["No meeting is announced yet."]
    assert _section(page, "past-title").texts("p") == ["No past meeting yet."]


def test_home_intro_names_the_dialogue_in_each_language(client, reference_data):
    english = parse(client.get("/en/"))
    french = parse(client.get("/fr/"))

    assert english.select_one("h1").text == "Euro-African Dialogue on Migration and Development"
    assert french.select_one("h1").text == (
        "Dialogue euro-africain sur la migration et le développement"
    )
    assert english.select_one("html").attrs["lang"] == "en"
    assert french.select_one("html").attrs["lang"] == "fr"


def test_root_redirects_to_the_visitors_language(client, db):
    assert client.get("/").headers["Location"] == "/en/"
    assert (
        client.get("/", headers={"accept-language": "fr-FR,fr;q=0.9"}).headers["Location"] == "/fr/"
    )


def test_home_queries_do_not_grow_with_meetings(
    client, demo_data, reference_data, django_assert_num_queries
):
    # Dialogue; upcoming meetings and their lead partners; past meetings and theirs.
    with django_assert_num_queries(5):
        client.get("/en/")
    partners = list(reference_data.partners.order_by("code")[:3])
    for _ in range(4):
        _upcoming(reference_data, is_labelled=True, lead_partners=partners)
        MeetingFactory(
            dialogue=reference_data, published=True, is_labelled=True, lead_partners=partners,
            starts_on=datetime.date(2020, 1, 1), ends_on=datetime.date(2020, 1, 2),
        )  # fmt: skip

    with django_assert_num_queries(5):
        response = client.get("/en/")

    assert len(parse(response).select(".meeting-card")) == Meeting.objects.published().count()


# --- Meeting page: Paris 2021 ---


@pytest.mark.parametrize(
    ("language", "title", "dialogue"),
    [("en", TITLE_EN, "Rabat Process"), ("fr", TITLE_FR, "Processus de Rabat")],
)
def test_meeting_page_title_in_each_language(client, demo_data, language, title, dialogue):
    page = parse(client.get(f"/{language}/meetings/paris-2021/"))

    assert page.select_one("h1").text == title
    assert page.select_one("title").text == f"{title} · {dialogue}"


def test_meeting_page_facts_in_english(client, demo_data):
    page = parse(client.get("/en/meetings/paris-2021/"))

    assert _facts(page) == {
        "Dates": "14-15 September 2021",
        "Place": "Paris, venue communicated to registered participants",
        "Time zone": "Europe/Paris (UTC+02:00)",
        "Format": "Hybrid (in person or by video-conference)",
    }
    assert page.select_one(".facts time").attrs["datetime"] == "2021-09-14"


def test_meeting_page_facts_in_french(client, demo_data):
    page = parse(client.get("/fr/meetings/paris-2021/"))

    assert _facts(page) == {
        "Dates": "14-15 septembre 2021",
        "Lieu": "Paris, lieu communiqué aux participants inscrits",
        "Fuseau horaire": "Europe/Paris (UTC+02:00)",
        "Format": "Hybride (en présentiel ou par visioconférence)",
    }


def test_meeting_page_label_mark_in_english(client, demo_data):
    mark = parse(client.get("/en/meetings/paris-2021/")).select_one("aside.label-mark")

    assert mark.select_one("h2").text == "Rabat Process labelled meeting"
    assert mark.texts("p")[:3] == [
        "Led by France.",
        "Organised by:",
        "With the support of the Secretariat of the Dialogue, implemented by the International "
        "Centre for Migration Policy Development (ICMPD).",
    ]
    assert mark.texts("li") == [
        "Ministry for Europe and Foreign Affairs (France)",
        "Ministry of the Interior (France)",
    ]


def test_meeting_page_label_mark_in_french(client, demo_data):
    mark = parse(client.get("/fr/meetings/paris-2021/")).select_one("aside.label-mark")

    assert mark.texts("li") == [
        "Ministère de l'Europe et des Affaires étrangères (France)",
        "Ministère de l'Intérieur (France)",
    ]
    assert mark.select_one("h2").text == "Réunion labellisée Processus de Rabat"
    # The sentences around the names are still being translated: content only.
    lead, _organised_by, support, *_rest = mark.texts("p")
    assert lead.endswith("France.")
    assert support.endswith(
        "le Centre international pour le développement des politiques migratoires (ICMPD)."
    )


def test_meeting_page_without_label_lists_organisers_only(client, reference_data):
    meeting = MeetingFactory(
        dialogue=reference_data, published=True, is_labelled=False, organisers_en="Ministry A"
    )

    page = parse(client.get(f"/en/meetings/{meeting.slug}/"))

    assert page.select("aside.label-mark") == []
    assert page.select_one("section[aria-labelledby=organisers-title]").texts("li") == [
        "Ministry A"
    ]


def test_meeting_page_no_secretariat_sentence_without_its_support(client, demo_data):
    Meeting.objects.filter(pk=demo_data.pk).update(secretariat_support=False)

    mark = parse(client.get("/en/meetings/paris-2021/")).select_one("aside.label-mark")

    assert "With the support of the Secretariat" not in mark.text


def test_meeting_page_description_structure_in_english(client, demo_data):
    description = parse(client.get("/en/meetings/paris-2021/")).select_one("section.description")

    assert [node.tag for node in description.child_nodes()] == [
        "h2", "p", "p", "h3", "p", "h3", "p", "p", "h3", "p", "ul",
    ]  # fmt: skip
    assert description.texts("h3") == [
        "Rabat Process labelled meeting",
        "The role of national and local authorities in migration governance",
        "Exploring multi-level governance and socio-economic inclusion",
    ]
    assert description.texts("p")[0] == (
        "Cities are on the front line in responding to the needs of migrants. Internationally, "
        "cities and local authorities are increasingly recognised as important actors in "
        "migration governance. In this context, France took the initiative to organise a meeting "
        'entitled "National authorities, local authorities and migration" within the framework '
        "of the Dialogue, in collaboration with the Secretariat of the Rabat Process, implemented "
        "by the International Centre for Migration Policy Development (ICMPD)."
    )
    items = description.texts("li")
    assert len(items) == 2
    assert items[0].startswith("Day one will explore different forms of migration governance")
    assert items[1].startswith("The programme of day two will focus specifically")


def test_meeting_page_description_in_french(client, demo_data):
    description = parse(client.get("/fr/meetings/paris-2021/")).select_one("section.description")

    assert description.texts("h3") == [
        "Réunion labellisée Processus de Rabat",
        "Le rôle des autorités nationales et locales dans la gestion des migrations",
        "Explorer la gouvernance multi-niveaux et l'inclusion socio-économique",
    ]
    assert description.texts("p")[1].startswith(
        "Cette réunion, qui aura lieu les 14 et 15 septembre 2021 à Paris"
    )


@pytest.mark.parametrize(("language", "programme"), [("en", PROGRAMME_EN), ("fr", PROGRAMME_FR)])
def test_meeting_page_programme_order_per_day(client, demo_data, language, programme):
    page = parse(client.get(f"/{language}/meetings/paris-2021/"))

    assert [day.texts("li.session h4") for day in page.select("section.programme-day")] == (
        programme
    )


def test_meeting_page_programme_days_and_times_in_english(client, demo_data):
    page = parse(client.get("/en/meetings/paris-2021/"))

    days = page.select("section.programme-day")
    assert [day.select_one("h3").text for day in days] == [
        "Day 1 · Tuesday 14 September 2021",
        "Day 2 · Wednesday 15 September 2021",
    ]
    assert days[0].texts(".session-time") == [
        f"{start}\N{EN DASH}{end} · {room}"
        for start, end, room in [
            ("09:00", "09:30", "Reception"),
            ("09:30", "10:00", "Plenary room"),
            ("10:00", "12:30", "Plenary room"),
            ("12:30", "14:00", "Restaurant"),
            ("14:00", "16:30", "Plenary room"),
            ("16:30", "17:00", "Plenary room"),
        ]
    ]
    assert page.select_one(".programme .hint").text == (
        "Times are local times at the venue (Europe/Paris)."
    )


def test_meeting_page_programme_day_names_in_french(client, demo_data):
    days = parse(client.get("/fr/meetings/paris-2021/")).select("section.programme-day")

    assert [day.select_one("h3").text for day in days] == [
        "Jour 1 · mardi 14 septembre 2021",
        "Jour 2 · mercredi 15 septembre 2021",
    ]


def test_meeting_page_session_machine_times_carry_the_venue_offset(client, demo_data):
    first = parse(client.get("/en/meetings/paris-2021/")).select(".session-time")[0]

    assert [time.attrs["datetime"] for time in first.select("time")] == [
        "2021-09-14T09:00:00+02:00",
        "2021-09-14T09:30:00+02:00",
    ]


def test_meeting_page_speakers_in_each_language(client, demo_data):
    english = parse(client.get("/en/meetings/paris-2021/"))
    french = parse(client.get("/fr/meetings/paris-2021/"))

    assert [session.texts(".speakers li") for session in english.select("li.session")] == [
        [],
        [
            "France, Ministry for Europe and Foreign Affairs (Opening remarks)",
            "ICMPD, Secretariat of the Rabat Process (Opening remarks)",
        ],
        ["France, Ministry of the Interior (Moderator)"],
        [], [], [], [], [], [],
        [
            "France, Ministry for Europe and Foreign Affairs (Closing remarks)",
            "ICMPD, Secretariat of the Rabat Process (Closing remarks)",
        ],
    ]  # fmt: skip
    assert french.select("li.session")[2].texts(".speakers li") == [
        "France, Ministère de l'Intérieur (Modération)"
    ]


def test_meeting_page_action_plan_alignment(client, demo_data):
    english = parse(client.get("/en/meetings/paris-2021/")).select_one("section.alignment")
    french = parse(client.get("/fr/meetings/paris-2021/")).select_one("section.alignment")

    assert english.texts("> ul > li") == [
        "Marrakesh Action Plan 2018-2020: domain 1, Development benefits of migration and "
        "addressing root causes of irregular migration and the phenomenon of displaced persons "
        "Objective 1: Maximise the positive impact of regular migration for development"
    ]
    assert french.select_one("> ul > li").text.startswith("Plan d'action de Marrakech 2018-2020")
    assert french.select_one("ul ul li").text.endswith(
        "Maximiser l'impact positif de la migration régulière pour le développement"
    )


def test_meeting_page_without_alignment_has_no_section(client, reference_data):
    meeting = MeetingFactory(dialogue=reference_data, published=True)

    page = parse(client.get(f"/en/meetings/{meeting.slug}/"))

    assert page.select("section.alignment") == []


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        (
            "en",
            "Who may register: representatives of the partner countries and organisations "
            "of the Rabat Process.",
        ),
        (
            "fr",
            "Qui peut s'inscrire : les représentants des pays et organisations "
            "partenaires du Processus de Rabat.",
        ),
    ],
)
def test_meeting_page_eligibility_and_register_link(client, demo_data, language, sentence):
    page = parse(client.get(f"/{language}/meetings/paris-2021/"))

    registration = page.select_one("section.registration")
    assert registration.texts("p")[0] == sentence
    # Registration is closed: no Register button, only the calendar file.
    assert [a.attrs["href"] for a in page.select("a.button")] == [
        f"/{language}/meetings/paris-2021/calendar.ics",
    ]


@pytest.mark.parametrize(
    ("language", "closed"), [("en", "The meeting is over."), ("fr", "La réunion est terminée.")]
)
def test_meeting_page_closed_registration_shows_no_register_button(
    client, demo_data, language, closed
):
    page = parse(client.get(f"/{language}/meetings/paris-2021/"))

    assert page.select("section.registration a.button") == []
    assert page.select_one("section.registration .window").text == closed


@pytest.mark.parametrize(("language", "register"), [("en", "Register"), ("fr", "S'inscrire")])
def test_meeting_page_open_registration_shows_register_buttons(
    client, demo_data, language, register
):
    page = parse(client.get(f"/{language}/meetings/example-workshop/"))

    buttons = page.select("a.button")
    assert [(a.text, a.attrs["href"]) for a in buttons if a.text == register] == [
        (register, f"/{language}/meetings/example-workshop/register/"),
    ] * 2


def test_meeting_page_not_yet_open_date_is_the_venue_date(client, reference_data):
    # 00:30 in Paris on 5 July is still 4 July in UTC, the server's zone.
    meeting = _upcoming(
        reference_data,
        time_zone="Europe/Paris",
        registration_opens_at=datetime.datetime(2031, 7, 5, 0, 30, tzinfo=PARIS),
        starts_on=datetime.date(2031, 9, 1),
        ends_on=datetime.date(2031, 9, 2),
    )

    page = parse(client.get(f"/en/meetings/{meeting.slug}/"))

    assert page.select_one("section.registration .window").text == (
        "Registration opens on 5 July 2031."
    )


def test_meeting_page_language_switch_links_the_same_page(client, demo_data):
    page = parse(client.get("/en/meetings/paris-2021/"))

    assert [a.attrs["href"] for a in page.select(".language-switch a")] == [
        "/fr/meetings/paris-2021/"
    ]


def test_meeting_page_escapes_html_in_content(client, reference_data):
    meeting = MeetingFactory(
        dialogue=reference_data,
        published=True,
        title_en="<b>Bold</b> title",
        description_en='Intro <script>alert("x")</script>\n\n## <em>Heading</em>',
    )

    response = client.get(f"/en/meetings/{meeting.slug}/")

    html = response.content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert '<h1 id="meeting-title">&lt;b&gt;Bold&lt;/b&gt; title</h1>' in html
    description = parse(response).select_one("section.description")
    assert description.texts("p") == ['Intro <script>alert("x")</script>']
    assert description.texts("h3") == ["<em>Heading</em>"]


def test_meeting_page_queries_do_not_grow_with_the_programme(
    client, demo_data, reference_data, django_assert_num_queries
):
    # Meeting with dialogue and host; lead partners; domains; their action plans;
    # objectives; sessions; speakers; published good practices; the dialogue for the
    # page frame.
    with django_assert_num_queries(9):
        client.get("/en/meetings/paris-2021/")
    demo_data.lead_partners.add(*reference_data.partners.filter(code__in=["SN", "MA", "ES"]))
    demo_data.domains.add(*reference_data.action_plans.get(code="CAP").domains.all())
    demo_data.objectives.add(*reference_data.action_plans.get(code="CAP").domains.get(
        number=3).objectives.all())  # fmt: skip
    for hour in (18, 19, 20):
        session = SessionFactory(
            meeting=demo_data,
            day=datetime.date(2021, 9, 15),
            start_time=datetime.time(hour),
            end_time=datetime.time(hour, 45),
        )
        SpeakerFactory.create_batch(3, session=session)

    with django_assert_num_queries(9):
        response = client.get("/en/meetings/paris-2021/")

    assert len(parse(response).select("li.session")) == 13


# --- Register page ---


@pytest.mark.parametrize(
    ("language", "title", "dates"),
    [("en", TITLE_EN, "14-15 September 2021"), ("fr", TITLE_FR, "14-15 septembre 2021")],
)
def test_register_page_closed_for_paris_2021(client, demo_data, language, title, dates):
    response = client.get(f"/{language}/meetings/paris-2021/register/")

    page = parse(response)
    assert response.status_code == 200
    assert page.select_one(".breadcrumb").text == f"{title} · {dates}"
    assert page.select_one(".breadcrumb a").attrs["href"] == f"/{language}/meetings/paris-2021/"
    assert page.select("form.registration-form") == []
    assert len(page.select(".notice")) == 1


@pytest.mark.parametrize(
    ("language", "notice"),
    [
        ("en", "The meeting is over."),
        ("fr", "La réunion est terminée."),
    ],
)
def test_register_page_closed_notice(client, demo_data, language, notice):
    page = parse(client.get(f"/{language}/meetings/paris-2021/register/"))

    assert page.select_one(".notice").text == notice


def test_register_page_not_yet_open_gives_the_opening_date(client, reference_data):
    meeting = _upcoming(
        reference_data,
        time_zone="Europe/Paris",
        starts_on=datetime.date(2031, 9, 1),
        registration_opens_at=datetime.datetime(2031, 7, 5, 9, 0, tzinfo=PARIS),
    )

    english = parse(client.get(f"/en/meetings/{meeting.slug}/register/"))
    french = parse(client.get(f"/fr/meetings/{meeting.slug}/register/"))

    assert english.select_one(".notice").text == "Registration opens on 5 July 2031."
    assert french.select_one(".notice").text == "Les inscriptions ouvriront le 5 juillet 2031."
    assert english.select("form.registration-form") == french.select("form") == []


def test_register_page_opening_date_is_the_venue_date(client, reference_data):
    # 00:30 in Paris on 5 July is still 4 July in UTC, the server's zone.
    meeting = _upcoming(
        reference_data,
        time_zone="Europe/Paris",
        starts_on=datetime.date(2031, 9, 1),
        registration_opens_at=datetime.datetime(2031, 7, 5, 0, 30, tzinfo=PARIS),
    )

    page = parse(client.get(f"/en/meetings/{meeting.slug}/register/"))

    assert page.select_one(".notice").text == "Registration opens on 5 July 2031."


def test_register_page_open_shows_the_form(client, reference_data):
    now = timezone.now()
    meeting = _upcoming(
        reference_data,
        registration_opens_at=now - datetime.timedelta(days=1),
        registration_closes_at=now + datetime.timedelta(days=10),
    )

    response = client.get(f"/en/meetings/{meeting.slug}/register/")

    page = parse(response)
    assert response.context["window"] == "open"
    assert page.select(".notice") == []
    form = page.select_one("form.registration-form")
    assert form.attrs["method"] == "post"
    assert form.select_one("button[type=submit]").text == "Register"


def test_meeting_page_window_label_when_open_gives_the_venue_closing_date(client, reference_data):
    # 00:30 in Paris on 20 August is still 19 August in UTC, the server's zone.
    meeting = _upcoming(
        reference_data,
        time_zone="Europe/Paris",
        starts_on=datetime.date(2031, 9, 1),
        registration_opens_at=timezone.now() - datetime.timedelta(days=1),
        registration_closes_at=datetime.datetime(2031, 8, 20, 0, 30, tzinfo=PARIS),
    )

    page = parse(client.get(f"/en/meetings/{meeting.slug}/"))

    assert page.select_one("section.registration .window").text == (
        "Registration is open until 20 August 2031."
    )


# --- Drafts, cancelled meetings, unknown addresses ---


@pytest.mark.parametrize("path", ["", "calendar.ics", "register/"])
@pytest.mark.parametrize(
    "persona",
    ["anonymous", "focal_point_france", "focal_point_senegal", "checkin_staff", "outsider"],
)
def test_draft_meeting_answers_404(client, request, organised_meeting, persona, path):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))

    response = client.get(f"/en/meetings/{organised_meeting.slug}/{path}")

    assert response.status_code == 404


@pytest.mark.parametrize("persona", ["secretariat_officer", "organiser"])
@pytest.mark.parametrize("language", ["en", "fr"])
def test_draft_meeting_preview_for_secretariat_and_its_organiser(
    client, request, organised_meeting, persona, language
):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(f"/{language}/meetings/{organised_meeting.slug}/")

    page = parse(response)
    assert response.status_code == 200
    title = organised_meeting.title_en if language == "en" else organised_meeting.title_fr
    assert page.select_one("h1").text == title
    assert len(page.select(".notice--warning")) == 1


@pytest.mark.parametrize(
    ("language", "notice"),
    [
        ("en", "Preview: this meeting is not public (Draft)."),
        ("fr", "Aperçu : cette réunion n'est pas publique (Brouillon)."),
    ],
)
def test_draft_meeting_preview_notice(
    client, secretariat_officer, organised_meeting, language, notice
):
    client.force_login(secretariat_officer)

    page = parse(client.get(f"/{language}/meetings/{organised_meeting.slug}/"))

    assert page.select_one(".notice--warning").text == notice


def test_draft_meeting_of_another_organiser_answers_404(client, organiser, reference_data):
    other = MeetingFactory(dialogue=reference_data)
    client.force_login(organiser)

    response = client.get(f"/en/meetings/{other.slug}/")

    assert response.status_code == 404


def test_published_meeting_has_no_preview_notice(client, demo_data):
    page = parse(client.get("/en/meetings/paris-2021/"))

    assert page.select(".notice--warning") == []


def test_cancelled_meeting_answers_404_to_the_public(client, reference_data):
    meeting = MeetingFactory(dialogue=reference_data, status="cancelled")

    assert client.get(f"/en/meetings/{meeting.slug}/").status_code == 404


@pytest.mark.parametrize("language", ["en", "fr"])
def test_unknown_meeting_answers_404(client, demo_data, language):
    response = client.get(f"/{language}/meetings/paris-2022/")

    assert response.status_code == 404
    assert parse(response).select_one("html").attrs["lang"] == language


@pytest.mark.parametrize(
    ("language", "heading"), [("en", "Page not found"), ("fr", "Page introuvable")]
)
def test_unknown_meeting_404_page_in_each_language(client, demo_data, language, heading):
    page = parse(client.get(f"/{language}/meetings/paris-2022/"))

    assert page.select_one("h1").text == heading


# --- Arbitrary input never breaks a page ---

SAFE_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=120,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(slug=SAFE_TEXT)
def test_meeting_address_with_arbitrary_text_never_fails(client, demo_data, slug):
    from urllib.parse import quote

    response = client.get("/en/meetings/" + quote(slug, safe="") + "/")

    if slug == "paris-2021":
        assert response.status_code == 200
    else:
        assert response.status_code == 404


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    title=SAFE_TEXT.filter(str.strip),
    text=SAFE_TEXT,
    description=st.lists(
        st.one_of(SAFE_TEXT, st.sampled_from(["## ", "- ", "• ", "\n", "\n\n", "<script>"])),
        max_size=12,
    ).map("".join),
)
# Found by Hypothesis: a line break in the title broke the calendar file.
@example(title="Paris\n2021", text="a\r\nb", description="## \n- \n\n<script>")
def test_meeting_page_with_arbitrary_content_never_fails(
    client, reference_data, title, text, description
):
    meeting = Meeting.objects.filter(slug="arbitrary").first() or MeetingFactory(
        dialogue=reference_data, slug="arbitrary", published=True, is_labelled=True
    )
    Meeting.objects.filter(pk=meeting.pk).update(
        title_en=title, title_fr=text, summary_en=text, description_en=description,
        description_fr=description, city_en=text, venue_en=text, organisers_en=text,
        eligibility_en=text, staff_note=text,
    )  # fmt: skip
    meeting.sessions.all().delete()
    session = SessionFactory(meeting=meeting, title_en=text, description_en=description)
    SpeakerFactory(session=session, name=text, affiliation_en=text, role_en=text)

    page = client.get("/en/meetings/arbitrary/")
    french = client.get("/fr/meetings/arbitrary/")
    calendar = client.get("/en/meetings/arbitrary/calendar.ics")
    home = client.get("/en/")

    assert (page.status_code, french.status_code, calendar.status_code, home.status_code) == (
        200,
        200,
        200,
        200,
    )
    assert escape(title) in page.content.decode()


def test_cancelled_meeting_stays_public_marked_cancelled(client, reference_data):
    meeting = _upcoming(reference_data, title_en="Cancelled workshop")
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.CANCELLED)

    page = parse(client.get(f"/en/meetings/{meeting.slug}/"))
    home = parse(client.get("/en/"))

    assert page.select_one("p.notice--warning").text == "This meeting is cancelled."
    assert page.select("section.registration a.button") == []
    assert page.select_one("section.registration .window").text == (
        "Registration is closed: the meeting is cancelled."
    )
    assert [card.select_one("h3").text for card in home.select(".meeting-card")] == [
        "Cancelled workshop Cancelled"
    ]


def test_meeting_cancelled_before_publication_stays_hidden(client, reference_data):
    meeting = MeetingFactory(dialogue=reference_data, status=MeetingStatus.CANCELLED)

    response = client.get(f"/en/meetings/{meeting.slug}/")

    assert response.status_code == 404
