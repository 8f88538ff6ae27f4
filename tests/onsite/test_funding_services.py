"""Funded places: asking (focal point, Secretariat, the delegate when the meeting lets
them), the Secretariat's decisions within the delegation's number, the reasons, the
audit and the delegate's email in their language."""

import pytest
from django.core import mail
from django.utils import translation

from convene.core import outbox
from convene.core.audit import describe_audit_entry
from convene.core.models import AuditEntry
from convene.meetings.enums import Category
from convene.onsite import services
from convene.onsite.enums import FundingStatus, OnsiteAuditAction, OnsiteEmailEvent
from convene.onsite.errors import FundingError
from convene.onsite.models import FundingRequest, OnsiteEmail
from convene.registrations import services as registration_services
from convene.registrations.enums import Participation, RegistrationStatus
from tests.factories.core import CheckinRoleFactory, OrganiserRoleFactory

pytestmark = pytest.mark.django_db

F = FundingStatus
S = RegistrationStatus


@pytest.fixture
def funded(meeting):
    """The meeting offers one funded place per delegation; the focal point asks."""
    meeting.funded_places_per_delegation = 1
    meeting.save(update_fields=["funded_places_per_delegation"])
    return meeting


@pytest.fixture
def awa(funded, make_registration):
    return make_registration()


@pytest.fixture
def ines(funded, make_registration):
    return make_registration(email="ines@example.org", reference="INES2031", first_name="Inès")


def _entries(registration) -> list[tuple]:
    return [
        (entry.action, entry.from_state, entry.to_state, entry.reason, entry.actor_id)
        for entry in AuditEntry.objects.filter(object_id=str(registration.pk))
        .exclude(action__startswith="registration.")
        .order_by("id")
    ]


def _error(call) -> FundingError:
    with pytest.raises(FundingError) as caught:
        call()
    return caught.value


# --- asking ---------------------------------------------------------------------------------


def test_request_funding_by_the_focal_point_records_it_and_audits(awa, focal_point_senegal):
    funding = services.request_funding(awa, actor=focal_point_senegal)

    funding.refresh_from_db()
    assert (funding.registration_id, funding.status, funding.requested_by_id) == (
        awa.pk,
        F.REQUESTED,
        focal_point_senegal.pk,
    )
    assert (funding.decided_by_id, funding.decided_at, funding.reason) == (None, None, "")
    assert _entries(awa) == [
        (OnsiteAuditAction.FUNDING_REQUESTED, "", "requested", "", focal_point_senegal.pk)
    ]
    assert OnsiteEmail.objects.count() == 0


def test_request_funding_by_the_secretariat(awa, secretariat_officer):
    funding = services.request_funding(awa, actor=secretariat_officer)

    assert (funding.status, funding.requested_by_id) == (F.REQUESTED, secretariat_officer.pk)


def test_request_funding_by_the_delegate_when_the_meeting_lets_them(awa, funded):
    funded.delegates_may_request_funding = True
    funded.save(update_fields=["delegates_may_request_funding"])

    funding = services.request_funding(awa, actor=None)

    assert (funding.status, funding.requested_by_id) == (F.REQUESTED, None)
    assert _entries(awa) == [(OnsiteAuditAction.FUNDING_REQUESTED, "", "requested", "", None)]


def test_request_funding_by_the_delegate_when_the_meeting_does_not_let_them(awa):
    error = _error(lambda: services.request_funding(awa, actor=None))

    assert (error.code, error.message) == (
        "forbidden",
        "For this meeting, your delegation's focal point asks for funded places.",
    )
    assert FundingRequest.objects.count() == 0


@pytest.mark.parametrize(
    "persona", ["focal_point_france", "organiser", "checkin_staff", "outsider"]
)
def test_request_funding_by_others_is_refused(awa, persona, request):
    user = request.getfixturevalue(persona)
    # The organiser and check-in staff of this very meeting, not of another one.
    OrganiserRoleFactory(meeting=awa.meeting, user=user) if persona == "organiser" else None
    CheckinRoleFactory(meeting=awa.meeting, user=user) if persona == "checkin_staff" else None

    error = _error(lambda: services.request_funding(awa, actor=user))

    assert (error.code, error.message) == (
        "forbidden",
        "You may not ask for a funded place for this registration.",
    )
    assert FundingRequest.objects.count() == 0


def test_request_funding_at_a_meeting_without_funded_places(
    meeting, make_registration, focal_point_senegal
):
    registration = make_registration()

    error = _error(lambda: services.request_funding(registration, actor=focal_point_senegal))

    assert (error.code, error.message) == (
        "no_funded_places",
        "This meeting offers no funded places.",
    )


def test_request_funding_for_an_online_delegate(funded, make_registration, focal_point_senegal):
    registration = make_registration(participation=Participation.ONLINE)

    error = _error(lambda: services.request_funding(registration, actor=focal_point_senegal))

    assert error.code == "not_in_person"


def test_request_funding_for_an_invited_participant(funded, make_registration, secretariat_officer):
    registration = make_registration(category=Category.CIVIL_SOCIETY, delegation=None)

    error = _error(lambda: services.request_funding(registration, actor=secretariat_officer))

    assert (error.code, error.message) == (
        "no_delegation",
        "Funded places are for the delegations of partners; this registration has none.",
    )


@pytest.mark.parametrize("status", [S.CANCELLED, S.REJECTED, S.DECLINED])
def test_request_funding_for_an_ended_registration(
    funded, make_registration, focal_point_senegal, status
):
    registration = make_registration(status=status)

    error = _error(lambda: services.request_funding(registration, actor=focal_point_senegal))

    assert (error.code, error.message) == (
        "inactive",
        "A cancelled, rejected or declined registration cannot have a funded place.",
    )


@pytest.mark.parametrize("status", [S.AWAITING_FOCAL_POINT, S.AWAITING_SECRETARIAT, S.WAITLISTED])
def test_request_funding_for_a_pending_registration(
    funded, make_registration, focal_point_senegal, status
):
    registration = make_registration(status=status)

    funding = services.request_funding(registration, actor=focal_point_senegal)

    assert funding.status == F.REQUESTED


def test_request_funding_twice_is_refused(awa, focal_point_senegal, secretariat_officer):
    funding = services.request_funding(awa, actor=focal_point_senegal)

    assert _error(lambda: services.request_funding(awa, actor=focal_point_senegal)).code == (
        "already_requested"
    )
    services.grant_funding(funding, actor=secretariat_officer)
    assert _error(lambda: services.request_funding(awa, actor=focal_point_senegal)).code == (
        "already_granted"
    )
    assert FundingRequest.objects.count() == 1


def test_request_funding_after_a_refusal_reopens_the_request(
    awa, focal_point_senegal, secretariat_officer
):
    funding = services.request_funding(awa, actor=focal_point_senegal)
    services.refuse_funding(funding, actor=secretariat_officer, reason="Budget spent.")

    reopened = services.request_funding(awa, actor=focal_point_senegal)

    reopened.refresh_from_db()
    assert (reopened.pk, reopened.status, reopened.decided_by_id, reopened.reason) == (
        funding.pk,
        F.REQUESTED,
        None,
        "",
    )
    assert _entries(awa)[-1] == (
        OnsiteAuditAction.FUNDING_STATUS,
        "refused",
        "requested",
        "",
        focal_point_senegal.pk,
    )


# --- deciding -------------------------------------------------------------------------------


def test_grant_funding_records_the_decision_audits_and_emails(
    awa, focal_point_senegal, secretariat_officer, sent
):
    funding = services.request_funding(awa, actor=focal_point_senegal)

    with sent():
        services.grant_funding(funding, actor=secretariat_officer)

    funding.refresh_from_db()
    assert (funding.status, funding.decided_by_id, funding.reason) == (
        F.GRANTED,
        secretariat_officer.pk,
        "",
    )
    assert funding.decided_at is not None
    assert funding.is_granted is True
    assert _entries(awa)[-1] == (
        OnsiteAuditAction.FUNDING_STATUS,
        "requested",
        "granted",
        "",
        secretariat_officer.pk,
    )
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["awa@example.org"], "Funded place granted: Dakar workshop")
    ]
    assert OnsiteEmail.objects.get().event == OnsiteEmailEvent.FUNDING_GRANTED


def test_grant_funding_beyond_the_delegations_number_is_refused(
    awa, ines, focal_point_senegal, secretariat_officer
):
    first = services.request_funding(awa, actor=focal_point_senegal)
    second = services.request_funding(ines, actor=focal_point_senegal)
    services.grant_funding(first, actor=secretariat_officer)

    error = _error(lambda: services.grant_funding(second, actor=secretariat_officer))

    assert (error.code, error.message) == (
        "no_place_left",
        "Senegal: the delegation's 1 funded place is already granted.",
    )
    second.refresh_from_db()
    assert second.status == F.REQUESTED


def test_grant_funding_beyond_the_number_in_french(
    awa, ines, focal_point_senegal, secretariat_officer
):
    first = services.request_funding(awa, actor=focal_point_senegal)
    second = services.request_funding(ines, actor=focal_point_senegal)
    services.grant_funding(first, actor=secretariat_officer)

    with translation.override("fr"):
        error = _error(lambda: services.grant_funding(second, actor=secretariat_officer))

    assert error.message == "Sénégal\u00a0: 1 place financée par délégation, déjà attribuée."


def test_grant_funding_counts_each_delegation_apart(
    awa, make_registration, france, focal_point_senegal, secretariat_officer
):
    luc = make_registration(email="luc@example.org", reference="LUC20311", delegation=france)
    services.grant_funding(
        services.request_funding(awa, actor=focal_point_senegal), actor=secretariat_officer
    )

    funding = services.grant_funding(
        services.request_funding(luc, actor=secretariat_officer), actor=secretariat_officer
    )

    assert funding.status == F.GRANTED


@pytest.mark.parametrize("end", ["cancel", "reject"])
def test_ended_registration_frees_its_funded_place(
    awa, ines, focal_point_senegal, secretariat_officer, end
):
    first = services.request_funding(awa, actor=focal_point_senegal)
    second = services.request_funding(ines, actor=focal_point_senegal)
    services.grant_funding(first, actor=secretariat_officer)

    if end == "cancel":
        registration_services.cancel_registration(awa)
    else:
        registration_services.reject_registration(
            awa, actor=secretariat_officer, reason="Not a national official."
        )
    services.grant_funding(second, actor=secretariat_officer)

    assert dict(FundingRequest.objects.values_list("registration_id", "status")) == {
        awa.pk: F.GRANTED,
        ines.pk: F.GRANTED,
    }


def test_grant_funding_to_a_cancelled_registration_is_refused(
    awa, focal_point_senegal, secretariat_officer
):
    funding = services.request_funding(awa, actor=focal_point_senegal)
    registration_services.cancel_registration(awa)

    assert _error(lambda: services.grant_funding(funding, actor=secretariat_officer)).code == (
        "inactive"
    )


@pytest.mark.parametrize(
    "persona", ["focal_point_senegal", "organiser", "checkin_staff", "outsider"]
)
def test_decisions_by_others_than_the_secretariat_are_refused(
    awa, focal_point_senegal, persona, request
):
    funding = services.request_funding(awa, actor=focal_point_senegal)
    user = request.getfixturevalue(persona)
    if persona == "organiser":
        OrganiserRoleFactory(meeting=awa.meeting, user=user)

    for decide in (
        lambda: services.grant_funding(funding, actor=user),
        lambda: services.refuse_funding(funding, actor=user, reason="No."),
    ):
        error = _error(decide)
        assert (error.code, error.message) == (
            "forbidden",
            "Only the Secretariat grants or refuses funded places.",
        )
    funding.refresh_from_db()
    assert funding.status == F.REQUESTED


def test_refuse_funding_needs_a_reason(awa, focal_point_senegal, secretariat_officer):
    funding = services.request_funding(awa, actor=focal_point_senegal)

    error = _error(lambda: services.refuse_funding(funding, actor=secretariat_officer, reason=" "))

    assert (error.code, error.message) == (
        "reason_required",
        "Give a reason: the delegate is told why.",
    )


def test_refuse_funding_records_the_reason_and_emails_it_in_french(
    make_registration, funded, focal_point_senegal, secretariat_officer, sent
):
    registration = make_registration(language="fr")
    funding = services.request_funding(registration, actor=focal_point_senegal)

    with sent():
        services.refuse_funding(
            funding, actor=secretariat_officer, reason="Le budget de la réunion est épuisé."
        )

    funding.refresh_from_db()
    assert (funding.status, funding.reason) == (F.REFUSED, "Le budget de la réunion est épuisé.")
    (message,) = mail.outbox
    assert message.subject == "Demande de financement refusée\u00a0: Atelier de Dakar"
    assert message.body.splitlines()[2:4] == [
        "Nous regrettons que la demande de place financée pour "
        "«\u00a0Atelier de Dakar\u00a0» n'ait pas pu être acceptée. "
        "Votre inscription elle-même n'est pas concernée.",
        "Motif\u00a0: Le budget de la réunion est épuisé.",
    ]


def test_refusal_email_in_english_in_full(awa, focal_point_senegal, secretariat_officer, sent):
    funding = services.request_funding(awa, actor=focal_point_senegal)

    with sent():
        services.refuse_funding(funding, actor=secretariat_officer, reason="Budget spent.")

    (message,) = mail.outbox
    assert message.subject == "Funding request refused: Dakar workshop"
    lines = message.body.splitlines()
    assert lines[:11] == [
        "Dear Awa Ndiaye,",
        "",
        "We regret that the request for a funded place for “Dakar workshop” could not be "
        "granted. Your registration itself is not affected.",
        "Reason: Budget spent.",
        "",
        "Meeting: Dakar workshop",
        "Dates: 1-2 September 2031",
        "Place: Dakar",
        "Reference: AWA2031X",
        "",
        "Your registration (status, changes, cancellation):",
    ]
    assert lines[11].startswith("http://127.0.0.1:8000/en/registration/")


def test_grant_email_in_french(
    make_registration, funded, focal_point_senegal, secretariat_officer, sent
):
    registration = make_registration(language="fr")
    funding = services.request_funding(registration, actor=focal_point_senegal)

    with sent():
        services.grant_funding(funding, actor=secretariat_officer)

    (message,) = mail.outbox
    assert message.subject == "Place financée attribuée\u00a0: Atelier de Dakar"
    assert message.body.splitlines()[2:4] == [
        "Une place financée vous est attribuée pour «\u00a0Atelier de Dakar\u00a0»\u00a0: "
        "votre voyage et votre hébergement sont pris en charge.",
        "Le Secrétariat vous contactera au sujet de votre billet et de votre séjour.",
    ]


def test_withdraw_a_granted_place_needs_a_reason_and_emails_it(
    awa, focal_point_senegal, secretariat_officer, sent
):
    funding = services.grant_funding(
        services.request_funding(awa, actor=focal_point_senegal), actor=secretariat_officer
    )

    with sent():
        services.refuse_funding(funding, actor=secretariat_officer, reason="Attends online now.")

    funding.refresh_from_db()
    assert (funding.status, funding.reason) == (F.REFUSED, "Attends online now.")
    (message,) = mail.outbox
    assert message.subject == "Funded place withdrawn: Dakar workshop"
    assert message.body.splitlines()[2:4] == [
        "The funded place granted to you for “Dakar workshop” has been withdrawn: your travel "
        "and accommodation are no longer covered. Your registration itself is not affected.",
        "Reason: Attends online now.",
    ]


def test_grant_after_a_refusal_on_reconsideration(awa, focal_point_senegal, secretariat_officer):
    funding = services.request_funding(awa, actor=focal_point_senegal)
    services.refuse_funding(funding, actor=secretariat_officer, reason="Budget spent.")

    services.grant_funding(funding, actor=secretariat_officer, note="A place was freed.")

    funding.refresh_from_db()
    assert (funding.status, funding.reason) == (F.GRANTED, "A place was freed.")
    entry = AuditEntry.objects.filter(object_id=str(awa.pk)).order_by("id").last()
    assert describe_audit_entry(entry) == (
        "Funded place granted on reconsideration. Reason: A place was freed."
    )


def test_transition_outside_the_table_is_refused(awa, focal_point_senegal, secretariat_officer):
    funding = services.request_funding(awa, actor=focal_point_senegal)
    services.grant_funding(funding, actor=secretariat_officer)

    error = _error(lambda: services.grant_funding(funding, actor=secretariat_officer))
    back = _error(
        lambda: services.set_funding_status(funding, F.REQUESTED, actor=focal_point_senegal)
    )

    assert (error.code, error.message) == (
        "transition",
        "A funding request cannot go from “Granted” to “Granted”.",
    )
    assert back.code == "transition"


@pytest.mark.parametrize(
    ("steps", "expected_en", "expected_fr"),
    [
        ([], "Funded place requested.", "Place financée demandée."),
        (["grant"], "Funded place granted.", "Place financée attribuée."),
        (
            ["refuse"],
            "Funding request refused. Reason: Budget spent.",
            "Demande de financement refusée. Motif\u00a0: Budget spent.",
        ),
        (
            ["grant", "refuse"],
            "Funded place withdrawn. Reason: Budget spent.",
            "Place financée retirée. Motif\u00a0: Budget spent.",
        ),
    ],
)
def test_funding_audit_entries_read_in_both_languages(
    awa, focal_point_senegal, secretariat_officer, steps, expected_en, expected_fr
):
    funding = services.request_funding(awa, actor=focal_point_senegal)
    for step in steps:
        if step == "grant":
            services.grant_funding(funding, actor=secretariat_officer)
        else:
            services.refuse_funding(funding, actor=secretariat_officer, reason="Budget spent.")
    entry = AuditEntry.objects.filter(object_id=str(awa.pk)).order_by("id").last()

    assert describe_audit_entry(entry) == expected_en
    with translation.override("fr"):
        assert describe_audit_entry(entry) == expected_fr


# --- onsite's outbox ------------------------------------------------------------------------


def test_funding_email_not_sent_waits_for_the_retries_of_onsites_outbox(
    awa, focal_point_senegal, secretariat_officer
):
    funding = services.request_funding(awa, actor=focal_point_senegal)
    # Queued in the transaction, not sent: no commit runs the task here.
    services.grant_funding(funding, actor=secretariat_officer)
    assert mail.outbox == []

    sent = outbox.send_due_emails()

    assert sent == 1
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["awa@example.org"], "Funded place granted: Dakar workshop")
    ]
    assert OnsiteEmail.objects.get().sent_at is not None
    assert "onsite.onsiteemail" in [box.model_label for box in outbox.registered_outboxes()]
