"""Issue 11: the Secretariat issues a visa support letter from the registration page and
downloads it; the public verification page and the letters list pass axe-core and fit a
phone and a desktop."""

import datetime
import io
import re
from pathlib import Path

import pypdf
import pytest

from convene.core.models import User
from convene.meetings.models import Meeting
from convene.onsite import services
from convene.onsite.models import VisaLetter
from convene.registrations.enums import RegistrationStatus
from tests.browser.axe import assert_no_axe_violations
from tests.browser.conftest import DEMO_OFFICER
from tests.browser.pages import DESKTOP, PHONE, horizontal_scroll_width
from tests.factories.onsite import PassportDetailsFactory
from tests.factories.registrations import RegistrationFactory

pytestmark = pytest.mark.browser

PASSWORD = "back-office-password-1234"


@pytest.fixture
def officer(site_url):
    officer = User.objects.get(email=DEMO_OFFICER)
    officer.set_password(PASSWORD)
    officer.save()
    return officer


@pytest.fixture
def delegate(site_url, reference_data):
    # The demo data gives the workshop its letters and their settings.
    meeting = Meeting.objects.get(slug="example-workshop", offers_visa_letters=True)
    registration = RegistrationFactory(
        meeting=meeting,
        delegation=reference_data.partners.get(code="SN"),
        status=RegistrationStatus.APPROVED,
        first_name="Awa",
        last_name="Ndiaye",
        reference="AWA2031X",
        needs_visa_letter=True,
    )
    PassportDetailsFactory(
        registration=registration,
        passport_number="A01234567",
        date_of_birth=datetime.date(1980, 5, 17),
    )
    return registration


def _signed_in(open_context, language="en", viewport=DESKTOP):
    page = open_context(viewport=viewport, accept_downloads=True, bypass_csp=True).new_page()
    page.goto(f"/{language}/admin/login/")
    page.locator("#id_username").fill(DEMO_OFFICER)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_url(re.compile(rf"/{language}/admin/$"))
    return page


def test_secretariat_issues_a_letter_from_the_registration_page_and_downloads_it(
    open_context, officer, delegate
):
    page = _signed_in(open_context)
    page.goto(delegate.get_admin_url())

    page.locator("#visa-letter-issue-en").click()

    letter = VisaLetter.objects.get(registration=delegate)
    assert page.locator(".messagelist li").inner_text() == (
        f"Letter {letter.number} issued in English."
    )
    with page.expect_download() as download_info:
        page.locator(f"#visa-letter-download-{letter.pk}").click()
    download = download_info.value
    assert download.suggested_filename == f"visa-letter-{letter.number}.pdf"
    (pdf_page,) = pypdf.PdfReader(io.BytesIO(Path(download.path()).read_bytes())).pages
    assert "Passport number A01234567" in pdf_page.extract_text().splitlines()


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360", "1280"])
def test_verification_page_is_accessible_and_fits_the_screen(
    open_context, officer, delegate, language, viewport
):
    letter = services.issue_visa_letter(delegate, actor=officer, language="fr")
    page = open_context(viewport=viewport, bypass_csp=True).new_page()

    page.goto(f"/{language}/letters/verify/{letter.verification_code}/")

    assert page.locator(".letter-status").count() == 2
    assert horizontal_scroll_width(page) == viewport["width"]
    assert_no_axe_violations(page)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360", "1280"])
def test_letters_list_and_waiting_page_are_accessible(open_context, officer, delegate, viewport):
    services.issue_visa_letter(delegate, actor=officer, language="en")
    page = _signed_in(open_context, viewport=viewport)

    page.goto("/en/admin/onsite/visaletter/")
    assert page.locator("#result_list tbody tr").count() == 1
    assert horizontal_scroll_width(page) == viewport["width"]
    assert_no_axe_violations(page)

    page.goto(f"/en/admin/onsite/visaletter/meeting/{delegate.meeting_id}/waiting/")
    assert page.locator("#no-waiting").inner_text() == "Nobody is waiting for a letter."
    assert_no_axe_violations(page)
