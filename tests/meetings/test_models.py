import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from convene.meetings.enums import MeetingFormat, MeetingStatus, RegistrationWindow
from convene.meetings.models import Meeting, validate_time_zone
from tests.factories.meetings import MeetingFactory, SessionFactory

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def _paris(*args):
    return datetime.datetime(*args, tzinfo=PARIS)


# --- Database constraints ---


@pytest.mark.django_db
def test_meeting_ending_before_it_starts_is_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingFactory(starts_on=datetime.date(2031, 5, 2), ends_on=datetime.date(2031, 5, 1))


@pytest.mark.django_db
def test_meeting_on_a_single_day_is_accepted():
    meeting = MeetingFactory(starts_on=datetime.date(2031, 5, 2), ends_on=datetime.date(2031, 5, 2))

    assert meeting.days == [datetime.date(2031, 5, 2)]


@pytest.mark.django_db
def test_meeting_registration_closing_before_it_opens_is_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingFactory(
            registration_opens_at=_paris(2031, 4, 1, 9),
            registration_closes_at=_paris(2031, 4, 1, 9),
        )


@pytest.mark.django_db
def test_meeting_published_without_publication_date_is_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingFactory(status="published", published_at=None)


@pytest.mark.django_db
@pytest.mark.parametrize("end", [datetime.time(9, 0), datetime.time(8, 59)])
def test_session_not_ending_after_it_starts_is_refused(end):
    meeting = MeetingFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        SessionFactory(meeting=meeting, start_time=datetime.time(9, 0), end_time=end)


# --- Validation (forms and imports) ---


def test_validate_time_zone_accepts_an_iana_name():
    assert validate_time_zone("Africa/Dakar") is None


def test_validate_time_zone_refuses_an_unknown_name():
    with pytest.raises(ValidationError) as caught:
        validate_time_zone("Europe/Atlantis")

    assert caught.value.code == "invalid_time_zone"
    assert caught.value.messages == [
        "“Europe/Atlantis” is not a time zone name such as Europe/Paris or Africa/Dakar."
    ]


@pytest.mark.django_db
def test_meeting_clean_refuses_end_before_start():
    meeting = MeetingFactory.build(
        starts_on=datetime.date(2031, 5, 2), ends_on=datetime.date(2031, 5, 1)
    )

    with pytest.raises(ValidationError) as caught:
        meeting.clean()

    assert caught.value.message_dict == {
        "ends_on": ["The last day cannot be before the first day."]
    }


@pytest.mark.django_db
def test_session_clean_refuses_a_day_outside_the_meeting():
    meeting = MeetingFactory(starts_on=datetime.date(2031, 5, 1), ends_on=datetime.date(2031, 5, 2))
    session = SessionFactory.build(meeting=meeting, day=datetime.date(2031, 5, 3))

    with pytest.raises(ValidationError) as caught:
        session.clean()

    assert caught.value.message_dict == {"day": ["The day must fall within the meeting's dates."]}


@pytest.mark.django_db
def test_session_clean_refuses_end_before_start():
    meeting = MeetingFactory()
    session = SessionFactory.build(
        meeting=meeting, start_time=datetime.time(10), end_time=datetime.time(9, 30)
    )

    with pytest.raises(ValidationError) as caught:
        session.clean()

    assert caught.value.message_dict == {"end_time": ["A session must end after it starts."]}


# --- Properties ---


@pytest.mark.django_db
def test_session_times_are_wall_clock_times_at_the_venue():
    meeting = MeetingFactory(time_zone="Europe/Paris", starts_on=datetime.date(2021, 9, 14))
    session = SessionFactory(
        meeting=meeting, start_time=datetime.time(9, 30), end_time=datetime.time(10)
    )

    assert session.starts_at == _paris(2021, 9, 14, 9, 30)
    assert session.starts_at.tzinfo == PARIS
    assert session.starts_at.astimezone(datetime.UTC) == datetime.datetime(
        2021, 9, 14, 7, 30, tzinfo=datetime.UTC
    )
    assert session.ends_at == _paris(2021, 9, 14, 10, 0)


@pytest.mark.django_db
def test_session_str_gives_day_time_and_title():
    session = SessionFactory(
        meeting=MeetingFactory(starts_on=datetime.date(2031, 5, 1)),
        title_en="Opening",
        title_fr="Ouverture",
    )

    with translation.override("fr"):
        assert str(session) == "2031-05-01 09:00 Ouverture"


def test_meeting_days_lists_every_day():
    meeting = Meeting(starts_on=datetime.date(2021, 9, 14), ends_on=datetime.date(2021, 9, 16))

    assert meeting.days == [
        datetime.date(2021, 9, 14),
        datetime.date(2021, 9, 15),
        datetime.date(2021, 9, 16),
    ]


@pytest.mark.parametrize(
    ("meeting_format", "expected"),
    [(MeetingFormat.IN_PERSON, True), (MeetingFormat.HYBRID, True), (MeetingFormat.ONLINE, False)],
)
def test_meeting_accepts_in_person_by_format(meeting_format, expected):
    assert Meeting(format=meeting_format).accepts_in_person is expected


def test_meeting_str_falls_back_to_the_slug():
    assert str(Meeting(slug="untitled-2031")) == "untitled-2031"
    with translation.override("en"):
        assert str(Meeting(slug="x", title_en="Title", title_fr="Titre")) == "Title"


def test_meeting_absolute_url_in_the_active_language():
    meeting = Meeting(slug="paris-2021")

    with translation.override("fr"):
        french = meeting.get_absolute_url()
    with translation.override("en"):
        english = meeting.get_absolute_url()

    assert (english, french) == ("/en/meetings/paris-2021/", "/fr/meetings/paris-2021/")


@pytest.mark.django_db
def test_meeting_published_queryset_leaves_out_drafts_and_cancelled():
    published = MeetingFactory(published=True)
    MeetingFactory()
    MeetingFactory(status="cancelled")

    assert list(Meeting.objects.published().values_list("pk", flat=True)) == [published.pk]


# --- Registration window ---


def _meeting(opens=None, closes=None, starts=(2031, 5, 1), ends=(2031, 5, 2)):
    return Meeting(
        time_zone="Europe/Paris",
        starts_on=datetime.date(*starts),
        ends_on=datetime.date(*ends),
        registration_opens_at=opens,
        registration_closes_at=closes,
    )


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (_paris(2031, 3, 31, 23, 59), RegistrationWindow.NOT_YET_OPEN),
        (_paris(2031, 4, 1, 9, 0), RegistrationWindow.OPEN),
        (_paris(2031, 4, 20, 23, 58), RegistrationWindow.OPEN),
        (_paris(2031, 4, 20, 23, 59), RegistrationWindow.CLOSED),
        (_paris(2031, 6, 1), RegistrationWindow.CLOSED),
    ],
)
def test_registration_window_follows_the_dates(now, expected):
    meeting = _meeting(opens=_paris(2031, 4, 1, 9), closes=_paris(2031, 4, 20, 23, 59))

    assert meeting.registration_window(now) == expected


def test_registration_window_not_scheduled_before_a_meeting_without_dates():
    assert (
        _meeting().registration_window(_paris(2031, 5, 2, 23)) == RegistrationWindow.NOT_SCHEDULED
    )


def test_registration_window_closed_after_a_meeting_without_dates():
    # Midnight has passed at the venue: the meeting is over there.
    now = datetime.datetime(2031, 5, 2, 22, 30, tzinfo=datetime.UTC)

    assert _meeting().registration_window(now) == RegistrationWindow.CLOSED


def test_registration_window_open_until_the_closing_date_when_no_opening_date():
    meeting = _meeting(closes=_paris(2031, 4, 20))

    assert meeting.registration_window(_paris(2031, 1, 1)) == RegistrationWindow.OPEN
    assert meeting.registration_window(_paris(2031, 4, 20)) == RegistrationWindow.CLOSED


def test_registration_window_closed_after_the_meeting_when_no_closing_date():
    meeting = _meeting(opens=_paris(2031, 4, 1))

    assert meeting.registration_window(_paris(2031, 5, 2, 18)) == RegistrationWindow.OPEN
    assert meeting.registration_window(_paris(2031, 5, 3, 9)) == RegistrationWindow.CLOSED


@pytest.mark.parametrize(
    ("now", "english", "french"),
    [
        (
            _paris(2031, 3, 31, 23, 59),
            "Registration opens on 1 April 2031.",
            "Les inscriptions ouvriront le 1er avril 2031.",
        ),
        (
            _paris(2031, 4, 1, 9, 0),
            "Registration is open until 20 April 2031.",
            "Les inscriptions sont ouvertes jusqu'au 20 avril 2031.",
        ),
        (
            _paris(2031, 4, 20, 23, 59),
            "Registration closed on 20 April 2031.",
            "Les inscriptions sont closes depuis le 20 avril 2031.",
        ),
        (
            _paris(2031, 5, 3, 0, 0),
            "The meeting is over.",
            "La réunion est terminée.",
        ),
    ],
)
def test_registration_status_says_where_the_window_stands(now, english, french):
    meeting = _meeting(opens=_paris(2031, 4, 1, 9), closes=_paris(2031, 4, 20, 23, 59))

    with translation.override("en"):
        in_english = meeting.registration_status(now)
    with translation.override("fr"):
        in_french = meeting.registration_status(now)

    assert (in_english, in_french) == (english, french)


def test_registration_status_open_without_a_closing_date():
    meeting = _meeting(opens=_paris(2031, 4, 1))

    with translation.override("fr"):
        assert meeting.registration_status(_paris(2031, 4, 2)) == "Les inscriptions sont ouvertes."
    with translation.override("en"):
        assert meeting.registration_status(_paris(2031, 4, 2)) == "Registration is open."


def test_registration_status_without_dates_announces_them():
    with translation.override("en"):
        status = _meeting().registration_status(_paris(2031, 4, 2))

    assert status == "The registration dates will be announced soon."


def test_registration_status_of_a_cancelled_meeting_says_so_even_while_the_window_runs():
    meeting = _meeting(opens=_paris(2031, 4, 1), closes=_paris(2031, 4, 20))
    meeting.status = MeetingStatus.CANCELLED

    with translation.override("fr"):
        status = meeting.registration_status(_paris(2031, 4, 2))

    assert status == "Les inscriptions sont closes\xa0: la réunion est annulée."


def test_registration_status_dates_are_the_venue_dates():
    # 23:30 UTC on 31 March is already 1 April, 01:30, in Paris.
    meeting = _meeting(opens=datetime.datetime(2031, 3, 31, 23, 30, tzinfo=datetime.UTC))

    with translation.override("en"):
        status = meeting.registration_status(_paris(2031, 3, 1))

    assert status == "Registration opens on 1 April 2031."


def test_meeting_is_over_once_its_last_day_has_passed_at_the_venue():
    meeting = _meeting(ends=(2031, 5, 2))

    assert [
        meeting.is_over(moment) for moment in (_paris(2031, 5, 2, 23, 59), _paris(2031, 5, 3, 0, 0))
    ] == [False, True]


def test_meeting_is_held_on_its_days_only():
    meeting = _meeting(starts=(2031, 5, 1), ends=(2031, 5, 2))

    days = [datetime.date(2031, 4, 30), *meeting.days, datetime.date(2031, 5, 3)]

    assert [meeting.is_held_on(day) for day in days] == [False, True, True, False]


def test_registration_window_defaults_to_now():
    meeting = _meeting(starts=(2021, 9, 14), ends=(2021, 9, 15))

    assert meeting.registration_window() == RegistrationWindow.CLOSED
    assert timezone.now().year > 2021


@pytest.mark.parametrize(
    ("meeting_format", "room", "language", "expected"),
    [
        (MeetingFormat.IN_PERSON, "", "en", "Hotel Farah, Rabat"),
        (MeetingFormat.HYBRID, "Room A", "en", "Room A, Hotel Farah, Rabat"),
        (MeetingFormat.ONLINE, "Room A", "en", "Online"),
        (MeetingFormat.ONLINE, "", "fr", "En ligne"),
    ],
)
def test_meeting_location_leaves_out_empty_parts_and_says_online(
    meeting_format, room, language, expected
):
    meeting = MeetingFactory.build(
        format=meeting_format,
        venue_en="Hotel Farah",
        venue_fr="Hôtel Farah",
        city_en="Rabat",
        city_fr="Rabat",
        host_country=None,
    )

    with translation.override(language):
        assert meeting.location(room) == expected
