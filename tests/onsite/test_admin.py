"""The back-office badge page: filters and layout, the PDF and its print log, the reason a
reprint asks for, the registration page's link, and who may open them."""

import io

import pypdf
import pytest

from convene.onsite.models import BadgePrint
from convene.registrations.enums import RegistrationStatus
from tests.factories.core import CheckinRoleFactory, OrganiserRoleFactory
from tests.html import parse

pytestmark = pytest.mark.django_db

LOG = "/en/admin/onsite/badgeprint/"


def _print_url(meeting, registration=None, language="en") -> str:
    url = f"/{language}/admin/onsite/badgeprint/meeting/{meeting.pk}/"
    return f"{url}?registration={registration.pk}" if registration else url


def _references(response) -> list[str]:
    pages = pypdf.PdfReader(io.BytesIO(response.content)).pages
    return [
        line
        for page in pages
        for line in page.extract_text().splitlines()
        if line[:3].isupper() and line.isalnum() and len(line) == 8
    ]


@pytest.fixture
def delegates(make_registration, meeting, france):
    return {
        "awa": make_registration(days=["2031-09-01", "2031-09-02"]),
        "ines": make_registration(
            email="ines@example.org", reference="INES2031", first_name="Inès", days=["2031-09-02"]
        ),
        "luc": make_registration(
            email="luc@example.org",
            reference="LUC20311",
            first_name="Luc",
            delegation=france,
            days=["2031-09-01"],
        ),
        "pending": make_registration(
            email="p@example.org",
            reference="PEND2031",
            status=RegistrationStatus.AWAITING_SECRETARIAT,
        ),
    }


def test_print_page_offers_filters_and_layouts(meeting, delegates, secretariat_officer, client):
    client.force_login(secretariat_officer)

    page = parse(client.get(_print_url(meeting)))

    assert page.select_one("h1").text == "Badges: Dakar workshop"
    assert page.texts("#id_delegation option") == ["All delegations", "France", "Senegal"]
    assert page.texts("#id_arrival option") == [
        "Any day",
        "Monday 1 September 2031",
        "Tuesday 2 September 2031",
    ]
    assert page.texts("#id_layout option") == [
        "A6, one badge per page",
        "A4, four badges per sheet with crop marks",
    ]
    assert page.select_one("#badge-print-form input[type=submit]").attrs["value"] == (
        "Download badges (PDF)"
    )


def test_print_page_in_french(meeting, delegates, secretariat_officer, client):
    client.force_login(secretariat_officer)

    response = client.get(_print_url(meeting, language="fr"))

    page = parse(response)
    # .text folds spaces; the page itself has the non-breaking one before the colon.
    assert page.select_one("h1").text == "Badges : Atelier de Dakar"
    assert "<h1>Badges\u00a0: Atelier de Dakar</h1>" in response.content.decode()
    assert page.select_one("#badge-print-form input[type=submit]").attrs["value"] == (
        "Télécharger les badges (PDF)"
    )


def test_print_gives_the_approved_badges_as_a_pdf_and_logs_it(
    meeting, delegates, secretariat_officer, client
):
    client.force_login(secretariat_officer)

    response = client.post(_print_url(meeting), {"layout": "a4"})

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="badges-dakar-workshop-a4.pdf"'
    )
    # Delegations in order (France, Senegal), names within; the pending one has none.
    assert _references(response) == ["LUC20311", "AWA2031X", "INES2031"]
    (badge_print,) = BadgePrint.objects.all()
    assert (badge_print.printed_by, badge_print.layout, badge_print.badge_count) == (
        secretariat_officer,
        "a4",
        3,
    )


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"delegation": "senegal"}, ["AWA2031X", "INES2031"]),
        ({"arrival": "2031-09-02"}, ["INES2031"]),
        ({"arrival": "2031-09-01"}, ["LUC20311", "AWA2031X"]),
        ({"category": "delegation"}, ["LUC20311", "AWA2031X", "INES2031"]),
    ],
)
def test_print_follows_the_filters(
    meeting, delegates, senegal, secretariat_officer, client, filters, expected
):
    client.force_login(secretariat_officer)
    if filters.get("delegation") == "senegal":
        filters = {"delegation": senegal.pk}

    response = client.post(_print_url(meeting), {"layout": "a6", **filters})

    assert _references(response) == expected


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "No approved registration matches these filters."),
        ("fr", "Aucune inscription approuvée ne correspond à ces filtres."),
    ],
)
def test_print_matching_nothing_says_so(
    meeting, delegates, secretariat_officer, client, language, message
):
    client.force_login(secretariat_officer)

    response = client.post(
        _print_url(meeting, language=language), {"layout": "a6", "category": "press"}
    )

    assert response.status_code == 200
    assert parse(response).texts(".errorlist.nonfield li") == [message]
    assert BadgePrint.objects.count() == 0


def test_reprint_asks_for_a_reason_then_prints_with_it(
    meeting, delegates, secretariat_officer, client
):
    client.force_login(secretariat_officer)
    client.post(_print_url(meeting, delegates["awa"]), {"layout": "a6"})

    page = parse(client.get(_print_url(meeting, delegates["awa"])))
    refused = client.post(_print_url(meeting, delegates["awa"]), {"layout": "a6"})
    reprinted = client.post(
        _print_url(meeting, delegates["awa"]), {"layout": "a6", "reason": "Badge lost"}
    )

    assert page.select_one("#badge-printed-before").text == (
        "This badge was printed before: say why it is reprinted."
    )
    assert parse(refused).texts(".field-reason .errorlist li") == [
        "Some of these badges were printed before: say why they are reprinted."
    ]
    assert reprinted["Content-Disposition"] == 'attachment; filename="badge-AWA2031X.pdf"'
    assert _references(reprinted) == ["AWA2031X"]
    assert list(BadgePrint.objects.values_list("is_reprint", "reason")) == [
        (True, "Badge lost"),
        (False, ""),
    ]


def test_single_badge_of_a_registration_not_approved_is_not_found(
    meeting, delegates, secretariat_officer, client
):
    client.force_login(secretariat_officer)

    assert client.get(_print_url(meeting, delegates["pending"])).status_code == 404
    assert client.get(f"{_print_url(meeting)}?registration=abc").status_code == 404


def test_organiser_prints_their_meetings_badges_only(meeting, other_meeting, delegates, client):
    organiser = OrganiserRoleFactory(meeting=meeting, user__email="org@example.org").user
    client.force_login(organiser)

    assert client.post(_print_url(meeting), {"layout": "a6"})["Content-Type"] == "application/pdf"
    assert client.get(_print_url(other_meeting)).status_code == 403


@pytest.mark.parametrize("persona", ["checkin", "focal_point_senegal"])
def test_checkin_staff_and_focal_points_may_not_print(meeting, delegates, request, client, persona):
    if persona == "checkin":
        user = CheckinRoleFactory(meeting=meeting, user__email="door@example.org").user
    else:
        user = request.getfixturevalue(persona)
    client.force_login(user)

    assert client.get(_print_url(meeting)).status_code == 403
    assert client.post(_print_url(meeting), {"layout": "a6"}).status_code == 403
    assert BadgePrint.objects.count() == 0


def test_print_page_of_an_unknown_meeting_is_not_found(secretariat_officer, client):
    client.force_login(secretariat_officer)

    assert client.get("/en/admin/onsite/badgeprint/meeting/999999/").status_code == 404


def test_print_log_lists_prints_and_links_the_meetings(
    meeting, delegates, secretariat_officer, client
):
    client.force_login(secretariat_officer)
    client.post(_print_url(meeting), {"layout": "a4"})

    page = parse(client.get(LOG))

    assert page.select_one("#badge-meetings a").attrs["href"] == _print_url(meeting)
    assert page.texts("#result_list tbody td.field-badge_count") == ["3"]


def test_registration_page_links_its_badge_while_approved(
    meeting, delegates, secretariat_officer, client
):
    client.force_login(secretariat_officer)

    approved = parse(client.get(delegates["awa"].get_admin_url()))
    pending = parse(client.get(delegates["pending"].get_admin_url()))

    assert approved.select_one("#badge-link").attrs["href"] == _print_url(meeting, delegates["awa"])
    assert approved.select_one("#badge-link").text == "Badge"
    assert pending.select("#badge-link") == []
