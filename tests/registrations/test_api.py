"""POST /api/v1/meetings/<slug>/registrations/ and its OpenAPI schema."""

import json

import pytest
import yaml
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from convene.meetings.enums import ApprovalMode, MeetingFormat, MeetingStatus
from convene.registrations.enums import RegistrationStatus, Source
from convene.registrations.models import Registration
from tests.factories.registrations import api_body

pytestmark = pytest.mark.django_db

S = RegistrationStatus
REQUIRED = "This field is required."
REQUIRED_FR = "Ce champ est obligatoire."


def _url(meeting) -> str:
    return f"/api/v1/meetings/{meeting.slug}/registrations/"


def _post(client, meeting, body, language="en", **headers):
    return client.post(
        _url(meeting),
        json.dumps(body),
        content_type="application/json",
        headers={"accept-language": language, **headers},
    )


LOCK_BOUND = "SELECT set_config('lock_timeout'"


def _statement(sql: str) -> str:
    """The statement's verb; the bound on lock waits whole, to tell it from a read."""
    return LOCK_BOUND if sql.startswith(LOCK_BOUND) else sql.split(" ", 1)[0]


def test_api_registration_reads_and_writes_what_it_needs_only(
    meeting, senegal, client, django_assert_num_queries
):
    ContentType.objects.get_for_model(Registration)  # read once per process
    _post(client, meeting, api_body(email="first@example.org"))  # reads the partner once

    # The meeting; then under the lock: its place rules, the places held, the
    # registration, its audit entry and its emails (with the savepoint and its release,
    # as the test runs inside a transaction). The partner and its focal points come
    # from the cache. On PostgreSQL, the bound on the lock wait is set before the lock
    # is taken, so it does not lengthen the time the lock is held.
    bound = [LOCK_BOUND] if connection.vendor == "postgresql" else []
    with django_assert_num_queries(8 + len(bound)) as captured:
        response = _post(client, meeting, api_body(email="second@example.org"))

    assert response.status_code == 202
    statements = [_statement(query["sql"]) for query in captured.captured_queries]
    assert statements == [
        "SELECT",
        "SAVEPOINT",
        *bound,
        "SELECT",
        "SELECT",
        "INSERT",
        "INSERT",
        "INSERT",
        "RELEASE",
    ]


def test_api_registration_accepted_answers_202_with_the_email_and_what_next(
    meeting, senegal, client
):
    response = _post(client, meeting, api_body(email="Awa.Diop@example.org"))

    registration = Registration.objects.get()
    assert response.status_code == 202
    assert response.json() == {
        "email": "awa.diop@example.org",
        "message": "Check your email: a message is on its way to awa.diop@example.org with "
        "the next step and the link to your registration.",
    }
    assert registration.status == S.AWAITING_SECRETARIAT
    assert (
        registration.source,
        registration.delegation,
        registration.category,
        registration.email,
        registration.language,
        registration.consent_processing,
        registration.days,
    ) == (
        Source.API,
        senegal,
        "partner_country",
        "awa.diop@example.org",
        "fr",
        True,
        [day.isoformat() for day in meeting.days],
    )


@pytest.mark.parametrize(
    ("code", "category"),
    [("sn", "partner_country"), ("EU", "partner_organisation"), ("IOM", "observer")],
)
def test_api_delegation_code_gives_the_category(code, category, meeting, client):
    response = _post(client, meeting, api_body(delegation=code))

    assert response.status_code == 202
    assert Registration.objects.get().category == category


def test_api_with_verification_registers_awaiting_verification(make_meeting, client):
    meeting = make_meeting(email_verification_required=True)

    response = _post(client, meeting, api_body())

    assert response.status_code == 202
    assert Registration.objects.get().status == S.AWAITING_VERIFICATION


def test_api_first_come_approves_then_waitlists_with_the_same_answer(make_meeting, client):
    meeting = make_meeting(approval_mode=ApprovalMode.FIRST_COME, in_person_capacity=1)

    first = _post(client, meeting, api_body(email="one@example.org"))
    second = _post(client, meeting, api_body(email="two@example.org", delegation="FR"))

    assert (first.status_code, second.status_code) == (202, 202)
    assert set(first.json()) == set(second.json()) == {"email", "message"}
    assert dict(Registration.objects.values_list("email", "status")) == {
        "one@example.org": S.APPROVED,
        "two@example.org": S.WAITLISTED,
    }


def test_api_optional_fields_are_kept(make_meeting, client):
    meeting = make_meeting(format=MeetingFormat.HYBRID)
    body = api_body(
        participation="online",
        title="dr",
        days=[meeting.starts_on.isoformat()],
        dietary_needs="Halal",
        accessibility_needs="Step-free access",
        needs_visa_letter=True,
        consent_participant_list=True,
    )

    response = _post(client, meeting, body)

    registration = Registration.objects.get()
    assert response.status_code == 202
    assert (
        registration.participation,
        registration.title,
        registration.days,
        registration.dietary_needs,
        registration.accessibility_needs,
        registration.needs_visa_letter,
        registration.consent_participant_list,
    ) == ("online", "dr", [meeting.starts_on.isoformat()], "Halal", "Step-free access", True, True)


def test_api_empty_body_answers_400_field_by_field(meeting, client):
    response = _post(client, meeting, {})

    assert response.status_code == 400
    assert response.json() == {
        "delegation": ["Choose the country or organisation you represent."],
        "first_name": [REQUIRED],
        "last_name": [REQUIRED],
        "email": [REQUIRED],
        "phone": [REQUIRED],
        "institution": [REQUIRED],
        "function": [REQUIRED],
        "level_of_government": [REQUIRED],
        "role": [REQUIRED],
        "language": [REQUIRED],
        "consent": ["Your consent is needed to register."],
    }
    assert Registration.objects.count() == 0


def test_api_empty_body_answers_in_french_with_accept_language(meeting, client):
    response = _post(client, meeting, {}, language="fr-FR,fr;q=0.9,en;q=0.5")

    assert response.status_code == 400
    assert response.json() == {
        "delegation": ["Choisissez le pays ou l'organisation que vous représentez."],
        "first_name": [REQUIRED_FR],
        "last_name": [REQUIRED_FR],
        "email": [REQUIRED_FR],
        "phone": [REQUIRED_FR],
        "institution": [REQUIRED_FR],
        "function": [REQUIRED_FR],
        "level_of_government": [REQUIRED_FR],
        "role": [REQUIRED_FR],
        "language": [REQUIRED_FR],
        "consent": ["Votre consentement est nécessaire pour vous inscrire."],
    }


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            {
                "email": ["Enter a valid email address."],
                "phone": ["This phone number is not valid."],
                "role": ["Select a valid choice. chair is not one of the available choices."],
                "first_name": ["Remove the invisible control characters."],
            },
        ),
        (
            "fr",
            {
                "email": ["Saisissez une adresse e-mail valide."],
                "phone": ["Ce numéro de téléphone n'est pas valide."],
                "role": ["Sélectionnez un choix valide. chair n’en fait pas partie."],  # noqa: RUF001
                "first_name": ["Supprimez les caractères de contrôle invisibles."],
            },
        ),
    ],
)
def test_api_bad_values_answer_400_field_by_field(language, expected, meeting, client):
    body = api_body(email="awa@", phone="+221 12", role="chair", first_name="Awa\x1b")

    response = _post(client, meeting, body, language=language)

    assert response.status_code == 400
    assert response.json() == expected


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "Unknown partner code “XX”: use a code such as SN, FR or EU."),
        ("fr", "Code partenaire inconnu «\xa0XX\xa0»\xa0: utilisez un code tel que SN, FR ou EU."),
    ],
)
def test_api_unknown_delegation_code_answers_400(language, message, meeting, client):
    response = _post(client, meeting, api_body(delegation="XX"), language=language)

    assert response.status_code == 400
    assert response.json() == {"delegation": [message]}


def test_api_partner_that_left_is_an_unknown_code(meeting, senegal, client):
    senegal.left_on = "2020-01-31"
    senegal.save()

    response = _post(client, meeting, api_body(delegation="SN"))

    assert response.json() == {
        "delegation": ["Unknown partner code “SN”: use a code such as SN, FR or EU."]
    }


def test_api_observer_as_partner_country_is_explained(meeting, client):
    response = _post(client, meeting, api_body(delegation="DZ", category="partner_country"))

    assert response.status_code == 400
    assert response.json() == {"delegation": ["Algeria is not in the category you chose."]}


def test_api_without_delegation_asks_for_it(meeting, client):
    response = _post(client, meeting, api_body(delegation=None))

    assert response.json() == {"delegation": ["Choose the country or organisation you represent."]}


@pytest.mark.parametrize("consent", [False, "false", "no", "off", 0, None, [], {}, "maybe"])
def test_api_without_consent_is_refused(consent, meeting, client):
    response = _post(client, meeting, api_body(consent=consent))

    assert response.status_code == 400
    assert list(response.json()) == ["consent"]
    assert Registration.objects.count() == 0


def _answer(response) -> tuple:
    """What a client sees of an answer: status, body and the headers that matter."""
    headers = ("Content-Type", "Content-Language", "Vary", "Cache-Control", "Location")
    return (
        response.status_code,
        response.content,
        {name: response.headers.get(name) for name in headers},
    )


@pytest.mark.parametrize("verification", [False, True])
def test_api_address_already_registered_is_answered_like_a_new_one(
    verification, make_meeting, client
):
    meeting = make_meeting(email_verification_required=verification)
    other = make_meeting(slug="other-meeting", email_verification_required=verification)
    _post(client, meeting, api_body(email="awa@example.org"))
    existing = Registration.objects.get()
    before = Registration.objects.values().get(pk=existing.pk)

    known = _post(client, meeting, api_body(email="AWA@example.org", delegation="FR"))
    new = _post(client, other, api_body(email="awa@example.org", delegation="FR"))

    assert _answer(known) == _answer(new)
    assert known.status_code == 202
    assert Registration.objects.filter(meeting=meeting).count() == 1
    assert Registration.objects.values().get(pk=existing.pk) == before
    assert list(existing.notifications.values_list("event", "recipient").order_by("pk")) == [
        ("verify" if verification else "received", "awa@example.org"),
        ("already_registered", "awa@example.org"),
    ]


def test_api_closed_registration_answers_400(make_meeting, client):
    meeting = make_meeting(registration_opens_at=None, registration_closes_at=None)

    response = _post(client, meeting, api_body())

    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["Registration for this meeting is not open."],
        "code": "closed",
    }


@pytest.mark.parametrize("slug", ["no-such-meeting", "draft-meeting"])
def test_api_unknown_or_draft_meeting_answers_404(slug, make_meeting, client):
    make_meeting(slug="draft-meeting", published=False, status=MeetingStatus.DRAFT)

    response = client.post(
        f"/api/v1/meetings/{slug}/registrations/",
        json.dumps(api_body()),
        content_type="application/json",
    )

    assert response.status_code == 404
    assert Registration.objects.count() == 0


@pytest.mark.parametrize(
    ("payload", "content_type", "status"),
    [
        ("[1, 2]", "application/json", 400),
        ('"text"', "application/json", 400),
        ("{not json", "application/json", 400),
        ("first_name=Awa", "application/x-www-form-urlencoded", 415),
    ],
)
def test_api_body_that_is_not_a_json_object_is_refused(
    payload, content_type, status, meeting, client
):
    response = client.post(_url(meeting), payload, content_type=content_type)

    assert response.status_code == status
    assert Registration.objects.count() == 0


def test_api_get_is_not_allowed(meeting, client):
    assert client.get(_url(meeting)).status_code == 405


def test_api_text_with_unpaired_surrogates_answers_400(meeting, client):
    body = json.dumps(api_body()).replace('"Awa"', '"Awa\\ud800"')

    response = client.post(_url(meeting), body, content_type="application/json")

    assert response.status_code == 400
    assert list(response.json()) == ["first_name"]
    assert Registration.objects.count() == 0


@pytest.mark.parametrize("code", ["S\x00N", "\ud800", "SN" * 50])
def test_api_delegation_code_with_impossible_characters_is_unknown(code, meeting, client):
    response = _post(client, meeting, api_body(delegation=code))

    assert response.status_code == 400
    assert list(response.json()) == ["delegation"]


def test_api_over_the_rate_limit_answers_429(meeting, client, settings):
    settings.REGISTRATION_RATE_LIMIT = "2/m"

    statuses = [
        _post(client, meeting, api_body(email=f"d{n}@example.org")).status_code for n in range(3)
    ]

    assert statuses == [202, 202, 429]
    assert Registration.objects.count() == 2


def test_api_schema_documents_the_endpoint(client):
    response = client.get("/api/v1/schema/")

    schema = yaml.safe_load(response.content)
    operation = schema["paths"]["/api/v1/meetings/{slug}/registrations/"]["post"]
    request_schema = schema["components"]["schemas"]["RegistrationRequest"]
    assert response.status_code == 200
    assert operation["operationId"] == "create_registration"
    assert set(operation["responses"]) == {"202", "400", "404", "429", "503"}
    assert set(schema["components"]["schemas"]["RegistrationAccepted"]["properties"]) == {
        "email",
        "message",
    }
    assert set(request_schema["required"]) == {
        "first_name",
        "last_name",
        "email",
        "phone",
        "institution",
        "function",
        "level_of_government",
        "role",
        "language",
        "consent",
    }
    assert set(request_schema["properties"]) >= {"delegation", "participation", "days"}


def test_api_consent_under_the_forms_name_does_not_count(meeting, client):
    response = _post(client, meeting, api_body(consent=None, consent_processing=True))

    assert response.status_code == 400
    assert response.json() == {"consent": ["Your consent is needed to register."]}


def test_api_yes_no_field_with_another_value_is_refused(meeting, client):
    response = _post(client, meeting, api_body(needs_visa_letter="maybe"))

    assert response.status_code == 400
    assert response.json() == {"needs_visa_letter": ["Send true or false here, not text."]}


@pytest.mark.parametrize(("value", "kind"), [(["Awa"], "a list"), ({"given": "Awa"}, "an object")])
def test_api_structured_value_for_a_text_field_is_refused(value, kind, meeting, client):
    response = _post(client, meeting, api_body(first_name=value))

    assert response.status_code == 400
    assert response.json() == {"first_name": [f"Send text here, not {kind}."]}


def test_api_invited_category_registers_without_delegation(make_meeting, client):
    meeting = make_meeting(eligible_categories=["partner_country", "civil_society"])

    response = _post(
        client,
        meeting,
        api_body(delegation=None, category="civil_society", level_of_government="civil_society"),
    )

    registration = Registration.objects.get()
    assert response.status_code == 202
    assert (registration.category, registration.delegation) == ("civil_society", None)


def test_registration_api_refuses_a_second_line_naming_the_field(meeting, senegal, client):
    response = client.post(
        f"/api/v1/meetings/{meeting.slug}/registrations/",
        json.dumps(api_body(last_name="Diop\nApproved. Click http://evil.example")),
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json() == {"last_name": ["Write this on one line: remove the line break."]}
    assert Registration.objects.count() == 0


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "Convene is very busy; try again in a moment."),
        ("fr", "Convene est très sollicité ; réessayez dans un instant."),
    ],
)
def test_api_while_the_meeting_is_busy_answers_503_with_retry_after(
    language, message, meeting, client, meeting_lock_not_granted
):
    response = _post(client, meeting, api_body(), language=language)

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json() == {"non_field_errors": [message], "code": "busy"}
    assert Registration.objects.count() == 0
