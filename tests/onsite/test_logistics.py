"""The back-office's travel and logistics page of a meeting: who may open it, its counts
and the list of those who have not given their travel, "Remind them all" (one email each
in their language, the 24-hour rule, the audit), and the logistics export in CSV and
XLSX (headers in the reader's language, times at the venue, every cell neutralised)."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from convene.core.audit import describe_audit_entry
from convene.core.formatting import format_local_datetime
from convene.core.models import AuditEntry
from convene.onsite.enums import OnsiteAuditAction, OnsiteEmailEvent
from convene.onsite.models import OnsiteEmail
from convene.onsite.templatetags.onsite import registration_travel
from convene.registrations.enums import Participation, RegistrationStatus
from convene.registrations.tokens import registration_from_token
from tests.factories.core import CheckinRoleFactory
from tests.factories.onsite import FundingRequestFactory, TravelDetailsFactory
from tests.factories.registrations import RegistrationFactory
from tests.html import parse
from tests.spreadsheets import csv_rows, xlsx_workbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(meeting):
    """The Dakar workshop with a venue two hours ahead of UTC in September."""
    meeting.time_zone = "Europe/Paris"
    meeting.save(update_fields=["time_zone"])
    return meeting


def _page_url(meeting, language="en"):
    return f"/{language}/admin/onsite/traveldetails/meeting/{meeting.pk}/"


def _export_url(meeting, file_format, language="en"):
    return f"{_page_url(meeting, language)}export/{file_format}/"


def _approved(meeting, delegation, **fields):
    return RegistrationFactory(
        meeting=meeting, delegation=delegation, status=RegistrationStatus.APPROVED, **fields
    )


@pytest.fixture
def people(meeting, senegal, france):
    """Awa and Luc gave their travel; Inès (French-speaking) and Omar did not; a pending
    and an online registration are not asked."""
    awa = _approved(meeting, senegal, first_name="Awa", last_name="Ndiaye", email="awa@example.org")
    luc = _approved(meeting, france, first_name="Luc", last_name="Martin", email="luc@example.org")
    TravelDetailsFactory(registration=awa)
    TravelDetailsFactory(
        registration=luc,
        arrival_at=datetime.datetime(2031, 9, 1, 8, 5, tzinfo=meeting.tzinfo),
        means="train",
        travel_number="TGV 6203",
        arriving_at="Gare de Lyon",
        hotel_needed=True,
        hotel_check_in=datetime.date(2031, 9, 1),
        hotel_check_out=datetime.date(2031, 9, 2),
        departure_city="Lyon",
    )
    FundingRequestFactory(registration=luc)
    return {
        "awa": awa,
        "luc": luc,
        "ines": _approved(
            meeting,
            senegal,
            first_name="Inès",
            last_name="Sarr",
            email="ines@example.org",
            language="fr",
        ),
        "omar": _approved(
            meeting, senegal, first_name="Omar", last_name="Ba", email="omar@example.org"
        ),
        "pending": RegistrationFactory(
            meeting=meeting, delegation=senegal, email="pending@example.org"
        ),
        "online": _approved(
            meeting, senegal, email="online@example.org", participation=Participation.ONLINE
        ),
    }


# --- who opens it ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("secretariat_officer", 200),
        ("organiser", 200),
        ("checkin_staff", 403),
        ("focal_point_senegal", 403),
        ("focal_point_france", 403),
        # Without a role, the back-office itself sends to its sign-in page.
        ("outsider", 302),
    ],
)
def test_logistics_page_of_the_organised_meeting_per_persona(
    request, organised_meeting, client, persona, status
):
    client.force_login(request.getfixturevalue(persona))

    page = client.get(_page_url(organised_meeting))
    export = client.get(_export_url(organised_meeting, "csv"))
    remind = client.post(_page_url(organised_meeting))

    assert (page.status_code, export.status_code) == (status, status)
    if status == 200:
        assert remind["Location"] == _page_url(organised_meeting)
    elif status == 302:
        assert page["Location"].startswith("/en/admin/login/")
        assert remind["Location"].startswith("/en/admin/login/")
    else:
        assert remind.status_code == 403
    assert AuditEntry.objects.filter(action=OnsiteAuditAction.LOGISTICS_EXPORTED).count() == (
        1 if status == 200 else 0
    )


def test_logistics_page_of_another_meeting_is_refused_to_its_non_organiser(
    organiser, meeting, people, client
):
    client.force_login(organiser)

    assert client.get(_page_url(meeting)).status_code == 403
    assert client.get(_export_url(meeting, "xlsx")).status_code == 403
    assert client.post(_page_url(meeting)).status_code == 403
    assert OnsiteEmail.objects.count() == 0


def test_travel_details_list_links_the_meetings_of_the_reader(
    organiser, organised_meeting, meeting, client
):
    client.force_login(organiser)

    page = parse(client.get("/en/admin/onsite/traveldetails/"))

    assert [link.attrs["href"] for link in page.select("#logistics-meetings a")] == [
        _page_url(organised_meeting)
    ]


# --- the page -------------------------------------------------------------------------


def test_logistics_page_counts_and_lists_who_has_not_answered(
    secretariat_officer, meeting, people, client
):
    client.force_login(secretariat_officer)

    page = parse(client.get(_page_url(meeting)))

    assert page.texts("#travel-counts dd") == ["4", "2", "2"]
    assert [row.texts("td") for row in page.select("#missing-travel tbody tr")] == [
        ["Omar Ba", "Senegal", "omar@example.org", "Never"],
        ["Inès Sarr", "Senegal", "ines@example.org", "Never"],
    ]


def test_logistics_page_in_french(secretariat_officer, meeting, people, client):
    client.force_login(secretariat_officer)

    page = parse(client.get(_page_url(meeting, "fr")))

    assert (
        page.select_one("#missing-title").text
        == "Qui n\u2019a pas donné ses informations de voyage"
    )
    assert page.select_one("#remind-form input[type=submit]").attrs["value"] == "Les relancer tous"


def test_logistics_page_queries_do_not_grow_with_the_list(
    secretariat_officer, meeting, senegal, client
):
    client.force_login(secretariat_officer)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(_page_url(meeting)).status_code == 200
        return len(captured)

    for _ in range(2):
        TravelDetailsFactory(registration=_approved(meeting, senegal))
        _approved(meeting, senegal)
    few = queries()
    for _ in range(6):
        TravelDetailsFactory(registration=_approved(meeting, senegal))
        FundingRequestFactory(registration=_approved(meeting, senegal))

    assert queries() == few


# --- "Remind them all" ---------------------------------------------------------------


def test_remind_them_all_emails_each_in_their_language_with_the_travel_link(
    secretariat_officer, meeting, people, client, sent
):
    client.force_login(secretariat_officer)

    with sent():
        response = client.post(_page_url(meeting))

    assert response.status_code == 302
    assert {row.registration_id for row in OnsiteEmail.objects.all()} == {
        people["ines"].pk,
        people["omar"].pk,
    }
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {"ines@example.org", "omar@example.org"}
    assert by_recipient["omar@example.org"].subject == "Your travel details, please: Dakar workshop"
    assert by_recipient["ines@example.org"].subject == (
        "Vos informations de voyage, s\u2019il vous plaît\u00a0: Atelier de Dakar"
    )
    assert "Dear Omar Ba," in by_recipient["omar@example.org"].body
    assert "Le Secrétariat en a besoin pour organiser votre séjour." in (
        by_recipient["ines@example.org"].body
    )
    link = next(
        line for line in by_recipient["ines@example.org"].body.splitlines() if "/travel/" in line
    )
    assert link.startswith("http://127.0.0.1:8000/fr/registration/")
    token = link.removeprefix("http://127.0.0.1:8000/fr/registration/").removesuffix("/travel/")
    assert registration_from_token(token) == people["ines"]
    assert OnsiteEmail.objects.filter(sent_at__isnull=False).count() == 2
    entry = AuditEntry.objects.get(action=OnsiteAuditAction.TRAVEL_REMINDED)
    assert (entry.object_id, entry.actor, entry.to_state, entry.from_state) == (
        str(meeting.pk),
        secretariat_officer,
        "2",
        "0",
    )
    page = parse(client.get(response["Location"]))
    assert page.texts("ul.messagelist li") == ["2 reminders queued."]


def test_remind_them_all_again_within_24_hours_sends_nothing_and_says_so(
    secretariat_officer, meeting, people, client, sent
):
    client.force_login(secretariat_officer)
    with sent():
        client.post(_page_url(meeting), follow=True)

    with sent():
        response = client.post(_page_url(meeting))

    assert OnsiteEmail.objects.count() == 2
    assert len(mail.outbox) == 2
    assert AuditEntry.objects.filter(action=OnsiteAuditAction.TRAVEL_REMINDED).count() == 1
    page = parse(client.get(response["Location"]))
    assert page.texts("ul.messagelist li") == [
        "2 delegates have not answered and were all reminded less than 24 hours ago: "
        "nobody was reminded again."
    ]


def test_remind_them_all_skips_only_those_reminded_in_the_last_24_hours(
    secretariat_officer, meeting, people, client, sent
):
    client.force_login(secretariat_officer)
    with sent():
        client.post(_page_url(meeting), follow=True)
    OnsiteEmail.objects.filter(registration=people["omar"]).update(
        created_at=timezone.now() - datetime.timedelta(hours=25)
    )

    with sent():
        response = client.post(_page_url(meeting))

    assert sorted(message.to[0] for message in mail.outbox) == [
        "ines@example.org",
        "omar@example.org",
        "omar@example.org",
    ]
    latest = AuditEntry.objects.filter(action=OnsiteAuditAction.TRAVEL_REMINDED).latest("pk")
    assert (latest.to_state, latest.from_state) == ("1", "1")
    page = parse(client.get(response["Location"]))
    assert page.texts("ul.messagelist li") == [
        "1 reminder queued. 1 person reminded less than 24 hours ago was not reminded again."
    ]
    rows = {
        row.texts("td")[0]: row.texts("td")[3] for row in page.select("#missing-travel tbody tr")
    }
    with translation.override("en"):
        assert rows == {
            name: format_local_datetime(
                OnsiteEmail.objects.filter(registration=people[key])
                .latest("created_at")
                .created_at,
                meeting.tzinfo,
            )
            for name, key in (("Omar Ba", "omar"), ("Inès Sarr", "ines"))
        }


def test_remind_them_all_when_everyone_answered_says_so(
    secretariat_officer, meeting, senegal, client, sent
):
    TravelDetailsFactory(registration=_approved(meeting, senegal))
    client.force_login(secretariat_officer)

    with sent():
        response = client.post(_page_url(meeting), follow=True)

    assert len(mail.outbox) == 0
    assert parse(response).texts("ul.messagelist li") == [
        "Every delegate has given their travel details: nobody to remind."
    ]
    assert parse(response).select_one("#nobody-missing").text == (
        "Every approved delegate attending in person has given their travel details."
    )


# --- the export -----------------------------------------------------------------------


def test_logistics_csv_in_english(secretariat_officer, meeting, people, client):
    client.force_login(secretariat_officer)

    response = client.get(_export_url(meeting, "csv"))

    assert response["Content-Disposition"] == 'attachment; filename="logistics-dakar-workshop.csv"'
    rows = csv_rows(response)
    assert rows[0] == [
        "List",
        "Date",
        "Time",
        "Name",
        "Delegation",
        "Means of travel",
        "Flight or train number",
        "Arriving at",
        "Check-in",
        "Check-out",
        "Nights",
        "Departure city",
        "Arrival (venue time)",
        "Departure (venue time)",
    ]
    assert rows[1:] == [
        [
            "Arrivals by day",
            "2031-08-31",
            "14:30",
            "Awa Ndiaye",
            "Senegal",
            "Flight",
            "AF 718",
            "Blaise Diagne",
            "",
            "",
            "",
            "",
            "",
            "",
        ],
        [
            "Arrivals by day",
            "2031-09-01",
            "08:05",
            "Luc Martin",
            "France",
            "Train",
            "TGV 6203",
            "Gare de Lyon",
            "",
            "",
            "",
            "",
            "",
            "",
        ],
        [
            "Hotel nights",
            "",
            "",
            "Luc Martin",
            "",
            "",
            "",
            "",
            "2031-09-01",
            "2031-09-02",
            "1",
            "",
            "",
            "",
        ],
        [
            "Funded travel",
            "",
            "",
            "Luc Martin",
            "France",
            "",
            "",
            "",
            "",
            "",
            "",
            "Lyon",
            "2031-09-01 08:05",
            "2031-09-02 20:00",
        ],
    ]
    entry = AuditEntry.objects.get(action=OnsiteAuditAction.LOGISTICS_EXPORTED)
    assert (entry.object_id, entry.actor, entry.from_state, entry.to_state) == (
        str(meeting.pk),
        secretariat_officer,
        "csv",
        "4",
    )


def test_logistics_xlsx_in_french_has_one_sheet_per_list(
    secretariat_officer, meeting, people, client
):
    client.force_login(secretariat_officer)

    workbook = xlsx_workbook(client.get(_export_url(meeting, "xlsx", "fr")))

    sheets = {
        sheet.title: [
            ["" if cell is None else cell for cell in row]
            for row in sheet.iter_rows(values_only=True)
        ]
        for sheet in workbook.worksheets
    }
    assert list(sheets) == ["Arrivées par jour", "Nuits d\u2019hôtel", "Voyages pris en charge"]
    assert sheets["Arrivées par jour"] == [
        [
            "Date",
            "Heure",
            "Nom",
            "Délégation",
            "Moyen de transport",
            "Numéro de vol ou de train",
            "Arrivée à",
        ],
        ["2031-08-31", "14:30", "Awa Ndiaye", "Sénégal", "Avion", "AF 718", "Blaise Diagne"],
        ["2031-09-01", "08:05", "Luc Martin", "France", "Train", "TGV 6203", "Gare de Lyon"],
    ]
    assert sheets["Nuits d\u2019hôtel"] == [
        ["Nom", "Arrivée à l\u2019hôtel", "Départ de l\u2019hôtel", "Nuits"],
        ["Luc Martin", "2031-09-01", "2031-09-02", "1"],
    ]
    assert sheets["Voyages pris en charge"] == [
        ["Nom", "Délégation", "Ville de départ", "Arrivée (heure locale)", "Départ (heure locale)"],
        ["Luc Martin", "France", "Lyon", "2031-09-01 08:05", "2031-09-02 20:00"],
    ]


def test_logistics_export_neutralises_every_formula(secretariat_officer, meeting, senegal, client):
    hostile = _approved(
        meeting, senegal, first_name='=HYPERLINK("http://evil.example")', last_name="x"
    )
    TravelDetailsFactory(
        registration=hostile,
        travel_number="-2",
        arriving_at="+1",
        hotel_needed=False,
        departure_city="@x",
    )
    FundingRequestFactory(registration=hostile)
    tabbed = _approved(meeting, senegal, first_name="Tab", last_name="Ok")
    TravelDetailsFactory(
        registration=tabbed,
        arrival_at=datetime.datetime(2031, 9, 1, 9, 0, tzinfo=meeting.tzinfo),
        arriving_at="\tx",
    )
    client.force_login(secretariat_officer)

    rows = csv_rows(client.get(_export_url(meeting, "csv")))
    workbook = xlsx_workbook(client.get(_export_url(meeting, "xlsx")))

    assert rows[1][3:8] == [
        '\'=HYPERLINK("http://evil.example") x',
        "Senegal",
        "Flight",
        "'-2",
        "'+1",
    ]
    assert rows[2][7] == "'\tx"
    assert rows[3][11] == "'@x"
    arrivals = list(workbook["Arrivals by day"].iter_rows(values_only=True))
    assert arrivals[1][2:7] == (
        '\'=HYPERLINK("http://evil.example") x',
        "Senegal",
        "Flight",
        "'-2",
        "'+1",
    )
    assert list(workbook["Funded travel"].iter_rows(values_only=True))[1][2] == "'@x"


def test_logistics_export_queries_do_not_grow_with_the_list(
    secretariat_officer, meeting, senegal, client
):
    client.force_login(secretariat_officer)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(_export_url(meeting, "csv"))
            b"".join(response.streaming_content)
        return len(captured)

    TravelDetailsFactory(registration=_approved(meeting, senegal))
    few = queries()
    for _ in range(6):
        registration = _approved(meeting, senegal)
        TravelDetailsFactory(registration=registration)
        FundingRequestFactory(registration=registration)

    assert queries() == few


def test_logistics_export_of_an_unknown_format_is_not_found(secretariat_officer, meeting, client):
    client.force_login(secretariat_officer)

    assert client.get(_export_url(meeting, "pdf")).status_code == 404
    assert AuditEntry.objects.filter(action=OnsiteAuditAction.LOGISTICS_EXPORTED).count() == 0


def test_reminder_email_kind_reads_in_both_languages():
    with translation.override("fr"):
        assert str(OnsiteEmailEvent.TRAVEL_REMINDER.label) == (
            "Vos informations de voyage, s\u2019il vous plaît"
        )


def test_reminder_and_export_audit_entries_read_in_both_languages(
    secretariat_officer, meeting, people, client, sent
):
    client.force_login(secretariat_officer)
    with sent():
        client.post(_page_url(meeting))
    client.get(_export_url(meeting, "xlsx"))
    reminded = AuditEntry.objects.get(action=OnsiteAuditAction.TRAVEL_REMINDED)
    exported = AuditEntry.objects.get(action=OnsiteAuditAction.LOGISTICS_EXPORTED)

    with translation.override("en"):
        assert describe_audit_entry(reminded) == (
            "2 delegates reminded to give their travel details."
        )
        assert describe_audit_entry(exported) == (
            "Logistics list exported as Excel (XLSX) (4 rows)."
        )
    with translation.override("fr"):
        assert describe_audit_entry(reminded) == (
            "2 délégués relancés pour donner leurs informations de voyage."
        )


def test_registration_page_shows_its_travel_to_the_secretariat(
    secretariat_officer, meeting, people, client
):
    client.force_login(secretariat_officer)

    luc = parse(client.get(people["luc"].get_admin_url()))
    ines = parse(client.get(people["ines"].get_admin_url()))
    pending = parse(client.get(people["pending"].get_admin_url()))

    assert luc.select_one("#registration-travel-summary").text == (
        "1 September 2031, 08:05 → 2 September 2031, 20:00 · Train TGV 6203 · Gare de Lyon · "
        "1 night, 1 September 2031 to 2 September 2031 · from Lyon"
    )
    assert ines.select_one("#registration-travel-missing").text == "Not given yet."
    assert pending.select("#registration-travel") == []


@pytest.mark.parametrize(
    ("persona", "shown"),
    [("secretariat_officer", True), ("checkin", False), ("focal_point_senegal", False)],
)
def test_registration_travel_tag_shows_only_to_those_who_read_logistics(
    request, rf, meeting, people, persona, shown
):
    if persona == "checkin":
        user = CheckinRoleFactory(meeting=meeting, user__email="door@example.org").user
    else:
        user = request.getfixturevalue(persona)
    http_request = rf.get("/")
    http_request.user = user

    assert registration_travel({"request": http_request}, people["awa"])["show"] is shown
