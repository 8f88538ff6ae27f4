"""Issue 11: an approved delegate gives their travel details on a phone, a mistake first
then corrected; the travel page and the back-office's logistics page pass axe-core."""

import datetime
import os
import re

import pytest

from convene.meetings.models import Meeting
from convene.onsite.models import TravelDetails
from convene.registrations.enums import RegistrationStatus
from convene.registrations.tokens import make_token
from tests.browser.axe import assert_no_axe_violations
from tests.browser.pages import PHONE, horizontal_scroll_width
from tests.factories.registrations import RegistrationFactory

pytestmark = pytest.mark.browser

# Where to leave screenshots for a person to look at, when asked.
SCREENSHOTS = os.environ.get("CONVENE_SCREENSHOTS", "")


def _shot(page, name):
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}.png"), full_page=True)


@pytest.fixture
def workshop(site_url):
    return Meeting.objects.get(slug="example-workshop")


@pytest.fixture
def approved(workshop, reference_data):
    return RegistrationFactory(
        meeting=workshop,
        delegation=reference_data.partners.get(code="SN"),
        status=RegistrationStatus.APPROVED,
        first_name="Awa",
        last_name="Ndiaye",
        reference="AWA2031X",
    )


def test_approved_delegate_fills_the_travel_form_on_a_phone(open_context, approved, workshop):
    first, last = workshop.starts_on, workshop.ends_on
    page = open_context(viewport=PHONE, bypass_csp=True).new_page()
    page.goto(f"/en/registration/{make_token(approved)}/")
    page.locator("#travel-link").click()
    page.locator("#travel-form").wait_for()
    assert re.search(r"/registration/[^/]+/travel/$", page.url)
    assert horizontal_scroll_width(page) == PHONE["width"]
    assert_no_axe_violations(page)
    _shot(page, "travel-360-empty")

    # The mistake: leaving the day before the meeting starts.
    page.locator("#id_arrival_date").fill((first - datetime.timedelta(days=1)).isoformat())
    page.locator("#id_arrival_time").fill("14:30")
    page.locator("#id_departure_date").fill((first - datetime.timedelta(days=1)).isoformat())
    page.locator("#id_departure_time").fill("20:00")
    page.get_by_label("Flight", exact=True).check()
    page.locator("#id_travel_number").fill("af 718")
    page.locator("#id_arriving_at").fill("Blaise Diagne")
    page.locator("#travel-form button[type=submit]").click()

    summary = page.locator("#form-errors")
    assert summary.locator("li").all_inner_texts() == [
        "Departure date: The departure cannot be before the meeting's first day "
        f"({first.day} {first:%B %Y}).",
    ]
    assert page.locator("#id_travel_number").input_value() == "af 718"
    assert page.locator("#id_arriving_at").input_value() == "Blaise Diagne"
    assert horizontal_scroll_width(page) == PHONE["width"]
    assert_no_axe_violations(page)
    _shot(page, "travel-360-error")

    page.locator("#form-errors a").click()
    page.locator("#id_departure_date").fill(last.isoformat())
    page.locator("#travel-form button[type=submit]").click()

    page.locator(".notice--success").wait_for()
    assert re.search(r"/registration/[^/]+/$", page.url.split("#")[0])
    assert page.locator(".notice--success").inner_text() == "Your travel details are saved."
    assert page.locator("#travel-summary dd").first.inner_text() == (
        f"{(first - datetime.timedelta(days=1)).day} "
        f"{first - datetime.timedelta(days=1):%B %Y}, 14:30 · AF 718 · Blaise Diagne"
    )
    _shot(page, "personal-360-travel")
    details = TravelDetails.objects.get(registration=approved)
    assert (details.travel_number, details.means) == ("AF 718", "flight")


def test_logistics_page_passes_axe(back_office, approved, workshop):
    page = back_office("en", bypass_csp=True)
    page.goto(f"/en/admin/onsite/traveldetails/meeting/{workshop.pk}/")

    assert page.locator("#missing-travel tbody tr").all_inner_texts() == [
        "Awa Ndiaye\tSenegal\t" + approved.email + "\tNever"
    ]
    assert_no_axe_violations(page)
    _shot(page, "logistics-1280")
