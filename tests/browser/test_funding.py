"""Issue 11: funded places as people see them, at 360 px and 1,280 px, in both languages:
the focal point asks from the delegation's card, the delegate from their personal page,
the Secretariat refuses from the registration's Funding panel and reads the list.

Each page is kept as a screenshot in the test's temporary folder, for a failure's
inspection."""

import re

import pytest

from convene.core.models import User
from convene.dialogues.models import Partner
from convene.meetings.models import Meeting
from convene.onsite import services as onsite_services
from convene.onsite.models import FundingRequest
from convene.registrations import services
from convene.registrations.enums import Source
from convene.registrations.tokens import make_token
from tests.browser.axe import assert_no_axe_violations
from tests.browser.pages import DESKTOP, PHONE, horizontal_scroll_width
from tests.factories.registrations import registration_data

pytestmark = pytest.mark.browser

PASSWORD = "focal-point-password-1234"
FOCAL_POINT_EMAIL = "focal.point.sn@demo.convene.test"
PAGE_PATH = "/{language}/focal-point/meetings/example-workshop/"

WORDS = {
    "en": {
        "ask": "Ask for a funded place for Moussa Ba",
        "asked": "A funded place is requested for Moussa Ba.",
        "none_granted": "0 of 1 granted",
        "requested": "Funding requested on ",
        "ask_self": "Ask for a funded place",
        "sent": "Your request for a funded place is sent: you will be emailed the decision.",
    },
    "fr": {
        "ask": "Demander une place financée pour Moussa Ba",
        "asked": "Une place financée est demandée pour Moussa Ba.",
        "none_granted": "0 sur 1 attribuée(s)",
        "requested": "Financement demandé le ",
        "ask_self": "Demander une place financée",
        "sent": "Votre demande de place financée est envoyée\u00a0: "
        "la décision vous sera communiquée par courriel.",
    },
}


@pytest.fixture
def funded_workshop(demo_data):
    """The demo workshop offers one funded place per delegation, delegates may ask; the
    focal point of Senegal (able to sign in) nominated Moussa Ba."""
    focal_point = User.objects.get(email=FOCAL_POINT_EMAIL)
    focal_point.set_password(PASSWORD)
    focal_point.save()
    meeting = Meeting.objects.get(slug="example-workshop")
    meeting.funded_places_per_delegation = 1
    meeting.delegates_may_request_funding = True
    meeting.save(update_fields=["funded_places_per_delegation", "delegates_may_request_funding"])
    senegal = Partner.objects.get(code="SN")
    nominee = services.submit_registration(
        meeting,
        data=registration_data(
            meeting, senegal, email="moussa.ba@example.org", first_name="Moussa", last_name="Ba"
        ),
        source=Source.FOCAL_POINT,
        actor=focal_point,
    )
    return meeting, nominee


def _sign_in(page, language):
    page.goto(f"/{language}/accounts/login/")
    page.locator("#id_username, input[type=email]").first.fill(FOCAL_POINT_EMAIL)
    page.locator("input[type=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def _fits(page, viewport) -> None:
    assert horizontal_scroll_width(page) <= viewport["width"]
    assert_no_axe_violations(page)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_focal_point_asks_for_a_funded_place_from_the_card(
    open_context, funded_workshop, language, tmp_path
):
    _meeting, nominee = funded_workshop
    words = WORDS[language]
    page = open_context(viewport=PHONE, bypass_csp=True).new_page()
    _sign_in(page, language)
    page.goto(PAGE_PATH.format(language=language))

    assert page.locator("#funded-places").inner_text() == words["none_granted"]
    button = page.get_by_role("button", name=words["ask"])
    box = button.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    _fits(page, PHONE)
    button.click()
    page.wait_for_load_state()

    assert page.locator(".messages").inner_text() == words["asked"]
    state = page.locator(f"#funding-{nominee.reference} .funding-state").inner_text()
    assert state.startswith(words["requested"])
    _fits(page, PHONE)
    page.screenshot(path=tmp_path / f"focal-point-{language}-360.png", full_page=True)
    page.set_viewport_size(DESKTOP)
    _fits(page, DESKTOP)
    page.screenshot(path=tmp_path / f"focal-point-{language}-1280.png", full_page=True)
    assert FundingRequest.objects.get().registration_id == nominee.pk


@pytest.mark.parametrize("language", ["en", "fr"])
def test_delegate_asks_from_the_personal_page(open_context, funded_workshop, language, tmp_path):
    _meeting, nominee = funded_workshop
    words = WORDS[language]
    page = open_context(viewport=PHONE, bypass_csp=True).new_page()
    page.goto(f"/{language}/registration/{make_token(nominee)}/")
    _fits(page, PHONE)

    page.get_by_role("button", name=words["ask_self"]).click()
    page.wait_for_load_state()

    assert page.locator(".messages").inner_text() == words["sent"]
    assert page.locator("#funding-state").inner_text().startswith(words["requested"])
    _fits(page, PHONE)
    page.screenshot(path=tmp_path / f"personal-{language}-360.png", full_page=True)
    page.set_viewport_size(DESKTOP)
    _fits(page, DESKTOP)
    page.screenshot(path=tmp_path / f"personal-{language}-1280.png", full_page=True)


def test_secretariat_refuses_from_the_panel_and_reads_the_list(
    back_office, funded_workshop, tmp_path
):
    meeting, nominee = funded_workshop
    officer = User.objects.get(email="secretariat@demo.convene.test")
    onsite_services.request_funding(nominee, actor=officer)
    page = back_office("en")
    page.goto(f"/en/admin/registrations/registration/{nominee.pk}/change/")
    panel = page.locator("#funding")
    assert panel.locator("#funding-counts").inner_text() == "Senegal: 0 of 1 funded places granted."
    page.screenshot(path=tmp_path / "panel-1280.png", full_page=True)

    panel.locator("#funding-refuse summary").click()
    panel.locator("#funding-reason").fill("The budget of the meeting is spent.")
    panel.locator("#funding-refuse input[type=submit]").click()
    page.wait_for_url(re.compile(rf"/registration/{nominee.pk}/change/$"))

    assert page.locator("ul.messagelist").inner_text() == (
        f"Funding decision recorded: {nominee.reference} is now “Refused”."
    )
    assert (
        page.locator("#funding-state")
        .inner_text()
        .endswith(": The budget of the meeting is spent.")
    )
    page.goto(f"/en/admin/onsite/fundingrequest/?meeting={meeting.pk}")
    assert page.locator("#funding-by-delegation tbody tr").inner_text().split("\t") == [
        "Senegal",
        "0 / 1",
        "0",
        "1",
    ]
    page.screenshot(path=tmp_path / "list-1280.png", full_page=True)
    assert horizontal_scroll_width(page) <= DESKTOP["width"]
    # The table of requests fits beside the filters: no sideways scrolling inside it either.
    results = page.locator("#changelist .results")
    assert results.evaluate("node => node.scrollWidth <= node.clientWidth") is True
