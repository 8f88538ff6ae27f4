"""The back-office of funded places: the Funding panel of a registration's page (ask,
grant, refuse or withdraw with a reason, the Secretariat only), the list of requests with
its filters and per-delegation counts, its bulk grant through the service, who sees what."""

import pytest
from django.contrib.messages import get_messages

from convene.onsite import services
from convene.onsite.enums import FundingStatus
from convene.onsite.models import FundingRequest, OnsiteEmail
from convene.registrations import services as registration_services
from tests.factories.core import CheckinRoleFactory, OrganiserRoleFactory
from tests.html import parse

pytestmark = pytest.mark.django_db

F = FundingStatus
LIST = "/en/admin/onsite/fundingrequest/"


@pytest.fixture
def funded(meeting):
    meeting.funded_places_per_delegation = 1
    meeting.save(update_fields=["funded_places_per_delegation"])
    return meeting


@pytest.fixture
def awa(funded, make_registration):
    return make_registration()


@pytest.fixture
def ines(funded, make_registration):
    return make_registration(email="ines@example.org", reference="INES2031", first_name="Inès")


@pytest.fixture
def luc(funded, make_registration, france):
    return make_registration(
        email="luc@example.org", reference="LUC20311", first_name="Luc", delegation=france
    )


@pytest.fixture
def meeting_organiser(meeting):
    return OrganiserRoleFactory(meeting=meeting, user__email="org@example.org").user


def _page_url(registration, language="en"):
    return f"/{language}/admin/registrations/registration/{registration.pk}/change/"


def _decide_url(funding, decision):
    return f"/en/admin/onsite/fundingrequest/{funding.pk}/decide/{decision}/"


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- the panel ------------------------------------------------------------------------------


def test_panel_offers_the_secretariat_to_ask_for_a_registration(awa, secretariat_officer, client):
    client.force_login(secretariat_officer)

    page = parse(client.get(_page_url(awa)))

    panel = page.select_one("#funding")
    assert panel.select_one("#funding-state").text == "No funded place requested."
    assert panel.select_one("#funding-counts").text == "Senegal: 0 of 1 funded places granted."
    assert panel.select_one("#funding-request form").attrs["action"] == (
        f"/en/admin/onsite/fundingrequest/registration/{awa.pk}/request/"
    )
    assert (panel.select("#funding-grant"), panel.select("#funding-refuse")) == ([], [])


def test_panel_of_a_request_offers_the_secretariat_to_grant_or_refuse(
    awa, focal_point_senegal, secretariat_officer, client
):
    funding = services.request_funding(awa, actor=focal_point_senegal)
    client.force_login(secretariat_officer)

    panel = parse(client.get(_page_url(awa))).select_one("#funding")

    assert panel.select_one("#funding-state").text.startswith("Requested on ")
    assert panel.select_one("#funding-grant form").attrs["action"] == _decide_url(funding, "grant")
    assert panel.select_one("#funding-refuse form").attrs["action"] == _decide_url(
        funding, "refuse"
    )
    assert panel.select_one("#funding-refuse summary").text == "Refuse the funding"
    assert panel.select("#funding-request") == []


def test_panel_of_a_grant_offers_its_withdrawal_in_french(
    awa, focal_point_senegal, secretariat_officer, client
):
    services.grant_funding(
        services.request_funding(awa, actor=focal_point_senegal), actor=secretariat_officer
    )
    client.force_login(secretariat_officer)

    panel = parse(client.get(_page_url(awa, "fr"))).select_one("#funding")

    assert panel.select_one("h2").text == "Place financée"
    assert panel.select_one("#funding-state").text.endswith(
        " par Secretariat officer <officer@secretariat.example.org>."
    )
    assert panel.select_one("#funding-counts").text == (
        "Sénégal : 1 place(s) financée(s) attribuée(s) sur 1."
    )
    assert panel.select_one("#funding-refuse summary").text == "Retirer la place financée"
    assert panel.select("#funding-grant") == []


def test_panel_shows_the_organiser_the_state_without_decisions(
    awa, focal_point_senegal, meeting_organiser, client
):
    services.request_funding(awa, actor=focal_point_senegal)
    client.force_login(meeting_organiser)

    panel = parse(client.get(_page_url(awa))).select_one("#funding")

    assert panel.select_one("#funding-state").text.startswith("Requested on ")
    assert panel.select("details") == []


def test_panel_is_absent_at_a_meeting_without_funded_places(
    meeting, make_registration, secretariat_officer, client
):
    registration = make_registration()
    client.force_login(secretariat_officer)

    assert parse(client.get(_page_url(registration))).select("#funding") == []


# --- the decisions --------------------------------------------------------------------------


def test_secretariat_asks_grants_and_withdraws_from_the_panel(awa, secretariat_officer, client):
    client.force_login(secretariat_officer)

    asked = client.post(f"/en/admin/onsite/fundingrequest/registration/{awa.pk}/request/")
    funding = FundingRequest.objects.get()
    granted = client.post(_decide_url(funding, "grant"), {"reason": ""})
    withdrawn = client.post(_decide_url(funding, "refuse"), {"reason": "Attends online now."})

    assert [asked.url, granted.url, withdrawn.url] == [_page_url(awa)] * 3
    # The redirects are not followed: the messages pile up until a page shows them.
    assert _messages(withdrawn) == [
        "A funded place is requested.",
        "Funding decision recorded: AWA2031X is now “Granted”.",
        "Funding decision recorded: AWA2031X is now “Refused”.",
    ]
    funding.refresh_from_db()
    assert (funding.status, funding.reason, funding.decided_by_id) == (
        F.REFUSED,
        "Attends online now.",
        secretariat_officer.pk,
    )
    assert list(OnsiteEmail.objects.values_list("event", flat=True)) == [
        "funding_granted",
        "funding_withdrawn",
    ]


def test_refusal_without_a_reason_is_a_message_and_changes_nothing(
    awa, focal_point_senegal, secretariat_officer, client
):
    funding = services.request_funding(awa, actor=focal_point_senegal)
    client.force_login(secretariat_officer)

    response = client.post(_decide_url(funding, "refuse"), {"reason": "  "})

    assert _messages(response) == ["Give a reason: the delegate is told why."]
    funding.refresh_from_db()
    assert funding.status == F.REQUESTED


def test_grant_beyond_the_number_from_the_panel_says_so(
    awa, ines, focal_point_senegal, secretariat_officer, client
):
    services.grant_funding(
        services.request_funding(awa, actor=focal_point_senegal), actor=secretariat_officer
    )
    second = services.request_funding(ines, actor=focal_point_senegal)
    client.force_login(secretariat_officer)

    response = client.post(_decide_url(second, "grant"), {"reason": ""})

    assert _messages(response) == ["Senegal: the delegation's 1 funded place is already granted."]
    second.refresh_from_db()
    assert second.status == F.REQUESTED


@pytest.mark.parametrize("persona", ["organiser", "checkin", "focal_point_senegal", "outsider"])
def test_others_than_the_secretariat_may_not_decide(
    awa, focal_point_senegal, persona, request, client, meeting
):
    funding = services.request_funding(awa, actor=focal_point_senegal)
    if persona == "organiser":
        user = OrganiserRoleFactory(meeting=meeting, user__email="org@example.org").user
    elif persona == "checkin":
        user = CheckinRoleFactory(meeting=meeting, user__email="door@example.org").user
    else:
        user = request.getfixturevalue(persona)
    client.force_login(user)

    response = client.post(_decide_url(funding, "grant"), {"reason": ""})

    # Without back-office access the admin sends to its sign-in page; with it, 403.
    # The outsider has no role: the back-office sends them to its sign-in page.
    assert response.status_code == (302 if persona == "outsider" else 403)
    funding.refresh_from_db()
    assert funding.status == F.REQUESTED


def test_decision_by_get_or_unknown_is_refused(
    awa, focal_point_senegal, secretariat_officer, client
):
    funding = services.request_funding(awa, actor=focal_point_senegal)
    client.force_login(secretariat_officer)

    assert client.get(_decide_url(funding, "grant")).status_code == 405
    assert client.post(_decide_url(funding, "approve")).status_code == 404
    assert client.post("/en/admin/onsite/fundingrequest/999999/decide/grant/").status_code == 404
    funding.refresh_from_db()
    assert funding.status == F.REQUESTED


def test_organiser_may_not_ask_from_the_panel(awa, meeting_organiser, client):
    client.force_login(meeting_organiser)

    response = client.post(f"/en/admin/onsite/fundingrequest/registration/{awa.pk}/request/")

    assert response.status_code == 403
    assert FundingRequest.objects.count() == 0


# --- the list -------------------------------------------------------------------------------


def test_list_counts_each_delegations_places_for_the_chosen_meeting(
    awa, ines, luc, meeting, focal_point_senegal, secretariat_officer, client
):
    services.grant_funding(
        services.request_funding(awa, actor=focal_point_senegal), actor=secretariat_officer
    )
    services.request_funding(ines, actor=focal_point_senegal)
    services.refuse_funding(
        services.request_funding(luc, actor=secretariat_officer),
        actor=secretariat_officer,
        reason="Budget spent.",
    )
    client.force_login(secretariat_officer)

    page = parse(client.get(f"{LIST}?meeting={meeting.pk}"))

    rows = [
        [row.select_one("th").text, *(cell.text for cell in row.select("td"))]
        for row in page.select("#funding-by-delegation tbody tr")
    ]
    assert rows == [["France", "0 / 1", "0", "1"], ["Senegal", "1 / 1", "1", "0"]]
    assert page.select_one("select[name=action] option[value=grant_selected]").text == (
        "Grant the selected requests"
    )
    assert sorted(page.texts("#result_list td.field-status_in_words")) == [
        "Granted",
        "Refused",
        "Requested",
    ]


def test_list_filters_by_status_and_delegation(
    awa, ines, luc, senegal, focal_point_senegal, secretariat_officer, client
):
    services.grant_funding(
        services.request_funding(awa, actor=focal_point_senegal), actor=secretariat_officer
    )
    services.request_funding(ines, actor=focal_point_senegal)
    services.request_funding(luc, actor=secretariat_officer)
    client.force_login(secretariat_officer)

    by_status = parse(client.get(f"{LIST}?status=requested"))
    by_delegation = parse(client.get(f"{LIST}?delegation={senegal.pk}"))

    assert sorted(by_status.texts("#result_list th.field-registration")) == [
        "INES2031 Inès Ndiaye",
        "LUC20311 Luc Ndiaye",
    ]
    assert sorted(by_delegation.texts("#result_list th.field-registration")) == [
        "AWA2031X Awa Ndiaye",
        "INES2031 Inès Ndiaye",
    ]


def test_list_says_a_grant_of_a_cancelled_registration_is_not_counted(
    awa, focal_point_senegal, secretariat_officer, client, meeting
):
    services.grant_funding(
        services.request_funding(awa, actor=focal_point_senegal), actor=secretariat_officer
    )
    registration_services.cancel_registration(awa)
    client.force_login(secretariat_officer)

    page = parse(client.get(f"{LIST}?meeting={meeting.pk}"))

    assert page.texts("#result_list td.field-status_in_words") == [
        "Granted, not counted: the registration is cancelled"
    ]
    assert page.texts("#funding-by-delegation tbody td")[0] == "0 / 1"


def test_bulk_grant_goes_one_by_one_and_reports_refusals(
    awa, ines, luc, focal_point_senegal, secretariat_officer, client
):
    requests = [
        services.request_funding(awa, actor=focal_point_senegal),
        services.request_funding(ines, actor=focal_point_senegal),
        services.request_funding(luc, actor=secretariat_officer),
    ]
    client.force_login(secretariat_officer)

    response = client.post(
        LIST,
        {"action": "grant_selected", "_selected_action": [funding.pk for funding in requests]},
    )

    assert _messages(response) == [
        "INES2031 Inès Ndiaye · Requested: Senegal: the delegation's 1 funded place is already "
        "granted.",
        "2 funded places granted.",
    ]
    assert dict(FundingRequest.objects.values_list("registration__reference", "status")) == {
        "AWA2031X": F.GRANTED,
        "INES2031": F.REQUESTED,
        "LUC20311": F.GRANTED,
    }


def test_organiser_sees_the_list_of_their_meeting_without_the_grant_action(
    awa, focal_point_senegal, meeting_organiser, other_meeting, client
):
    services.request_funding(awa, actor=focal_point_senegal)
    client.force_login(meeting_organiser)

    page = parse(client.get(LIST))

    assert page.texts("#result_list th.field-registration") == ["AWA2031X Awa Ndiaye"]
    assert page.select("select[name=action]") == []


@pytest.mark.parametrize("persona", ["focal_point_senegal", "outsider"])
def test_list_is_closed_to_others(awa, persona, request, client):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(LIST)

    assert response.status_code == (302 if persona == "outsider" else 403)


def test_onsite_emails_are_listed_for_the_secretariat(
    awa, focal_point_senegal, secretariat_officer, client
):
    services.grant_funding(
        services.request_funding(awa, actor=focal_point_senegal), actor=secretariat_officer
    )
    client.force_login(secretariat_officer)

    page = parse(client.get("/en/admin/onsite/onsiteemail/"))

    assert page.texts("#result_list td.field-event_label") == ["Funded place granted"]
    assert page.texts("#result_list td.field-recipient") == ["awa@example.org"]


def test_request_page_reads_the_decision_for_the_meetings_managers_only(
    awa, focal_point_senegal, secretariat_officer, meeting_organiser, other_meeting, client
):
    funding = services.refuse_funding(
        services.request_funding(awa, actor=focal_point_senegal),
        actor=secretariat_officer,
        reason="Budget spent.",
    )
    elsewhere = OrganiserRoleFactory(meeting=other_meeting, user__email="else@example.org").user
    url = f"/en/admin/onsite/fundingrequest/{funding.pk}/change/"

    client.force_login(meeting_organiser)
    page = parse(client.get(url))
    client.force_login(elsewhere)
    refused = client.get(url)

    assert page.select_one(".field-reason .readonly").text == "Budget spent."
    assert page.select_one(".field-decided_by .readonly").text == (
        "Secretariat officer <officer@secretariat.example.org>"
    )
    # Outside their meeting, the request is as good as absent: the admin says so and
    # goes back to its index.
    assert refused.status_code == 302
    assert refused.url == "/en/admin/"
