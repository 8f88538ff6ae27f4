"""Issue 11 from end to end, in a browser: an approved, funded delegate of Senegal, in
French on a 360 px phone, enters her passport data (a mistake first, then corrected),
gives her travel, sees both on her personal page and downloads her confirmation; then a
Secretariat officer on a 1,280 px desktop issues her visa letter in French, downloads
it, opens its verification page from the address printed on it, and prints the
meeting's badges on A4. Every page of the journey passes axe-core.

Each step is kept as a screenshot in the test's temporary folder, for a person to look
at and for a failure's inspection."""

import datetime
import io
import re
from pathlib import Path
from urllib.parse import urlsplit

import pypdf
import pytest
from django.core import mail

from convene.core.models import User
from convene.meetings.models import Meeting
from convene.onsite.enums import FundingStatus
from convene.onsite.models import BadgePrint, PassportDetails, TravelDetails, VisaLetter
from convene.registrations.enums import RegistrationStatus
from convene.registrations.services import approve_registration
from tests.browser.axe import assert_no_axe_violations
from tests.browser.conftest import DEMO_OFFICER
from tests.browser.pages import DESKTOP, PHONE, horizontal_scroll_width
from tests.factories.onsite import FundingRequestFactory, PassportDetailsFactory
from tests.factories.registrations import RegistrationFactory

pytestmark = pytest.mark.browser

PASSWORD = "back-office-password-1234"


@pytest.fixture
def workshop(site_url):
    """The demo workshop, as the demo data sets it: visa letters with their settings, one
    funded place per delegation."""
    return Meeting.objects.get(
        slug="example-workshop", offers_visa_letters=True, funded_places_per_delegation=1
    )


@pytest.fixture
def awa(workshop, reference_data, officer):
    """Awa Ndiaye of Senegal, endorsed and approved by the Secretariat (which emails her
    the link to her personal page), her funded place granted."""
    registration = RegistrationFactory(
        meeting=workshop,
        delegation=reference_data.partners.get(code="SN"),
        status=RegistrationStatus.AWAITING_SECRETARIAT,
        first_name="Awa",
        last_name="Ndiaye",
        reference="AWAJOURN",
        language="fr",
        needs_visa_letter=True,
    )
    mail.outbox.clear()
    registration = approve_registration(registration, actor=officer)
    FundingRequestFactory(registration=registration, status=FundingStatus.GRANTED)
    return registration


@pytest.fixture
def officer(site_url):
    officer = User.objects.get(email=DEMO_OFFICER)
    officer.set_password(PASSWORD)
    officer.save()
    return officer


def _look(page, folder: Path, name: str, width: int) -> None:
    """No sideways scrolling, no axe-core violation, and a screenshot to look at."""
    page.screenshot(path=folder / f"{name}-{width}.png", full_page=True)
    assert horizontal_scroll_width(page) == width
    assert_no_axe_violations(page)


def _pdf_text(download, folder: Path) -> str:
    """The text of a downloaded PDF, kept beside the screenshots to be looked at."""
    path = folder / download.suggested_filename
    download.save_as(path)
    reader = pypdf.PdfReader(io.BytesIO(path.read_bytes()))
    return "\n".join(pdf_page.extract_text() for pdf_page in reader.pages)


def _fill_passport(page, *, expiry: datetime.date) -> None:
    page.locator("#id_date_of_birth").fill("1985-03-14")
    page.locator("#id_nationality").fill("Sénégalaise")
    page.locator("#id_passport_number").fill("a01 234 567")
    page.locator("#id_issue_date").fill("2024-06-01")
    page.locator("#id_expiry_date").fill(expiry.isoformat())
    page.locator("main form button[type=submit]").click()


def test_delegate_prepares_her_trip_on_a_phone_in_french(open_context, awa, workshop, tmp_path):
    first, last = workshop.starts_on, workshop.ends_on
    page = open_context(viewport=PHONE, bypass_csp=True, accept_downloads=True).new_page()

    # She follows the link of the approval email, written in French.
    (approval,) = [message for message in mail.outbox if message.to == [awa.email]]
    link = re.search(r"https?://\S+/fr/registration/[^/\s]+/", approval.body).group(0)
    personal = urlsplit(link).path
    page.goto(personal)
    assert page.locator("html").get_attribute("lang") == "fr"
    assert awa.reference in page.locator("main").inner_text()
    _look(page, tmp_path, "personal", PHONE["width"])

    # Passport: a mistake first (it expires the day before the meeting's last day).
    page.locator("#passport-link").click()
    _look(page, tmp_path, "passport", PHONE["width"])
    _fill_passport(page, expiry=last - datetime.timedelta(days=1))
    assert (
        page.locator("#id_expiry_date_error li")
        .inner_text()
        .startswith("Ce passeport expire avant le dernier jour de la réunion")
    )
    assert PassportDetails.objects.filter(registration=awa).count() == 0
    _look(page, tmp_path, "passport-error", PHONE["width"])
    _fill_passport(page, expiry=datetime.date(2034, 5, 31))
    assert (
        page.locator("#passport-receipt")
        .inner_text()
        .endswith(", numéro de passeport se terminant par …67.")
    )

    # Travel: funded, so the form asks the city she leaves from.
    page.goto(personal)
    page.locator("#travel-link").click()
    page.locator("#travel-form").wait_for()
    _look(page, tmp_path, "travel", PHONE["width"])
    page.locator("#id_arrival_date").fill((first - datetime.timedelta(days=1)).isoformat())
    page.locator("#id_arrival_time").fill("14:30")
    page.locator("#id_departure_date").fill(last.isoformat())
    page.locator("#id_departure_time").fill("20:00")
    page.locator("input[name=means][value=flight]").check()
    page.locator("#id_travel_number").fill("hc 404")
    page.locator("#id_arriving_at").fill("Orly")
    page.locator("#id_departure_city").fill("Dakar")
    page.locator("#travel-form button[type=submit]").click()
    page.get_by_text("Vos informations de voyage sont enregistrées.").wait_for()

    # The personal page sums both up.
    assert re.search(r"/fr/registration/[^/]+/$", page.url.split("#")[0])
    assert page.locator("#passport-link").inner_text() == "Corriger vos données de passeport"
    facts = page.locator("#travel-summary dt").all_inner_texts()
    values = page.locator("#travel-summary dd").all_inner_texts()
    assert dict(zip(facts, values, strict=True))["Ville de départ"] == "Dakar"
    assert values[0].endswith(" · HC 404 · Orly")
    _look(page, tmp_path, "personal-complete", PHONE["width"])
    details = TravelDetails.objects.get(registration=awa)
    assert (details.travel_number, details.departure_city) == ("HC 404", "Dakar")

    with page.expect_download() as download_info:
        page.locator("#confirmation-download").click()
    confirmation = _pdf_text(download_info.value, tmp_path)
    assert "Awa" in confirmation
    assert awa.reference in confirmation


def test_secretariat_issues_the_letter_and_prints_badges_on_a_desktop(
    open_context, awa, workshop, tmp_path
):
    PassportDetailsFactory(
        registration=awa, passport_number="A01234567", date_of_birth=datetime.date(1985, 3, 14)
    )
    page = open_context(viewport=DESKTOP, bypass_csp=True, accept_downloads=True).new_page()
    page.goto("/fr/admin/login/")
    page.locator("#id_username").fill(DEMO_OFFICER)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_url(re.compile(r"/fr/admin/$"))

    # The registration's page: issue in French, then download.
    page.goto(awa.get_admin_url().replace("/en/", "/fr/"))
    _look(page, tmp_path, "registration", DESKTOP["width"])
    page.locator("#visa-letter-issue-fr").click()
    letter = VisaLetter.objects.get(registration=awa)
    assert page.locator(".messagelist li").inner_text() == (
        f"Lettre {letter.number} émise en français."
    )
    with page.expect_download() as download_info:
        page.locator(f"#visa-letter-download-{letter.pk}").click()
    text = _pdf_text(download_info.value, tmp_path)
    assert "A01234567" in text
    assert "NDIAYE" in text.upper()
    assert letter.number in text

    # The verification page, at the address the letter prints under its QR code.
    flat = re.sub(r"\s+", "", text)
    (address,) = set(re.findall(r"https?://[^\s]*?/letters/verify/[A-Za-z0-9_-]+/", flat))
    # The printed address names the public site (SITE_URL), not this test's server.
    path = urlsplit(address).path
    assert path == f"/fr/letters/verify/{letter.verification_code}/"
    page.goto(path)
    assert "valide" in page.locator(".letter-status").first.inner_text().lower()
    _look(page, tmp_path, "verification", DESKTOP["width"])

    # The back-office pages of the issue.
    for name, path in [
        ("letters", "/fr/admin/onsite/visaletter/"),
        ("waiting", f"/fr/admin/onsite/visaletter/meeting/{workshop.pk}/waiting/"),
        (
            "letter-settings",
            f"/fr/admin/onsite/visalettersettings/{workshop.visa_letter_settings.pk}/change/",
        ),
        ("passport-data", f"/fr/admin/onsite/passport/{awa.pk}/"),
        ("funding", "/fr/admin/onsite/fundingrequest/"),
        ("logistics", f"/fr/admin/onsite/traveldetails/meeting/{workshop.pk}/"),
    ]:
        page.goto(path)
        _look(page, tmp_path, name, DESKTOP["width"])

    # Badges on A4.
    page.goto(f"/fr/admin/onsite/badgeprint/meeting/{workshop.pk}/")
    _look(page, tmp_path, "badges", DESKTOP["width"])
    page.locator("#id_layout").select_option("a4")
    with page.expect_download() as download_info:
        page.locator("#badge-print-form [type=submit]").click()
    badges = _pdf_text(download_info.value, tmp_path)
    assert "NDIAYE" in badges.upper()
    assert list(BadgePrint.objects.values_list("meeting_id", "layout")) == [(workshop.pk, "a4")]
