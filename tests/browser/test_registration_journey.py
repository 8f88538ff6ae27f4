"""Issue 3's journey: a delegate registers on a phone, verifies, the Senegal focal point
endorses, the Secretariat approves, and the delegate's page says "Approved"."""

import re

import pytest
from django.core import mail

from convene.core.models import User
from convene.registrations.models import Registration
from tests.browser.axe import assert_no_axe_violations
from tests.browser.pages import DESKTOP, PHONE

pytestmark = pytest.mark.browser

PASSWORD = "journey-password-1234"


@pytest.fixture
def staff_passwords(demo_data):
    for email in ("focal.point.sn@demo.convene.test", "secretariat@demo.convene.test"):
        user = User.objects.get(email=email)
        user.set_password(PASSWORD)
        user.save()


def _sign_in(page, email, login_path):
    page.goto(login_path)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Sign in|Log in")).click()


def test_delegate_registers_on_phone_and_is_approved_after_endorsement(
    open_context, settings, staff_passwords
):
    settings.REGISTRATION_RATE_LIMIT = "off"
    delegate = open_context(viewport=PHONE, bypass_csp=True).new_page()

    # The delegate registers on a phone.
    delegate.goto("/en/meetings/example-workshop/register/")
    assert_no_axe_violations(delegate)
    delegate.get_by_label("You represent").select_option("partner_country")
    delegate.get_by_label("Country or organisation").select_option(label="Senegal")
    delegate.get_by_label("First name(s) as in the passport").fill("Aminata")
    delegate.get_by_label("Last name as in the passport").fill("Ndiaye")
    delegate.get_by_label("Email", exact=False).first.fill("aminata.ndiaye@example.org")
    delegate.get_by_label("Phone").fill("+221 77 123 45 67")
    delegate.get_by_label("Institution").fill("Ministère de l'Intérieur")
    delegate.get_by_label("Function").fill("Conseillère")
    delegate.get_by_label("Level of government").select_option("national")
    delegate.get_by_label("Head of delegation").check()
    delegate.get_by_label("In person").check()
    delegate.get_by_label(re.compile("I agree to the processing")).check()
    delegate.get_by_role("button", name="Register").click()
    delegate.get_by_role("heading", name="Check your email", exact=True).wait_for()
    registration = Registration.objects.get(email="aminata.ndiaye@example.org")
    assert registration.status == "awaiting_verification"

    # They follow the link in the verification email.
    verify_url = re.search(r"https?://\S+/verify/", mail.outbox[-1].body).group(0)
    delegate.goto(re.sub(r"^https?://[^/]+", "", verify_url))
    delegate.get_by_role("button", name="Confirm my registration").click()
    delegate.get_by_role("heading", name="Your registration", exact=True).wait_for()
    assert delegate.locator("#registration-status").inner_text() == "Awaiting the focal point"
    assert_no_axe_violations(delegate)
    personal_path = re.sub(r"^https?://[^/]+", "", delegate.url)

    # The focal point of Senegal endorses.
    focal_point = open_context(viewport=DESKTOP).new_page()
    _sign_in(focal_point, "focal.point.sn@demo.convene.test", "/en/accounts/login/")
    focal_point.goto("/en/focal-point/meetings/example-workshop/")
    row = focal_point.locator(f"#registration-{registration.reference}")
    row.get_by_role("button", name=re.compile("Endorse")).click()
    # The second step says what endorsing does; nothing changes until it is confirmed.
    focal_point.get_by_text("Aminata Ndiaye will take one of your delegation's places").wait_for()
    focal_point.get_by_role("button", name="Yes, endorse").click()
    focal_point.get_by_text("Aminata Ndiaye is endorsed.").wait_for()

    # The Secretariat approves in the back-office.
    secretariat = open_context(viewport=DESKTOP).new_page()
    _sign_in(secretariat, "secretariat@demo.convene.test", "/en/admin/login/")
    secretariat.goto("/en/admin/registrations/registration/")
    secretariat.locator(f"input[name=_selected_action][value='{registration.pk}']").check()
    secretariat.locator("select[name=action]").select_option("approve")
    secretariat.get_by_role("button", name="Go").click()
    secretariat.get_by_text("1 registration updated.").wait_for()

    # The delegate sees the decision on their page.
    delegate.goto(personal_path)
    assert delegate.locator("#registration-status").inner_text() == "Approved"
    registration.refresh_from_db()
    assert registration.status == "approved"
    # The focal point's notice comes in their language (French), the delegate's in English.
    assert [(message.to, message.subject.split(":")[0].strip()) for message in mail.outbox] == [
        (["aminata.ndiaye@example.org"], "Verify your email address"),
        (["aminata.ndiaye@example.org"], "Registration received"),
        (["focal.point.sn@demo.convene.test"], "Nouvelle inscription pour votre délégation"),
        (["aminata.ndiaye@example.org"], "Endorsed by the focal point"),
        (["aminata.ndiaye@example.org"], "Registration approved"),
    ]
