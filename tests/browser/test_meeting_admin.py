"""The meetings of the back-office fit 1,280 pixels: the list shows every column beside
its filters, and a meeting's programme (day, times, titles and rooms in both languages)
does not push its page sideways."""

import pytest

from convene.meetings.models import Meeting
from tests.browser.pages import DESKTOP, horizontal_scroll_width

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", ["en", "fr"])
def test_meeting_page_with_its_programme_fits_1280_pixels(back_office, language):
    meeting = Meeting.objects.get(slug="example-workshop")
    page = back_office(language)

    page.goto(f"/{language}/admin/meetings/meeting/{meeting.pk}/change/")

    assert page.locator("#sessions-group tbody tr.has_original").count() == 4
    assert horizontal_scroll_width(page) == DESKTOP["width"]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_meeting_list_fits_1280_pixels_beside_its_filters(back_office, language):
    page = back_office(language)

    page.goto(f"/{language}/admin/meetings/meeting/")

    results = page.locator("#changelist .results")
    assert page.locator("#result_list tbody tr").count() == 2
    assert results.evaluate("node => node.scrollWidth <= node.clientWidth") is True
    assert horizontal_scroll_width(page) == DESKTOP["width"]
