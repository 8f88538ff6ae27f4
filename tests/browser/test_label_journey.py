"""Issue 4's journey: the France focal point proposes an activity, the Secretariat asks for a
change, the proposer amends and resubmits, the Secretariat reviews, recommends, records the
label and creates the meeting, publishes it, and the meeting shows publicly with its mark."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from convene.core.models import User
from convene.labels.models import LabelProposal
from convene.meetings.models import Meeting
from tests.browser.axe import assert_no_axe_violations
from tests.browser.pages import DESKTOP, PHONE
from tests.factories.meetings import SessionFactory

pytestmark = pytest.mark.browser

PASSWORD = "journey-password-1234"
FOCAL_POINT = "focal.point.fr@demo.convene.test"
SECRETARIAT = "secretariat@demo.convene.test"


@pytest.fixture
def staff_passwords(demo_data):
    for email in (FOCAL_POINT, SECRETARIAT):
        user = User.objects.get(email=email)
        user.set_password(PASSWORD)
        user.save()


def _sign_in(page, email):
    page.goto("/en/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Sign in|Log in")).click()
    page.wait_for_load_state()


def _click(page, name, message):
    page.get_by_role("button", name=name, exact=True).click()
    page.get_by_text(message).wait_for()


def test_france_proposes_and_the_labelled_meeting_is_published(open_context, staff_passwords):
    starts_on = timezone.localdate() + datetime.timedelta(days=120)

    # The focal point of France proposes an activity, on a phone.
    proposer = open_context(viewport=PHONE, bypass_csp=True).new_page()
    _sign_in(proposer, FOCAL_POINT)
    proposer.goto("/en/focal-point/")
    proposer.get_by_role("link", name="Proposals for the label").click()
    proposer.get_by_role("link", name="Propose an activity").click()
    proposer.get_by_role("heading", name="Propose an activity for the label").wait_for()
    assert_no_axe_violations(proposer)
    proposer.get_by_label("Title (English)").fill("Local integration of migrants")
    proposer.get_by_label("Description (English)").fill("Two days of exchange between cities.")
    proposer.get_by_label("Title (French)").fill("Intégration locale des migrants")
    proposer.get_by_label("Description (French)").fill("Deux jours d'échanges entre villes.")
    assert proposer.locator("#id_lead_partner option:checked").inner_text() == "France"
    proposer.get_by_label("Proposed first day").fill(starts_on.isoformat())
    proposer.get_by_label("Place", exact=True).fill("Lyon, France")
    proposer.locator("#plan-cap").get_by_label(re.compile(r"^Objective 1: ")).check()
    proposer.get_by_role("button", name="Save the draft").click()
    proposer.get_by_text("The draft is saved.").wait_for()
    assert_no_axe_violations(proposer)
    proposal_path = re.sub(r"^https?://[^/]+", "", proposer.url)
    _click(proposer, "Submit to the Secretariat", "The proposal is submitted to the Secretariat.")

    # The Secretariat starts the review and asks for a change.
    secretariat = open_context(viewport=DESKTOP, bypass_csp=True).new_page()
    _sign_in(secretariat, SECRETARIAT)
    secretariat.goto(proposal_path)
    _click(secretariat, "Start the review", "The review has started.")
    secretariat.get_by_label("What should change").fill("Please name the venue in Lyon.")
    _click(secretariat, "Ask for changes", "The proposer is asked for changes.")
    assert_no_axe_violations(secretariat)

    # The proposer amends and resubmits.
    proposer.goto(proposal_path)
    assert proposer.locator("#proposal-status").inner_text() == "Changes requested"
    proposer.get_by_text("Please name the venue in Lyon.").wait_for()
    proposer.get_by_role("link", name="Change the proposal").click()
    proposer.get_by_label("Place", exact=True).fill("Hôtel de Ville, Lyon, France")
    proposer.get_by_role("button", name="Save the changes").click()
    proposer.get_by_text("Your changes are saved.").wait_for()
    _click(proposer, "Submit to the Secretariat", "The proposal is submitted to the Secretariat.")

    # The Secretariat reviews, recommends, records the label and creates the meeting.
    secretariat.goto(proposal_path)
    _click(secretariat, "Start the review", "The review has started.")
    for check in (
        "Aligned with the action plan",
        "Led and funded by the partner",
        "Relevant to the Dialogue",
        "Feasible",
    ):
        secretariat.locator("#action-checklist").get_by_label(check).check()
    _click(secretariat, "Save the checklist", "The checklist is saved.")
    _click(secretariat, "Recommend", "The proposal is recommended for the label.")
    decision = secretariat.locator("#action-decide")
    decision.get_by_label("Labelled", exact=True).check()
    decision.get_by_label("Deciding body").select_option("steering_committee")
    decision.get_by_label("Date of the decision").fill(timezone.localdate().isoformat())
    decision.get_by_label("Reference of the decision").fill("SC-2026-07")
    _click(secretariat, "Record the decision", "The decision is recorded.")
    assert secretariat.locator("#proposal-status").inner_text() == "Labelled"
    secretariat.get_by_label("Address of the meeting page").fill("lyon-integration")
    _click(secretariat, "Create the meeting", "The meeting is created as a draft")

    # The Secretariat completes the meeting (venue, registration dates, programme), which
    # publication requires of a labelled meeting, then publishes it in the back-office.
    meeting = Meeting.objects.get(slug="lyon-integration")
    Meeting.objects.filter(pk=meeting.pk).update(
        venue_en="Lyon City Hall",
        venue_fr="Hôtel de Ville de Lyon",
        registration_opens_at=timezone.now(),
        registration_closes_at=timezone.now() + datetime.timedelta(days=10),
    )
    SessionFactory(meeting=meeting)
    secretariat.goto("/en/admin/meetings/meeting/")
    secretariat.locator(f"input[name=_selected_action][value='{meeting.pk}']").check()
    secretariat.locator("select[name=action]").select_option("publish")
    secretariat.get_by_role("button", name="Go").click()
    secretariat.get_by_text("1 meeting updated.").wait_for()

    # The meeting appears publicly with its labelled mark.
    visitor = open_context(viewport=PHONE).new_page()
    visitor.goto("/en/")
    visitor.get_by_role("link", name="Local integration of migrants").first.click()
    visitor.get_by_role("heading", name="Rabat Process labelled meeting").wait_for()

    proposal = LabelProposal.objects.get(meeting=meeting)
    assert (proposal.status, proposal.place, proposal.decision_reference) == (
        "labelled",
        "Hôtel de Ville, Lyon, France",
        "SC-2026-07",
    )
    # The French focal point is told in French at each step.
    to_focal_point = [m.subject for m in mail.outbox if m.to == [FOCAL_POINT]]
    assert [subject.split("\u00a0: ", 1)[1] for subject in to_focal_point] == [
        "La proposition a été soumise au Secrétariat.",
        "Le Secrétariat examine la proposition.",
        "Le Secrétariat demande des modifications à la proposition.",
        "La proposition a été soumise au Secrétariat.",
        "Le Secrétariat examine la proposition.",
        "Le Secrétariat recommande la proposition pour le label.",
        "L'activité a reçu le label du Dialogue.",
    ]
