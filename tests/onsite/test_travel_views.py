"""The delegate's travel: its section on the personal page (onsite's tag) and the form
behind the personal link, saved, refused with what was typed kept, or refused outright
for a bad link or a registration not approved."""

import datetime

import pytest

from convene.meetings.enums import MeetingStatus
from convene.onsite.models import TravelDetails
from convene.registrations.enums import Participation, RegistrationStatus
from convene.registrations.tokens import make_token
from tests.factories.onsite import FundingRequestFactory, TravelDetailsFactory
from tests.html import page_title, parse

pytestmark = pytest.mark.django_db


def _personal_url(registration, language="en"):
    return f"/{language}/registration/{make_token(registration)}/"


def _travel_url(registration, language="en"):
    return f"{_personal_url(registration, language)}travel/"


def _post(**changes) -> dict:
    data = {
        "arrival_date": "2031-08-31",
        "arrival_time": "14:30",
        "departure_date": "2031-09-02",
        "departure_time": "20:00",
        "means": "train",
        "travel_number": "TGV 6203",
        "arriving_at": "Dakar station",
        "hotel_needed": "on",
        "hotel_check_in": "2031-08-31",
        "hotel_check_out": "2031-09-02",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_personal_page_of_an_approved_delegate_prompts_for_travel(approved, client):
    url = _personal_url(approved)

    page = parse(client.get(url))

    section = page.select_one("#travel")
    assert section.select_one("h2").text == "Your travel"
    assert section.select_one("#travel-prompt").text == (
        "Tell the Secretariat when you arrive and leave, how you travel and whether you need "
        "a hotel."
    )
    link = section.select_one("#travel-link")
    assert (link.text, link.attrs["href"]) == ("Give my travel details", f"{url}travel/")


def test_personal_page_in_french_summarises_the_travel_given(approved, client):
    TravelDetailsFactory(
        registration=approved,
        hotel_needed=True,
        hotel_check_in=datetime.date(2031, 8, 31),
        hotel_check_out=datetime.date(2031, 9, 2),
    )

    page = parse(client.get(_personal_url(approved, "fr")))

    section = page.select_one("#travel")
    assert section.select_one("h2").text == "Votre voyage"
    assert section.texts("#travel-summary dd") == [
        "31 août 2031, 14:30 · AF 718 · Blaise Diagne",
        "2 septembre 2031, 20:00",
        "Avion",
        "2 nuits, du 31 août 2031 au 2 septembre 2031",
    ]
    assert section.select_one("#travel-link").text == "Modifier mes informations de voyage"


@pytest.mark.parametrize(
    "fields",
    [
        {"status": RegistrationStatus.AWAITING_SECRETARIAT},
        {"status": RegistrationStatus.WAITLISTED},
        {"participation": Participation.ONLINE},
    ],
)
def test_personal_page_without_approval_in_person_has_no_travel(make_registration, client, fields):
    registration = make_registration(**fields)

    page = parse(client.get(_personal_url(registration)))

    assert page.select("#travel") == []


def test_travel_page_offers_the_form_with_phone_inputs(approved, client):
    response = client.get(_travel_url(approved))

    assert response.status_code == 200
    page = parse(response)
    assert page.select_one("h1").text == "Your travel"
    assert [
        (node.attrs["name"], node.attrs["type"])
        for node in page.select("#travel-form input")
        if node.attrs.get("type") in ("date", "time")
    ] == [
        ("arrival_date", "date"),
        ("arrival_time", "time"),
        ("departure_date", "date"),
        ("departure_time", "time"),
        ("hotel_check_in", "date"),
        ("hotel_check_out", "date"),
    ]
    assert page.select("#id_departure_city") == []


def test_travel_page_of_a_funded_delegate_asks_the_departure_city(approved, client):
    FundingRequestFactory(registration=approved)

    page = parse(client.get(_travel_url(approved, "fr")))

    assert page.select_one("label[for=id_departure_city]").text == "Ville de départ (obligatoire)"


def test_travel_page_saves_and_returns_to_the_personal_page(approved, client):
    url = _personal_url(approved)

    response = client.post(f"{url}travel/", _post())

    assert response.status_code == 302
    assert response["Location"] == url
    details = TravelDetails.objects.get(registration=approved)
    assert (details.means, details.travel_number, details.nights) == ("train", "TGV 6203", 2)
    page = parse(client.get(url))
    assert page.texts(".messages .notice--success") == ["Your travel details are saved."]


def test_travel_page_refused_keeps_what_was_typed_and_lists_the_errors(approved, client):
    response = client.post(
        _travel_url(approved),
        _post(departure_date="2031-08-30", hotel_check_in="", travel_number="TGV 6203"),
    )

    assert response.status_code == 400
    page = parse(response)
    assert page_title(response) == "Error: Your travel · Dakar workshop"
    assert page.texts("#form-errors li") == [
        "Departure date: The departure cannot be before the meeting's first day "
        "(1 September 2031).",
        "Hotel check-in: Give the night you check in to the hotel.",
    ]
    assert page.select_one("#id_travel_number").attrs["value"] == "TGV 6203"
    assert page.select_one("#id_arriving_at").attrs["value"] == "Dakar station"
    assert page.select_one("#id_hotel_check_out").attrs["value"] == "2031-09-02"
    assert TravelDetails.objects.count() == 0


def test_travel_page_refused_in_french(approved, client):
    response = client.post(_travel_url(approved, "fr"), _post(arrival_time=""))

    page = parse(response)
    assert page_title(response) == "Erreur\u00a0: Votre voyage · Atelier de Dakar"
    assert page.texts("#form-errors li") == ["Heure d\u2019arrivée : Ce champ est obligatoire."]


def test_travel_page_with_a_tampered_link_is_not_found(approved, client):
    response = client.get(f"/en/registration/{make_token(approved)}x/travel/")

    assert response.status_code == 404
    assert parse(response).select_one("h1").text == "This link is not valid"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"status": RegistrationStatus.AWAITING_SECRETARIAT},
            "Travel details are asked once the registration is approved.",
        ),
        (
            {"participation": Participation.ONLINE},
            "Travel details are asked only of those who attend in person.",
        ),
    ],
)
def test_travel_page_of_a_registration_not_expected_says_why(
    make_registration, client, fields, message
):
    registration = make_registration(**fields)

    for response in (
        client.get(_travel_url(registration)),
        client.post(_travel_url(registration), _post()),
    ):
        assert response.status_code == 403
        assert parse(response).select_one("#travel-refused").text == message
    assert TravelDetails.objects.count() == 0


def test_travel_of_a_cancelled_meeting_is_neither_offered_nor_taken(approved, meeting, client):
    meeting.status = MeetingStatus.CANCELLED
    meeting.save(update_fields=["status"])

    personal = parse(client.get(_personal_url(approved)))
    response = client.post(_travel_url(approved, "fr"), _post())

    assert personal.select("#travel") == []
    assert response.status_code == 403
    assert parse(response).select_one("#travel-refused").text == (
        "Cette réunion est annulée : aucune information de voyage n\u2019est nécessaire."
    )
    assert TravelDetails.objects.count() == 0
