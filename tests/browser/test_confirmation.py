"""Issue 11: an approved delegate's personal page shows the QR code, sized for a phone,
and downloads the confirmation PDF."""

import io
from pathlib import Path

import pypdf
import pytest

from convene.meetings.models import Meeting
from convene.registrations.enums import RegistrationStatus
from convene.registrations.tokens import make_token
from tests.browser.axe import assert_no_axe_violations
from tests.browser.pages import PHONE, horizontal_scroll_width
from tests.factories.registrations import RegistrationFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def approved(site_url, reference_data):
    return RegistrationFactory(
        meeting=Meeting.objects.get(slug="example-workshop"),
        delegation=reference_data.partners.get(code="SN"),
        status=RegistrationStatus.APPROVED,
        first_name="Awa",
        last_name="Ndiaye",
        reference="AWA2031X",
    )


@pytest.mark.parametrize("language", ["en", "fr"])
def test_approved_delegate_sees_the_qr_code_on_a_phone_and_downloads_the_pdf(
    open_context, approved, language
):
    page = open_context(viewport=PHONE, accept_downloads=True, bypass_csp=True).new_page()
    page.goto(f"/{language}/registration/{make_token(approved)}/")

    qr = page.locator("#confirmation svg.qr")
    box = qr.bounding_box()
    # Large enough for a scanner, within the screen: 16rem, square.
    assert (round(box["width"]), round(box["height"])) == (256, 256)
    assert horizontal_scroll_width(page) == PHONE["width"]
    assert_no_axe_violations(page)

    with page.expect_download() as download_info:
        page.locator("#confirmation-download").click()
    download = download_info.value
    assert download.suggested_filename == "confirmation-AWA2031X.pdf"
    (pdf_page,) = pypdf.PdfReader(io.BytesIO(Path(download.path()).read_bytes())).pages
    assert "Reference AWA2031X" in pdf_page.extract_text().splitlines()
