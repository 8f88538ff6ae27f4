"""What a visitor gets: the journey on a phone, page weight, keyboard use, no JavaScript."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.pages import (
    LANGUAGES,
    PHONE,
    PUBLIC_PAGES,
    expected_status,
    horizontal_scroll_width,
    public_path,
)

pytestmark = pytest.mark.browser

TITLE_EN = "National authorities, local authorities and migration"
TITLE_FR = "Autorités nationales, autorités locales et migration"
PAGE_WEIGHT_LIMIT = 150 * 1024


def test_phone_visitor_opens_meeting_and_reads_programme_in_french(
    open_context, site_url, demo_data
):
    page = open_context(viewport=PHONE).new_page()
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    sessions = list(demo_data.sessions.all())

    page.goto("/en/")
    assert horizontal_scroll_width(page) <= PHONE["width"]
    page.get_by_role("link", name=TITLE_EN, exact=True).click()

    expect(page).to_have_url(f"{site_url}/en/meetings/paris-2021/")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE_EN)

    page.get_by_role("navigation", name="Language").get_by_role("link", name="Français").click()

    expect(page).to_have_url(f"{site_url}/fr/meetings/paris-2021/")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE_FR)
    programme = page.get_by_role("region", name="Programme")
    for target in (
        programme.get_by_role("heading", name="Programme", level=2),
        programme.get_by_role("heading", name=sessions[0].title_fr, exact=True, level=4),
        programme.get_by_role("heading", name=sessions[-1].title_fr, exact=True, level=4),
    ):
        target.scroll_into_view_if_needed()
        expect(target).to_be_in_viewport()
    assert horizontal_scroll_width(page) <= PHONE["width"]
    assert errors == []


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_page_first_load_is_light_and_served_by_the_site_alone(
    open_context, site_url, name, language
):
    page = open_context().new_page()
    requested_urls = []
    responses = []
    page.on("request", lambda request: requested_urls.append(request.url))
    page.on("response", lambda response: responses.append(response))

    response = page.goto(public_path(name, language))
    page.wait_for_load_state("networkidle")

    assert response.status == expected_status(name)
    assert {urlsplit(url).netloc for url in requested_urls} == {urlsplit(site_url).netloc}
    sizes = {r.url: len(r.body()) for r in responses if not 300 <= r.status < 400}
    assert sum(sizes.values()) < PAGE_WEIGHT_LIMIT, sizes


def test_first_tab_focuses_skip_link_and_enter_moves_focus_to_main(page):
    page.goto("/en/meetings/paris-2021/")

    page.keyboard.press("Tab")

    skip_link = page.get_by_role("link", name="Skip to content")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()

    page.keyboard.press("Enter")

    expect(page.get_by_role("main")).to_be_focused()


def test_meeting_page_shows_programme_without_javascript(open_context, demo_data):
    page = open_context(java_script_enabled=False).new_page()

    page.goto("/en/meetings/paris-2021/")

    programme = page.get_by_role("region", name="Programme")
    expect(programme.get_by_role("heading", name="Programme", level=2)).to_be_visible()
    expect(programme.get_by_role("heading", level=4)).to_have_text(
        [session.title_en for session in demo_data.sessions.all()]
    )
