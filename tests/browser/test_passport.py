"""Issue 11: an approved delegate who asked for a visa support letter enters their
passport data on a phone, is told what is wrong, corrects it and sends it."""

import datetime

import pytest

from convene.meetings.models import Meeting
from convene.onsite.models import PassportDetails
from convene.registrations.enums import RegistrationStatus
from convene.registrations.tokens import make_token
from tests.browser.axe import assert_no_axe_violations
from tests.browser.pages import PHONE, horizontal_scroll_width
from tests.factories.registrations import RegistrationFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def asking(site_url, reference_data):
    meeting = Meeting.objects.get(slug="example-workshop")
    meeting.offers_visa_letters = True
    meeting.save(update_fields=["offers_visa_letters"])
    return RegistrationFactory(
        meeting=meeting,
        delegation=reference_data.partners.get(code="SN"),
        status=RegistrationStatus.APPROVED,
        needs_visa_letter=True,
        first_name="Awa",
        last_name="Ndiaye",
        reference="AWAPASS1",
    )


def test_delegate_enters_passport_data_on_a_phone_corrects_a_mistake_and_sends_it(
    open_context, asking
):
    last_day = asking.meeting.ends_on
    page = open_context(viewport=PHONE, bypass_csp=True).new_page()
    page.goto(f"/en/registration/{make_token(asking)}/")

    page.locator("#passport-link").click()
    page.get_by_label("Date of birth").fill("1985-03-14")
    page.get_by_label("Nationality").fill("Senegalese")
    page.get_by_label("Passport number").fill("a01 234 567")
    page.get_by_label("Date of issue").fill("2024-06-01")
    # The mistake: a passport that expires the day before the meeting ends.
    page.get_by_label("Date of expiry").fill((last_day - datetime.timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Send my passport data").click()

    error = page.locator("#id_expiry_date_error li")
    assert error.inner_text().startswith("This passport expires before the meeting's last day")
    assert page.locator("#form-errors").is_visible()
    assert PassportDetails.objects.count() == 0
    assert horizontal_scroll_width(page) == PHONE["width"]
    assert_no_axe_violations(page)

    # Nothing is echoed back into the form: every field is entered again.
    page.get_by_label("Date of birth").fill("1985-03-14")
    page.get_by_label("Nationality").fill("Senegalese")
    page.get_by_label("Passport number").fill("a01 234 567")
    page.get_by_label("Date of issue").fill("2024-06-01")
    page.get_by_label("Date of expiry").fill("2034-05-31")
    page.get_by_role("button", name="Send my passport data").click()

    receipt = page.locator("#passport-receipt").inner_text()
    assert receipt.startswith("Received on ")
    assert receipt.endswith(", passport number ending …67.")
    assert "A01234567" not in page.content()
    assert PassportDetails.objects.get(registration=asking).passport_number == "A01234567"
    assert horizontal_scroll_width(page) == PHONE["width"]
    assert_no_axe_violations(page)
