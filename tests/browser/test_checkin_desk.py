"""The Secretariat at the desk: a walk-in registered on a phone, the devices' list and
an API token in the back-office; axe-core clean. With CONVENE_SCREENSHOTS=<folder>,
each page is also saved there as a PNG to look at."""

import os
import re
from pathlib import Path

import pytest

from convene.onsite.models import CheckinDevice
from convene.registrations.enums import RegistrationStatus
from convene.registrations.models import Registration
from tests.browser.axe import assert_no_axe_violations

pytestmark = pytest.mark.browser

PHONE_390 = {"width": 390, "height": 844}


def _shot(page, name: str) -> None:
    folder = os.environ.get("CONVENE_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_walk_in_on_a_phone(back_office, language):
    page = back_office(language, bypass_csp=True)
    page.set_viewport_size(PHONE_390)

    page.goto(f"/{language}/meetings/example-workshop/check-in/walk-in/")
    _shot(page, f"walk-in-{language}-phone")
    assert_no_axe_violations(page)
    page.locator("#id_category").select_option("partner_country")
    page.locator("#id_delegation").select_option(label="Senegal" if language == "en" else "Sénégal")
    page.locator("#id_first_name").fill("Moussa")
    page.locator("#id_last_name").fill("Sow")
    page.locator("#id_email").fill(f"moussa.sow.{language}@example.org")
    page.locator("#id_phone").fill("+221 77 765 43 21")
    page.locator("#id_institution").fill("Ministry of the Interior")
    page.locator("#id_function").fill("Border police officer")
    page.locator("#id_level_of_government").select_option("national")
    page.locator("#walk-in-form button[type=submit]").click()

    page.wait_for_selector(".messages .notice--success")
    _shot(page, f"walk-in-{language}-done")
    registration = Registration.objects.get(email=f"moussa.sow.{language}@example.org")
    assert registration.status == RegistrationStatus.APPROVED
    assert registration.reference in page.locator(".messages").inner_text()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_devices_and_an_api_token_in_the_back_office(back_office, language):
    page = back_office(language, bypass_csp=True)

    page.goto(f"/{language}/admin/onsite/checkindevice/")
    _shot(page, f"devices-{language}")
    assert_no_axe_violations(page)
    page.locator("#issue-token").click()
    page.locator("#id_meeting").select_option(index=1)
    page.locator("#id_name").fill("Gate scanner")
    page.locator("#token-form input[type=submit]").click()

    token = page.locator("#checkin-token").input_value()
    _shot(page, f"token-{language}")
    assert_no_axe_violations(page)
    assert re.fullmatch(r"[A-Za-z0-9_-]{20,}", token)
    assert CheckinDevice.objects.filter(name="Gate scanner", token_hash__isnull=False).count() == 1
    page.goto(f"/{language}/admin/onsite/checkindevice/")
    assert token not in page.content()
