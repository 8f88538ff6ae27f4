"""The live attendance panel, its figures and the day's attendance sheet (PDF)."""

import datetime
import io
import re

import pypdf
import pytest

from convene.core.models import AuditEntry
from convene.meetings.enums import Category
from convene.onsite.enums import OnsiteAuditAction
from convene.onsite.selectors import AttendanceRow, attendance_figures
from convene.registrations.enums import LevelOfGovernment, Participation, RegistrationStatus
from tests.factories.core import CheckinRoleFactory, OrganiserRoleFactory
from tests.factories.onsite import AttendanceFactory
from tests.factories.registrations import RegistrationFactory
from tests.html import parse

pytestmark = pytest.mark.django_db

URL = "/{language}/meetings/dakar-workshop/attendance/"


def at_venue(meeting, day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=meeting.tzinfo)


@pytest.fixture
def present_on_day_one(meeting, make_registration, france):
    """Four delegates expected in person on 1 September, three of them present:
    - Senegal: Awa Ndiaye (national, in at 09:12), Moussa Sow (local, absent);
    - France: Claire Martin (national, in at 08:55);
    - no delegation: Fatou Diop of the city of Dakar (local authority, local, in at 10:03).
    Also an online delegate and a cancelled one checked in before their cancellation,
    neither expected, neither counted; and Moussa present on day 2 only."""
    day = meeting.starts_on
    awa = make_registration(function="Director", institution="Ministry of the Interior")
    moussa = make_registration(
        first_name="Moussa",
        last_name="Sow",
        email="moussa@example.org",
        reference="MOUSSA31",
        level_of_government=LevelOfGovernment.LOCAL,
        function="Mayor's adviser",
        institution="Commune de Pikine",
    )
    claire = make_registration(
        first_name="Claire",
        last_name="Martin",
        email="claire@example.org",
        reference="CLAIRE31",
        delegation=france,
        function="Head of unit",
        institution="Ministère de l\u2019Intérieur",
    )
    fatou = make_registration(
        first_name="Fatou",
        last_name="Diop",
        email="fatou@example.org",
        reference="FATOU031",
        delegation=None,
        category=Category.LOCAL_AUTHORITY,
        level_of_government=LevelOfGovernment.LOCAL,
        function="Deputy mayor",
        institution="Ville de Dakar",
    )
    online = make_registration(
        first_name="Omar",
        last_name="Ba",
        email="omar@example.org",
        reference="OMAR0031",
        participation=Participation.ONLINE,
    )
    cancelled = make_registration(
        first_name="Jean",
        last_name="Dupont",
        email="jean@example.org",
        reference="JEAN0031",
        delegation=france,
        status=RegistrationStatus.CANCELLED,
    )
    for registration, (hour, minute) in [
        (awa, (9, 12)),
        (claire, (8, 55)),
        (fatou, (10, 3)),
        (online, (9, 0)),
        (cancelled, (9, 1)),
    ]:
        AttendanceFactory(
            registration=registration,
            day=day,
            checked_in_at=at_venue(meeting, day, hour, minute),
        )
    AttendanceFactory(
        registration=moussa,
        day=meeting.ends_on,
        checked_in_at=at_venue(meeting, meeting.ends_on, 9, 30),
    )
    return {"awa": awa, "moussa": moussa, "claire": claire, "fatou": fatou}


# --- figures -------------------------------------------------------------------------


def test_attendance_figures_count_present_against_expected(meeting, present_on_day_one):
    figures = attendance_figures(meeting, meeting.starts_on)

    assert figures.total == AttendanceRow("All delegates", 3, 4)
    assert figures.total.percent == 75
    assert figures.by_delegation == [
        AttendanceRow("France", 1, 1),
        AttendanceRow("Senegal", 1, 2),
        AttendanceRow("Without a delegation", 1, 1),
    ]
    assert figures.by_category == [
        AttendanceRow("A partner country", 2, 3),
        AttendanceRow("A local authority (invited)", 1, 1),
    ]
    assert figures.by_level == [
        AttendanceRow("National authority", 2, 2),
        AttendanceRow("Local authority", 1, 2),
    ]
    assert [row.percent for row in figures.by_category] == [67, 100]


def test_attendance_figures_of_day_two_count_that_day_only(meeting, present_on_day_one):
    figures = attendance_figures(meeting, meeting.ends_on)

    assert figures.total == AttendanceRow("All delegates", 1, 4)
    assert figures.by_delegation == [
        AttendanceRow("France", 0, 1),
        AttendanceRow("Senegal", 1, 2),
        AttendanceRow("Without a delegation", 0, 1),
    ]


def test_attendance_figures_without_anyone_expected_are_zero(meeting):
    figures = attendance_figures(meeting, meeting.starts_on)

    assert figures.total == AttendanceRow("All delegates", 0, 0)
    assert figures.total.percent == 0
    assert (figures.by_delegation, figures.by_category, figures.by_level) == ([], [], [])


def test_attendance_figures_sort_delegations_by_their_french_names(
    meeting, present_on_day_one, reference_data, make_registration
):
    from django.utils import translation

    germany = reference_data.partners.get(code="DE")
    make_registration(email="hans@example.org", reference="HANS0031", delegation=germany)

    with translation.override("fr"):
        figures = attendance_figures(meeting, meeting.starts_on)

    assert [row.label for row in figures.by_delegation] == [
        "Allemagne",
        "France",
        "Sénégal",
        "Sans délégation",
    ]


def test_attendance_figures_take_one_query_whatever_the_delegations(
    meeting, present_on_day_one, reference_data, make_registration, django_assert_num_queries
):
    with django_assert_num_queries(1):
        attendance_figures(meeting, meeting.starts_on)
    for number, code in enumerate(["DE", "ES", "IT", "MA", "ML"]):
        make_registration(
            email=f"more{number}@example.org",
            reference=f"MORE{number:04d}",
            delegation=reference_data.partners.get(code=code),
        )

    with django_assert_num_queries(1):
        figures = attendance_figures(meeting, meeting.starts_on)

    assert len(figures.by_delegation) == 8


# --- the panel, per persona ----------------------------------------------------------


@pytest.fixture
def organiser_of_meeting(meeting):
    return OrganiserRoleFactory(meeting=meeting, user__email="org@example.org").user


def test_panel_for_the_secretariat_shows_the_day_and_its_figures(
    meeting, present_on_day_one, secretariat_officer, client, on_the_day
):
    client.force_login(secretariat_officer)

    response = client.get(URL.format(language="en"))

    assert response.status_code == 200
    page = parse(response)
    assert page.select_one("#attendance-day-title").text == "Monday 1 September 2031"
    assert page.select_one("#attendance-total").text == "3 present of 4 expected (75%)"
    assert page.select_one("#attendance-updated").text == "Last updated 12:00:00"
    rows = [
        [row.select_one("th").text, *(cell.text for cell in row.select("td"))]
        for row in page.select("#attendance-by-delegation tbody tr")
    ]
    assert rows == [
        ["France", "1", "1", "100%"],
        ["Senegal", "1", "2", "50%"],
        ["Without a delegation", "1", "1", "100%"],
    ]
    levels = [row.select_one("th").text for row in page.select("#attendance-by-level tbody tr")]
    assert levels == ["National authority", "Local authority"]
    live = page.select_one("#attendance-live")
    assert live.attrs["hx-get"] == "/en/meetings/dakar-workshop/attendance/2031-09-01/figures/"
    assert live.attrs["hx-trigger"] == "every 15s"
    days = [
        (a.attrs["href"], a.attrs.get("aria-current")) for a in page.select(".attendance-days a")
    ]
    assert days == [
        ("/en/meetings/dakar-workshop/attendance/2031-09-01/", "page"),
        ("/en/meetings/dakar-workshop/attendance/2031-09-02/", None),
    ]
    assert page.select_one("#attendance-sheet").attrs["href"] == (
        "/en/meetings/dakar-workshop/attendance/2031-09-01/sheet.pdf"
    )
    assert response["Cache-Control"] == "private, no-store"


def test_panel_defaults_to_the_first_day_outside_the_meeting(
    meeting, present_on_day_one, secretariat_officer, client
):
    client.force_login(secretariat_officer)

    page = parse(client.get(URL.format(language="en")))

    assert page.select_one("#attendance-day-title").text == "Monday 1 September 2031"


def test_panel_of_day_two_in_french(meeting, present_on_day_one, organiser_of_meeting, client):
    client.force_login(organiser_of_meeting)

    response = client.get(URL.format(language="fr") + "2031-09-02/")

    assert response.status_code == 200
    page = parse(response)
    assert page.select_one("h1").text == "Présence"
    assert page.select_one("#attendance-day-title").text == "mardi 2 septembre 2031"
    assert (
        page.select_one("#attendance-total").text == "Présence : 1 sur 4 attendus (25 %)"
    )  # spaces: non-breaking, read as spaces
    labels = [
        row.select_one("th").text for row in page.select("#attendance-by-delegation tbody tr")
    ]
    assert labels == ["France", "Sénégal", "Sans délégation"]


def test_fragment_is_the_figures_alone(meeting, present_on_day_one, secretariat_officer, client):
    client.force_login(secretariat_officer)

    response = client.get(URL.format(language="en") + "2031-09-01/figures/")

    assert response.status_code == 200
    content = response.content.decode()
    assert "<html" not in content
    page = parse(response)
    assert page.select_one("#attendance-total").text == "3 present of 4 expected (75%)"


@pytest.mark.parametrize("day", ["2031-09-03", "2031-08-31", "yesterday", "2031-02-30"])
@pytest.mark.parametrize("suffix", ["", "figures/", "sheet.pdf"])
def test_a_day_outside_the_meeting_is_a_page_in_words(
    meeting, secretariat_officer, client, day, suffix
):
    client.force_login(secretariat_officer)

    response = client.get(URL.format(language="en") + f"{day}/{suffix}")

    assert response.status_code == 404
    assert parse(response).select_one("#attendance-unknown-day").text == (
        "This address names no day of the meeting. Choose a day from the attendance page."
    )


@pytest.mark.parametrize(
    "suffix", ["", "2031-09-01/", "2031-09-01/figures/", "2031-09-01/sheet.pdf"]
)
@pytest.mark.parametrize(
    "persona", ["checkin", "checkin_elsewhere", "focal_point", "other_organiser", "outsider"]
)
def test_panel_and_sheet_are_refused_to_others(
    meeting, other_meeting, focal_point_senegal, outsider, client, persona, suffix
):
    users = {
        "checkin": lambda: CheckinRoleFactory(meeting=meeting).user,
        "checkin_elsewhere": lambda: CheckinRoleFactory(meeting=other_meeting).user,
        "focal_point": lambda: focal_point_senegal,
        "other_organiser": lambda: OrganiserRoleFactory(meeting=other_meeting).user,
        "outsider": lambda: outsider,
    }
    client.force_login(users[persona]())

    response = client.get(URL.format(language="en") + suffix)

    assert response.status_code == 403
    assert not AuditEntry.objects.filter(
        action=OnsiteAuditAction.ATTENDANCE_SHEET_DOWNLOADED
    ).exists()


def test_fragment_refuses_anonymous_visitors_rather_than_showing_a_sign_in_form(meeting, client):
    response = client.get(URL.format(language="en") + "2031-09-01/figures/")

    assert response.status_code == 403


def test_panel_sends_anonymous_visitors_to_sign_in(meeting, client):
    response = client.get(URL.format(language="en"))

    assert response.status_code == 302
    assert response["Location"] == (
        "/en/accounts/login/?next=/en/meetings/dakar-workshop/attendance/"
    )


# --- the sheet -----------------------------------------------------------------------


def pdf_lines(content: bytes) -> list[list[str]]:
    """The text of each page of a PDF, line by line."""
    return [
        # pypdf reads a kerned "r," as two words ("Dakar , Senegal"): the space is its guess.
        [re.sub(r" +,", ",", line.strip()) for line in page.extract_text().splitlines()]
        for page in pypdf.PdfReader(io.BytesIO(content)).pages
    ]


HEAD_EN = [
    "Dakar workshop",
    "Attendance sheet · Monday 1 September 2031",
    "King Fahd Palace, Dakar, Senegal",
]


def test_sheet_lists_the_expected_by_delegation_with_their_times(
    meeting, present_on_day_one, secretariat_officer, client
):
    client.force_login(secretariat_officer)

    response = client.get(URL.format(language="en") + "2031-09-01/sheet.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="attendance-dakar-workshop-2031-09-01.pdf"'
    )
    (page,) = pdf_lines(response.content)
    # The running head (meeting, day, venue) is read after the page's body.
    assert page == [
        "France",
        "Name Function and institution Present Signature",
        "Claire Martin Head of unit, Ministère de l\u2019Intérieur ✓ 08:55",
        "Senegal",
        "Name Function and institution Present Signature",
        "Awa Ndiaye Director, Ministry of the Interior ✓ 09:12",
        "Moussa Sow Mayor's adviser, Commune de Pikine",
        "Without a delegation",
        "Name Function and institution Present Signature",
        "Fatou Diop Deputy mayor, Ville de Dakar ✓ 10:03",
        "Dakar workshop",
        "Attendance sheet · Monday 1 September 2031",
        "King Fahd Palace, Dakar, Senegal",
        "Page 1 of 1",
    ]
    entry = AuditEntry.objects.get(action=OnsiteAuditAction.ATTENDANCE_SHEET_DOWNLOADED)
    assert (entry.actor, entry.object_id, entry.from_state, entry.to_state) == (
        secretariat_officer,
        str(meeting.pk),
        "2031-09-01",
        "4",
    )


def test_sheet_in_french(meeting, present_on_day_one, organiser_of_meeting, client):
    client.force_login(organiser_of_meeting)

    response = client.get(URL.format(language="fr") + "2031-09-02/sheet.pdf")

    (page,) = pdf_lines(response.content)
    assert page == [
        "France",
        "Nom Fonction et institution Présent Signature",
        "Claire Martin Head of unit, Ministère de l\u2019Intérieur",
        "Sénégal",
        "Nom Fonction et institution Présent Signature",
        "Awa Ndiaye Director, Ministry of the Interior",
        "Moussa Sow Mayor's adviser, Commune de Pikine ✓ 09:30",
        "Sans délégation",
        "Nom Fonction et institution Présent Signature",
        "Fatou Diop Deputy mayor, Ville de Dakar",
        "Atelier de Dakar",
        "Feuille de présence · mardi 2 septembre 2031",
        "Palais du roi Fahd, Dakar, Sénégal",
        "Page 1 sur 1",
    ]


def test_sheet_of_many_delegates_numbers_its_pages(
    meeting, secretariat_officer, client, make_registration
):
    for number in range(40):
        make_registration(
            first_name=f"Delegate{number:02d}",
            email=f"d{number}@example.org",
            reference=f"DEL{number:05d}",
        )
    client.force_login(secretariat_officer)

    pages = pdf_lines(client.get(URL.format(language="en") + "2031-09-01/sheet.pdf").content)

    assert len(pages) >= 2
    assert [page[-1] for page in pages] == [
        f"Page {n} of {len(pages)}" for n in range(1, len(pages) + 1)
    ]
    # A delegation that runs over a page is named again at the top of the next.
    assert [page[:2] for page in pages] == [
        ["Senegal", "Name Function and institution Present Signature"]
    ] * len(pages)
    # The head repeats on every page (read after the body, before the page number).
    assert all(page[-4:-1] == HEAD_EN for page in pages)


def test_audit_entry_of_a_sheet_reads_in_words(meeting, secretariat_officer):
    from convene.onsite.audit import describe_onsite_entry
    from convene.onsite.services import record_attendance_sheet_download

    record_attendance_sheet_download(
        meeting, actor=secretariat_officer, day=meeting.starts_on, rows=4
    )

    entry = AuditEntry.objects.get(action=OnsiteAuditAction.ATTENDANCE_SHEET_DOWNLOADED)
    assert describe_onsite_entry(entry) == (
        "Attendance sheet of 1 September 2031 downloaded (4 delegates)."
    )


def test_record_attendance_sheet_download_refuses_check_in_staff(meeting):
    from convene.onsite.errors import CheckinError
    from convene.onsite.services import record_attendance_sheet_download

    staff = CheckinRoleFactory(meeting=meeting).user

    with pytest.raises(CheckinError) as refusal:
        record_attendance_sheet_download(meeting, actor=staff, day=meeting.starts_on, rows=1)

    assert refusal.value.code == "forbidden"
    assert not AuditEntry.objects.filter(
        action=OnsiteAuditAction.ATTENDANCE_SHEET_DOWNLOADED
    ).exists()


def test_figures_ignore_registrations_of_another_meeting(
    meeting, other_meeting, present_on_day_one
):
    stranger = RegistrationFactory(
        meeting=other_meeting, status=RegistrationStatus.APPROVED, email="x@example.org"
    )
    AttendanceFactory(registration=stranger, day=meeting.starts_on)

    figures = attendance_figures(meeting, meeting.starts_on)

    assert figures.total == AttendanceRow("All delegates", 3, 4)


def test_panel_links_back_to_the_door_for_those_who_check_in(meeting, organiser_of_meeting, client):
    client.force_login(organiser_of_meeting)

    response = client.get(f"/en/meetings/{meeting.slug}/attendance/")

    assert [a.attrs["href"] for a in parse(response).select(".breadcrumb a")] == [
        meeting.get_absolute_url(),
        f"/en/meetings/{meeting.slug}/check-in/",
    ]
