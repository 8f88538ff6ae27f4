"""The iCalendar file of a meeting, read back with the icalendar library."""

import datetime
import zoneinfo

import icalendar
import pytest
from django.utils import translation

from convene.meetings.calendar import meeting_calendar
from convene.meetings.enums import MeetingFormat
from tests.factories.meetings import MeetingFactory, SessionFactory, SpeakerFactory

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
TITLE_EN = "National authorities, local authorities and migration"
TITLE_FR = "Autorités nationales, autorités locales et migration"
# (day, start, end, English title, French title) of the Paris 2021 programme.
PROGRAMME = [
    (14, (9, 0), (9, 30), "Arrival of participants and registration",
     "Accueil des participants et enregistrement"),
    (14, (9, 30), (10, 0), "Opening session", "Séance d'ouverture"),
    (14, (10, 0), (12, 30), "Forms of migration governance at local and national level",
     "Formes de gouvernance des migrations aux niveaux local et national"),
    (14, (12, 30), (14, 0), "Lunch", "Déjeuner"),
    (14, (14, 0), (16, 30), "The role of associations and networks of local authorities",
     "Le rôle des associations et réseaux d'autorités locales"),
    (14, (16, 30), (17, 0), "Conclusions of the first day", "Conclusions de la première journée"),
    (15, (9, 30), (12, 30), "Reception and socio-economic inclusion of migrants at local level",
     "Accueil et inclusion socio-économique des migrants au niveau local"),
    (15, (12, 30), (14, 0), "Lunch", "Déjeuner"),
    (15, (14, 0), (16, 0), "Practical exercises and exchange of good practices",
     "Exercices pratiques et échange de bonnes pratiques"),
    (15, (16, 0), (16, 30), "Conclusions and closing session", "Conclusions et séance de clôture"),
]  # fmt: skip


def _paris(day, hour_minute):
    return datetime.datetime(2021, 9, day, *hour_minute, tzinfo=PARIS)


def _events(content):
    return icalendar.Calendar.from_ical(content).walk("VEVENT")


def _times(event):
    start, end = event["DTSTART"].dt, event["DTEND"].dt
    return (start, end, str(start.tzinfo), str(end.tzinfo))


def test_calendar_view_serves_text_calendar_as_an_attachment(client, demo_data):
    response = client.get("/en/meetings/paris-2021/calendar.ics")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="paris-2021.ics"'


def test_calendar_with_a_programme_has_one_event_per_session_and_none_for_the_meeting(
    client, demo_data
):
    events = _events(client.get("/en/meetings/paris-2021/calendar.ics").content)

    session_ids = demo_data.sessions.order_by("day", "start_time").values_list("pk", flat=True)
    assert [str(event["UID"]) for event in events] == [
        f"session-{pk}@127.0.0.1" for pk in session_ids
    ]
    assert TITLE_EN not in [str(event["SUMMARY"]) for event in events]
    assert [event.get("RELATED-TO") for event in events] == [None] * 10


def test_calendar_session_location_is_room_venue_city_country(client, demo_data):
    english = _events(client.get("/en/meetings/paris-2021/calendar.ics").content)
    french = _events(client.get("/fr/meetings/paris-2021/calendar.ics").content)

    assert (str(english[1]["LOCATION"]), str(french[1]["LOCATION"])) == (
        "Plenary room, venue communicated to registered participants, Paris, France",
        "Salle plénière, lieu communiqué aux participants inscrits, Paris, France",
    )
    assert str(english[1]["URL"]) == "http://testserver/en/meetings/paris-2021/"
    assert english[1]["DTSTART"].params["TZID"] == "Europe/Paris"


def test_calendar_session_events_at_exact_local_times(client, demo_data):
    events = _events(client.get("/en/meetings/paris-2021/calendar.ics").content)

    assert [(str(event["SUMMARY"]), *_times(event)) for event in events] == [
        (f"{title} ({TITLE_EN})", _paris(day, start), _paris(day, end), "Europe/Paris",
         "Europe/Paris")
        for day, start, end, title, _french in PROGRAMME
    ]  # fmt: skip


def test_calendar_session_times_in_utc_are_two_hours_earlier(client, demo_data):
    opening = _events(client.get("/en/meetings/paris-2021/calendar.ics").content)[1]

    assert opening["DTSTART"].dt.astimezone(datetime.UTC) == datetime.datetime(
        2021, 9, 14, 7, 30, tzinfo=datetime.UTC
    )


def test_calendar_summaries_in_french_on_the_french_address(client, demo_data):
    events = _events(client.get("/fr/meetings/paris-2021/calendar.ics").content)

    assert [str(event["SUMMARY"]) for event in events] == [
        f"{french} ({TITLE_FR})" for *_times_, french in PROGRAMME
    ]
    assert str(events[0]["URL"]) == "http://testserver/fr/meetings/paris-2021/"
    assert str(events[1]["DESCRIPTION"]).split("\n\n")[1] == "Intervenants\xa0: France, ICMPD"


def test_calendar_declares_the_venue_time_zone(client, demo_data):
    calendar = icalendar.Calendar.from_ical(
        client.get("/en/meetings/paris-2021/calendar.ics").content
    )

    assert [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    assert str(calendar["X-WR-CALNAME"]) == TITLE_EN
    assert str(calendar["VERSION"]) == "2.0"


def test_calendar_session_description_names_speakers_and_links_the_page(client, demo_data):
    opening = _events(client.get("/en/meetings/paris-2021/calendar.ics").content)[1]

    assert str(opening["DESCRIPTION"]) == (
        "Welcome by the French co-organisers and the Secretariat of the Rabat Process; "
        "objectives of the meeting.\n\n"
        "Speakers: France, ICMPD\n\n"
        "http://testserver/en/meetings/paris-2021/"
    )


def test_calendar_uids_use_the_site_host(client, demo_data, settings):
    settings.SITE_URL = "https://convene.example.org"

    events = _events(client.get("/en/meetings/paris-2021/calendar.ics").content)

    session_ids = demo_data.sessions.order_by("day", "start_time").values_list("pk", flat=True)
    assert [str(event["UID"]) for event in events] == [
        f"session-{pk}@convene.example.org" for pk in session_ids
    ]


def test_calendar_without_programme_is_an_all_day_event(reference_data):
    meeting = MeetingFactory(
        dialogue=reference_data,
        starts_on=datetime.date(2031, 5, 1),
        ends_on=datetime.date(2031, 5, 2),
        published=True,
    )

    with translation.override("en"):
        events = _events(meeting_calendar(meeting, page_url="https://example.org/m/"))

    assert len(events) == 1
    assert (events[0]["DTSTART"].dt, events[0]["DTEND"].dt) == (
        datetime.date(2031, 5, 1),
        datetime.date(2031, 5, 3),
    )


def test_calendar_in_another_time_zone(reference_data):
    lagos = zoneinfo.ZoneInfo("Africa/Lagos")
    meeting = MeetingFactory(
        dialogue=reference_data, time_zone="Africa/Lagos", starts_on=datetime.date(2031, 5, 1)
    )
    session = SessionFactory(
        meeting=meeting, start_time=datetime.time(9, 0), end_time=datetime.time(10, 30)
    )
    SpeakerFactory(session=session, name="Awa Ndiaye")

    with translation.override("en"):
        content = meeting_calendar(meeting, page_url="https://example.org/m/")

    calendar = icalendar.Calendar.from_ical(content)
    session_event = calendar.walk("VEVENT")[0]
    assert _times(session_event) == (
        datetime.datetime(2031, 5, 1, 9, 0, tzinfo=lagos),
        datetime.datetime(2031, 5, 1, 10, 30, tzinfo=lagos),
        "Africa/Lagos",
        "Africa/Lagos",
    )
    assert [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")] == ["Africa/Lagos"]
    assert "Speakers: Awa Ndiaye" in str(session_event["DESCRIPTION"])


def test_calendar_in_a_zone_at_utc_gives_the_same_wall_clock_time(reference_data):
    # icalendar writes zones that are always at UTC+00:00 (Dakar) as UTC.
    meeting = MeetingFactory(
        dialogue=reference_data, time_zone="Africa/Dakar", starts_on=datetime.date(2031, 5, 1)
    )
    SessionFactory(meeting=meeting, start_time=datetime.time(9, 0), end_time=datetime.time(10))

    with translation.override("en"):
        session_event = _events(meeting_calendar(meeting, page_url="https://example.org/m/"))[0]

    start = session_event["DTSTART"].dt
    assert start == datetime.datetime(2031, 5, 1, 9, 0, tzinfo=zoneinfo.ZoneInfo("Africa/Dakar"))
    assert (start.hour, start.minute, start.utcoffset()) == (9, 0, datetime.timedelta(0))


def test_calendar_of_a_draft_hidden_from_the_public(client, organised_meeting):
    response = client.get(f"/en/meetings/{organised_meeting.slug}/calendar.ics")

    assert response.status_code == 404


def test_calendar_of_a_draft_for_its_organiser(client, organiser, organised_meeting):
    client.force_login(organiser)

    response = client.get(f"/en/meetings/{organised_meeting.slug}/calendar.ics")

    assert response.status_code == 200
    assert [str(e["SUMMARY"]) for e in _events(response.content)] == [organised_meeting.title_en]


def test_calendar_name_stays_on_one_line_when_the_title_has_a_line_break(reference_data):
    meeting = MeetingFactory(dialogue=reference_data, title_en="Paris\n2021;  meeting, hybrid")

    with translation.override("en"):
        content = meeting_calendar(meeting, page_url="https://example.org/m/")

    calendar = icalendar.Calendar.from_ical(content)
    assert str(calendar["X-WR-CALNAME"]) == "Paris 2021; meeting, hybrid"
    assert str(calendar.walk("VEVENT")[0]["SUMMARY"]) == "Paris\n2021;  meeting, hybrid"


@pytest.mark.parametrize(
    ("language", "location"),
    [
        ("en", "Palais des congrès, Dakar, Senegal"),
        ("fr", "Centre de conférences, Dakar, Sénégal"),
    ],
)
def test_calendar_without_programme_location_is_venue_city_country(
    reference_data, language, location
):
    meeting = MeetingFactory(
        dialogue=reference_data,
        venue_en="Palais des congrès",
        venue_fr="Centre de conférences",
        city_en="Dakar",
        city_fr="Dakar",
        host_country=reference_data.partners.get(code="SN"),
    )

    with translation.override(language):
        events = _events(meeting_calendar(meeting, page_url="https://example.org/m/"))

    assert [(str(event["UID"]).split("@")[0], str(event["LOCATION"])) for event in events] == [
        (f"meeting-{meeting.pk}", location)
    ]


def test_calendar_location_leaves_out_empty_parts(reference_data):
    meeting = MeetingFactory(
        dialogue=reference_data, venue_en="", venue_fr="", city_en="Rabat", host_country=None
    )
    SessionFactory(meeting=meeting, room_en="")

    with translation.override("en"):
        events = _events(meeting_calendar(meeting, page_url="https://example.org/m/"))

    assert [str(event["LOCATION"]) for event in events] == ["Rabat"]


@pytest.mark.parametrize(("language", "location"), [("en", "Online"), ("fr", "En ligne")])
def test_calendar_location_of_an_online_meeting_says_so(reference_data, language, location):
    meeting = MeetingFactory(
        dialogue=reference_data,
        format=MeetingFormat.ONLINE,
        venue_en="Zoom",
        city_en="Brussels",
        host_country=reference_data.partners.get(code="BE"),
    )
    SessionFactory(meeting=meeting, room_en="Room 1", room_fr="Salle 1")

    with translation.override(language):
        events = _events(meeting_calendar(meeting, page_url="https://example.org/m/"))

    assert [str(event["LOCATION"]) for event in events] == [location]
