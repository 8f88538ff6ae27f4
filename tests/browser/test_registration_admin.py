"""Issue 10's back-office at work: the Secretariat finds a delegate without the accents
of her name, reads the list without scrolling sideways at 1,280 pixels, and rejects the
registration from its page, the reason asked for before anything is sent."""

import re

import pytest

from convene.core.models import User
from convene.dialogues.models import Partner
from convene.meetings.models import Meeting
from convene.registrations import services
from convene.registrations.enums import Source
from convene.registrations.models import Registration
from tests.browser.pages import DESKTOP
from tests.factories.registrations import registration_data

pytestmark = pytest.mark.browser

PASSWORD = "admin-page-password-1234"
SECRETARIAT = "secretariat@demo.convene.test"


@pytest.fixture
def aissatou(demo_data):
    officer = User.objects.get(email=SECRETARIAT)
    officer.set_password(PASSWORD)
    officer.save()
    meeting = Meeting.objects.get(slug="example-workshop")
    data = registration_data(
        meeting,
        Partner.objects.get(code="SN"),
        first_name="Aïssatou",
        last_name="Traoré",
        email="aissatou.traore@example.org",
    )
    return services.submit_registration(
        meeting, data=data, source=Source.SECRETARIAT, actor=officer
    )


def test_secretariat_finds_a_delegate_and_rejects_with_a_reason(open_context, aissatou):
    secretariat = open_context(viewport=DESKTOP).new_page()
    secretariat.goto("/en/admin/login/")
    secretariat.get_by_label("Email address").fill(SECRETARIAT)
    secretariat.get_by_label("Password").fill(PASSWORD)
    secretariat.get_by_role("button", name=re.compile("Log in")).click()

    # Found without the accents; the table fits beside the filters.
    secretariat.goto("/en/admin/registrations/registration/?q=TRAORE")
    rows = secretariat.locator("#result_list tbody tr")
    assert rows.count() == 1
    results = secretariat.locator("#changelist .results")
    assert results.evaluate("node => node.scrollWidth <= node.clientWidth") is True
    assert secretariat.evaluate("document.documentElement.scrollWidth") == DESKTOP["width"]

    # The registration's page: the reason is asked before the rejection is sent.
    rows.first.get_by_role("link", name=aissatou.reference).click()
    secretariat.locator("#decision-reject summary").click()
    confirm = secretariat.get_by_role("button", name="Reject the registration")
    confirm.click()
    assert secretariat.locator("#reason-reject").evaluate("node => node.validity.valueMissing")
    assert Registration.objects.get(pk=aissatou.pk).status == "awaiting_secretariat"

    secretariat.get_by_label("Reason").fill("Not a government official")
    confirm.click()
    secretariat.get_by_text(
        f"Decision recorded: {aissatou.reference} is now “Rejected”."
    ).wait_for()

    stored = Registration.objects.get(pk=aissatou.pk)
    assert (stored.status, stored.decision_reason) == ("rejected", "Not a government official")
    # A final decision leaves no decision to take.
    assert secretariat.locator("#decisions").count() == 0
