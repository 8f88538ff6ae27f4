"""The back-office badge page fits a phone and a desktop, in both languages."""

import pytest

from convene.meetings.models import Meeting
from tests.browser.pages import DESKTOP, PHONE, horizontal_scroll_width

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360", "1280"])
def test_badge_page_fits_the_screen(back_office, language, viewport):
    meeting = Meeting.objects.get(slug="example-workshop")
    page = back_office(language)
    page.set_viewport_size(viewport)

    page.goto(f"/{language}/admin/onsite/badgeprint/meeting/{meeting.pk}/")

    assert page.locator("#badge-print-form select").count() == 4
    assert horizontal_scroll_width(page) == viewport["width"]
