"""Passport data in the back-office: read one registration at a time by those who write
visa support letters, every reading audited; never in lists, exports, search or the API."""

import datetime

import pytest

from convene.core.models import AuditEntry
from convene.onsite import services
from convene.onsite.errors import PassportError
from convene.onsite.permissions import can_read_passport_data
from convene.registrations.enums import RegistrationStatus
from tests.factories.core import UserFactory
from tests.factories.onsite import PassportDetailsFactory
from tests.factories.registrations import RegistrationFactory, api_body
from tests.html import parse
from tests.spreadsheets import csv_rows, xlsx_rows

pytestmark = pytest.mark.django_db

NUMBER = "A01234567"
LIST = "/en/admin/registrations/registration/"


@pytest.fixture
def asked(organised_meeting, senegal):
    """An approved Senegalese delegate of the organised meeting, with passport data."""
    organised_meeting.offers_visa_letters = True
    organised_meeting.save(update_fields=["offers_visa_letters"])
    registration = RegistrationFactory(
        meeting=organised_meeting,
        delegation=senegal,
        status=RegistrationStatus.APPROVED,
        needs_visa_letter=True,
        first_name="Awa",
        last_name="Ndiaye",
        email="awa@example.org",
        reference="AWAPASS1",
    )
    PassportDetailsFactory(
        registration=registration,
        passport_number=NUMBER,
        nationality="Senegalese",
        date_of_birth=datetime.date(1985, 3, 14),
        issue_date=datetime.date(2024, 6, 1),
        expiry_date=datetime.date(2034, 5, 31),
    )
    return registration


@pytest.fixture
def delegate(asked):
    """The delegate's own account in the back-office, without any role."""
    return UserFactory(email=asked.email, is_staff=True)


def _page_url(registration):
    return f"/en/admin/onsite/passport/{registration.pk}/"


def _viewed():
    return list(
        AuditEntry.objects.filter(action="onsite.passport_viewed")
        .order_by("id")
        .values_list("object_id", "actor__email")
    )


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("secretariat_officer", True),
        ("organiser", True),
        ("focal_point_senegal", False),
        ("focal_point_france", False),
        ("checkin_staff", False),
        ("delegate", False),
        ("outsider", False),
    ],
)
def test_can_read_passport_data_per_persona(persona, expected, request, asked, organiser):
    user = request.getfixturevalue(persona)

    assert can_read_passport_data(user, asked) is expected


def test_can_read_passport_data_refuses_the_organiser_of_another_meeting(
    organiser, reference_data, senegal
):
    from tests.factories.meetings import MeetingFactory

    other = RegistrationFactory(
        meeting=MeetingFactory(dialogue=reference_data, slug="elsewhere"), delegation=senegal
    )

    assert can_read_passport_data(organiser, other) is False


@pytest.mark.parametrize("persona", ["secretariat_officer", "organiser"])
def test_passport_page_shows_the_data_and_audits_each_viewing(persona, request, asked, client):
    user = request.getfixturevalue(persona)
    client.force_login(user)

    first = client.get(_page_url(asked))
    client.get(_page_url(asked))

    page = parse(first)
    assert first.status_code == 200
    assert page.texts("#passport-data dd") == [
        "Awa Ndiaye",
        "14 March 1985",
        "Senegalese",
        NUMBER,
        "1 June 2024",
        "31 May 2034",
    ]
    assert _viewed() == [(str(asked.pk), user.email), (str(asked.pk), user.email)]


def test_passport_page_in_french_names_the_fields_in_french(asked, secretariat_officer, client):
    client.force_login(secretariat_officer)

    page = parse(client.get(f"/fr/admin/onsite/passport/{asked.pk}/"))

    assert page.texts("#passport-data dt") == [
        "Nom",
        "Date de naissance",
        "Nationalité",
        "Numéro de passeport",
        "Date de délivrance",
        "Date d'expiration",
    ]
    assert page.select_one("#passport-audited").text == (
        "Cette consultation est enregistrée dans l'historique de l'inscription, avec votre nom."
    )


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("focal_point_senegal", 403),
        ("focal_point_france", 403),
        ("checkin_staff", 403),
        # Without a role, the back-office itself is closed: its sign-in page.
        ("delegate", 302),
        ("outsider", 302),
    ],
)
def test_passport_page_refuses_other_personas_and_audits_nothing(
    persona, status, request, asked, organiser, client
):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(_page_url(asked))

    assert response.status_code == status
    assert NUMBER not in response.content.decode()
    assert _viewed() == []


def test_passport_page_without_data_says_so_and_audits_nothing(
    organised_meeting, senegal, secretariat_officer, client
):
    registration = RegistrationFactory(
        meeting=organised_meeting, delegation=senegal, needs_visa_letter=True
    )
    client.force_login(secretariat_officer)

    page = parse(client.get(_page_url(registration)))

    assert page.select_one("#passport-none").text == (
        "The delegate has not sent passport data, or it was erased after the meeting."
    )
    assert _viewed() == []


def test_read_passport_details_refuses_the_check_in_staff(asked, checkin_staff):
    with pytest.raises(PassportError) as refused:
        services.read_passport_details(asked, actor=checkin_staff)

    assert refused.value.code == "forbidden"
    assert _viewed() == []


def test_registration_page_links_to_the_passport_data_for_the_secretariat(
    asked, secretariat_officer, client
):
    client.force_login(secretariat_officer)

    page = parse(client.get(f"{LIST}{asked.pk}/change/"))

    link = page.select_one("#passport-data-link")
    assert (link.text, link.attrs["href"]) == ("Passport data", _page_url(asked))
    # Opening the registration reads no passport data: nothing audited yet.
    assert _viewed() == []


def test_registration_page_has_no_passport_link_without_a_letter_asked(
    organised_meeting, senegal, secretariat_officer, client
):
    registration = RegistrationFactory(
        meeting=organised_meeting, delegation=senegal, needs_visa_letter=False
    )
    client.force_login(secretariat_officer)

    page = parse(client.get(f"{LIST}{registration.pk}/change/"))

    assert page.select("#passport-data-link") == []


def test_registration_list_and_its_search_never_show_the_number(asked, secretariat_officer, client):
    client.force_login(secretariat_officer)

    listed = client.get(LIST)
    searched = client.get(f"{LIST}?q={NUMBER}")

    assert "AWAPASS1" in listed.content.decode()
    assert NUMBER not in listed.content.decode()
    # The number is no search term: the search box echoes it, no registration matches.
    assert parse(searched).select("#result_list") == []


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_registration_exports_never_hold_passport_data(
    file_format, asked, secretariat_officer, client
):
    client.force_login(secretariat_officer)

    response = client.get(f"{LIST}export/{file_format}/")

    rows = csv_rows(response) if file_format == "csv" else xlsx_rows(response)
    cells = [str(cell) for row in rows for cell in row]
    assert "AWAPASS1" in cells
    assert [cell for cell in cells if NUMBER in cell or "Senegalese" in cell] == []
    assert [cell for cell in cells if "1985" in cell] == []


def test_api_never_answers_with_passport_data(asked, client):
    schema = client.get("/api/v1/schema/").content.decode()
    response = client.post(
        f"/api/v1/meetings/{asked.meeting.slug}/registrations/",
        api_body(email=asked.email, passport_number=NUMBER),
        content_type="application/json",
    )

    assert NUMBER not in response.content.decode()
    assert [word for word in ("passport_number", "nationality", "expiry") if word in schema] == []
