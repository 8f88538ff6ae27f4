"""Pages that show personal data are sent with `Cache-Control: private, no-store`;
public pages of anonymous visitors keep their own caching."""

import json

import pytest

from convene.core.private_pages import PRIVATE
from convene.registrations.models import Registration
from convene.registrations.tokens import make_token
from tests.factories.labels import LabelProposalFactory
from tests.factories.meetings import MeetingFactory
from tests.factories.registrations import RegistrationFactory, api_body, form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(reference_data, settings):
    settings.REGISTRATION_RATE_LIMIT = "off"
    from django.utils import timezone

    now = timezone.now()
    return MeetingFactory(
        dialogue=reference_data,
        slug="public-meeting",
        published=True,
        email_verification_required=False,
        registration_opens_at=now - timezone.timedelta(days=1),
        registration_closes_at=now + timezone.timedelta(days=30),
    )


# --- private whoever asks ---


def test_personal_page_is_private(client, meeting):
    registration = RegistrationFactory(meeting=meeting)

    response = client.get(f"/en/registration/{make_token(registration)}/")

    assert response.status_code == 200
    assert response["Cache-Control"] == PRIVATE


@pytest.mark.parametrize(
    ("page", "status"), [("confirmation.pdf", 404), ("passport/", 404), ("travel/", 403)]
)
def test_personal_sub_pages_are_private_whatever_they_answer(client, meeting, page, status):
    # A pending registration: each page answers with a refusal, which names the person
    # and the meeting all the same.
    registration = RegistrationFactory(meeting=meeting)

    response = client.get(f"/en/registration/{make_token(registration)}/{page}")

    assert response.status_code == status
    assert response["Cache-Control"] == PRIVATE


@pytest.mark.parametrize("path", ["/en/accounts/login/", "/fr/accounts/login/", "/en/admin/login/"])
def test_sign_in_pages_are_private(client, path):
    response = client.get(path)

    assert response.status_code == 200
    assert response["Cache-Control"] == PRIVATE


def test_focal_point_page_is_private_even_when_it_sends_to_sign_in(client, db):
    response = client.get("/en/focal-point/")

    assert response.status_code == 302
    assert response["Cache-Control"] == PRIVATE


def test_api_registration_answer_is_private(client, meeting):
    response = client.post(
        f"/api/v1/meetings/{meeting.slug}/registrations/",
        data=json.dumps(api_body()),
        content_type="application/json",
    )

    assert response.status_code == 202
    assert response["Cache-Control"] == PRIVATE


def test_answer_to_a_public_form_post_is_private(client, meeting):
    response = client.post(f"/en/meetings/{meeting.slug}/register/", {"first_name": "Awa"})

    assert response.status_code == 400
    assert response["Cache-Control"] == PRIVATE


def test_registration_done_page_is_private(client, meeting, reference_data):
    senegal = reference_data.partners.get(code="SN")
    posted = client.post(f"/en/meetings/{meeting.slug}/register/", form_data(meeting, senegal))

    response = client.get(posted["Location"])

    email = Registration.objects.get().email
    assert response.status_code == 200
    assert email in response.content.decode()
    assert response["Cache-Control"] == PRIVATE


def test_public_page_showing_a_message_is_private(client, meeting):
    url = f"/en/meetings/{meeting.slug}/lost-link/"
    client.post(url, {"email": "someone@example.org"})

    with_message = client.get(url)
    without_message = client.get(url)

    assert "a new link is on its way" in with_message.content.decode()
    assert "a new link is on its way" not in without_message.content.decode()
    assert with_message["Cache-Control"] == PRIVATE
    assert "Cache-Control" not in without_message


# --- private for the signed-in ---


def test_focal_point_pages_are_private(client, focal_point_senegal, meeting):
    client.force_login(focal_point_senegal)

    home = client.get("/en/focal-point/")
    meeting_page = client.get(f"/en/focal-point/meetings/{meeting.slug}/")

    assert (home.status_code, meeting_page.status_code) == (200, 200)
    assert (home["Cache-Control"], meeting_page["Cache-Control"]) == (PRIVATE, PRIVATE)


def test_proposal_pages_are_private(client, focal_point_france, reference_data):
    proposal = LabelProposalFactory(
        dialogue=reference_data, lead_partner=reference_data.partners.get(code="FR")
    )
    client.force_login(focal_point_france)

    responses = [
        client.get(path)
        for path in (
            "/en/proposals/",
            "/en/proposals/new/",
            f"/en/proposals/{proposal.reference}/",
        )
    ]

    assert [response.status_code for response in responses] == [200, 200, 200]
    assert [response["Cache-Control"] for response in responses] == [PRIVATE] * 3


def test_admin_pages_are_private(client, secretariat_officer):
    client.force_login(secretariat_officer)

    responses = [client.get(path) for path in ("/en/admin/", "/en/admin/meetings/meeting/")]

    assert [response.status_code for response in responses] == [200, 200]
    assert [response["Cache-Control"] for response in responses] == [PRIVATE, PRIVATE]


def test_public_page_seen_signed_in_is_private(client, secretariat_officer, reference_data):
    client.force_login(secretariat_officer)

    response = client.get("/en/partners/")

    assert response.status_code == 200
    assert response["Cache-Control"] == PRIVATE


# --- public pages keep their caching ---


@pytest.mark.parametrize("path", ["/en/", "/en/partners/", "/en/meetings/public-meeting/"])
def test_public_pages_of_anonymous_visitors_are_left_alone(client, meeting, path):
    response = client.get(path)

    assert response.status_code == 200
    assert "Cache-Control" not in response
    assert "Cookie" not in response.get("Vary", "")


def test_health_check_keeps_its_own_caching(client, db):
    response = client.get("/healthz")

    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"
