"""Issue 10: the focal point's delegation page on a 360 px phone, in both languages.

Each registration is a card (name, function, status, actions) with no sideways
scrolling; a refused nomination is summed up at the top, the summary takes the focus
and the page title starts with "Error:" / "Erreur :".
"""

import re

import pytest

from convene.core.models import User
from convene.dialogues.models import Partner
from convene.meetings.models import Meeting
from convene.registrations import services
from convene.registrations.enums import Source
from tests.browser.axe import assert_no_axe_violations
from tests.browser.pages import DESKTOP, PHONE, horizontal_scroll_width
from tests.factories.registrations import registration_data

pytestmark = pytest.mark.browser

PASSWORD = "focal-point-password-1234"
FOCAL_POINT_EMAIL = "focal.point.sn@demo.convene.test"
PAGE_PATH = "/{language}/focal-point/meetings/example-workshop/"

# Per language: the words the page must show, so the test reads the French page in French.
WORDS = {
    "en": {
        "name": "Ms Fatou Sall",
        "status": "Status",
        "awaiting": "Awaiting the focal point",
        "nominated": "Awaiting the Secretariat",
        "endorse": "Endorse Fatou Sall",
        "decline": "Decline Fatou Sall",
        "nominate": "Nominate",
        "error_title": "Error: ",
        "summary": "Please correct the following:",
    },
    "fr": {
        "name": "Mme Fatou Sall",
        "status": "Statut",
        "awaiting": "En attente du point focal",
        "nominated": "En attente du Secrétariat",
        # The name after a colon, as in every French sentence around a name (no "de Aïssatou").
        "endorse": "Donner mon aval\u00a0: Fatou Sall",
        "decline": "Refuser l'inscription\u00a0: Fatou Sall",
        "nominate": "Désigner",
        "error_title": "Erreur\u00a0: ",
        "summary": "Veuillez corriger les points suivants\u00a0:",
    },
}


@pytest.fixture
def senegal_delegation(demo_data):
    """The Senegal focal point, able to sign in, with one self-registration awaiting their
    endorsement and one nominee at the demo workshop."""
    focal_point = User.objects.get(email=FOCAL_POINT_EMAIL)
    focal_point.set_password(PASSWORD)
    focal_point.save()
    meeting = Meeting.objects.get(slug="example-workshop")
    senegal = Partner.objects.get(code="SN")
    pending = services.submit_registration(
        meeting,
        data=registration_data(
            meeting,
            senegal,
            email="fatou.sall@example.org",
            first_name="Fatou",
            last_name="Sall",
            function="Head of the diaspora office",
        ),
    )
    # The demo workshop asks self-registrations to verify their address first.
    pending = services.verify_registration_email(pending)
    nominee = services.submit_registration(
        meeting,
        data=registration_data(
            meeting, senegal, email="moussa.ba@example.org", first_name="Moussa", last_name="Ba"
        ),
        source=Source.FOCAL_POINT,
        actor=focal_point,
    )
    return pending, nominee


def _sign_in(page, language):
    page.goto(f"/{language}/accounts/login/")
    page.locator("#id_username, input[type=email]").first.fill(FOCAL_POINT_EMAIL)
    page.locator("input[type=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_focal_point_page_at_360_px_shows_cards_without_sideways_scroll(
    open_context, senegal_delegation, language
):
    pending, nominee = senegal_delegation
    words = WORDS[language]
    page = open_context(viewport=PHONE, bypass_csp=True).new_page()
    _sign_in(page, language)

    response = page.goto(PAGE_PATH.format(language=language))

    assert response.status == 200
    assert horizontal_scroll_width(page) <= PHONE["width"]
    cards = page.locator("ul.registration-cards > li")
    assert cards.evaluate_all("cards => cards.map(card => card.id)") == [
        f"registration-{pending.reference}",
        f"registration-{nominee.reference}",
    ]
    card = page.locator(f"#registration-{pending.reference}")
    assert card.locator("h3").inner_text() == words["name"]
    assert card.locator(".registration-function").inner_text() == (
        "Head of the diaspora office, Ministry of Foreign Affairs"
    )
    assert card.locator("dt").first.inner_text() == words["status"]
    assert card.locator("dd.status").inner_text() == words["awaiting"]
    assert (
        page.locator(f"#registration-{nominee.reference} dd.status").inner_text()
        == (words["nominated"])
    )
    endorse = card.get_by_role("button", name=words["endorse"])
    decline = card.get_by_role("button", name=words["decline"])
    # Every card and its buttons lie inside the 360 px: nothing hides off the right edge.
    for element in (card, endorse, decline):
        box = element.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert_no_axe_violations(page)

    # On a desktop the cards fill a grid of two columns rather than stretching across.
    page.set_viewport_size(DESKTOP)
    main_width = page.locator("main").bounding_box()["width"]
    widths = cards.evaluate_all("cards => cards.map(card => card.getBoundingClientRect().width)")
    assert horizontal_scroll_width(page) <= DESKTOP["width"]
    assert widths[0] == widths[1] and 320 <= widths[0] <= main_width / 2
    assert_no_axe_violations(page)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_refused_nomination_at_360_px_focuses_the_summary_at_the_top(
    open_context, senegal_delegation, language
):
    words = WORDS[language]
    page = open_context(viewport=PHONE, bypass_csp=True).new_page()
    _sign_in(page, language)
    page.goto(PAGE_PATH.format(language=language))
    title = page.title()
    assert not title.startswith(words["error_title"])

    page.get_by_role("button", name=words["nominate"], exact=True).click()
    page.locator("#form-errors").wait_for()

    assert page.title() == words["error_title"] + title
    assert page.evaluate("() => document.activeElement.id") == "form-errors"
    assert page.locator("#form-errors h2").inner_text() == words["summary"]
    # At the top: right after the page's heading and lead, above the delegation's lists.
    assert page.evaluate(
        "() => [...document.querySelectorAll('main > *')].slice(0, 4).map(e => e.id || e.className)"
    ) == ["breadcrumb", "", "lead", "form-errors"]
    summary_box = page.locator("#form-errors").bounding_box()
    assert 0 <= summary_box["y"] < PHONE["height"]
    # Each error links to its field in the form further down.
    first_link = page.locator("#form-errors li a").first
    target = first_link.get_attribute("href")
    assert re.fullmatch(r"#id_nominate-\w+", target)
    assert page.locator(target).count() == 1
    # The focused summary shows the two-tone ring.
    ring = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, s.outlineColor, s.boxShadow]; }"
    )
    assert ring == ["solid", "rgb(26, 31, 38)", "rgb(255, 255, 255) 0px 0px 0px 3px"]
    assert horizontal_scroll_width(page) <= PHONE["width"]
    assert_no_axe_violations(page)


def test_page_without_errors_keeps_the_focus_on_the_document(open_context, senegal_delegation):
    page = open_context(viewport=PHONE).new_page()
    _sign_in(page, "en")

    page.goto(PAGE_PATH.format(language="en"))

    assert page.locator("#form-errors").count() == 0
    assert page.evaluate("() => document.activeElement.tagName") == "BODY"
