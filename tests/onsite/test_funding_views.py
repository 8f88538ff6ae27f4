"""Where people ask for funded places: the delegate's personal page (when the meeting
lets delegates ask) and the focal point's delegation page, each POST re-authorised by
the service; what each shows of the funding, in both languages."""

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext

from convene.onsite import services
from convene.onsite.enums import FundingStatus
from convene.onsite.models import FundingRequest
from convene.registrations import services as registration_services
from convene.registrations.enums import Participation, RegistrationStatus
from convene.registrations.tokens import make_token
from tests.html import parse

pytestmark = pytest.mark.django_db

F = FundingStatus
S = RegistrationStatus


@pytest.fixture
def funded(meeting):
    meeting.funded_places_per_delegation = 1
    meeting.delegates_may_request_funding = True
    meeting.save(update_fields=["funded_places_per_delegation", "delegates_may_request_funding"])
    return meeting


@pytest.fixture
def awa(funded, make_registration):
    return make_registration()


def _personal_url(registration, language="en"):
    return f"/{language}/registration/{make_token(registration)}/"


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- the personal page ----------------------------------------------------------------------


def test_personal_page_offers_to_ask_when_the_meeting_lets_delegates(awa, client):
    url = _personal_url(awa)

    page = parse(client.get(url))

    section = page.select_one("#funding")
    assert section.select_one("h2").text == "Funded place"
    assert section.select_one("form").attrs["action"] == f"{url}funding/"
    assert section.select_one("#funding-request").text == "Ask for a funded place"


def test_personal_page_offers_nothing_when_the_focal_point_asks(awa, funded, client):
    funded.delegates_may_request_funding = False
    funded.save(update_fields=["delegates_may_request_funding"])

    page = parse(client.get(_personal_url(awa)))

    assert page.select("#funding") == []


def test_personal_page_offers_nothing_at_a_meeting_without_funded_places(
    meeting, make_registration, client
):
    registration = make_registration()

    page = parse(client.get(_personal_url(registration)))

    assert page.select("#funding") == []


def test_personal_page_asks_and_shows_the_request(awa, client):
    url = _personal_url(awa)

    response = client.post(f"{url}funding/")

    assert response.status_code == 302
    assert response.url == f"{url}#funding"
    assert _messages(response) == [
        "Your request for a funded place is sent: you will be emailed the decision."
    ]
    funding = FundingRequest.objects.get()
    assert (funding.registration_id, funding.status, funding.requested_by_id) == (
        awa.pk,
        F.REQUESTED,
        None,
    )
    page = parse(client.get(url))
    assert page.select_one("#funding-state").text.startswith("Funding requested on ")
    assert page.select("#funding-request") == []


def test_personal_page_refusal_is_a_message_and_saves_nothing(awa, funded, client):
    funded.delegates_may_request_funding = False
    funded.save(update_fields=["delegates_may_request_funding"])
    url = _personal_url(awa)

    response = client.post(f"{url}funding/")

    assert response.status_code == 302
    assert _messages(response) == [
        "For this meeting, your delegation's focal point asks for funded places."
    ]
    assert FundingRequest.objects.count() == 0


def test_personal_page_online_delegate_may_not_ask(funded, make_registration, client):
    registration = make_registration(participation=Participation.ONLINE)
    url = _personal_url(registration)

    assert parse(client.get(url)).select("#funding") == []
    response = client.post(f"{url}funding/")

    assert _messages(response) == [
        "Funded places cover the journey: they are for delegates attending in person."
    ]
    assert FundingRequest.objects.count() == 0


def test_personal_funding_answers_get_with_405_and_a_forged_link_with_404(awa, client):
    assert client.get(f"{_personal_url(awa)}funding/").status_code == 405
    assert client.post("/en/registration/forged/funding/").status_code == 404
    assert FundingRequest.objects.count() == 0


@pytest.mark.parametrize(
    ("language", "decision", "expected"),
    [
        ("en", "grant", "Granted: your travel and accommodation are covered."),
        ("fr", "grant", "Attribuée : votre voyage et votre hébergement sont pris en charge."),
        ("en", "refuse", "Refused: Budget spent."),
        ("fr", "refuse", "Refusée : Budget spent."),
    ],
)
def test_personal_page_shows_the_decision(
    awa, secretariat_officer, client, language, decision, expected
):
    funding = services.request_funding(awa, actor=secretariat_officer)
    if decision == "grant":
        services.grant_funding(funding, actor=secretariat_officer)
    else:
        services.refuse_funding(funding, actor=secretariat_officer, reason="Budget spent.")

    page = parse(client.get(_personal_url(awa, language)))

    assert page.select_one("#funding-state").text == expected


def test_personal_page_of_a_cancelled_registration_says_nothing_of_its_grant(
    awa, secretariat_officer, client
):
    services.grant_funding(
        services.request_funding(awa, actor=secretariat_officer), actor=secretariat_officer
    )
    registration_services.cancel_registration(awa)

    page = parse(client.get(_personal_url(awa)))

    assert page.select_one("#registration-status").text == "Cancelled"
    assert page.select("#funding") == []


def test_personal_page_after_a_refusal_offers_to_ask_again(awa, secretariat_officer, client):
    funding = services.request_funding(awa, actor=secretariat_officer)
    services.refuse_funding(funding, actor=secretariat_officer, reason="Budget spent.")

    page = parse(client.get(_personal_url(awa, "fr")))

    assert page.select_one("#funding-request").text == "Demander à nouveau une place financée"


# --- the focal point's page -----------------------------------------------------------------

FOCAL_POINT_PAGE = "/{language}/focal-point/meetings/dakar-workshop/"


def test_focal_point_page_counts_the_delegations_funded_places(
    awa, focal_point_senegal, secretariat_officer, client
):
    services.grant_funding(
        services.request_funding(awa, actor=focal_point_senegal), actor=secretariat_officer
    )
    client.force_login(focal_point_senegal)

    page = parse(client.get(FOCAL_POINT_PAGE.format(language="en")))
    french = parse(client.get(FOCAL_POINT_PAGE.format(language="fr")))

    assert page.select_one("#funded-places").text == "1 of 1 granted"
    assert page.select_one("#funding-AWA2031X .funding-state").text == (
        "Funded place granted: travel and accommodation are covered."
    )
    assert french.select_one("#funded-places").text == "1 sur 1 attribuée(s)"


def test_focal_point_page_offers_to_ask_per_delegate(awa, focal_point_senegal, client):
    client.force_login(focal_point_senegal)

    page = parse(client.get(FOCAL_POINT_PAGE.format(language="en")))

    card = page.select_one("#funding-AWA2031X")
    assert (
        card.select_one("form").attrs["action"]
        == "/en/focal-point/meetings/dakar-workshop/funding/"
    )
    assert card.select_one("input[name=reference]").attrs["value"] == "AWA2031X"
    assert card.select_one("button").text == "Ask for a funded place for Awa Ndiaye"
    assert page.select_one("#funded-places").text == "0 of 1 granted"


def test_focal_point_page_without_funded_places_says_nothing_of_them(
    meeting, make_registration, focal_point_senegal, client
):
    make_registration()
    client.force_login(focal_point_senegal)

    page = parse(client.get(FOCAL_POINT_PAGE.format(language="en")))

    assert (page.select("#funded-places"), page.select("#funding-AWA2031X")) == ([], [])


def test_focal_point_asks_for_their_delegate(awa, focal_point_senegal, client):
    client.force_login(focal_point_senegal)

    response = client.post(
        FOCAL_POINT_PAGE.format(language="en") + "funding/", {"reference": "AWA2031X"}
    )

    assert response.status_code == 302
    assert response.url == "/en/focal-point/meetings/dakar-workshop/#registration-AWA2031X"
    assert _messages(response) == ["A funded place is requested for Awa Ndiaye."]
    funding = FundingRequest.objects.get()
    assert (funding.registration_id, funding.requested_by_id) == (awa.pk, focal_point_senegal.pk)


def test_focal_point_asking_twice_is_told_so(awa, focal_point_senegal, client):
    services.request_funding(awa, actor=focal_point_senegal)
    client.force_login(focal_point_senegal)

    response = client.post(
        FOCAL_POINT_PAGE.format(language="fr") + "funding/", {"reference": "AWA2031X"}
    )

    assert _messages(response) == ["Une place financée est déjà demandée pour cette inscription."]
    assert FundingRequest.objects.count() == 1


@pytest.mark.parametrize(
    "persona", ["focal_point_france", "organiser", "checkin_staff", "outsider"]
)
def test_others_may_not_ask_from_the_focal_point_page(awa, persona, request, client):
    client.force_login(request.getfixturevalue(persona))

    response = client.post(
        FOCAL_POINT_PAGE.format(language="en") + "funding/", {"reference": "AWA2031X"}
    )

    assert response.status_code == 403
    assert FundingRequest.objects.count() == 0


def test_focal_point_funding_of_an_unknown_reference_is_refused(awa, focal_point_senegal, client):
    client.force_login(focal_point_senegal)

    response = client.post(
        FOCAL_POINT_PAGE.format(language="en") + "funding/", {"reference": "NOPE0000"}
    )

    assert response.status_code == 403
    assert FundingRequest.objects.count() == 0


def test_focal_point_funding_signed_out_goes_to_sign_in(awa, client):
    response = client.post(
        FOCAL_POINT_PAGE.format(language="en") + "funding/", {"reference": "AWA2031X"}
    )

    assert response.status_code == 302
    assert response.url.startswith("/en/accounts/login/")
    assert FundingRequest.objects.count() == 0


def test_focal_point_page_reads_the_funding_in_the_same_queries_for_more_delegates(
    awa, make_registration, focal_point_senegal, secretariat_officer, client
):
    services.grant_funding(
        services.request_funding(awa, actor=focal_point_senegal), actor=secretariat_officer
    )
    client.force_login(focal_point_senegal)
    url = FOCAL_POINT_PAGE.format(language="en")
    client.get(url)  # the session and the caches settle
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for number in range(3):
        services.request_funding(
            make_registration(email=f"d{number}@example.org", reference=f"DELEG00{number}"),
            actor=focal_point_senegal,
        )
    with CaptureQueriesContext(connection) as four:
        page = parse(client.get(url))

    assert len(page.select(".registration-funding")) == 4
    assert len(four.captured_queries) == len(one.captured_queries)
