"""The live attendance panel in Chromium: the figures of the day, refreshed by htmx
without reloading the page, readable on a phone and on a desktop; axe-core clean."""

import os
import re

import pytest

from convene.onsite.models import Attendance
from convene.registrations.enums import Participation, RegistrationStatus
from convene.registrations.models import Registration
from tests.browser.axe import assert_no_axe_violations
from tests.browser.pages import DESKTOP
from tests.factories.onsite import AttendanceFactory
from tests.factories.registrations import RegistrationFactory

pytestmark = pytest.mark.browser

# Where to leave screenshots for a person to look at, when asked.
SCREENSHOTS = os.environ.get("CONVENE_SCREENSHOTS", "")
PANEL = "/{language}/meetings/paris-2021/attendance/2021-09-14/"


def _shoot(page, name):
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}.png"), full_page=True)


def _expected(meeting):
    """Eight delegates of four delegations, two of them local authorities, expected in
    person at Paris 2021."""
    from convene.registrations.enums import LevelOfGovernment

    partners = meeting.dialogue.partners
    for number, (code, level) in enumerate(
        [
            ("FR", LevelOfGovernment.NATIONAL),
            ("FR", LevelOfGovernment.LOCAL),
            ("SN", LevelOfGovernment.NATIONAL),
            ("SN", LevelOfGovernment.LOCAL),
            ("MA", LevelOfGovernment.NATIONAL),
            ("MA", LevelOfGovernment.NATIONAL),
            ("ES", LevelOfGovernment.NATIONAL),
            ("ES", LevelOfGovernment.LOCAL),
        ]
    ):
        RegistrationFactory(
            meeting=meeting,
            delegation=partners.get(code=code),
            level_of_government=level,
            status=RegistrationStatus.APPROVED,
            email=f"delegate{number}@example.org",
        )
    return list(
        Registration.objects.filter(
            meeting=meeting,
            status=RegistrationStatus.APPROVED,
            participation=Participation.IN_PERSON,
        ).order_by("pk")
    )


@pytest.mark.parametrize("language", ["en", "fr"])
def test_panel_refreshes_its_figures_by_itself(back_office, demo_data, language):
    expected = _expected(demo_data)
    assert len(expected) == 8
    for registration in expected[:2]:
        AttendanceFactory(registration=registration, day=demo_data.starts_on)
    page = back_office(language, bypass_csp=True)

    page.goto(PANEL.format(language=language))

    total = page.locator("#attendance-total")
    assert re.match(rf"^\D*2\D+{len(expected)}\b", total.inner_text())
    assert_no_axe_violations(page)
    _shoot(page, f"attendance-{language}-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    assert_no_axe_violations(page)
    _shoot(page, f"attendance-{language}-390")
    page.set_viewport_size(DESKTOP)
    url = page.url

    AttendanceFactory(registration=expected[2], day=demo_data.starts_on)

    # The fragment is fetched every 15 s: the third arrival shows without a reload.
    page.wait_for_function(
        "() => /\\b3\\b/.test(document.querySelector('#attendance-total').textContent)",
        timeout=20_000,
    )
    assert page.url == url
    assert Attendance.objects.filter(meeting=demo_data).count() == 3
