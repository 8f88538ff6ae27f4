"""The meetings of the back-office fit 1,280 pixels: the list shows every column beside
its filters, and a meeting's programme (day, times, titles and rooms in both languages)
does not push its page sideways."""

import re

import pytest

from convene.core.models import User
from convene.meetings.models import Meeting
from tests.browser.pages import DESKTOP, horizontal_scroll_width

pytestmark = pytest.mark.browser

PASSWORD = "meeting-admin-password-1234"
SECRETARIAT = "secretariat@demo.convene.test"


@pytest.fixture
def officer(demo_data):
    officer = User.objects.get(email=SECRETARIAT)
    officer.set_password(PASSWORD)
    officer.save()
    return officer


def _signed_in(open_context, language):
    page = open_context(viewport=DESKTOP).new_page()
    page.goto(f"/{language}/admin/login/")
    page.locator("#id_username").fill(SECRETARIAT)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_url(re.compile(rf"/{language}/admin/$"))
    return page


@pytest.mark.parametrize("language", ["en", "fr"])
def test_meeting_page_with_its_programme_fits_1280_pixels(open_context, officer, language):
    meeting = Meeting.objects.get(slug="example-workshop")
    page = _signed_in(open_context, language)

    page.goto(f"/{language}/admin/meetings/meeting/{meeting.pk}/change/")

    assert page.locator("#sessions-group tbody tr.has_original").count() == 4
    assert horizontal_scroll_width(page) == DESKTOP["width"]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_meeting_list_fits_1280_pixels_beside_its_filters(open_context, officer, language):
    page = _signed_in(open_context, language)

    page.goto(f"/{language}/admin/meetings/meeting/")

    results = page.locator("#changelist .results")
    assert page.locator("#result_list tbody tr").count() == 2
    assert results.evaluate("node => node.scrollWidth <= node.clientWidth") is True
    assert horizontal_scroll_width(page) == DESKTOP["width"]
