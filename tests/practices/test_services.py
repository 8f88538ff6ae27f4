"""Good practices: submission by approved delegates and focal points, and moderation by
the Secretariat, allowed and refused by role."""

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from convene.core.selectors import audit_entries_for
from convene.practices import services
from convene.practices.enums import PracticeStatus
from convene.practices.errors import PracticeError
from convene.practices.models import GoodPractice
from convene.registrations.enums import RegistrationStatus
from convene.registrations.tokens import make_token
from tests.factories.documents import pdf_bytes
from tests.factories.meetings import MeetingFactory, SessionFactory
from tests.factories.practices import GoodPracticeFactory
from tests.factories.registrations import RegistrationFactory
from tests.html import page_title, parse

pytestmark = pytest.mark.django_db

CHANGELIST = "/en/admin/practices/goodpractice/"
PDF = pdf_bytes()


@pytest.fixture
def meeting(reference_data):
    return MeetingFactory(dialogue=reference_data, published=True, slug="rabat-2030")


@pytest.fixture
def domain(reference_data):
    return reference_data.action_plans.get(code="CAP").domains.get(number=5)


@pytest.fixture
def objective(reference_data):
    return reference_data.action_plans.get(code="CAP").domains.get(number=1).objectives.first()


def _delegate(meeting, partner, status=RegistrationStatus.APPROVED):
    return RegistrationFactory(meeting=meeting, delegation=partner, status=status)


def _form(partner, domain, **changes):
    data = {
        "title": "Réintégration durable des migrants de retour",
        "summary": "Un accompagnement individuel pendant douze mois.",
        "language": "fr",
        "partner": str(partner.pk),
        "level_of_government": "national",
        "domain": str(domain.pk),
        "objective": "",
        "session": "",
        "contact_name": "Awa Diop",
        "contact_email": "awa.diop@example.org",
    }
    data.update(changes)
    return data


def _data(partner, domain, **changes):
    data = {
        "title": "Reintegration desks",
        "summary": "One desk for returnees.",
        "language": "en",
        "partner": partner,
        "level_of_government": "local",
        "domain": domain,
        "objective": None,
        "session": None,
        "contact_name": "Awa Diop",
        "contact_email": "awa.diop@example.org",
    }
    data.update(changes)
    return data


def _messages(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- delegates ---


def test_approved_delegate_submits_from_the_personal_page_link(client, meeting, france, domain):
    registration = _delegate(meeting, france)
    token = make_token(registration)
    session = SessionFactory(meeting=meeting)
    url = f"/en/registration/{token}/good-practice/"

    personal = parse(client.get(f"/en/registration/{token}/"))
    response = client.post(url, _form(france, domain, session=str(session.pk)))

    assert personal.select_one("#share-practice").attrs["href"] == url
    assert response.status_code == 302
    assert response["Location"] == f"/en/registration/{token}/"
    practice = GoodPractice.objects.get()
    assert (practice.meeting, practice.partner, practice.session) == (meeting, france, session)
    assert practice.submitted_by_registration == registration
    assert practice.status == PracticeStatus.SUBMITTED
    assert practice.search_text == (
        "reintegration durable des migrants de retour "
        "un accompagnement individuel pendant douze mois."
    )
    assert _messages(response) == [
        "Thank you. The Secretariat will review your good practice before publishing it."
    ]


@pytest.mark.parametrize(
    "status",
    [
        RegistrationStatus.AWAITING_SECRETARIAT,
        RegistrationStatus.WAITLISTED,
        RegistrationStatus.CANCELLED,
        RegistrationStatus.REJECTED,
    ],
)
def test_delegate_not_approved_is_refused_and_sees_no_link(client, meeting, france, domain, status):
    token = make_token(_delegate(meeting, france, status=status))

    personal = parse(client.get(f"/en/registration/{token}/"))
    shown = client.get(f"/en/registration/{token}/good-practice/")
    posted = client.post(f"/en/registration/{token}/good-practice/", _form(france, domain))

    assert personal.select("#share-practice") == []
    assert (shown.status_code, posted.status_code) == (403, 403)
    assert GoodPractice.objects.count() == 0


def test_delegate_with_a_forged_token_gets_the_invalid_link_page(client, reference_data):
    response = client.get("/en/registration/not-a-token/good-practice/")

    assert response.status_code == 404
    assert parse(response).texts("h1") == ["This link is not valid"]


def test_delegate_may_share_only_for_their_delegation(client, meeting, france, senegal, domain):
    token = make_token(_delegate(meeting, france))

    page = parse(client.get(f"/en/registration/{token}/good-practice/"))
    response = client.post(f"/en/registration/{token}/good-practice/", _form(senegal, domain))

    assert page.texts("#id_partner option") == ["France"]
    assert response.status_code == 400
    assert GoodPractice.objects.count() == 0


def test_service_refuses_a_delegate_another_partner(meeting, france, senegal, domain):
    registration = _delegate(meeting, france)

    with pytest.raises(PracticeError) as error:
        services.submit_good_practice(
            meeting, data=_data(senegal, domain), registration=registration
        )

    assert (error.value.code, error.value.field) == ("partner", "partner")


def test_service_refuses_a_registration_of_another_meeting(reference_data, meeting, france, domain):
    other = MeetingFactory(dialogue=reference_data, published=True)

    with pytest.raises(PracticeError) as error:
        services.submit_good_practice(
            meeting, data=_data(france, domain), registration=_delegate(other, france)
        )

    assert error.value.code == "forbidden"


def test_form_refuses_an_objective_outside_the_domain(client, meeting, france, domain, objective):
    token = make_token(_delegate(meeting, france))

    response = client.post(
        f"/en/registration/{token}/good-practice/",
        _form(france, domain, objective=str(objective.pk)),
    )

    page = parse(response)
    assert response.status_code == 400
    assert page.texts("#id_objective_error li") == [
        "Choose an objective of the domain chosen above."
    ]
    assert page.select_one("#form-errors").attrs["role"] == "alert"
    assert page_title(response) == f"Error: Share a good practice · {meeting.title_en}"


def test_service_refuses_an_objective_outside_the_domain_and_a_foreign_session(
    reference_data, meeting, france, domain, objective, focal_point_france
):
    other_session = SessionFactory(meeting=MeetingFactory(dialogue=reference_data))

    with pytest.raises(PracticeError) as wrong_objective:
        services.submit_good_practice(
            meeting, data=_data(france, domain, objective=objective), actor=focal_point_france
        )
    with pytest.raises(PracticeError) as wrong_session:
        services.submit_good_practice(
            meeting, data=_data(france, domain, session=other_session), actor=focal_point_france
        )

    assert (wrong_objective.value.code, wrong_session.value.code) == ("objective", "session")


def test_attachment_must_be_a_real_pdf_png_or_jpeg(client, meeting, france, domain):
    token = make_token(_delegate(meeting, france))
    url = f"/en/registration/{token}/good-practice/"

    refused = client.post(
        url, {**_form(france, domain), "attachment": SimpleUploadedFile("a.pdf", b"not a pdf")}
    )
    accepted = client.post(
        url, {**_form(france, domain), "attachment": SimpleUploadedFile("note.pdf", PDF)}
    )

    assert parse(refused).texts("#id_attachment_error li") == [
        "“a.pdf” is not a valid PDF file: it cannot be opened."
    ]
    assert accepted.status_code == 302
    assert GoodPractice.objects.get().attachment.name.endswith(".pdf")


def test_practice_form_in_french(client, meeting, france):
    token = make_token(_delegate(meeting, france))

    page = parse(client.get(f"/fr/registration/{token}/good-practice/"))

    assert page.texts("h1") == ["Partager une bonne pratique"]
    assert page.select_one("label[for=id_domain]").text == "Domaine du plan d'action (obligatoire)"
    assert page.texts("button") == ["Soumettre la bonne pratique"]


# --- focal points ---


def test_focal_point_submits_for_their_own_partner(
    client, meeting, france, domain, focal_point_france
):
    client.force_login(focal_point_france)
    url = f"/en/meetings/{meeting.slug}/good-practices/new/"

    page = parse(client.get(url))
    response = client.post(url, _form(france, domain))

    assert page.texts("#id_partner option") == ["France"]
    assert response.status_code == 302
    assert response["Location"] == url
    practice = GoodPractice.objects.get()
    assert (practice.partner, practice.submitted_by) == (france, focal_point_france)
    assert [entry.action for entry in audit_entries_for(practice)] == ["practice.created"]


def test_focal_point_cannot_submit_for_another_partner(
    client, meeting, senegal, domain, focal_point_france
):
    client.force_login(focal_point_france)

    response = client.post(
        f"/en/meetings/{meeting.slug}/good-practices/new/", _form(senegal, domain)
    )

    assert response.status_code == 400
    assert GoodPractice.objects.count() == 0
    with pytest.raises(PracticeError) as error:
        services.submit_good_practice(
            meeting, data=_data(senegal, domain), actor=focal_point_france
        )
    assert error.value.code == "partner"


def test_focal_point_submission_needs_sign_in(client, meeting):
    response = client.get(f"/en/meetings/{meeting.slug}/good-practices/new/")

    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/?next=")


def test_outsider_and_draft_meeting_are_refused(
    client, reference_data, meeting, outsider, focal_point_france
):
    draft = MeetingFactory(dialogue=reference_data)
    client.force_login(outsider)
    refused = client.get(f"/en/meetings/{meeting.slug}/good-practices/new/")
    client.force_login(focal_point_france)
    missing = client.get(f"/en/meetings/{draft.slug}/good-practices/new/")

    assert (refused.status_code, missing.status_code) == (403, 404)


def test_service_refuses_anyone_without_a_role(meeting, france, domain, outsider):
    with pytest.raises(PracticeError) as error:
        services.submit_good_practice(meeting, data=_data(france, domain), actor=outsider)

    assert error.value.code == "forbidden"


# --- moderation ---


@pytest.fixture
def pending(meeting, france, domain):
    return GoodPracticeFactory(meeting=meeting, partner=france, domain=domain)


def test_secretariat_publishes_from_the_admin(client, pending, secretariat_officer):
    client.force_login(secretariat_officer)

    response = client.post(
        CHANGELIST, {"action": "publish", "_selected_action": [pending.pk], "index": 0}
    )

    pending.refresh_from_db()
    assert response.status_code == 302
    assert pending.status == PracticeStatus.PUBLISHED
    assert pending.published_at is not None
    assert [(e.from_state, e.to_state) for e in audit_entries_for(pending)] == [
        ("submitted", "published")
    ]


def test_secretariat_declines_from_the_admin(client, pending, secretariat_officer):
    client.force_login(secretariat_officer)

    client.post(
        CHANGELIST, {"action": "do_not_publish", "_selected_action": [pending.pk], "index": 0}
    )

    pending.refresh_from_db()
    assert (pending.status, pending.published_at) == (PracticeStatus.REJECTED, None)


def test_unpublishing_takes_a_practice_out_of_the_library(client, pending, secretariat_officer):
    services.set_practice_status(pending, PracticeStatus.PUBLISHED, actor=secretariat_officer)
    assert client.get(f"/en/good-practices/{pending.pk}/").status_code == 200

    services.set_practice_status(pending, PracticeStatus.REJECTED, actor=secretariat_officer)

    assert client.get(f"/en/good-practices/{pending.pk}/").status_code == 404


def test_moderation_follows_the_transition_table(pending, secretariat_officer):
    services.set_practice_status(pending, PracticeStatus.REJECTED, actor=secretariat_officer)
    services.set_practice_status(pending, PracticeStatus.PUBLISHED, actor=secretariat_officer)

    with pytest.raises(PracticeError) as back:
        services.set_practice_status(pending, PracticeStatus.SUBMITTED, actor=secretariat_officer)
    with pytest.raises(PracticeError) as same:
        services.set_practice_status(pending, PracticeStatus.PUBLISHED, actor=secretariat_officer)

    pending.refresh_from_db()
    assert (back.value.code, same.value.code) == ("transition", "transition")
    assert pending.status == PracticeStatus.PUBLISHED
    assert [(e.from_state, e.to_state) for e in audit_entries_for(pending)] == [
        ("rejected", "published"),
        ("submitted", "rejected"),
    ]


def test_moderation_refusal_in_french(pending, secretariat_officer):
    services.set_practice_status(pending, PracticeStatus.PUBLISHED, actor=secretariat_officer)

    with translation.override("fr"), pytest.raises(PracticeError) as error:
        services.set_practice_status(pending, PracticeStatus.SUBMITTED, actor=secretariat_officer)

    assert error.value.message == (
        "Une bonne pratique ne peut pas passer de l'état « Publiée » à l'état "
        "« En attente de modération »."
    )


def test_focal_point_and_outsider_cannot_moderate(client, pending, focal_point_france, outsider):
    # A focal point is in the back-office but not in this part of it; an account
    # without a role is sent to the sign-in page.
    for user, refusal in ((focal_point_france, 403), (outsider, 302)):
        client.force_login(user)
        listed = client.get(CHANGELIST)
        posted = client.post(
            CHANGELIST, {"action": "publish", "_selected_action": [pending.pk], "index": 0}
        )
        assert (listed.status_code, posted.status_code) == (refusal, refusal)
        with pytest.raises(PracticeError) as error:
            services.set_practice_status(pending, PracticeStatus.PUBLISHED, actor=user)
        assert error.value.code == "forbidden"

    pending.refresh_from_db()
    assert pending.status == PracticeStatus.SUBMITTED


def test_admin_record_is_read_only_for_the_secretariat(client, pending, secretariat_officer):
    client.force_login(secretariat_officer)

    response = client.post(f"{CHANGELIST}{pending.pk}/change/", {"title": "Changed"})

    pending.refresh_from_db()
    assert response.status_code == 403
    assert pending.title != "Changed"
    assert client.get(f"{CHANGELIST}add/").status_code == 403
