"""Public registration pages, the personal page, lost links, rate limits, focal point pages."""

import datetime
import re

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from convene.core.models import AuditEntry, User
from convene.dialogues.enums import Region
from convene.meetings.enums import MeetingFormat, MeetingStatus
from convene.meetings.models import Meeting
from convene.meetings.services import set_meeting_status
from convene.registrations import services
from convene.registrations.enums import (
    DelegationRole,
    RegistrationAuditAction,
    RegistrationStatus,
    Source,
)
from convene.registrations.models import Registration
from convene.registrations.tokens import VERIFY_SALT, make_token, registration_from_token
from tests.factories.core import FocalPointRoleFactory
from tests.factories.dialogues import PartnerFactory
from tests.factories.documents import pdf_bytes
from tests.factories.registrations import RegistrationFactory, form_data, registration_data
from tests.html import page_title, parse
from tests.spreadsheets import csv_rows, xlsx_rows

pytestmark = pytest.mark.django_db

S = RegistrationStatus
PDF = pdf_bytes()
SCRIPT_NAME = "<script>alert('x')</script>"
ESCAPED_SCRIPT_NAME = "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;"


def _register_url(meeting, language="en"):
    return f"/{language}/meetings/{meeting.slug}/register/"


def _personal_url(registration, language="en"):
    return f"/{language}/registration/{make_token(registration)}/"


def _verify_url(registration, language="en"):
    return f"/{language}/registration/{make_token(registration, salt=VERIFY_SALT)}/verify/"


def _tampered(url, suffix):
    """`url` with the last character of its token changed."""
    token_end = len(url) - len(suffix) - 1
    changed = "A" if url[token_end] != "A" else "B"
    return url[:token_end] + changed + suffix


def _opens(path):
    """The registration a personal page address opens."""
    match = re.fullmatch(r"/(en|fr)/registration/([^/]+)/", path)
    return registration_from_token(match[2]) if match else None


def _focal_point_url(meeting, language="en"):
    return f"/{language}/focal-point/meetings/{meeting.slug}/"


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _submit(meeting, delegation, email, **fields):
    data = registration_data(meeting, delegation, email=email, **fields)
    return services.submit_registration(meeting, data=data)


def _error_summary(page) -> list[str]:
    return page.texts("#form-errors li")


# --- the registration form ----------------------------------------------------------------


def test_register_get_in_english_shows_the_form(meeting, client):
    response = client.get(_register_url(meeting))

    page = parse(response)
    assert response.status_code == 200
    assert page.select_one("title").text == "Register · Dakar workshop"
    assert page.select_one("main h1").text == "Registration"
    assert page.texts("form.registration-form legend")[:4] == [
        "Whom you represent",
        "About you",
        "Role in the delegation (required)",
        "Your participation",
    ]
    assert page.select_one("form.registration-form button").text == "Register"
    assert page.select_one("#id_language option[selected]").attrs["value"] == "en"
    assert page.select_one("label[for=id_first_name]").text == (
        "First name(s) as in the passport (required)"
    )


def test_register_get_in_french_shows_the_form_in_french(meeting, client):
    response = client.get(_register_url(meeting, "fr"))

    page = parse(response)
    assert response.status_code == 200
    assert page.select_one("title").text == "S'inscrire · Atelier de Dakar"
    assert page.select_one("main h1").text == "Inscription"
    assert page.texts("form.registration-form > fieldset > legend") == [
        "Entité que vous représentez",
        "Votre identité",
        "Votre participation",
        "Données à caractère personnel",
    ]
    assert page.select_one("form.registration-form button").text == "S'inscrire"
    assert page.select_one("#id_language option[selected]").attrs["value"] == "fr"
    assert page.select_one("label[for=id_first_name]").text == (
        "Prénom(s) figurant sur le passeport (obligatoire)"
    )


def test_register_post_valid_saves_and_redirects_to_the_submitted_page(
    make_meeting, senegal, client
):
    meeting = make_meeting(email_verification_required=True, slug="dakar-workshop")

    response = client.post(_register_url(meeting), form_data(meeting, senegal))

    registration = Registration.objects.get(meeting=meeting)
    assert response.status_code == 302
    assert response["Location"] == "/en/meetings/dakar-workshop/register/done/"
    assert (
        registration.status,
        registration.source,
        registration.email,
        registration.phone,
        registration.delegation,
    ) == (
        S.AWAITING_VERIFICATION,
        Source.PUBLIC_FORM,
        "awa.diop@example.org",
        "+221771234567",
        senegal,
    )


def test_register_page_says_the_places_left_in_each_way_and_the_endorsement(
    make_meeting, senegal, client
):
    meeting = make_meeting(
        format=MeetingFormat.HYBRID,
        in_person_capacity=2,
        online_capacity=10,
        focal_point_endorsement_required=True,
    )
    RegistrationFactory(meeting=meeting, delegation=senegal, status=RegistrationStatus.APPROVED)
    RegistrationFactory(
        meeting=meeting, delegation=senegal, status=RegistrationStatus.AWAITING_FOCAL_POINT
    )

    page = parse(client.get(_register_url(meeting)))

    assert page.texts("#places-left li") == [
        "In person: 1 place left.",
        "Online: 10 places left.",
        "Your focal point must endorse your registration before it can hold a place.",
    ]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            ["Côte d'Ivoire", "Denmark", "Egypt", "Equatorial Guinea", "Germany", "Spain"],
        ),
        (
            "fr",
            ["Allemagne", "Côte d'Ivoire", "Danemark", "Égypte", "Espagne", "Guinée équatoriale"],
        ),
    ],
)
def test_register_page_lists_delegations_by_name_in_the_page_language(
    meeting, reference_data, client, language, expected
):
    PartnerFactory(
        dialogue=reference_data,
        code="EG",
        region=Region.NORTH_AFRICA,
        name_en="Egypt",
        name_fr="Égypte",
    )
    sample = set(expected)

    page = parse(client.get(_register_url(meeting, language)))
    options = [text for text in page.texts("#id_delegation option") if text in sample]

    assert options == expected


def test_register_page_in_french_says_the_places_left(make_meeting, senegal, client):
    meeting = make_meeting(in_person_capacity=3)
    RegistrationFactory(meeting=meeting, delegation=senegal, status=RegistrationStatus.APPROVED)

    page = parse(client.get(_register_url(meeting, "fr")))

    assert page.texts("#places-left li") == ["En présentiel : 2 places restantes."]


def test_register_page_without_limits_or_endorsement_says_nothing_of_places(meeting, client):
    page = parse(client.get(_register_url(meeting)))

    assert page.select("#places-left") == []


@pytest.mark.parametrize(
    ("language", "line"),
    [
        ("en", "Senegal: 1 place left in its delegation."),
        ("fr", "Sénégal : 1 place restante dans sa délégation."),
    ],
)
def test_register_post_with_a_missing_field_says_the_chosen_delegation_places(
    language, line, make_meeting, senegal, client
):
    meeting = make_meeting(delegation_size=2)
    RegistrationFactory(meeting=meeting, delegation=senegal, status=RegistrationStatus.APPROVED)

    response = client.post(_register_url(meeting, language), form_data(meeting, senegal, email=""))

    assert response.status_code == 400
    assert parse(response).select_one("#delegation-places").text == line


def test_register_post_in_french_shows_the_errors_in_french(meeting, senegal, client):
    data = form_data(meeting, senegal, phone="77 123 45 67", consent_processing=None, email="x")

    response = client.post(_register_url(meeting, "fr"), data)

    page = parse(response)
    assert response.status_code == 400
    assert _error_summary(page)[:2] == [
        "Courriel : Saisissez une adresse e-mail valide.",
        "Téléphone : Indiquez le numéro au format international, en commençant par + et "
        "l'indicatif du pays.",
    ]
    assert page.texts("#id_consent_processing_error li") == [
        "Votre consentement est nécessaire pour vous inscrire."
    ]
    assert Registration.objects.count() == 0


@pytest.mark.parametrize(
    ("language", "line"),
    [
        (
            "en",
            "I agree to the processing of my personal data as described above: "
            "Your consent is needed to register.",
        ),
        (
            "fr",
            "J'accepte le traitement de mes données à caractère personnel tel que décrit "
            "ci-dessus : Votre consentement est nécessaire pour vous inscrire.",
        ),
    ],
)
def test_register_error_summary_drops_the_full_stop_of_a_label_before_its_colon(
    meeting, senegal, client, language, line
):
    data = form_data(meeting, senegal, consent_processing=None)

    response = client.post(_register_url(meeting, language), data)

    assert _error_summary(parse(response)) == [line]


def test_register_post_in_english_shows_the_errors_next_to_the_fields(meeting, senegal, client):
    data = form_data(meeting, None, first_name="Awa\x07")

    response = client.post(_register_url(meeting), data)

    page = parse(response)
    assert response.status_code == 400
    assert _error_summary(page) == [
        "Country or organisation: Choose the country or organisation you represent.",
        "First name(s) as in the passport: Remove the invisible control characters.",
    ]
    assert page.texts("#id_first_name_error li") == ["Remove the invisible control characters."]
    assert Registration.objects.count() == 0


def test_register_error_summary_links_and_descriptions_point_to_elements_of_the_page(
    make_meeting, client
):
    meeting = make_meeting(format=MeetingFormat.HYBRID)

    page = parse(client.post(_register_url(meeting), {"category": "partner_country"}))

    ids = {node.attrs["id"] for node in page.iter() if "id" in node.attrs}
    targets = [link.attrs["href"][1:] for link in page.select("#form-errors a")]
    described = [
        name
        for node in page.select("[aria-describedby]")
        for name in node.attrs["aria-describedby"].split()
    ]
    assert len(targets) == 13
    assert [target for target in targets if target not in ids] == []
    assert [name for name in described if name not in ids] == []


def _form_answer(meeting, data) -> tuple:
    """What a new visitor sees after sending the form: the answer to the post (status,
    where it goes, which cookies it sets) and the text of the page it leads to."""
    client = Client()
    response = client.post(_register_url(meeting), data)
    page = client.get(response["Location"])
    return (
        response.status_code,
        response["Location"],
        sorted(response.cookies),
        page.status_code,
        parse(page).select_one("main").text,
    )


@pytest.mark.parametrize("verification", [False, True])
def test_register_post_address_already_registered_is_answered_like_a_new_one(
    verification, make_meeting, senegal, france
):
    meeting = make_meeting(email_verification_required=verification)
    existing = _submit(meeting, senegal, "awa.diop@example.org")
    before = Registration.objects.values().get(pk=existing.pk)

    known = _form_answer(meeting, form_data(meeting, france, email="AWA.Diop@example.org"))
    new = _form_answer(meeting, form_data(meeting, france, email="new@example.org"))

    assert (
        known[:4]
        == new[:4]
        == (302, f"/en/meetings/{meeting.slug}/register/done/", ["sessionid"], 200)
    )
    assert known[4] == new[4].replace("new@example.org", "awa.diop@example.org")
    assert Registration.objects.filter(email="awa.diop@example.org").count() == 1
    assert Registration.objects.values().get(pk=existing.pk) == before


def test_register_post_address_already_registered_emails_its_owner_their_link(
    meeting, senegal, france, client, django_capture_on_commit_callbacks
):
    existing = _submit(meeting, senegal, "awa.diop@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            _register_url(meeting), form_data(meeting, france, email="AWA.Diop@example.org")
        )

    assert [(message.to, message.subject) for message in mail.outbox] == [
        (["awa.diop@example.org"], f"You are already registered: {meeting.title}")
    ]
    assert f"http://127.0.0.1:8000{_personal_url(existing)}" in mail.outbox[0].body


def test_register_post_with_attachment_keeps_the_file(
    make_meeting, senegal, client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    meeting = make_meeting(attachment_required=True)
    data = form_data(meeting, senegal, attachment=SimpleUploadedFile("nv.pdf", PDF))

    response = client.post(_register_url(meeting), data)

    registration = Registration.objects.get()
    assert response.status_code == 302
    assert registration.attachment.name.endswith(".pdf")
    assert registration.attachment.read() == PDF


def test_register_post_with_fake_attachment_saves_nothing(
    make_meeting, senegal, client, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    meeting = make_meeting(attachment_required=True)
    data = form_data(meeting, senegal, attachment=SimpleUploadedFile("nv.pdf", b"MZ\x90\x00"))

    response = client.post(_register_url(meeting), data)

    assert response.status_code == 400
    assert parse(response).texts("#id_attachment_error li") == [
        "“nv.pdf” is not a valid PDF file: it cannot be opened."
    ]
    assert Registration.objects.count() == 0
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("window", "language", "notice"),
    [
        (
            {
                "registration_opens_at": datetime.datetime(2020, 12, 1, 9, tzinfo=datetime.UTC),
                "registration_closes_at": datetime.datetime(2021, 1, 10, 9, tzinfo=datetime.UTC),
            },
            "en",
            "Registration closed on 10 January 2021.",
        ),
        (
            {
                "registration_opens_at": datetime.datetime(2020, 12, 1, 9, tzinfo=datetime.UTC),
                "registration_closes_at": datetime.datetime(2021, 1, 10, 9, tzinfo=datetime.UTC),
            },
            "fr",
            "Les inscriptions sont closes depuis le 10 janvier 2021.",
        ),
        (
            {
                "registration_opens_at": datetime.datetime(2099, 3, 1, 9, tzinfo=datetime.UTC),
                "registration_closes_at": datetime.datetime(2099, 4, 1, 9, tzinfo=datetime.UTC),
                "starts_on": datetime.date(2099, 5, 1),
                "ends_on": datetime.date(2099, 5, 2),
            },
            "en",
            "Registration opens on 1 March 2099.",
        ),
        (
            {
                "registration_opens_at": datetime.datetime(2099, 3, 1, 9, tzinfo=datetime.UTC),
                "registration_closes_at": datetime.datetime(2099, 4, 1, 9, tzinfo=datetime.UTC),
                "starts_on": datetime.date(2099, 5, 1),
                "ends_on": datetime.date(2099, 5, 2),
            },
            "fr",
            "Les inscriptions ouvriront le 1er mars 2099.",
        ),
        (
            {"registration_opens_at": None, "registration_closes_at": None},
            "en",
            "The registration dates will be announced soon.",
        ),
    ],
    ids=["closed-en", "closed-fr", "not-yet-open-en", "not-yet-open-fr", "not-scheduled"],
)
def test_register_outside_the_window_says_so_and_saves_nothing(
    window, language, notice, make_meeting, senegal, client
):
    meeting = make_meeting(**window)

    page = parse(client.get(_register_url(meeting, language)))
    response = client.post(_register_url(meeting, language), form_data(meeting, senegal))

    assert page.texts("main p.notice") == [notice]
    assert page.select("form.registration-form") == []
    assert response.status_code == 400
    assert Registration.objects.count() == 0


def test_register_open_window_shows_the_form(meeting, client):
    page = parse(client.get(_register_url(meeting)))

    assert page.select("main p.notice") == []
    assert len(page.select("form.registration-form")) == 1


@pytest.mark.parametrize(
    ("language", "notice"),
    [
        ("en", "The meeting is over."),
        ("fr", "La réunion est terminée."),
    ],
)
def test_register_paris_2021_is_closed(language, notice, demo_data, senegal, client):
    response = client.get(f"/{language}/meetings/paris-2021/register/")
    post = client.post(f"/{language}/meetings/paris-2021/register/", form_data(demo_data, senegal))

    assert response.status_code == 200
    assert parse(response).texts("main p.notice") == [notice]
    assert post.status_code == 400
    assert Registration.objects.filter(meeting=demo_data).count() == 0


@pytest.mark.parametrize("slug", ["no-such-meeting", "draft-meeting"])
def test_register_unknown_or_draft_meeting_is_not_found(slug, make_meeting, client):
    make_meeting(slug="draft-meeting", published=False, status=MeetingStatus.DRAFT)

    assert client.get(f"/en/meetings/{slug}/register/").status_code == 404


def test_register_put_is_not_allowed(meeting, client):
    assert client.put(_register_url(meeting)).status_code == 405


# --- the submitted page -------------------------------------------------------------------


def test_submitted_page_asks_to_check_the_email(make_meeting, senegal, client):
    meeting = make_meeting(email_verification_required=True)

    response = client.post(_register_url(meeting), form_data(meeting, senegal), follow=True)

    page = parse(response)
    assert page.select_one("main h1").text == "Check your email"
    assert page.texts("main p")[:2] == [
        "Check your email: a message is on its way to awa.diop@example.org with the next "
        "step and the link to your registration.",
        "If it has not arrived in a few minutes, look in your spam folder, or ask for a new "
        "link. Get a new link",
    ]


def test_submitted_page_in_french(meeting, senegal, client):
    response = client.post(
        _register_url(meeting, "fr"), form_data(meeting, senegal, language="fr"), follow=True
    )

    page = parse(response)
    assert page.select_one("main h1").text == "Consultez vos courriels"
    assert page.texts("main p")[0] == (
        "Consultez vos courriels : un message part vers awa.diop@example.org avec la "
        "prochaine étape et le lien vers votre inscription."
    )


def test_submitted_page_of_another_meeting_goes_to_its_form(make_meeting, senegal, client):
    first = make_meeting(slug="first-meeting")
    second = make_meeting(slug="second-meeting")
    client.post(_register_url(first), form_data(first, senegal))

    response = client.get(f"/en/meetings/{second.slug}/register/done/")

    assert response.status_code == 302
    assert response["Location"] == f"/en/meetings/{second.slug}/register/"


def test_submitted_page_without_a_registration_in_the_session_goes_to_the_form(meeting, client):
    response = client.get(f"/en/meetings/{meeting.slug}/register/done/")

    assert response.status_code == 302
    assert response["Location"] == f"/en/meetings/{meeting.slug}/register/"


# --- verification -------------------------------------------------------------------------


@pytest.fixture
def unverified(make_meeting, senegal):
    meeting = make_meeting(email_verification_required=True)
    return _submit(meeting, senegal, "awa@example.org")


def test_verify_get_shows_a_button_and_changes_nothing(unverified, client):
    response = client.get(_verify_url(unverified))

    page = parse(response)
    assert response.status_code == 200
    assert page.select_one("main h1").text == "Confirm your email address"
    assert page.select_one("main form[method=post] button").text == "Confirm my registration"
    assert Registration.objects.get(pk=unverified.pk).status == S.AWAITING_VERIFICATION


def test_verify_post_verifies_and_opens_the_personal_page(unverified, client):
    response = client.post(_verify_url(unverified))

    assert response.status_code == 302
    assert _opens(response["Location"]) == unverified
    assert Registration.objects.get(pk=unverified.pk).status == S.AWAITING_SECRETARIAT


def test_verify_in_french(unverified, client):
    page = parse(client.get(_verify_url(unverified, "fr")))

    assert page.select_one("main h1").text == "Confirmez votre adresse électronique"
    assert page.select_one("main form button").text == "Confirmer mon inscription"


@pytest.mark.parametrize("token", ["tampered", "personal"])
def test_verify_with_a_wrong_token_is_not_found(token, unverified, client):
    url = (
        _tampered(_verify_url(unverified), "/verify/")
        if token == "tampered"
        else (_personal_url(unverified) + "verify/")
    )

    response = client.post(url)

    assert response.status_code == 404
    assert parse(response).select_one("main h1").text == "This link is not valid"
    assert Registration.objects.get(pk=unverified.pk).status == S.AWAITING_VERIFICATION


# --- the personal page --------------------------------------------------------------------


def _facts(page) -> dict[str, str]:
    return {
        item.select_one("dt").text: item.select_one("dd").text
        for item in page.select(".facts > div")
    }


def _history(page) -> list[str]:
    """History entries without their time."""
    return [text.split(" · ", 1)[1] for text in page.texts("ol.history li")]


def _calendar_links(page) -> list[str]:
    return [link.attrs["href"] for link in page.select("a") if "calendar" in link.attrs["href"]]


@pytest.fixture
def registration(meeting, senegal):
    return _submit(meeting, senegal, "awa@example.org", title="ms")


def test_personal_page_shows_status_details_and_history(registration, client):
    response = client.get(_personal_url(registration))

    page = parse(response)
    assert response.status_code == 200
    assert _facts(page) == {
        "Status": "Awaiting the Secretariat",
        "Reference": registration.reference,
        "Name": "Ms Awa Diop",
        "Represents": "Senegal",
        "Participation": "In person",
    }
    assert _history(page) == [
        "Awaiting the Secretariat · Registered with the form.",
    ]
    assert page.select_one("meta[name=robots]").attrs["content"] == "noindex"


def test_personal_page_in_french(registration, client):
    page = parse(client.get(_personal_url(registration, "fr")))

    assert _facts(page)["Statut"] == "En attente du Secrétariat"
    assert _facts(page)["Représente"] == "Sénégal"
    assert page.select_one("main h1").text == "Votre inscription"


@pytest.mark.parametrize(
    ("language", "note"),
    [
        ("en", "Senegal: the delegation's 1 place is taken. You are number 2 on the waiting list."),
        (
            "fr",
            "Sénégal : la délégation a 1 place, déjà prise. Votre rang sur la liste d'attente : 2.",
        ),
    ],
)
def test_personal_page_of_a_waitlisted_registration_says_why_and_its_place(
    language, note, make_meeting, senegal, client
):
    meeting = make_meeting(delegation_size=1)
    _submit(meeting, senegal, "first@example.org")
    _submit(meeting, senegal, "second@example.org")
    waiting = _submit(meeting, senegal, "awa@example.org")

    page = parse(client.get(_personal_url(waiting, language)))

    assert waiting.status == RegistrationStatus.WAITLISTED
    assert page.select_one("#waitlist-note").text == note


def test_personal_page_of_a_registration_not_waiting_has_no_waitlist_note(registration, client):
    page = parse(client.get(_personal_url(registration)))

    assert page.select("#waitlist-note") == []


def test_personal_page_of_a_live_meeting_says_nothing_of_cancellation(registration, client):
    page = parse(client.get(_personal_url(registration)))

    assert page.select("#meeting-cancelled") == []


@pytest.mark.parametrize(
    ("language", "notice"),
    [("en", "This meeting is cancelled."), ("fr", "Cette réunion est annulée.")],
)
def test_personal_page_says_the_meeting_is_cancelled(
    language, notice, registration, secretariat_officer, client
):
    set_meeting_status(registration.meeting, MeetingStatus.CANCELLED, actor=secretariat_officer)

    page = parse(client.get(_personal_url(registration, language)))

    assert page.texts("#meeting-cancelled") == [notice]


def test_personal_page_shows_the_reason_of_a_rejection(registration, secretariat_officer, client):
    services.reject_registration(registration, actor=secretariat_officer, reason="Not a delegate")

    page = parse(client.get(_personal_url(registration)))

    assert _facts(page)["Status"] == "Rejected"
    assert page.texts("main p.notice") == ["Reason given: Not a delegate"]
    assert page.select("form[method=post]") == []


def test_personal_page_edit_saves_the_changes(registration, client):
    data = {
        "action": "edit",
        "title": "dr",
        "first_name": "Awa",
        "last_name": "Diop-Sarr",
        "phone": "+33 6 12 34 56 78",
        "institution": "Ministry of the Interior",
        "function": "Adviser",
        "level_of_government": "national",
        "days": [registration.meeting.starts_on.isoformat()],
        "language": "fr",
        "dietary_needs": "Vegetarian",
        "accessibility_needs": "",
        "consent_participant_list": "on",
    }

    url = _personal_url(registration)

    response = client.post(url, data)

    registration.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == url
    assert _messages(response) == ["Your changes are saved."]
    assert (
        registration.title,
        registration.last_name,
        registration.phone,
        registration.days,
        registration.language,
        registration.consent_participant_list,
        registration.needs_visa_letter,
    ) == (
        "dr",
        "Diop-Sarr",
        "+33612345678",
        [registration.meeting.starts_on.isoformat()],
        "fr",
        True,
        False,
    )


def test_personal_page_edit_with_errors_shows_them(registration, client):
    response = client.post(
        _personal_url(registration), {"action": "edit", "first_name": "", "phone": "12"}
    )

    page = parse(response)
    assert response.status_code == 400
    assert page.texts("#id_phone_error li") == [
        "Give the number in international format, starting with + and the country code."
    ]
    assert Registration.objects.get(pk=registration.pk).phone == "+221771234567"


def test_personal_page_after_the_change_deadline_refuses_changes(make_meeting, senegal, client):
    meeting = make_meeting(registration_changes_until=timezone.now() + datetime.timedelta(days=1))
    registration = _submit(meeting, senegal, "awa@example.org")
    meeting.registration_changes_until = timezone.now() - datetime.timedelta(minutes=1)
    meeting.save()

    page = parse(client.get(_personal_url(registration)))
    response = client.post(
        _personal_url(registration),
        {
            "action": "edit",
            "first_name": "Changed",
            "last_name": "Diop",
            "phone": "+221771234567",
            "institution": "Ministry",
            "function": "Director",
            "level_of_government": "national",
            "days": [meeting.starts_on.isoformat()],
            "language": "en",
        },
    )

    assert page.select("section[aria-labelledby=edit-title]") == []
    assert len(page.select("section[aria-labelledby=cancel-title]")) == 1
    assert response.status_code == 302
    assert _messages(response) == ["The deadline for changes has passed."]
    assert Registration.objects.get(pk=registration.pk).first_name == "Awa"


def test_personal_page_before_the_deadline_says_until_when(make_meeting, senegal, client):
    meeting = make_meeting(
        registration_changes_until=datetime.datetime(2099, 1, 31, 12, tzinfo=datetime.UTC),
        registration_closes_at=datetime.datetime(2099, 2, 1, 12, tzinfo=datetime.UTC),
        starts_on=datetime.date(2099, 3, 1),
        ends_on=datetime.date(2099, 3, 2),
    )
    registration = _submit(meeting, senegal, "awa@example.org")

    page = parse(client.get(_personal_url(registration)))

    assert page.texts("section[aria-labelledby=edit-title] p.hint")[0] == (
        "You can change them until 31 January 2099."
    )


def test_personal_page_cancel_cancels_and_promotes(make_meeting, senegal, france, client):
    meeting = make_meeting(in_person_capacity=1)
    registration = _submit(meeting, senegal, "awa@example.org")
    waiting = _submit(meeting, france, "waiting@example.org")

    response = client.post(
        _personal_url(registration), {"action": "cancel", "confirm": "1"}, follow=True
    )

    page = parse(response)
    assert page.texts(".messages p") == ["Your registration is cancelled."]
    assert _facts(page)["Status"] == "Cancelled"
    assert _history(page)[-1] == "Cancelled · Cancelled by the delegate."
    assert page.select("form[method=post]") == []
    assert Registration.objects.get(pk=waiting.pk).status == S.AWAITING_SECRETARIAT


def test_personal_page_cancel_twice_says_it_cannot(registration, client):
    client.post(_personal_url(registration), {"action": "cancel", "confirm": "1"})

    response = client.post(_personal_url(registration), {"action": "cancel", "confirm": "1"})

    assert response.status_code == 302
    assert _messages(response) == [
        "Your registration is cancelled.",
        "A registration cannot go from “Cancelled” to “Cancelled”.",
    ]


def test_personal_page_cancel_first_asks_for_confirmation_and_changes_nothing(registration, client):
    response = client.post(_personal_url(registration), {"action": "cancel"})

    page = parse(response)
    assert response.status_code == 200
    assert page.select_one("main h1").text == "Cancel your registration?"
    assert page.texts("#confirm-consequences p") == [
        "Your registration to Dakar workshop will be cancelled and your place given to the "
        "next person on the waiting list. This cannot be undone.",
        "You can register again while registration is open, behind those already waiting.",
    ]
    assert {
        field.attrs["name"]: field.attrs["value"]
        for field in page.select("#confirm-form input[type=hidden]")
        if field.attrs["name"] != "csrfmiddlewaretoken"
    } == {"action": "cancel", "confirm": "1"}
    assert page.texts("#confirm-form button") == ["Yes, cancel my registration"]
    assert page.select_one("#confirm-form").attrs["action"] == _personal_url(registration)
    assert Registration.objects.get(pk=registration.pk).status == S.AWAITING_SECRETARIAT


@pytest.mark.parametrize(
    ("language", "status", "consequence", "on_the_page"),
    [
        (
            "en",
            S.WAITLISTED,
            "Your registration to Dakar workshop will be cancelled. This cannot be undone.",
            "This cannot be undone.",
        ),
        (
            "fr",
            S.AWAITING_FOCAL_POINT,
            "Votre inscription à la réunion « Atelier de Dakar » sera annulée. "
            "Cette action est irréversible.",
            "Cette action est irréversible.",
        ),
    ],
)
def test_personal_page_cancel_without_a_place_promises_no_place_to_the_next_person(
    registration, client, language, status, consequence, on_the_page
):
    # Waiting or not yet endorsed, the registration holds no place to give away.
    Registration.objects.filter(pk=registration.pk).update(status=status)

    page = parse(client.get(_personal_url(registration, language)))
    confirmation = parse(client.post(_personal_url(registration, language), {"action": "cancel"}))

    assert page.texts("section[aria-labelledby=cancel-title] p")[0] == on_the_page
    assert confirmation.texts("#confirm-consequences p")[0] == consequence


def test_personal_page_cancel_confirmation_in_french(registration, client):
    page = parse(client.post(_personal_url(registration, "fr"), {"action": "cancel"}))

    assert page.select_one("main h1").text == "Annuler votre inscription ?"
    assert page.texts("#confirm-form button") == ["Oui, annuler mon inscription"]
    assert page.texts("#confirm-consequences p")[1] == (
        "Vous pouvez vous inscrire de nouveau tant que les inscriptions sont ouvertes, "
        "après les personnes déjà en attente."
    )


def test_personal_page_after_cancelling_offers_to_register_again_without_the_calendar(
    registration, client
):
    client.post(_personal_url(registration), {"action": "cancel", "confirm": "1"})

    page = parse(client.get(_personal_url(registration)))

    assert [link.attrs["href"] for link in page.select("#register-again a")] == [
        "/en/meetings/dakar-workshop/register/"
    ]
    assert _calendar_links(page) == []


def test_personal_page_after_cancelling_once_registration_closed_offers_nothing(
    registration, client
):
    client.post(_personal_url(registration), {"action": "cancel", "confirm": "1"})
    Meeting.objects.filter(pk=registration.meeting_id).update(
        registration_closes_at=timezone.now() - datetime.timedelta(minutes=1)
    )

    page = parse(client.get(_personal_url(registration)))

    assert page.select("#register-again") == []
    assert _calendar_links(page) == []


def test_personal_page_before_cancelling_offers_the_calendar_not_to_register_again(
    registration, client
):
    page = parse(client.get(_personal_url(registration)))

    assert page.select("#register-again") == []
    assert _calendar_links(page) == [
        reverse("meetings:calendar", kwargs={"slug": "dakar-workshop"})
    ]


def test_personal_link_never_opens_another_registration(meeting, senegal, client):
    mine = _submit(meeting, senegal, "awa@example.org")
    other = _submit(meeting, senegal, "other@example.org")

    page = parse(client.get(_personal_url(mine)))
    client.post(
        _personal_url(mine), {"action": "cancel", "confirm": "1", "reference": other.reference}
    )

    assert _facts(page)["Reference"] == mine.reference
    assert Registration.objects.get(pk=mine.pk).status == S.CANCELLED
    assert Registration.objects.get(pk=other.pk).status == S.AWAITING_SECRETARIAT


@pytest.mark.parametrize("link", ["tampered", "superseded", "verify"])
def test_personal_page_with_a_bad_link_is_not_found(link, registration, client):
    if link == "tampered":
        url = _tampered(_personal_url(registration), "/")
    elif link == "superseded":
        url = _personal_url(registration)
        services.send_new_link(registration.meeting, email=registration.email)
    else:
        url = _verify_url(registration)[: -len("verify/")]

    response = client.post(url, {"action": "cancel", "confirm": "1"})

    assert response.status_code == 404
    assert parse(response).select_one("main h1").text == "This link is not valid"
    assert Registration.objects.get(pk=registration.pk).status == S.AWAITING_SECRETARIAT


# --- lost link ----------------------------------------------------------------------------


def _lost_link(client, meeting, email, **kwargs):
    return client.post(f"/en/meetings/{meeting.slug}/lost-link/", {"email": email}, **kwargs)


def test_lost_link_answers_the_same_for_known_and_unknown_addresses(
    registration, client, django_capture_on_commit_callbacks
):
    meeting = registration.meeting

    with django_capture_on_commit_callbacks(execute=True):
        known = _lost_link(client, meeting, "AWA@example.org", follow=True)
    with django_capture_on_commit_callbacks(execute=True):
        unknown = _lost_link(client, meeting, "nobody@example.org", follow=True)

    assert (
        known.redirect_chain
        == unknown.redirect_chain
        == [(f"/en/meetings/{meeting.slug}/lost-link/", 302)]
    )
    assert parse(known).texts("main p") == parse(unknown).texts("main p")
    assert parse(known).texts(".messages p") == [
        "If this address has a registration for this meeting, a new link is on its way."
    ]
    assert [m.to for m in mail.outbox] == [["awa@example.org"]]
    assert Registration.objects.get(pk=registration.pk).link_version == 2


def test_lost_link_page_in_french(meeting, client):
    page = parse(client.get(f"/fr/meetings/{meeting.slug}/lost-link/"))

    assert page.select_one("main h1").text == "Obtenir un nouveau lien vers votre inscription"
    assert page.select_one("main form button").text == "M'envoyer un nouveau lien"


def test_lost_link_invalid_address_is_refused(meeting, client):
    response = _lost_link(client, meeting, "not-an-address")

    assert response.status_code == 200
    assert parse(response).texts("#id_email_error li") == ["Enter a valid email address."]


# --- rate limits --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "title", "text"),
    [
        (
            "en",
            "Too many attempts",
            "Too many forms were sent from your connection. Please wait a minute and try again.",
        ),
        (
            "fr",
            "Trop de tentatives",
            "Trop de formulaires ont été envoyés depuis votre connexion. Veuillez patienter une "
            "minute, puis réessayer.",
        ),
    ],
)
def test_register_over_the_rate_limit_answers_429_and_saves_nothing(
    language, title, text, meeting, senegal, client, settings
):
    settings.REGISTRATION_RATE_LIMIT = "2/m"
    url = _register_url(meeting, language)

    statuses = [
        client.post(url, form_data(meeting, senegal, email=f"d{n}@example.org")).status_code
        for n in range(2)
    ]
    response = client.post(url, form_data(meeting, senegal, email="third@example.org"))

    page = parse(response)
    assert statuses == [302, 302]
    assert response.status_code == 429
    assert page.select_one("main h1").text == title
    assert page.texts("main p") == [text]
    assert sorted(Registration.objects.values_list("email", flat=True)) == [
        "d0@example.org",
        "d1@example.org",
    ]


def test_register_rate_limit_counts_posts_per_client_address(meeting, senegal, client, settings):
    settings.REGISTRATION_RATE_LIMIT = "2/m"
    url = _register_url(meeting)
    for n in range(2):
        client.post(url, {"email": f"d{n}@example.org"}, REMOTE_ADDR="192.0.2.1")

    same_client = client.post(url, form_data(meeting, senegal), REMOTE_ADDR="192.0.2.1")
    other_client = client.post(url, form_data(meeting, senegal), REMOTE_ADDR="192.0.2.2")
    get = client.get(url, REMOTE_ADDR="192.0.2.1")

    assert (same_client.status_code, other_client.status_code) == (429, 302)
    assert get.status_code == 200


def test_lost_link_over_the_rate_limit_answers_429(meeting, client, settings):
    settings.REGISTRATION_RATE_LIMIT = "2/m"

    statuses = [_lost_link(client, meeting, "a@example.org").status_code for _ in range(3)]

    assert statuses == [302, 302, 429]


def test_register_rate_limit_off_never_limits(meeting, client, settings):
    settings.REGISTRATION_RATE_LIMIT = "off"

    statuses = {client.post(_register_url(meeting), {}).status_code for _ in range(5)}

    assert statuses == {400}


# --- focal point pages --------------------------------------------------------------------


@pytest.fixture
def delegations(make_meeting, senegal, france):
    """A 1+1 meeting needing endorsement, with two Senegalese and one French registration."""
    meeting = make_meeting(
        slug="senior-officials",
        delegation_size=2,
        delegation_heads=1,
        focal_point_endorsement_required=True,
    )
    head = _submit(meeting, senegal, "head@sn.example.org", role="head", first_name="Moussa")
    expert = _submit(meeting, senegal, "expert@sn.example.org", role="expert", first_name="Fatou")
    french = _submit(meeting, france, "expert@fr.example.org", role="expert", first_name="Claire")
    return meeting, head, expert, french


def _rows(page) -> list[str]:
    return [
        row.attrs["id"].removeprefix("registration-")
        for row in page.select("ul.registration-cards > li")
    ]


def test_focal_point_page_requires_sign_in(meeting, client):
    response = client.get(_focal_point_url(meeting))

    assert response.status_code == 302
    assert response["Location"] == f"/en/accounts/login/?next={_focal_point_url(meeting)}"


@pytest.mark.parametrize("persona", ["outsider", "secretariat_officer", "meeting_organiser"])
def test_focal_point_page_refuses_who_is_no_focal_point(persona, request, meeting, client):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(_focal_point_url(meeting)).status_code == 403


def test_focal_point_home_refuses_an_outsider(outsider, client):
    client.force_login(outsider)

    assert client.get("/en/focal-point/").status_code == 403


def test_focal_point_home_lists_meetings_with_the_delegations_counts(
    delegations, focal_point_senegal, client
):
    client.force_login(focal_point_senegal)

    page = parse(client.get("/en/focal-point/"))

    card = next(
        card
        for card in page.select(".meeting-card")
        if "senior-officials" in str(card.select_one("a").attrs)
    )
    assert card.texts("p")[1] == "2 registrations for your delegation · 2 awaiting your endorsement"


def _facts(page) -> dict[str, str]:
    return {
        item.select_one("dt").text: item.select_one("dd").text
        for item in page.select(".facts > div")
    }


def _table_rows(page, table_id) -> list[str]:
    return [
        row.attrs["id"].removeprefix("registration-")
        for row in page.select(f"#{table_id} ul.registration-cards > li")
    ]


def test_focal_point_page_shows_only_their_delegation(delegations, focal_point_senegal, client):
    meeting, head, expert, _french = delegations
    client.force_login(focal_point_senegal)

    response = client.get(_focal_point_url(meeting))

    page = parse(response)
    assert response.status_code == 200
    assert page.select_one("main h1").text == "Delegation of Senegal"
    assert _rows(page) == [head.reference, expert.reference]
    # Awaiting endorsement, the two hold no place.
    assert _facts(page) == {
        "Places per delegation": "1+1",
        "Places taken": "0",
        "Places remaining": "2 (1 kept for a head of delegation)",
        "Places left in person": "2",
        "Awaiting your endorsement": "2",
        "On the waiting list": "0",
    }


def test_focal_point_page_shows_pending_self_registrations_apart_from_nominees(
    delegations, senegal, focal_point_senegal, client
):
    meeting, head, expert, _french = delegations
    nominee = services.submit_registration(
        meeting,
        data=registration_data(meeting, senegal, email="nominee@sn.example.org", role="head"),
        source=Source.FOCAL_POINT,
        actor=focal_point_senegal,
    )
    client.force_login(focal_point_senegal)

    page = parse(client.get(_focal_point_url(meeting)))

    assert _table_rows(page, "pending-registrations") == [head.reference, expert.reference]
    assert _table_rows(page, "delegates") == [nominee.reference]
    assert [
        page.select_one(f"#{table} h2").text for table in ("pending-registrations", "delegates")
    ] == [
        "Awaiting your endorsement",
        "Nominees and delegates",
    ]
    assert page.select("#delegates button") == []
    assert len(page.select("#pending-registrations button")) == 4
    assert (_facts(page)["Places taken"], _facts(page)["Places remaining"]) == ("1", "1")


@pytest.mark.parametrize(
    ("language", "remaining"),
    [
        ("en", ("Places remaining", "1 (1 kept for a head of delegation)")),
        ("fr", ("Places restantes", "1 (dont 1 réservée à un chef de délégation)")),
    ],
)
def test_focal_point_page_says_the_place_left_is_kept_for_a_head(
    make_meeting, senegal, focal_point_senegal, client, language, remaining
):
    # "1+1" with a member in: a second member waits though one place remains.
    meeting = make_meeting(delegation_size=2, delegation_heads=1)
    RegistrationFactory(
        meeting=meeting, delegation=senegal, status=S.APPROVED, role=DelegationRole.MEMBER
    )
    client.force_login(focal_point_senegal)

    page = parse(client.get(_focal_point_url(meeting, language)))

    label, value = remaining
    assert _facts(page)[label] == value


def test_focal_point_page_without_pending_registrations_says_so(
    meeting, senegal, focal_point_senegal, client
):
    client.force_login(focal_point_senegal)

    page = parse(client.get(_focal_point_url(meeting)))

    assert page.texts("#pending-registrations p")[-1] == "Nobody is awaiting your endorsement."
    assert page.texts("#delegates p") == ["Nobody has registered for your delegation yet."]


def test_focal_point_page_gives_the_places_left_in_person_and_online(
    make_meeting, senegal, france, focal_point_senegal, client
):
    meeting = make_meeting(format=MeetingFormat.HYBRID, in_person_capacity=2, delegation_size=2)
    _submit(meeting, senegal, "awa@sn.example.org")
    _submit(meeting, france, "claire@fr.example.org")
    client.force_login(focal_point_senegal)

    page = parse(client.get(_focal_point_url(meeting)))

    facts = _facts(page)
    assert (
        facts["Places remaining"],
        facts["Places left in person"],
        facts["Places left online"],
    ) == ("1", "0", "1")


def test_focal_point_page_in_french(delegations, focal_point_senegal, client):
    meeting, *_ = delegations
    client.force_login(focal_point_senegal)

    page = parse(client.get(_focal_point_url(meeting, "fr")))

    assert page.select_one("main h1").text == "Délégation : Sénégal"
    assert page.select_one("#pending-registrations h2").text == "En attente de votre aval"
    assert page.texts(".registration-card dd.status") == ["En attente du point focal"] * 2
    assert _facts(page)["Places restantes en présentiel"] == "2"


def test_focal_point_endorses_their_delegate(delegations, focal_point_senegal, client):
    meeting, head, *_ = delegations
    client.force_login(focal_point_senegal)

    response = client.post(
        _focal_point_url(meeting),
        {"action": "endorse", "confirm": "1", "reference": head.reference, "reason": "Our head"},
    )

    assert response.status_code == 302
    assert response["Location"] == _focal_point_url(meeting)
    assert _messages(response) == ["Moussa Diop is endorsed."]
    assert Registration.objects.get(pk=head.pk).status == S.AWAITING_SECRETARIAT


def test_focal_point_endorse_first_asks_for_confirmation_and_changes_nothing(
    delegations, focal_point_senegal, client
):
    meeting, head, *_ = delegations
    client.force_login(focal_point_senegal)

    response = client.post(
        _focal_point_url(meeting),
        {"action": "endorse", "reference": head.reference, "reason": "Our head"},
    )

    page = parse(response)
    assert response.status_code == 200
    assert page.select_one("main h1").text == "Endorse Moussa Diop?"
    assert page.texts("#confirm-consequences p") == [
        "Moussa Diop will take one of your delegation's places, or join the waiting list "
        "if none is free, and will be emailed."
    ]
    assert {
        field.attrs["name"]: field.attrs["value"]
        for field in page.select("#confirm-form input[type=hidden]")
        if field.attrs["name"] != "csrfmiddlewaretoken"
    } == {"action": "endorse", "reference": head.reference, "reason": "Our head", "confirm": "1"}
    assert Registration.objects.get(pk=head.pk).status == S.AWAITING_FOCAL_POINT


def test_focal_point_decline_first_asks_for_confirmation_and_changes_nothing(
    delegations, focal_point_senegal, client
):
    meeting, head, *_ = delegations
    client.force_login(focal_point_senegal)

    response = client.post(
        _focal_point_url(meeting),
        {"action": "decline", "reference": head.reference, "reason": "Not ours"},
    )

    page = parse(response)
    assert page.select_one("main h1").text == "Decline Moussa Diop?"
    assert page.texts("#confirm-consequences p") == [
        "Moussa Diop will not attend as a delegate of your delegation and will be emailed "
        "the reason you give. This cannot be undone.",
        "Reason given: Not ours",
    ]
    assert page.texts("#confirm-form button") == ["Yes, decline"]
    assert Registration.objects.get(pk=head.pk).status == S.AWAITING_FOCAL_POINT


def test_focal_point_decline_confirmation_in_french(delegations, focal_point_senegal, client):
    meeting, head, *_ = delegations
    client.force_login(focal_point_senegal)

    page = parse(
        client.post(
            _focal_point_url(meeting, "fr"),
            {"action": "decline", "reference": head.reference, "reason": "Pas des nôtres"},
        )
    )

    assert page.select_one("main h1").text == "Moussa Diop : refuser l'inscription ?"
    assert page.texts("#confirm-form button") == ["Oui, refuser"]


@pytest.mark.parametrize("action", ["endorse", "decline"])
def test_focal_point_confirmation_of_another_delegation_is_not_found(
    action, delegations, focal_point_senegal, client
):
    meeting, _head, _expert, french = delegations
    client.force_login(focal_point_senegal)

    response = client.post(
        _focal_point_url(meeting), {"action": action, "reference": french.reference, "reason": "No"}
    )

    assert response.status_code == 404
    assert Registration.objects.get(pk=french.pk).status == S.AWAITING_FOCAL_POINT


@pytest.mark.parametrize("action", ["endorse", "decline"])
def test_focal_point_cannot_act_on_another_delegation(
    action, delegations, focal_point_senegal, client
):
    meeting, _head, _expert, french = delegations
    client.force_login(focal_point_senegal)

    response = client.post(
        _focal_point_url(meeting),
        {"action": action, "confirm": "1", "reference": french.reference, "reason": "No"},
    )

    assert response.status_code == 404
    assert Registration.objects.get(pk=french.pk).status == S.AWAITING_FOCAL_POINT


def test_focal_point_declines_with_a_reason(delegations, focal_point_senegal, client):
    meeting, head, *_ = delegations
    client.force_login(focal_point_senegal)

    response = client.post(
        _focal_point_url(meeting),
        {"action": "decline", "confirm": "1", "reference": head.reference, "reason": "Not ours"},
    )

    head.refresh_from_db()
    assert response.status_code == 302
    assert _messages(response) == ["Moussa Diop is declined."]
    assert (head.status, head.decision_reason) == (S.DECLINED, "Not ours")


def test_focal_point_decline_without_reason_is_refused(delegations, focal_point_senegal, client):
    meeting, head, *_ = delegations
    client.force_login(focal_point_senegal)

    response = client.post(
        _focal_point_url(meeting),
        {"action": "decline", "confirm": "1", "reference": head.reference},
    )

    assert _messages(response) == ["Give a reason to decline."]
    assert Registration.objects.get(pk=head.pk).status == S.AWAITING_FOCAL_POINT


def test_focal_point_endorse_twice_says_why_not(delegations, focal_point_senegal, client):
    meeting, head, *_ = delegations
    client.force_login(focal_point_senegal)
    client.post(
        _focal_point_url(meeting),
        {"action": "endorse", "confirm": "1", "reference": head.reference},
    )

    response = client.post(
        _focal_point_url(meeting),
        {"action": "endorse", "confirm": "1", "reference": head.reference},
    )

    assert _messages(response)[-1] == "This registration is not awaiting endorsement."


def _nomination(meeting, delegation, **fields):
    data = form_data(meeting, delegation, consent_processing=None, **fields)
    return {"action": "nominate", **{f"nominate-{name}": value for name, value in data.items()}}


def test_focal_point_nominates_for_their_delegation_only(
    make_meeting, senegal, france, focal_point_senegal, client
):
    meeting = make_meeting(email_verification_required=True, focal_point_endorsement_required=True)
    client.force_login(focal_point_senegal)

    response = client.post(
        _focal_point_url(meeting), _nomination(meeting, france, email="Nominee@example.org")
    )

    registration = Registration.objects.get()
    assert response.status_code == 302
    assert _messages(response) == ["Awa Diop is nominated (Awaiting the Secretariat)."]
    assert (
        registration.delegation,
        registration.source,
        registration.entered_by,
        registration.email,
        registration.status,
    ) == (
        senegal,
        Source.FOCAL_POINT,
        focal_point_senegal,
        "nominee@example.org",
        S.AWAITING_SECRETARIAT,
    )


def test_focal_point_nomination_with_errors_shows_them(
    meeting, senegal, focal_point_senegal, client
):
    client.force_login(focal_point_senegal)

    response = client.post(_focal_point_url(meeting), _nomination(meeting, senegal, phone="123"))

    page = parse(response)
    assert response.status_code == 400
    assert page.texts("#id_nominate-phone_error li") == [
        "Give the number in international format, starting with + and the country code."
    ]
    assert Registration.objects.count() == 0


def test_focal_point_nomination_of_a_registered_address_is_refused(
    meeting, senegal, focal_point_senegal, client
):
    _submit(meeting, senegal, "awa.diop@example.org")
    client.force_login(focal_point_senegal)

    response = client.post(_focal_point_url(meeting), _nomination(meeting, senegal))

    assert response.status_code == 400
    assert parse(response).texts("#id_nominate-email_error li") == [
        "This email address already has a registration for this meeting. Use the link in "
        "the email you received, or ask for a new link."
    ]
    assert Registration.objects.count() == 1


def test_focal_point_page_of_a_draft_meeting_is_not_found(
    make_meeting, focal_point_senegal, client
):
    meeting = make_meeting(published=False, status=MeetingStatus.DRAFT)
    client.force_login(focal_point_senegal)

    assert client.get(_focal_point_url(meeting)).status_code == 404


def test_focal_point_page_query_count_with_both_tables(
    delegations, senegal, focal_point_senegal, client, django_assert_num_queries
):
    meeting, *_ = delegations
    for n in range(2):
        services.submit_registration(
            meeting,
            data=registration_data(meeting, senegal, email=f"nominee{n}@sn.example.org"),
            source=Source.FOCAL_POINT,
            actor=focal_point_senegal,
        )
    client.force_login(focal_point_senegal)
    client.get(_focal_point_url(meeting))  # the partner list is cached after the first page

    # Session and user; the meeting and its dialogue; the focal point's roles and
    # partners; both tables' registrations in one query; the delegation's places in one;
    # the dialogue once more for the meeting's link.
    with django_assert_num_queries(9):
        response = client.get(_focal_point_url(meeting))

    assert response.status_code == 200
    assert len(parse(response).select("ul.registration-cards > li")) == 4


def test_focal_point_page_query_count_does_not_grow_with_registrations(
    make_meeting, senegal, focal_point_senegal, client
):
    meeting = make_meeting()
    client.force_login(focal_point_senegal)

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(_focal_point_url(meeting))
        assert response.status_code == 200
        return len(queries)

    for n in range(2):
        RegistrationFactory(meeting=meeting, delegation=senegal, email=f"a{n}@example.org")
    few = count_queries()
    for n in range(10):
        RegistrationFactory(
            meeting=meeting, delegation=senegal, email=f"b{n}@example.org", title="dr"
        )
    many = count_queries()

    assert few == many


# --- sign in ------------------------------------------------------------------------------


def test_login_page_signs_a_focal_point_in(senegal, client):
    FocalPointRoleFactory(
        partner=senegal, user__email="pf@sn.example.org", user__password="a long passphrase 42"
    )

    page = parse(client.get("/fr/accounts/login/"))
    response = client.post(
        "/en/accounts/login/", {"username": "pf@sn.example.org", "password": "a long passphrase 42"}
    )

    assert page.select_one("main h1").text == "Se connecter"
    assert response.status_code == 302
    assert response["Location"] == "/en/focal-point/"


# --- HTML in names, escaped wherever shown ------------------------------------------------


def test_html_in_a_name_is_escaped_on_the_public_pages(
    make_meeting, senegal, focal_point_senegal, client
):
    meeting = make_meeting(email_verification_required=True, focal_point_endorsement_required=True)

    form_page = client.post(
        _register_url(meeting), form_data(meeting, senegal, first_name=SCRIPT_NAME, email="bad")
    )
    client.post(_register_url(meeting), form_data(meeting, senegal, first_name=SCRIPT_NAME))
    registration = Registration.objects.get()
    verify_page = client.get(_verify_url(registration))
    client.post(_verify_url(registration))
    personal_page = client.get(_personal_url(registration))
    client.force_login(focal_point_senegal)
    focal_point_page = client.get(_focal_point_url(meeting))
    endorsed = client.post(
        _focal_point_url(meeting),
        {"action": "endorse", "confirm": "1", "reference": registration.reference},
        follow=True,
    )

    assert registration.first_name == SCRIPT_NAME
    for response in (form_page, verify_page, personal_page, focal_point_page, endorsed):
        content = response.content.decode()
        assert "<script>alert" not in content
        assert ESCAPED_SCRIPT_NAME in content


# --- attachments --------------------------------------------------------------------------


@pytest.fixture
def with_attachment(make_meeting, senegal, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    meeting = make_meeting(attachment_required=True)
    data = registration_data(meeting, senegal, email="awa@example.org")
    data["attachment"] = SimpleUploadedFile("nv.pdf", PDF)
    return services.submit_registration(meeting, data=data)


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("secretariat_officer", 200),
        ("focal_point_senegal", 200),
        ("focal_point_france", 404),
        ("outsider", 404),
        (None, 302),
    ],
)
def test_attachment_download_only_for_managers_and_the_focal_point(
    persona, status, request, with_attachment, client
):
    if persona:
        client.force_login(request.getfixturevalue(persona))

    response = client.get(f"/en/registrations/{with_attachment.reference}/attachment/")

    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == PDF
        assert (
            response["Content-Disposition"]
            == f'attachment; filename="{with_attachment.reference}.pdf"'
        )


def test_attachment_missing_from_the_disk_answers_404(
    with_attachment, secretariat_officer, client, tmp_path
):
    (tmp_path / with_attachment.attachment.name).unlink()
    client.force_login(secretariat_officer)

    response = client.get(f"/en/registrations/{with_attachment.reference}/attachment/")

    assert response.status_code == 404


def test_attachment_download_is_not_sniffed(with_attachment, secretariat_officer, client):
    client.force_login(secretariat_officer)

    response = client.get(f"/en/registrations/{with_attachment.reference}/attachment/")

    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


# --- impossible characters in lookups ----------------------------------------------------------


def test_focal_point_action_with_a_null_character_in_the_reference_is_not_found(
    delegations, focal_point_senegal, client
):
    meeting, *_ = delegations
    client.force_login(focal_point_senegal)

    response = client.post(
        _focal_point_url(meeting), {"action": "endorse", "confirm": "1", "reference": "AB\x00"}
    )

    assert response.status_code == 404


def test_attachment_with_a_null_character_in_the_reference_is_not_found(
    secretariat_officer, client
):
    client.force_login(secretariat_officer)

    assert client.get("/en/registrations/AB%00/attachment/").status_code == 404


# --- the whole flow on the demo meeting -------------------------------------------------------


def test_demo_example_workshop_whole_flow_over_http(demo_data, senegal):
    meeting = Meeting.objects.get(slug="example-workshop")
    delegate, focal_point, secretariat = Client(), Client(), Client()
    focal_point.force_login(User.objects.get(email="focal.point.sn@demo.convene.test"))
    secretariat.force_login(User.objects.get(email="secretariat@demo.convene.test"))

    registered = delegate.post(
        _register_url(meeting, "fr"),
        form_data(meeting, senegal, role="head", participation="in_person", language="fr"),
    )
    registration = Registration.objects.get(meeting=meeting)
    verified = delegate.post(_verify_url(registration, "fr"))
    after_verification = Registration.objects.get(pk=registration.pk).status
    endorsed = focal_point.post(
        _focal_point_url(meeting),
        {"action": "endorse", "confirm": "1", "reference": registration.reference},
    )
    approved = secretariat.post(
        "/en/admin/registrations/registration/",
        {"action": "approve", "_selected_action": [registration.pk]},
    )
    page = parse(delegate.get(_personal_url(registration, "fr")))

    assert [r.status_code for r in (registered, verified, endorsed, approved)] == [302] * 4
    assert after_verification == S.AWAITING_FOCAL_POINT
    assert _facts(page)["Statut"] == "Approuvée"
    assert _history(page) == [
        "En attente de vérification de l'adresse électronique · Inscription par le formulaire.",
        "En attente du point focal · Adresse électronique vérifiée.",
        "En attente du Secrétariat",
        "Approuvée",
    ]


# --- a meeting's lock held too long -------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "Convene is very busy; try again in a moment."),
        ("fr", "Convene est très sollicité ; réessayez dans un instant."),
    ],
)
def test_register_post_while_the_meeting_is_busy_answers_503_with_what_was_typed(
    language, message, meeting, senegal, client, meeting_lock_not_granted
):
    data = form_data(meeting, senegal, first_name="Aminata", institution="Ministère de l'Intérieur")

    response = client.post(_register_url(meeting, language), data)

    page = parse(response)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert _error_summary(page) == [message]
    assert page.select_one("#id_first_name").attrs["value"] == "Aminata"
    assert page.select_one("#id_institution").attrs["value"] == "Ministère de l'Intérieur"
    assert Registration.objects.count() == 0


def test_focal_point_nomination_while_the_meeting_is_busy_answers_503_with_what_was_typed(
    meeting, senegal, focal_point_senegal, client, meeting_lock_not_granted
):
    client.force_login(focal_point_senegal)

    response = client.post(
        _focal_point_url(meeting), _nomination(meeting, senegal, last_name="Ndiaye")
    )

    page = parse(response)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "Convene is very busy; try again in a moment." in page.text
    assert page.select_one("#id_nominate-last_name").attrs["value"] == "Ndiaye"
    assert Registration.objects.count() == 0


def test_focal_point_endorsement_while_the_meeting_is_busy_answers_503(
    make_meeting, senegal, focal_point_senegal, client, monkeypatch, meeting_lock_not_granted
):
    meeting = make_meeting(focal_point_endorsement_required=True)
    registration = RegistrationFactory(
        meeting=meeting, delegation=senegal, status=S.AWAITING_FOCAL_POINT
    )
    client.force_login(focal_point_senegal)

    response = client.post(
        _focal_point_url(meeting),
        {"action": "endorse", "confirm": "1", "reference": registration.reference},
    )

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert parse(response).texts(".messages p") == ["Convene is very busy; try again in a moment."]
    assert Registration.objects.get(pk=registration.pk).status == S.AWAITING_FOCAL_POINT


def test_personal_page_cancel_while_the_meeting_is_busy_answers_503_and_cancels_nothing(
    registration, client, meeting_lock_not_granted
):
    response = client.post(_personal_url(registration), {"action": "cancel", "confirm": "1"})

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert parse(response).texts(".messages p") == ["Convene is very busy; try again in a moment."]
    assert Registration.objects.get(pk=registration.pk).status == S.AWAITING_SECRETARIAT


def test_personal_page_edit_while_busy_answers_503_with_what_was_typed(
    registration, client, meeting_lock_not_granted
):
    data = {
        "action": "edit",
        "title": "dr",
        "first_name": "Awa",
        "last_name": "Diop-Sarr",
        "phone": "+33 6 12 34 56 78",
        "institution": "Ministry of the Interior",
        "function": "Adviser",
        "level_of_government": "national",
        "days": [registration.meeting.starts_on.isoformat()],
        "language": "fr",
    }

    response = client.post(_personal_url(registration), data)

    page = parse(response)
    assert response.status_code == 503
    assert _error_summary(page) == ["Convene is very busy; try again in a moment."]
    assert page.select_one("#id_last_name").attrs["value"] == "Diop-Sarr"
    assert Registration.objects.get(pk=registration.pk).last_name == "Diop"


def test_verify_post_while_the_meeting_is_busy_answers_503_and_verifies_nothing(
    unverified, client, meeting_lock_not_granted
):
    response = client.post(_verify_url(unverified, "fr"))

    page = parse(response)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert page.texts("main p")[0] == "Convene est très sollicité ; réessayez dans un instant."
    assert Registration.objects.get(pk=unverified.pk).status == S.AWAITING_VERIFICATION


# --- the focal point's export of their delegation ----------------------------------------


def _export_url(meeting, file_format="csv", language="en") -> str:
    return f"/{language}/focal-point/meetings/{meeting.slug}/export/{file_format}/"


def _exports_audited():
    return list(AuditEntry.objects.filter(action=RegistrationAuditAction.EXPORTED).order_by("id"))


@pytest.mark.parametrize(
    ("file_format", "read"), [("csv", csv_rows), ("xlsx", xlsx_rows)], ids=["csv", "xlsx"]
)
def test_focal_point_exports_their_delegation_only(
    file_format, read, delegations, focal_point_senegal, client
):
    meeting, head, expert, _french = delegations
    client.force_login(focal_point_senegal)

    response = client.get(_export_url(meeting, file_format))

    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="registrations-senior-officials-SN.{file_format}"'
    )
    assert [row[0] for row in read(response)[1:]] == [head.reference, expert.reference]


def test_focal_point_export_in_french(delegations, focal_point_senegal, client):
    meeting, head, _expert, _french = delegations
    client.force_login(focal_point_senegal)

    header, first, _second = csv_rows(client.get(_export_url(meeting, language="fr")))

    assert header[:2] == ["Référence", "Statut"]
    assert first[:2] == [head.reference, "En attente du point focal"]


def test_focal_point_export_is_audited_on_the_meeting(delegations, focal_point_senegal, client):
    meeting, *_registrations = delegations
    client.force_login(focal_point_senegal)

    client.get(_export_url(meeting, "xlsx"))

    (entry,) = _exports_audited()
    assert (entry.subject, entry.actor, entry.from_state, entry.to_state, entry.reason) == (
        meeting,
        focal_point_senegal,
        "xlsx",
        "2",
        "delegation=SN",
    )


def test_focal_point_page_links_the_exports(delegations, focal_point_senegal, client):
    meeting, *_registrations = delegations
    client.force_login(focal_point_senegal)

    page = parse(client.get(_focal_point_url(meeting)))

    assert [link.attrs["href"] for link in page.select("#delegation-export a")] == [
        _export_url(meeting, "csv"),
        _export_url(meeting, "xlsx"),
    ]


@pytest.mark.parametrize("persona", ["outsider", "secretariat_officer", "meeting_organiser"])
def test_focal_point_export_refuses_who_is_no_focal_point(persona, request, delegations, client):
    meeting, *_registrations = delegations
    client.force_login(request.getfixturevalue(persona))

    response = client.get(_export_url(meeting))

    assert response.status_code == 403
    assert _exports_audited() == []


def test_focal_point_export_requires_sign_in(delegations, client):
    meeting, *_registrations = delegations

    response = client.get(_export_url(meeting))

    assert response.status_code == 302
    assert response["Location"] == f"/en/accounts/login/?next={_export_url(meeting)}"


def test_focal_point_export_of_an_unknown_format_is_not_found(
    delegations, focal_point_senegal, client
):
    meeting, *_registrations = delegations
    client.force_login(focal_point_senegal)

    assert client.get(_export_url(meeting, "pdf")).status_code == 404


def test_focal_point_export_query_count_does_not_grow_with_registrations(
    delegations, focal_point_senegal, senegal, client
):
    meeting, *_registrations = delegations
    client.force_login(focal_point_senegal)

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(_export_url(meeting))
            b"".join(response.streaming_content)
        return len(queries)

    few = count_queries()
    for _ in range(10):
        RegistrationFactory(meeting=meeting, delegation=senegal)
    many = count_queries()

    assert few == many


# --- the page title after a refused submit (WCAG 3.3.1) -------------------------------------


@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("en", "Error: Register · Dakar workshop"),
        ("fr", "Erreur\u00a0: S'inscrire · Atelier de Dakar"),
    ],
)
def test_register_refused_title_starts_with_error(meeting, senegal, client, language, title):
    response = client.post(
        _register_url(meeting, language), form_data(meeting, senegal, phone="12")
    )

    assert response.status_code == 400
    assert page_title(response) == title


@pytest.mark.parametrize(
    ("language", "title"),
    [("en", "Register · Dakar workshop"), ("fr", "S'inscrire · Atelier de Dakar")],
)
def test_register_form_not_yet_sent_title_has_no_error(meeting, client, language, title):
    response = client.get(_register_url(meeting, language))

    assert page_title(response) == title
    assert parse(response).select("#form-errors") == []


@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("en", "Error: Your registration · Dakar workshop"),
        ("fr", "Erreur\u00a0: Votre inscription · Atelier de Dakar"),
    ],
)
def test_personal_page_refused_edit_title_starts_with_error(registration, client, language, title):
    response = client.post(
        _personal_url(registration, language), {"action": "edit", "first_name": "", "phone": "12"}
    )

    assert response.status_code == 400
    assert page_title(response) == title


def test_personal_page_without_a_refused_edit_title_has_no_error(registration, client):
    response = client.get(_personal_url(registration))

    assert page_title(response) == "Your registration · Dakar workshop"


@pytest.mark.parametrize(
    ("language", "title"),
    [("en", "Error: Senegal · Dakar workshop"), ("fr", "Erreur\u00a0: Sénégal · Atelier de Dakar")],
)
def test_focal_point_refused_nomination_title_and_summary_at_the_top(
    meeting, senegal, focal_point_senegal, client, language, title
):
    client.force_login(focal_point_senegal)

    response = client.post(
        _focal_point_url(meeting, language), _nomination(meeting, senegal, phone="12")
    )

    page = parse(response)
    assert response.status_code == 400
    assert page_title(response) == title
    # The summary sits under the heading, before the delegation's figures and lists,
    # and autofocus moves focus to it on load.
    assert [
        child.tag + "." + child.attrs.get("id", "")
        for child in page.select_one("main").child_nodes()[:5]
    ] == ["p.", "h1.", "p.", "div.form-errors", "dl."]
    summary = page.select_one("#form-errors")
    assert (summary.attrs["tabindex"], "autofocus" in summary.attrs) == ("-1", True)
    assert [link.attrs["href"] for link in summary.select("a")] == ["#id_nominate-phone"]


def test_focal_point_page_after_a_refused_endorsement_title_has_no_error(
    delegations, focal_point_senegal, client
):
    meeting, head, *_ = delegations
    client.force_login(focal_point_senegal)

    response = client.post(
        _focal_point_url(meeting),
        {"action": "decline", "confirm": "1", "reference": head.reference},
        follow=True,
    )

    # A refused decision is a message after a redirect, not a form error: no prefix.
    page = parse(response)
    assert page.texts(".messages p") == ["Give a reason to decline."]
    assert page.select("#form-errors") == []
    assert page_title(response) == f"Senegal · {meeting.title_en}"


@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("en", "Error: Get a new link · Dakar workshop"),
        ("fr", "Erreur\u00a0: Obtenir un nouveau lien · Atelier de Dakar"),
    ],
)
def test_lost_link_refused_address_title_starts_with_error(meeting, client, language, title):
    response = client.post(
        f"/{language}/meetings/{meeting.slug}/lost-link/", {"email": "not-an-address"}
    )

    assert page_title(response) == title


# --- French sentences around a name: no elision to get wrong ("de Aïssatou") ------------


def test_verify_in_french_names_the_person_after_the_meeting(make_meeting, senegal, client):
    meeting = make_meeting(email_verification_required=True, title_fr="Atelier d'Abidjan")
    unverified = _submit(meeting, senegal, "aissatou@example.org", first_name="Aïssatou")

    page = parse(client.get(_verify_url(unverified, "fr")))

    assert page.select_one("main p").text == (
        "Inscription à « Atelier d'Abidjan » : Aïssatou Diop."
    )


@pytest.mark.parametrize(
    ("action", "expected"),
    [
        ("endorse", "Aïssatou Diop\xa0: aval donné à l'inscription."),
        ("decline", "Aïssatou Diop\xa0: inscription refusée."),
    ],
)
def test_focal_point_decision_messages_in_french_put_the_name_first(
    action, expected, delegations, focal_point_senegal, client
):
    meeting, head, *_ = delegations
    Registration.objects.filter(pk=head.pk).update(first_name="Aïssatou", last_name="Diop")
    client.force_login(focal_point_senegal)

    response = client.post(
        _focal_point_url(meeting, "fr"),
        {"action": action, "confirm": "1", "reference": head.reference, "reason": "Motif"},
    )

    assert _messages(response) == [expected]


def test_focal_point_nomination_message_in_french_puts_the_name_first(
    make_meeting, senegal, focal_point_senegal, client
):
    meeting = make_meeting()
    client.force_login(focal_point_senegal)

    response = client.post(
        _focal_point_url(meeting, "fr"),
        _nomination(meeting, senegal, first_name="Aïssatou", email="aissatou@example.org"),
    )

    assert _messages(response) == [
        "Aïssatou Diop\xa0: désignation enregistrée (En attente du Secrétariat)."
    ]


def test_focal_point_buttons_name_the_person_for_screen_readers_in_french(
    delegations, focal_point_senegal, client
):
    meeting, head, *_ = delegations
    Registration.objects.filter(pk=head.pk).update(first_name="Aïssatou", last_name="Diop")
    client.force_login(focal_point_senegal)

    page = parse(client.get(_focal_point_url(meeting, "fr")))

    row = page.select_one(f"#registration-{head.reference}")
    assert row.texts("button") == [
        "Donner mon aval : Aïssatou Diop",
        "Refuser l'inscription : Aïssatou Diop",
    ]
