"""How the audit entries of registrations read (convene.registrations.audit): in the
back-office history, the audit list and on the delegate's personal page, never as codes."""

import pytest
from django.utils import translation

from convene.core.audit import describe_audit_entry
from convene.core.models import AuditEntry
from convene.core.selectors import audit_entries_for
from convene.meetings.enums import MeetingFormat
from convene.registrations import services
from convene.registrations.audit import delegate_history_line
from convene.registrations.enums import Participation, RegistrationAuditAction, RegistrationStatus
from convene.registrations.tokens import make_token
from tests.factories.registrations import registration_data
from tests.html import parse

pytestmark = pytest.mark.django_db

A = RegistrationAuditAction
S = RegistrationStatus

# Every stored code the journey below writes, none of which may reach the page.
CODES = [
    "registration.created",
    "registration.status",
    "registration.endorsed_on_behalf",
    "registration.participation",
    "registration.updated",
    "registrations_exported",
    "awaiting_verification",
    "awaiting_focal_point",
    "awaiting_secretariat",
    "in_person",
    "first_name",
]


def _submit(meeting, delegation, email, **fields):
    data = registration_data(meeting, delegation, email=email, **fields)
    return services.submit_registration(meeting, data=data)


def _describe(entry, language) -> str:
    with translation.override(language):
        return describe_audit_entry(entry)


@pytest.fixture
def journey_meeting(make_meeting):
    return make_meeting(
        slug="hybrid-workshop",
        format=MeetingFormat.HYBRID,
        email_verification_required=True,
        focal_point_endorsement_required=True,
    )


@pytest.fixture
def journey(journey_meeting, senegal, secretariat_officer):
    """A registration created with the form, verified, endorsed on the focal point's
    behalf, approved, moved online, corrected and exported."""
    registration = _submit(journey_meeting, senegal, "awa@example.org")
    services.verify_registration_email(registration)
    services.endorse_registration_on_behalf(
        registration, actor=secretariat_officer, reason="Focal point on leave"
    )
    services.approve_registration(registration, actor=secretariat_officer)
    services.change_participation(registration, Participation.ONLINE, actor=secretariat_officer)
    services.update_registration(
        registration,
        data={"first_name": "Aïssatou", "email": "aissatou@example.org"},
        actor=secretariat_officer,
    )
    services.record_registrations_export(
        [registration],
        actor=secretariat_officer,
        file_format="xlsx",
        filters=f"status__exact=approved&delegation__id__exact={senegal.pk}&q=Diop&o=2",
    )
    return registration


def test_journey_reads_in_english(journey):
    entries = list(audit_entries_for(journey).order_by("created_at", "id"))

    assert [_describe(entry, "en") for entry in entries] == [
        "Registration created: “Awaiting email verification”. Registered with the form.",
        "Status changed from “Awaiting email verification” to “Awaiting the focal point”. "
        "Reason: Email address verified.",
        "Endorsed on the focal point's behalf: Status changed from “Awaiting the focal point” "
        "to “Awaiting the Secretariat”. Reason: Focal point on leave",
        "Status changed from “Awaiting the Secretariat” to “Approved”.",
        "Way of attending changed from “In person” to “Online”.",
        "Details changed: first name(s) as in the passport, email.",
    ]


def test_journey_reads_in_french(journey):
    entries = list(audit_entries_for(journey).order_by("created_at", "id"))

    assert [_describe(entry, "fr") for entry in entries] == [
        "Inscription créée\u00a0: «\u00a0En attente de vérification de l'adresse "
        "électronique\u00a0». Inscription par le formulaire.",
        "Statut passé de «\u00a0En attente de vérification de l'adresse électronique\u00a0» "
        "à «\u00a0En attente du point focal\u00a0». Motif\u00a0: Adresse électronique vérifiée.",
        "Aval donné au nom du point focal\u00a0: Statut passé de «\u00a0En attente du point "
        "focal\u00a0» à «\u00a0En attente du Secrétariat\u00a0». Motif\u00a0: Focal point on leave",
        "Statut passé de «\u00a0En attente du Secrétariat\u00a0» à «\u00a0Approuvée\u00a0».",
        "Mode de participation passé de «\u00a0En présentiel\u00a0» à «\u00a0En ligne\u00a0».",
        "Informations modifiées\u00a0: prénom(s) figurant sur le passeport, courriel.",
    ]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            "1 registration exported as Excel (XLSX). Filters: status: Approved · "
            "delegation: Senegal · search “Diop”.",
        ),
        (
            "fr",
            "1 inscription exportée au format Excel (XLSX). Filtres\u00a0: "
            "statut\u00a0: Approuvée · délégation\u00a0: Sénégal · recherche «\u00a0Diop\u00a0».",
        ),
    ],
)
def test_export_reads_with_its_format_count_and_filters(journey, language, expected):
    entry = AuditEntry.objects.get(action=A.EXPORTED)

    assert entry.subject == journey.meeting
    assert _describe(entry, language) == expected


def test_focal_point_export_names_the_delegation(journey_meeting, secretariat_officer, senegal):
    registrations = [
        _submit(journey_meeting, senegal, f"delegate{number}@example.org") for number in (1, 2)
    ]
    entry = services.record_registrations_export(
        registrations, actor=secretariat_officer, file_format="csv", filters="delegation=SN"
    )

    assert _describe(entry, "en") == (
        "2 registrations exported as CSV. Filters: delegation: Senegal."
    )


def test_admin_history_of_the_journey_shows_sentences_and_no_code(
    journey, secretariat_officer, client
):
    client.force_login(secretariat_officer)

    response = client.get(f"/en/admin/registrations/registration/{journey.pk}/change/")
    page = parse(response)
    history = page.select_one(".field-history .readonly").text

    assert [line.split(" · ", 2)[2] for line in page.texts(".field-history li")] == [
        "Registration created: “Awaiting email verification”. Registered with the form.",
        "Status changed from “Awaiting email verification” to “Awaiting the focal point”. "
        "Reason: Email address verified.",
        "Endorsed on the focal point's behalf: Status changed from “Awaiting the focal point” "
        "to “Awaiting the Secretariat”. Reason: Focal point on leave",
        "Status changed from “Awaiting the Secretariat” to “Approved”.",
        "Way of attending changed from “In person” to “Online”.",
        "Details changed: first name(s) as in the passport, email.",
    ]
    assert [code for code in CODES if code in history] == []


def test_admin_history_in_french_shows_the_actor_and_sentences(
    journey, secretariat_officer, client
):
    client.force_login(secretariat_officer)

    page = parse(client.get(f"/fr/admin/registrations/registration/{journey.pk}/change/"))
    lines = [line.split(" · ", 1)[1] for line in page.texts(".field-history li")]

    assert lines[0] == (
        "le délégué ou le système · Inscription créée : « En attente de vérification de "
        "l'adresse électronique ». Inscription par le formulaire."
    )
    assert lines[3] == (
        "Secretariat officer <officer@secretariat.example.org> · Statut passé de « En attente "
        "du Secrétariat » à « Approuvée »."
    )


def test_meeting_admin_history_shows_the_export_as_a_sentence(journey, secretariat_officer, client):
    client.force_login(secretariat_officer)

    page = parse(client.get(f"/en/admin/meetings/meeting/{journey.meeting.pk}/change/"))
    history = page.select_one(".field-history .readonly").text

    assert [line.split(" · ", 2)[2] for line in page.texts(".field-history li")] == [
        "1 registration exported as Excel (XLSX). Filters: status: Approved · "
        "delegation: Senegal · search “Diop”."
    ]
    assert ("registrations_exported" in history, "xlsx" in history) == (False, False)


def test_delegate_history_line_names_the_status_and_the_way_of_attending(journey):
    entries = list(audit_entries_for(journey).order_by("created_at", "id"))

    with translation.override("fr"):
        lines = [delegate_history_line(entry) for entry in entries]

    assert lines == [
        "En attente de vérification de l'adresse électronique · Inscription par le formulaire.",
        "En attente du point focal · Adresse électronique vérifiée.",
        "En attente du Secrétariat · Focal point on leave",
        "Approuvée",
        "Mode de participation\u00a0: En ligne",
        "Informations modifiées",
    ]


def test_a_state_no_longer_known_reads_as_unknown(journey):
    entry = AuditEntry(action=A.STATUS, from_state="retired_status", to_state=S.APPROVED)

    assert _describe(entry, "en") == "Status changed from “unknown” to “Approved”."


def test_personal_page_history_names_the_way_of_attending_not_its_code(journey, client):
    page = parse(client.get(f"/en/registration/{make_token(journey)}/"))
    lines = [line.split(" · ", 1)[1] for line in page.texts("ol.history li")]

    assert lines == [
        "Awaiting email verification · Registered with the form.",
        "Awaiting the focal point · Email address verified.",
        "Awaiting the Secretariat · Focal point on leave",
        "Approved",
        "Way of attending: Online",
        "Details changed",
    ]
    assert "online" not in page.select_one("ol.history").text
