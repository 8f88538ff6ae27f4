"""Registration services: the state machine, submission, decisions by role, quotas, waiting list."""

import datetime
import itertools

import pytest
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from convene.core.models import AuditEntry
from convene.core.selectors import audit_entries_for
from convene.meetings.enums import ApprovalMode, Category, MeetingFormat, MeetingStatus
from convene.meetings.services import update_meeting_capacities
from convene.registrations import services
from convene.registrations.enums import (
    ACTIVE,
    DelegationRole,
    Participation,
    RegistrationStatus,
    Source,
)
from convene.registrations.errors import RegistrationError
from convene.registrations.models import Notification, Registration
from tests.factories.core import OrganiserRoleFactory
from tests.factories.registrations import RegistrationFactory, registration_data

pytestmark = pytest.mark.django_db

S = RegistrationStatus
HEAD, MEMBER, EXPERT = DelegationRole.HEAD, DelegationRole.MEMBER, DelegationRole.EXPERT
ONLINE = Participation.ONLINE

# Written out rather than read from ALLOWED_TRANSITIONS, so that a change there shows here.
EXPECTED_TRANSITIONS = {
    S.AWAITING_VERIFICATION: {
        S.AWAITING_FOCAL_POINT,
        S.AWAITING_SECRETARIAT,
        S.APPROVED,
        S.WAITLISTED,
        S.CANCELLED,
    },
    S.AWAITING_FOCAL_POINT: {
        S.AWAITING_SECRETARIAT,
        S.APPROVED,
        S.WAITLISTED,
        S.DECLINED,
        S.REJECTED,
        S.CANCELLED,
    },
    S.AWAITING_SECRETARIAT: {S.APPROVED, S.WAITLISTED, S.REJECTED, S.CANCELLED},
    S.APPROVED: {S.REJECTED, S.CANCELLED},
    S.WAITLISTED: {
        S.AWAITING_FOCAL_POINT,
        S.AWAITING_SECRETARIAT,
        S.APPROVED,
        S.REJECTED,
        S.CANCELLED,
    },
    S.DECLINED: set(),
    S.REJECTED: set(),
    S.CANCELLED: set(),
}
ALL_PAIRS = list(itertools.product(S, S))
ALLOWED = [(old, new) for old, new in ALL_PAIRS if new in EXPECTED_TRANSITIONS[old]]
REFUSED = [(old, new) for old, new in ALL_PAIRS if new not in EXPECTED_TRANSITIONS[old]]


def _submit(
    meeting,
    delegation,
    email,
    *,
    source=Source.PUBLIC_FORM,
    actor=None,
    send_verification=False,
    note="",
    **fields,
):
    data = registration_data(meeting, delegation, email=email, **fields)
    return services.submit_registration(
        meeting,
        data=data,
        source=source,
        actor=actor,
        send_verification=send_verification,
        note=note,
    )


def _status(registration) -> str:
    return Registration.objects.get(pk=registration.pk).status


def _statuses(meeting) -> dict[str, str]:
    return dict(Registration.objects.filter(meeting=meeting).values_list("email", "status"))


def _audit(registration) -> list[tuple]:
    return list(
        audit_entries_for(registration)
        .order_by("created_at", "id")
        .values_list("action", "actor_id", "from_state", "to_state", "reason")
    )


def _events(registration) -> list[tuple[str, str]]:
    return list(
        Notification.objects.filter(registration=registration)
        .order_by("id")
        .values_list("event", "recipient")
    )


def _refused(code, call, *args, **kwargs) -> RegistrationError:
    with pytest.raises(RegistrationError) as caught:
        call(*args, **kwargs)
    assert caught.value.code == code
    return caught.value


# --- the state machine --------------------------------------------------------------------


def test_allowed_transitions_are_the_documented_ones():
    assert services.ALLOWED_TRANSITIONS == EXPECTED_TRANSITIONS


@pytest.mark.parametrize(("old", "new"), ALLOWED, ids=[f"{o}->{n}" for o, n in ALLOWED])
def test_set_registration_status_allowed_transition_saves_and_audits(
    old, new, meeting, secretariat_officer
):
    registration = RegistrationFactory(meeting=meeting, status=old)

    with transaction.atomic():
        services.set_registration_status(
            registration, new, actor=secretariat_officer, reason="Checked"
        )

    assert _status(registration) == new
    assert _audit(registration) == [
        ("registration.status", secretariat_officer.pk, old, new, "Checked")
    ]


@pytest.mark.parametrize(("old", "new"), REFUSED, ids=[f"{o}->{n}" for o, n in REFUSED])
def test_set_registration_status_refused_transition_changes_nothing(
    old, new, meeting, secretariat_officer
):
    registration = RegistrationFactory(meeting=meeting, status=old)

    error = _refused(
        "transition",
        services.set_registration_status,
        registration,
        new,
        actor=secretariat_officer,
    )

    assert error.message == f"A registration cannot go from “{old.label}” to “{new.label}”."
    assert _status(registration) == old
    assert _audit(registration) == []
    assert _events(registration) == []


def test_set_registration_status_waitlisted_records_when_waiting_started(meeting):
    registration = RegistrationFactory(meeting=meeting)
    before = timezone.now()

    services.set_registration_status(registration, S.WAITLISTED, actor=None)

    registration.refresh_from_db()
    assert registration.waitlisted_at >= before
    assert registration.decided_at is None


@pytest.mark.parametrize("decision", [S.APPROVED, S.REJECTED])
def test_set_registration_status_decision_records_date_and_reason(decision, meeting):
    registration = RegistrationFactory(meeting=meeting)
    before = timezone.now()

    services.set_registration_status(registration, decision, actor=None, reason="Quota")

    registration.refresh_from_db()
    assert registration.decided_at >= before
    assert registration.decision_reason == "Quota"


@pytest.mark.parametrize(
    ("new", "event"),
    [
        (S.APPROVED, "approved"),
        (S.WAITLISTED, "waitlisted"),
        (S.REJECTED, "rejected"),
        (S.CANCELLED, "cancelled"),
    ],
)
def test_set_registration_status_queues_the_delegates_email(new, event, meeting):
    registration = RegistrationFactory(meeting=meeting, email="awa@example.org")

    services.set_registration_status(registration, new, actor=None)

    assert _events(registration) == [(event, "awa@example.org")]


def test_set_registration_status_without_notify_queues_nothing(meeting):
    registration = RegistrationFactory(meeting=meeting)

    services.set_registration_status(registration, S.APPROVED, actor=None, notify=False)

    assert _events(registration) == []


# --- submission ---------------------------------------------------------------------------


def test_submit_registration_without_verification_awaits_the_secretariat(
    meeting, senegal, focal_point_senegal
):
    registration = _submit(meeting, senegal, "awa@example.org")

    registration.refresh_from_db()
    assert registration.status == S.AWAITING_SECRETARIAT
    assert registration.source == Source.PUBLIC_FORM
    assert registration.verified_at is not None
    assert registration.entered_by is None
    assert _audit(registration) == [
        ("registration.created", None, "", S.AWAITING_SECRETARIAT, "Registered with the form."),
    ]
    assert _events(registration) == [
        ("received", "awa@example.org"),
        ("focal_point_new", "focal.point@sn.example.org"),
    ]


def test_submit_registration_with_verification_waits_for_the_link(
    make_meeting, senegal, focal_point_senegal
):
    meeting = make_meeting(email_verification_required=True)

    registration = _submit(meeting, senegal, "awa@example.org")

    registration.refresh_from_db()
    assert registration.status == S.AWAITING_VERIFICATION
    assert registration.verified_at is None
    assert _events(registration) == [("verify", "awa@example.org")]


def test_verify_registration_email_places_the_registration_and_tells_the_focal_point(
    make_meeting, senegal, focal_point_senegal
):
    meeting = make_meeting(email_verification_required=True)
    registration = _submit(meeting, senegal, "awa@example.org")

    services.verify_registration_email(registration)

    registration.refresh_from_db()
    assert registration.status == S.AWAITING_SECRETARIAT
    assert registration.verified_at is not None
    assert _audit(registration)[-1] == (
        "registration.status",
        None,
        S.AWAITING_VERIFICATION,
        S.AWAITING_SECRETARIAT,
        "Email address verified.",
    )
    assert _events(registration) == [
        ("verify", "awa@example.org"),
        ("received", "awa@example.org"),
        ("focal_point_new", "focal.point@sn.example.org"),
    ]


def test_verify_registration_email_twice_changes_nothing_the_second_time(make_meeting, senegal):
    meeting = make_meeting(email_verification_required=True)
    registration = _submit(meeting, senegal, "awa@example.org")
    services.verify_registration_email(registration)
    verified_at = Registration.objects.get(pk=registration.pk).verified_at

    services.verify_registration_email(registration)

    registration.refresh_from_db()
    assert registration.verified_at == verified_at
    assert len(_audit(registration)) == 2
    assert len(_events(registration)) == 2


def test_verify_registration_email_of_a_cancelled_registration_changes_nothing(
    make_meeting, senegal
):
    meeting = make_meeting(email_verification_required=True)
    registration = _submit(meeting, senegal, "awa@example.org")
    services.cancel_registration(registration)

    services.verify_registration_email(registration)

    assert _status(registration) == S.CANCELLED
    assert Registration.objects.get(pk=registration.pk).verified_at is None


def test_submit_registration_first_come_is_approved_at_once(make_meeting, senegal):
    meeting = make_meeting(approval_mode=ApprovalMode.FIRST_COME)

    registration = _submit(meeting, senegal, "awa@example.org")

    assert _status(registration) == S.APPROVED
    assert _events(registration)[0] == ("approved", "awa@example.org")


def test_submit_registration_manual_awaits_the_secretariat(make_meeting, senegal):
    meeting = make_meeting(approval_mode=ApprovalMode.MANUAL)

    registration = _submit(meeting, senegal, "awa@example.org")

    assert _status(registration) == S.AWAITING_SECRETARIAT


def test_submit_registration_with_endorsement_required_awaits_the_focal_point(
    make_meeting, senegal
):
    meeting = make_meeting(focal_point_endorsement_required=True)

    registration = _submit(meeting, senegal, "awa@example.org")

    assert _status(registration) == S.AWAITING_FOCAL_POINT


def test_submit_registration_invited_category_skips_the_focal_point(make_meeting):
    meeting = make_meeting(
        focal_point_endorsement_required=True,
        eligible_categories=[Category.PARTNER_COUNTRY, Category.LOCAL_AUTHORITY],
    )

    registration = _submit(meeting, None, "mayor@example.org", category=Category.LOCAL_AUTHORITY)

    assert _status(registration) == S.AWAITING_SECRETARIAT
    assert _events(registration) == [("received", "mayor@example.org")]


def test_submit_registration_nominated_by_the_focal_point_skips_verification_and_endorsement(
    make_meeting, senegal, focal_point_senegal
):
    meeting = make_meeting(email_verification_required=True, focal_point_endorsement_required=True)

    registration = _submit(
        meeting, senegal, "awa@example.org", source=Source.FOCAL_POINT, actor=focal_point_senegal
    )

    registration.refresh_from_db()
    assert registration.status == S.AWAITING_SECRETARIAT
    assert registration.source == Source.FOCAL_POINT
    assert registration.entered_by == focal_point_senegal
    assert registration.verified_at is None
    assert _audit(registration) == [
        (
            "registration.created",
            focal_point_senegal.pk,
            "",
            S.AWAITING_SECRETARIAT,
            "Nominated by the focal point.",
        ),
    ]
    # The focal point is not told of their own nomination.
    assert _events(registration) == [("received", "awa@example.org")]


def test_submit_registration_nominated_by_the_focal_point_first_come_is_approved(
    make_meeting, senegal, focal_point_senegal
):
    meeting = make_meeting(
        approval_mode=ApprovalMode.FIRST_COME, focal_point_endorsement_required=True
    )

    registration = _submit(
        meeting, senegal, "awa@example.org", source=Source.FOCAL_POINT, actor=focal_point_senegal
    )

    assert _status(registration) == S.APPROVED


def test_submit_registration_focal_point_of_another_delegation_is_refused(
    meeting, senegal, focal_point_france
):
    error = _refused(
        "forbidden",
        _submit,
        meeting,
        senegal,
        "awa@example.org",
        source=Source.FOCAL_POINT,
        actor=focal_point_france,
    )

    assert error.message == "You can nominate delegates for your own delegation only."
    assert Registration.objects.count() == 0


def test_submit_registration_focal_point_nomination_outside_the_window_is_refused(
    make_meeting, senegal, focal_point_senegal
):
    meeting = make_meeting(registration_closes_at=timezone.now() - datetime.timedelta(hours=1))

    _refused(
        "closed",
        _submit,
        meeting,
        senegal,
        "awa@example.org",
        source=Source.FOCAL_POINT,
        actor=focal_point_senegal,
    )

    assert Registration.objects.count() == 0


def test_submit_registration_secretariat_entry_outside_the_window_is_accepted(
    make_meeting, senegal, secretariat_officer
):
    meeting = make_meeting(registration_closes_at=timezone.now() - datetime.timedelta(hours=1))

    registration = _submit(
        meeting, senegal, "awa@example.org", source=Source.SECRETARIAT, actor=secretariat_officer
    )

    registration.refresh_from_db()
    assert registration.status == S.AWAITING_SECRETARIAT
    assert registration.entered_by == secretariat_officer
    assert registration.verified_at is None


def test_submit_registration_organiser_entry_is_accepted_for_their_meeting(
    meeting, senegal, meeting_organiser
):
    registration = _submit(
        meeting, senegal, "awa@example.org", source=Source.SECRETARIAT, actor=meeting_organiser
    )

    assert _status(registration) == S.AWAITING_SECRETARIAT


@pytest.mark.parametrize("persona", ["other_organiser", "outsider", "focal_point_senegal"])
def test_submit_registration_staff_entry_by_others_is_refused(persona, request, meeting, senegal):
    actor = request.getfixturevalue(persona)

    error = _refused(
        "forbidden",
        _submit,
        meeting,
        senegal,
        "awa@example.org",
        source=Source.SECRETARIAT,
        actor=actor,
    )

    assert error.message == "You cannot register people for this meeting."
    assert Registration.objects.count() == 0


def test_submit_registration_staff_entry_with_verification_waits_for_the_link(
    meeting, senegal, focal_point_senegal, secretariat_officer
):
    # The meeting itself asks for no verification: staff ask for it for this person.
    registration = _submit(
        meeting,
        senegal,
        "speaker@example.org",
        source=Source.SECRETARIAT,
        actor=secretariat_officer,
        send_verification=True,
    )

    registration.refresh_from_db()
    assert (registration.status, registration.source, registration.entered_by) == (
        S.AWAITING_VERIFICATION,
        Source.SECRETARIAT,
        secretariat_officer,
    )
    assert registration.verified_at is None
    assert _audit(registration) == [
        (
            "registration.created",
            secretariat_officer.pk,
            "",
            S.AWAITING_VERIFICATION,
            "Entered by the Secretariat or the organisers.",
        ),
    ]
    assert _events(registration) == [("verify", "speaker@example.org")]


def test_submit_registration_staff_entry_verified_counts_as_entered_by_staff(
    make_meeting, senegal, focal_point_senegal, secretariat_officer
):
    meeting = make_meeting(focal_point_endorsement_required=True)
    registration = _submit(
        meeting,
        senegal,
        "speaker@example.org",
        source=Source.SECRETARIAT,
        actor=secretariat_officer,
        send_verification=True,
    )

    services.verify_registration_email(registration)

    # Entered by staff, it needs no endorsement once verified, as when placed at once.
    registration.refresh_from_db()
    assert registration.status == S.AWAITING_SECRETARIAT
    assert registration.verified_at is not None
    assert _events(registration) == [
        ("verify", "speaker@example.org"),
        ("received", "speaker@example.org"),
        ("focal_point_new", "focal.point@sn.example.org"),
    ]


def test_submit_registration_staff_entry_without_verification_is_placed_at_once(
    make_meeting, senegal, focal_point_senegal, meeting_organiser
):
    meeting = make_meeting(email_verification_required=True)
    OrganiserRoleFactory(meeting=meeting, user=meeting_organiser)

    registration = _submit(
        meeting,
        senegal,
        "vip@example.org",
        source=Source.SECRETARIAT,
        actor=meeting_organiser,
        send_verification=False,
        note="Minister, opening session",
    )

    registration.refresh_from_db()
    assert (registration.status, registration.entered_by, registration.verified_at) == (
        S.AWAITING_SECRETARIAT,
        meeting_organiser,
        None,
    )
    assert _audit(registration) == [
        (
            "registration.created",
            meeting_organiser.pk,
            "",
            S.AWAITING_SECRETARIAT,
            "Minister, opening session",
        ),
    ]
    assert _events(registration) == [
        ("received", "vip@example.org"),
        ("focal_point_new", "focal.point@sn.example.org"),
    ]


def test_submit_registration_staff_entry_with_the_meeting_full_goes_to_the_waiting_list(
    make_meeting, senegal, france, secretariat_officer
):
    meeting = make_meeting(in_person_capacity=1)
    _submit(meeting, france, "first@example.org")

    registration = _submit(
        meeting,
        senegal,
        "speaker@example.org",
        source=Source.SECRETARIAT,
        actor=secretariat_officer,
    )

    assert _status(registration) == S.WAITLISTED
    assert _events(registration) == [("waitlisted", "speaker@example.org")]


def test_submit_registration_staff_entry_of_a_registered_address_is_refused(
    meeting, senegal, secretariat_officer
):
    _submit(meeting, senegal, "awa@example.org")

    error = _refused(
        "duplicate",
        _submit,
        meeting,
        senegal,
        "AWA@example.org",
        source=Source.SECRETARIAT,
        actor=secretariat_officer,
        send_verification=True,
    )

    # Staff find the registration in the back-office: no talk of the delegate's link.
    assert (error.field, error.message) == (
        "email",
        "This email address already has a registration for this meeting.",
    )
    assert Registration.objects.count() == 1


def test_submit_registration_staff_entry_refusal_in_french(meeting, senegal, secretariat_officer):
    _submit(meeting, senegal, "awa@example.org")

    with translation.override("fr"):
        error = _refused(
            "duplicate",
            _submit,
            meeting,
            senegal,
            "awa@example.org",
            source=Source.SECRETARIAT,
            actor=secretariat_officer,
        )

    assert error.message == (
        "Une inscription à cette réunion existe déjà pour cette adresse électronique."
    )


@pytest.mark.parametrize("source", [Source.PUBLIC_FORM, Source.API])
def test_submit_registration_public_with_send_verification_is_a_programming_error(
    source, meeting, senegal
):
    # A public registration follows the meeting's rule; only staff choose.
    with pytest.raises(ValueError, match="follows the meeting's verification rule"):
        _submit(meeting, senegal, "awa@example.org", source=source, send_verification=True)

    assert Registration.objects.count() == 0


@pytest.mark.parametrize(
    "window",
    [
        {"registration_closes_at": timezone.now() - datetime.timedelta(minutes=1)},
        {"registration_opens_at": timezone.now() + datetime.timedelta(days=1)},
        {"registration_opens_at": None, "registration_closes_at": None},
        {"published": False, "status": MeetingStatus.DRAFT},
    ],
    ids=["closed", "not-yet-open", "not-scheduled", "draft"],
)
@pytest.mark.parametrize("source", [Source.PUBLIC_FORM, Source.API])
def test_submit_registration_public_outside_the_window_is_refused(
    window, source, make_meeting, senegal
):
    meeting = make_meeting(**window)

    error = _refused("closed", _submit, meeting, senegal, "awa@example.org", source=source)

    assert error.message == "Registration for this meeting is not open."
    assert Registration.objects.count() == 0


def test_submit_registration_ineligible_category_is_explained(meeting):
    error = _refused(
        "ineligible", _submit, meeting, None, "ngo@example.org", category=Category.CIVIL_SOCIETY
    )

    assert error.field == "category"
    assert error.message == (
        "This meeting is not open to this category. Those who may register: "
        "A partner country; A partner organisation; An observer country or organisation. "
        "If you think you should take part, please contact the Secretariat or your "
        "country's focal point."
    )
    assert Registration.objects.count() == 0


def test_submit_registration_observer_excluded_by_the_meeting_is_ineligible(
    make_meeting, reference_data
):
    meeting = make_meeting(eligible_categories=[Category.PARTNER_COUNTRY])
    algeria = reference_data.partners.get(code="DZ")

    _refused("ineligible", _submit, meeting, algeria, "dz@example.org", category=Category.OBSERVER)


def test_submit_registration_partner_in_the_wrong_category_is_explained(meeting, reference_data):
    algeria = reference_data.partners.get(code="DZ")  # an observer country

    error = _refused("delegation", _submit, meeting, algeria, "dz@example.org")

    assert error.field == "delegation"
    assert error.message == "Algeria is not in the category you chose."


def test_submit_registration_observer_in_its_category_is_accepted(meeting, reference_data):
    algeria = reference_data.partners.get(code="DZ")

    registration = _submit(meeting, algeria, "dz@example.org", category=Category.OBSERVER)

    assert _status(registration) == S.AWAITING_SECRETARIAT


def test_submit_registration_partner_organisation_is_accepted(meeting, reference_data):
    union = reference_data.partners.get(code="EU")

    registration = _submit(meeting, union, "eu@example.org", category=Category.PARTNER_ORGANISATION)

    assert _status(registration) == S.AWAITING_SECRETARIAT


def test_submit_registration_without_delegation_is_refused(meeting):
    error = _refused("delegation", _submit, meeting, None, "awa@example.org")

    assert error.message == "Choose the country or organisation you represent."


def test_submit_registration_for_a_partner_that_left_is_refused(meeting, senegal):
    senegal.left_on = datetime.date(2020, 1, 31)
    senegal.save()

    _refused("delegation", _submit, meeting, senegal, "awa@example.org")


def test_submit_registration_duplicate_email_any_case_is_refused(meeting, senegal, france):
    _submit(meeting, senegal, "awa.diop@example.org")

    error = _refused("duplicate", _submit, meeting, france, "Awa.DIOP@Example.org")

    assert error.field == "email"
    assert error.message == (
        "This email address already has a registration for this meeting. "
        "Use the link in the email you received, or ask for a new link."
    )
    assert Registration.objects.filter(meeting=meeting).count() == 1


def test_submit_registration_duplicate_of_an_unverified_registration_is_refused(
    make_meeting, senegal
):
    meeting = make_meeting(email_verification_required=True)
    _submit(meeting, senegal, "awa@example.org")

    _refused("duplicate", _submit, meeting, senegal, "awa@example.org")


def test_submit_registration_same_email_for_another_meeting_is_accepted(
    meeting, make_meeting, senegal
):
    _submit(meeting, senegal, "awa@example.org")

    registration = _submit(make_meeting(), senegal, "awa@example.org")

    assert _status(registration) == S.AWAITING_SECRETARIAT


@pytest.mark.parametrize("end", ["cancel", "reject"])
def test_submit_registration_same_email_after_the_end_of_the_first_is_accepted(
    end, meeting, senegal, secretariat_officer
):
    first = _submit(meeting, senegal, "awa@example.org")
    if end == "cancel":
        services.cancel_registration(first)
    else:
        services.reject_registration(first, actor=secretariat_officer, reason="Duplicate")

    second = _submit(meeting, senegal, "AWA@example.org")

    assert _status(second) == S.AWAITING_SECRETARIAT
    assert Registration.objects.filter(meeting=meeting).count() == 2


# --- quotas -------------------------------------------------------------------------------


def test_place_problem_capacity_full_with_pending_registrations(make_meeting, senegal, france):
    meeting = make_meeting(in_person_capacity=2)
    _submit(meeting, senegal, "one@example.org")
    _submit(meeting, france, "two@example.org")
    candidate = RegistrationFactory.build(meeting=meeting, delegation=senegal)

    assert services.place_problem(meeting, candidate) == "capacity"


def test_submit_registration_beyond_capacity_is_waitlisted(make_meeting, senegal, france):
    meeting = make_meeting(in_person_capacity=2)

    for email in ("one@example.org", "two@example.org", "three@example.org"):
        _submit(meeting, senegal if email != "two@example.org" else france, email)

    assert _statuses(meeting) == {
        "one@example.org": S.AWAITING_SECRETARIAT,
        "two@example.org": S.AWAITING_SECRETARIAT,
        "three@example.org": S.WAITLISTED,
    }


def test_submit_registration_unverified_registrations_hold_no_place(make_meeting, senegal, france):
    meeting = make_meeting(in_person_capacity=1, email_verification_required=True)
    unverified = _submit(meeting, senegal, "one@example.org")
    second = _submit(meeting, france, "two@example.org")

    services.verify_registration_email(second)
    services.verify_registration_email(unverified)

    assert _status(second) == S.AWAITING_SECRETARIAT
    assert _status(unverified) == S.WAITLISTED


def test_submit_registration_awaiting_the_focal_point_holds_no_place(make_meeting, senegal, france):
    meeting = make_meeting(in_person_capacity=1, focal_point_endorsement_required=True)
    first = _submit(meeting, senegal, "one@example.org")

    second = _submit(meeting, france, "two@example.org")

    assert (_status(first), _status(second)) == (S.AWAITING_FOCAL_POINT, S.AWAITING_FOCAL_POINT)


def test_submit_registration_awaiting_the_focal_point_on_a_full_meeting_still_waits_for_it(
    make_meeting, senegal, france, focal_point_france
):
    meeting = make_meeting(in_person_capacity=1, focal_point_endorsement_required=True)
    _submit(
        meeting, france, "nominee@example.org", source=Source.FOCAL_POINT, actor=focal_point_france
    )

    registration = _submit(meeting, senegal, "awa@example.org")

    assert _status(registration) == S.AWAITING_FOCAL_POINT


def test_submit_registration_self_registrations_leave_a_one_plus_one_to_the_nominees(
    make_meeting, senegal, focal_point_senegal
):
    meeting = make_meeting(
        delegation_size=2, delegation_heads=1, focal_point_endorsement_required=True
    )
    strangers = [
        _submit(meeting, senegal, f"stranger{index}@example.org", role=role)
        for index, role in enumerate([HEAD, EXPERT, MEMBER])
    ]

    head = _submit(
        meeting,
        senegal,
        "head@example.org",
        role=HEAD,
        source=Source.FOCAL_POINT,
        actor=focal_point_senegal,
    )
    expert = _submit(
        meeting,
        senegal,
        "expert@example.org",
        role=EXPERT,
        source=Source.FOCAL_POINT,
        actor=focal_point_senegal,
    )

    assert [_status(stranger) for stranger in strangers] == [S.AWAITING_FOCAL_POINT] * 3
    assert (_status(head), _status(expert)) == (S.AWAITING_SECRETARIAT, S.AWAITING_SECRETARIAT)


def test_submit_registration_online_awaiting_the_focal_point_holds_no_online_seat(
    make_meeting, senegal, france, focal_point_france
):
    meeting = make_meeting(
        format=MeetingFormat.HYBRID, online_capacity=1, focal_point_endorsement_required=True
    )
    _submit(meeting, senegal, "awa@example.org", participation=ONLINE)

    nominee = _submit(
        meeting,
        france,
        "nominee@example.org",
        participation=ONLINE,
        source=Source.FOCAL_POINT,
        actor=focal_point_france,
    )

    assert _status(nominee) == S.AWAITING_SECRETARIAT


def test_verify_registration_email_awaiting_the_focal_point_holds_no_place(
    make_meeting, senegal, focal_point_senegal
):
    meeting = make_meeting(
        delegation_size=1, focal_point_endorsement_required=True, email_verification_required=True
    )
    registration = _submit(meeting, senegal, "awa@example.org")

    services.verify_registration_email(registration)
    nominee = _submit(
        meeting,
        senegal,
        "nominee@example.org",
        source=Source.FOCAL_POINT,
        actor=focal_point_senegal,
    )

    assert (_status(registration), _status(nominee)) == (
        S.AWAITING_FOCAL_POINT,
        S.AWAITING_SECRETARIAT,
    )


def test_submit_registration_online_is_not_limited_by_in_person_capacity(
    make_meeting, senegal, france
):
    meeting = make_meeting(format=MeetingFormat.HYBRID, in_person_capacity=1)
    _submit(meeting, senegal, "one@example.org")

    online = _submit(meeting, france, "two@example.org", participation=ONLINE)
    in_person = _submit(meeting, france, "three@example.org")

    assert _status(online) == S.AWAITING_SECRETARIAT
    assert _status(in_person) == S.WAITLISTED


def test_submit_registration_beyond_online_capacity_is_waitlisted(make_meeting, senegal, france):
    meeting = make_meeting(format=MeetingFormat.HYBRID, in_person_capacity=5, online_capacity=1)
    _submit(meeting, senegal, "one@example.org", participation=ONLINE)

    online = _submit(meeting, france, "two@example.org", participation=ONLINE)
    in_person = _submit(meeting, france, "three@example.org")

    assert _status(online) == S.WAITLISTED
    assert _status(in_person) == S.AWAITING_SECRETARIAT


def test_submit_registration_beyond_delegation_size_is_waitlisted(make_meeting, senegal, france):
    meeting = make_meeting(delegation_size=2)
    _submit(meeting, senegal, "sn1@example.org", role=HEAD)
    _submit(meeting, senegal, "sn2@example.org", role=HEAD)

    third = _submit(meeting, senegal, "sn3@example.org")
    french = _submit(meeting, france, "fr1@example.org")

    assert (
        services.place_problem(
            meeting, RegistrationFactory.build(meeting=meeting, delegation=senegal)
        )
        == "delegation"
    )
    assert _status(third) == S.WAITLISTED
    assert _status(french) == S.AWAITING_SECRETARIAT


def test_submit_registration_one_plus_one_takes_one_head_and_one_other(make_meeting, senegal):
    meeting = make_meeting(delegation_size=2, delegation_heads=1)

    head = _submit(meeting, senegal, "head@example.org", role=HEAD)
    second_head = _submit(meeting, senegal, "head2@example.org", role=HEAD)
    expert = _submit(meeting, senegal, "expert@example.org", role=EXPERT)
    member = _submit(meeting, senegal, "member@example.org", role=MEMBER)

    assert [_status(r) for r in (head, second_head, expert, member)] == [
        S.AWAITING_SECRETARIAT,
        S.WAITLISTED,
        S.AWAITING_SECRETARIAT,
        S.WAITLISTED,
    ]


def test_place_problem_one_plus_one_names_the_limit(make_meeting, senegal):
    meeting = make_meeting(delegation_size=2, delegation_heads=1)
    _submit(meeting, senegal, "head@example.org", role=HEAD)

    head = RegistrationFactory.build(meeting=meeting, delegation=senegal, role=HEAD)
    member = RegistrationFactory.build(meeting=meeting, delegation=senegal, role=MEMBER)

    assert services.place_problem(meeting, head) == "heads"
    assert services.place_problem(meeting, member) is None


def test_submit_registration_one_plus_one_keeps_the_head_place_for_a_head(make_meeting, senegal):
    meeting = make_meeting(delegation_size=2, delegation_heads=1)
    _submit(meeting, senegal, "member@example.org", role=MEMBER)

    second_member = _submit(meeting, senegal, "member2@example.org", role=MEMBER)
    head = _submit(meeting, senegal, "head@example.org", role=HEAD)

    assert _status(second_member) == S.WAITLISTED
    assert _status(head) == S.AWAITING_SECRETARIAT


def test_place_problem_one_plus_one_names_the_places_for_members_and_experts(make_meeting, senegal):
    meeting = make_meeting(delegation_size=2, delegation_heads=1)
    _submit(meeting, senegal, "member@example.org", role=MEMBER)

    expert = RegistrationFactory.build(meeting=meeting, delegation=senegal, role=EXPERT)
    head = RegistrationFactory.build(meeting=meeting, delegation=senegal, role=HEAD)

    assert services.place_problem(meeting, expert) == "others"
    assert services.place_problem(meeting, head) is None


def test_submit_registration_invited_participants_have_no_delegation_limit(make_meeting):
    meeting = make_meeting(
        delegation_size=1, eligible_categories=[Category.PARTNER_COUNTRY, Category.RESEARCH]
    )
    first = _submit(meeting, None, "one@example.org", category=Category.RESEARCH)

    second = _submit(meeting, None, "two@example.org", category=Category.RESEARCH)

    assert (_status(first), _status(second)) == (S.AWAITING_SECRETARIAT, S.AWAITING_SECRETARIAT)


# --- the waiting list ---------------------------------------------------------------------


def _full_meeting(make_meeting, delegations, **fields):
    """A meeting with one place, taken by `taken@`, and three waiting in order."""
    meeting = make_meeting(in_person_capacity=1, **fields)
    taken = _submit(meeting, delegations[0], "taken@example.org")
    waiting = [
        _submit(meeting, delegations[index % len(delegations)], f"wait{index}@example.org")
        for index in (1, 2, 3)
    ]
    return meeting, taken, waiting


def test_cancel_registration_promotes_the_first_on_the_waiting_list(make_meeting, senegal, france):
    meeting, taken, waiting = _full_meeting(make_meeting, [senegal, france])

    services.cancel_registration(taken)

    assert _statuses(meeting) == {
        "taken@example.org": S.CANCELLED,
        "wait1@example.org": S.AWAITING_SECRETARIAT,
        "wait2@example.org": S.WAITLISTED,
        "wait3@example.org": S.WAITLISTED,
    }
    assert _events(waiting[0])[-1] == ("promoted", "wait1@example.org")
    assert _audit(waiting[0])[-1] == (
        "registration.status",
        None,
        S.WAITLISTED,
        S.AWAITING_SECRETARIAT,
        "A place became free.",
    )


def test_reject_registration_promotes_the_first_on_the_waiting_list(
    make_meeting, senegal, france, secretariat_officer
):
    meeting, taken, _waiting = _full_meeting(make_meeting, [senegal, france])

    services.reject_registration(taken, actor=secretariat_officer, reason="Not a delegate")

    assert _statuses(meeting)["wait1@example.org"] == S.AWAITING_SECRETARIAT
    assert _statuses(meeting)["wait2@example.org"] == S.WAITLISTED


def test_decline_registration_leaves_the_waiting_list_as_it_is(
    make_meeting, senegal, france, focal_point_senegal
):
    """Awaiting endorsement, the declined registration held no place to free."""
    meeting, _taken, _waiting = _full_meeting(make_meeting, [senegal, france])
    meeting.focal_point_endorsement_required = True
    meeting.save()
    registration = _submit(meeting, senegal, "awa@example.org")

    services.decline_registration(registration, actor=focal_point_senegal, reason="Not ours")

    assert _statuses(meeting) == {
        "taken@example.org": S.AWAITING_SECRETARIAT,
        "wait1@example.org": S.WAITLISTED,
        "wait2@example.org": S.WAITLISTED,
        "wait3@example.org": S.WAITLISTED,
        "awa@example.org": S.DECLINED,
    }


def test_cancel_registration_first_come_promotes_to_approved(make_meeting, senegal, france):
    meeting, taken, _waiting = _full_meeting(
        make_meeting, [senegal, france], approval_mode=ApprovalMode.FIRST_COME
    )

    services.cancel_registration(taken)

    assert _statuses(meeting)["wait1@example.org"] == S.APPROVED


def test_cancel_registration_promotes_the_first_whose_delegation_has_room(
    make_meeting, senegal, france, reference_data
):
    mali = reference_data.partners.get(code="ML")
    meeting = make_meeting(in_person_capacity=2, delegation_size=1)
    _submit(meeting, senegal, "sn1@example.org")
    french = _submit(meeting, france, "fr1@example.org")
    _submit(meeting, senegal, "sn2@example.org")  # waits: capacity (and delegation)
    _submit(meeting, mali, "ml1@example.org")  # waits: capacity

    services.cancel_registration(french)

    assert _statuses(meeting) == {
        "sn1@example.org": S.AWAITING_SECRETARIAT,
        "fr1@example.org": S.CANCELLED,
        "sn2@example.org": S.WAITLISTED,
        "ml1@example.org": S.AWAITING_SECRETARIAT,
    }


def test_cancel_registration_frees_a_delegation_place_for_the_same_delegation(
    make_meeting, senegal, france
):
    meeting = make_meeting(delegation_size=1)
    first_senegalese = _submit(meeting, senegal, "sn1@example.org")
    french = _submit(meeting, france, "fr1@example.org")
    _submit(meeting, senegal, "sn2@example.org")

    services.cancel_registration(french)
    after_french = _statuses(meeting)["sn2@example.org"]
    services.cancel_registration(first_senegalese)

    assert after_french == S.WAITLISTED
    assert _statuses(meeting)["sn2@example.org"] == S.AWAITING_SECRETARIAT


def test_waitlist_registration_by_decision_promotes_nobody(
    make_meeting, senegal, france, secretariat_officer
):
    meeting, taken, _waiting = _full_meeting(make_meeting, [senegal, france])

    services.waitlist_registration(taken, actor=secretariat_officer, reason="Later")

    assert _statuses(meeting) == {
        "taken@example.org": S.WAITLISTED,
        "wait1@example.org": S.WAITLISTED,
        "wait2@example.org": S.WAITLISTED,
        "wait3@example.org": S.WAITLISTED,
    }
    assert _audit(taken)[-1] == (
        "registration.status",
        secretariat_officer.pk,
        S.AWAITING_SECRETARIAT,
        S.WAITLISTED,
        "Later",
    )


def test_promote_from_waiting_list_follows_the_order_of_waiting(make_meeting, senegal, france):
    meeting, _taken, _waiting = _full_meeting(make_meeting, [senegal, france])
    meeting.in_person_capacity = 3
    meeting.save()

    with transaction.atomic():
        promoted = services.promote_from_waiting_list(services.lock_meeting(meeting), actor=None)

    assert [r.email for r in promoted] == ["wait1@example.org", "wait2@example.org"]
    assert _statuses(meeting)["wait3@example.org"] == S.WAITLISTED


# --- decisions, by role -------------------------------------------------------------------


def test_endorse_registration_by_its_focal_point_goes_to_the_secretariat(
    make_meeting, senegal, focal_point_senegal
):
    meeting = make_meeting(focal_point_endorsement_required=True)
    registration = _submit(meeting, senegal, "awa@example.org")

    services.endorse_registration(registration, actor=focal_point_senegal, note="Our expert")

    assert registration.status == S.AWAITING_SECRETARIAT
    assert _audit(registration)[-1] == (
        "registration.status",
        focal_point_senegal.pk,
        S.AWAITING_FOCAL_POINT,
        S.AWAITING_SECRETARIAT,
        "Our expert",
    )
    assert _events(registration)[-1] == ("endorsed", "awa@example.org")


def test_endorse_registration_first_come_is_approved(make_meeting, senegal, focal_point_senegal):
    meeting = make_meeting(
        focal_point_endorsement_required=True, approval_mode=ApprovalMode.FIRST_COME
    )
    registration = _submit(meeting, senegal, "awa@example.org")

    services.endorse_registration(registration, actor=focal_point_senegal)

    assert _status(registration) == S.APPROVED


def test_endorse_registration_with_no_place_free_goes_to_the_waiting_list(
    make_meeting, senegal, focal_point_senegal
):
    meeting = make_meeting(delegation_size=1, focal_point_endorsement_required=True)
    registration = _submit(meeting, senegal, "awa@example.org")
    _submit(
        meeting,
        senegal,
        "nominee@example.org",
        source=Source.FOCAL_POINT,
        actor=focal_point_senegal,
    )

    services.endorse_registration(registration, actor=focal_point_senegal, note="Also ours")

    assert registration.status == S.WAITLISTED
    assert registration.endorsed_at is not None
    assert _audit(registration)[-1] == (
        "registration.status",
        focal_point_senegal.pk,
        S.AWAITING_FOCAL_POINT,
        S.WAITLISTED,
        "Also ours",
    )
    assert _events(registration)[-1] == ("waitlisted", "awa@example.org")


def test_endorse_registration_with_the_meeting_full_goes_to_the_waiting_list(
    make_meeting, senegal, france, focal_point_senegal, secretariat_officer
):
    meeting = make_meeting(in_person_capacity=1, focal_point_endorsement_required=True)
    registration = _submit(meeting, senegal, "awa@example.org")
    _submit(
        meeting, france, "guest@example.org", source=Source.SECRETARIAT, actor=secretariat_officer
    )

    services.endorse_registration(registration, actor=focal_point_senegal)

    assert _status(registration) == S.WAITLISTED


def test_endorse_registration_waitlisted_is_promoted_without_a_second_endorsement(
    make_meeting, senegal, focal_point_senegal, secretariat_officer
):
    meeting = make_meeting(delegation_size=1, focal_point_endorsement_required=True)
    registration = _submit(meeting, senegal, "awa@example.org")
    nominee = _submit(
        meeting,
        senegal,
        "nominee@example.org",
        source=Source.FOCAL_POINT,
        actor=focal_point_senegal,
    )
    services.endorse_registration(registration, actor=focal_point_senegal)

    services.reject_registration(nominee, actor=secretariat_officer, reason="Duplicate")

    assert _status(registration) == S.AWAITING_SECRETARIAT
    assert _events(registration)[-1] == ("promoted", "awa@example.org")


def test_endorse_registration_takes_the_last_place_of_the_delegation(
    make_meeting, senegal, focal_point_senegal
):
    meeting = make_meeting(delegation_size=1, focal_point_endorsement_required=True)
    first = _submit(meeting, senegal, "first@example.org")
    second = _submit(meeting, senegal, "second@example.org")

    services.endorse_registration(second, actor=focal_point_senegal)
    services.endorse_registration(first, actor=focal_point_senegal)

    assert (_status(second), _status(first)) == (S.AWAITING_SECRETARIAT, S.WAITLISTED)


@pytest.mark.parametrize("persona", ["focal_point_france", "secretariat_officer", "outsider"])
def test_endorse_registration_by_anyone_but_its_focal_point_is_refused(
    persona, request, make_meeting, senegal
):
    meeting = make_meeting(focal_point_endorsement_required=True)
    registration = _submit(meeting, senegal, "awa@example.org")

    error = _refused(
        "forbidden",
        services.endorse_registration,
        registration,
        actor=request.getfixturevalue(persona),
    )

    assert error.message == "Only the focal point of this delegation can endorse it."
    assert _status(registration) == S.AWAITING_FOCAL_POINT


def test_endorse_registration_not_awaiting_endorsement_is_refused(
    meeting, senegal, focal_point_senegal
):
    registration = _submit(meeting, senegal, "awa@example.org")

    error = _refused(
        "transition", services.endorse_registration, registration, actor=focal_point_senegal
    )

    assert error.message == "This registration is not awaiting endorsement."
    assert _status(registration) == S.AWAITING_SECRETARIAT


def test_endorse_registration_on_behalf_by_the_secretariat_audits_the_reason(
    make_meeting, senegal, secretariat_officer
):
    meeting = make_meeting(focal_point_endorsement_required=True)
    registration = _submit(meeting, senegal, "awa@example.org")

    services.endorse_registration_on_behalf(
        registration, actor=secretariat_officer, reason="  Focal point on leave  "
    )

    assert registration.status == S.AWAITING_SECRETARIAT
    assert registration.endorsed_at is not None
    assert _audit(registration)[-1] == (
        "registration.endorsed_on_behalf",
        secretariat_officer.pk,
        S.AWAITING_FOCAL_POINT,
        S.AWAITING_SECRETARIAT,
        "Focal point on leave",
    )
    assert _events(registration)[-1] == ("endorsed", "awa@example.org")


def test_endorse_registration_on_behalf_with_no_place_free_goes_to_the_waiting_list(
    make_meeting, senegal, focal_point_senegal, secretariat_officer
):
    meeting = make_meeting(delegation_size=1, focal_point_endorsement_required=True)
    registration = _submit(meeting, senegal, "awa@example.org")
    _submit(
        meeting,
        senegal,
        "nominee@example.org",
        source=Source.FOCAL_POINT,
        actor=focal_point_senegal,
    )

    services.endorse_registration_on_behalf(
        registration, actor=secretariat_officer, reason="No focal point"
    )

    assert registration.status == S.WAITLISTED
    assert registration.endorsed_at is not None
    assert _events(registration)[-1] == ("waitlisted", "awa@example.org")


@pytest.mark.parametrize("reason", ["", "   "])
def test_endorse_registration_on_behalf_without_a_reason_is_refused(
    reason, make_meeting, senegal, secretariat_officer
):
    meeting = make_meeting(focal_point_endorsement_required=True)
    registration = _submit(meeting, senegal, "awa@example.org")

    error = _refused(
        "reason",
        services.endorse_registration_on_behalf,
        registration,
        actor=secretariat_officer,
        reason=reason,
    )

    assert error.message == "Give a reason."
    assert _status(registration) == S.AWAITING_FOCAL_POINT


@pytest.mark.parametrize("persona", ["focal_point_senegal", "organiser", "outsider"])
def test_endorse_registration_on_behalf_by_anyone_but_the_secretariat_is_refused(
    persona, request, make_meeting, senegal
):
    meeting = make_meeting(focal_point_endorsement_required=True)
    registration = _submit(meeting, senegal, "awa@example.org")
    if persona == "organiser":
        actor = OrganiserRoleFactory(meeting=meeting).user
    else:
        actor = request.getfixturevalue(persona)

    error = _refused(
        "forbidden",
        services.endorse_registration_on_behalf,
        registration,
        actor=actor,
        reason="On leave",
    )

    assert error.message == "Only the Secretariat can endorse on the focal point's behalf."
    assert _status(registration) == S.AWAITING_FOCAL_POINT


def test_endorse_registration_on_behalf_not_awaiting_endorsement_is_refused(
    meeting, senegal, secretariat_officer
):
    registration = _submit(meeting, senegal, "awa@example.org")

    error = _refused(
        "transition",
        services.endorse_registration_on_behalf,
        registration,
        actor=secretariat_officer,
        reason="On leave",
    )

    assert error.message == "This registration is not awaiting endorsement."
    assert _status(registration) == S.AWAITING_SECRETARIAT


def test_decline_registration_by_its_focal_point_records_the_reason(
    make_meeting, senegal, focal_point_senegal
):
    meeting = make_meeting(focal_point_endorsement_required=True)
    registration = _submit(meeting, senegal, "awa@example.org")

    services.decline_registration(registration, actor=focal_point_senegal, reason="Not ours")

    registration.refresh_from_db()
    assert registration.status == S.DECLINED
    assert registration.decision_reason == "Not ours"
    assert _audit(registration)[-1] == (
        "registration.status",
        focal_point_senegal.pk,
        S.AWAITING_FOCAL_POINT,
        S.DECLINED,
        "Not ours",
    )
    assert _events(registration)[-1] == ("declined", "awa@example.org")


def test_decline_registration_without_reason_is_refused(make_meeting, senegal, focal_point_senegal):
    meeting = make_meeting(focal_point_endorsement_required=True)
    registration = _submit(meeting, senegal, "awa@example.org")

    error = _refused(
        "reason", services.decline_registration, registration, actor=focal_point_senegal, reason=" "
    )

    assert (error.field, error.message) == ("reason", "Give a reason.")
    assert _status(registration) == S.AWAITING_FOCAL_POINT


def test_decline_registration_by_another_focal_point_is_refused(
    make_meeting, senegal, focal_point_france
):
    meeting = make_meeting(focal_point_endorsement_required=True)
    registration = _submit(meeting, senegal, "awa@example.org")

    error = _refused(
        "forbidden",
        services.decline_registration,
        registration,
        actor=focal_point_france,
        reason="Not ours",
    )

    assert error.message == "Only the focal point of this delegation can decline it."
    assert _status(registration) == S.AWAITING_FOCAL_POINT


def test_decline_registration_after_endorsement_is_refused(
    make_meeting, senegal, focal_point_senegal
):
    meeting = make_meeting(focal_point_endorsement_required=True)
    registration = _submit(meeting, senegal, "awa@example.org")
    services.endorse_registration(registration, actor=focal_point_senegal)

    _refused(
        "transition",
        services.decline_registration,
        registration,
        actor=focal_point_senegal,
        reason="Changed my mind",
    )

    assert _status(registration) == S.AWAITING_SECRETARIAT


@pytest.mark.parametrize("persona", ["secretariat_officer", "meeting_organiser"])
def test_approve_registration_by_the_secretariat_or_the_organiser(
    persona, request, meeting, senegal
):
    actor = request.getfixturevalue(persona)
    registration = _submit(meeting, senegal, "awa@example.org")

    services.approve_registration(registration, actor=actor)

    registration.refresh_from_db()
    assert registration.status == S.APPROVED
    assert registration.quota_override_reason == ""
    assert _audit(registration)[-1] == (
        "registration.status",
        actor.pk,
        S.AWAITING_SECRETARIAT,
        S.APPROVED,
        "",
    )
    assert _events(registration)[-1] == ("approved", "awa@example.org")


@pytest.mark.parametrize("persona", ["other_organiser", "focal_point_senegal", "outsider"])
def test_approve_registration_by_others_is_refused(persona, request, meeting, senegal):
    registration = _submit(meeting, senegal, "awa@example.org")

    error = _refused(
        "forbidden",
        services.approve_registration,
        registration,
        actor=request.getfixturevalue(persona),
    )

    assert error.message == "Only the Secretariat or the meeting's organisers can approve."
    assert _status(registration) == S.AWAITING_SECRETARIAT


def test_approve_registration_waitlisted_without_a_free_place_needs_a_reason(
    make_meeting, senegal, france, secretariat_officer
):
    meeting = make_meeting(in_person_capacity=1)
    _submit(meeting, senegal, "one@example.org")
    waiting = _submit(meeting, france, "two@example.org")

    error = _refused("quota", services.approve_registration, waiting, actor=secretariat_officer)

    assert error.field == "override_reason"
    assert error.message == "No place is free. Give a reason to approve over the quota."
    assert _status(waiting) == S.WAITLISTED


def test_approve_registration_over_the_quota_records_the_reason(
    make_meeting, senegal, france, secretariat_officer
):
    meeting = make_meeting(in_person_capacity=1)
    _submit(meeting, senegal, "one@example.org")
    waiting = _submit(meeting, france, "two@example.org")

    services.approve_registration(
        waiting, actor=secretariat_officer, override_reason="Minister's adviser"
    )

    waiting.refresh_from_db()
    assert waiting.status == S.APPROVED
    assert waiting.quota_override_reason == "Minister's adviser"
    assert _audit(waiting)[-1] == (
        "registration.status",
        secretariat_officer.pk,
        S.WAITLISTED,
        S.APPROVED,
        "Minister's adviser",
    )
    assert (
        Registration.objects.filter(meeting=meeting, status__in=services.PLACE_HOLDING).count() == 2
    )


def test_approve_registration_over_delegation_size_needs_a_reason(
    make_meeting, senegal, secretariat_officer
):
    meeting = make_meeting(delegation_size=1)
    _submit(meeting, senegal, "one@example.org")
    waiting = _submit(meeting, senegal, "two@example.org")

    _refused("quota", services.approve_registration, waiting, actor=secretariat_officer)
    services.approve_registration(waiting, actor=secretariat_officer, override_reason="Host")

    assert _status(waiting) == S.APPROVED


def test_approve_registration_waitlisted_with_a_free_place_needs_no_reason(
    make_meeting, senegal, france, secretariat_officer
):
    _meeting, taken, waiting = _full_meeting(make_meeting, [senegal, france])
    services.waitlist_registration(taken, actor=secretariat_officer)

    services.approve_registration(waiting[1], actor=secretariat_officer)

    assert _status(waiting[1]) == S.APPROVED
    assert Registration.objects.get(pk=waiting[1].pk).quota_override_reason == ""


def test_approve_registration_unverified_without_a_free_place_needs_a_reason(
    make_meeting, senegal, france, secretariat_officer
):
    meeting = make_meeting(in_person_capacity=1, email_verification_required=True)
    first = _submit(meeting, senegal, "one@example.org")
    services.verify_registration_email(first)
    unverified = _submit(meeting, france, "two@example.org")

    _refused("quota", services.approve_registration, unverified, actor=secretariat_officer)

    assert _status(unverified) == S.AWAITING_VERIFICATION


def test_approve_registration_already_approved_is_refused(meeting, senegal, secretariat_officer):
    registration = _submit(meeting, senegal, "awa@example.org")
    services.approve_registration(registration, actor=secretariat_officer)

    _refused("transition", services.approve_registration, registration, actor=secretariat_officer)


@pytest.mark.parametrize("persona", ["secretariat_officer", "meeting_organiser"])
def test_reject_registration_records_the_reason(persona, request, meeting, senegal):
    actor = request.getfixturevalue(persona)
    registration = _submit(meeting, senegal, "awa@example.org")

    services.reject_registration(registration, actor=actor, reason="Not a partner official")

    registration.refresh_from_db()
    assert registration.status == S.REJECTED
    assert registration.decision_reason == "Not a partner official"
    assert _audit(registration)[-1] == (
        "registration.status",
        actor.pk,
        S.AWAITING_SECRETARIAT,
        S.REJECTED,
        "Not a partner official",
    )
    assert _events(registration)[-1] == ("rejected", "awa@example.org")


def test_reject_registration_without_reason_is_refused(meeting, senegal, secretariat_officer):
    registration = _submit(meeting, senegal, "awa@example.org")

    _refused(
        "reason", services.reject_registration, registration, actor=secretariat_officer, reason=""
    )

    assert _status(registration) == S.AWAITING_SECRETARIAT


@pytest.mark.parametrize("persona", ["other_organiser", "focal_point_senegal", "outsider"])
def test_reject_registration_by_others_is_refused(persona, request, meeting, senegal):
    registration = _submit(meeting, senegal, "awa@example.org")

    error = _refused(
        "forbidden",
        services.reject_registration,
        registration,
        actor=request.getfixturevalue(persona),
        reason="No",
    )

    assert error.message == "Only the Secretariat or the meeting's organisers can reject."
    assert _status(registration) == S.AWAITING_SECRETARIAT


def test_reject_registration_approved_frees_its_place(
    make_meeting, senegal, france, secretariat_officer
):
    meeting, taken, _waiting = _full_meeting(make_meeting, [senegal, france])
    services.approve_registration(taken, actor=secretariat_officer)

    services.reject_registration(
        taken, actor=secretariat_officer, reason="Withdrawn by the ministry"
    )

    assert _statuses(meeting)["wait1@example.org"] == S.AWAITING_SECRETARIAT


@pytest.mark.parametrize("persona", ["other_organiser", "focal_point_senegal", "outsider"])
def test_waitlist_registration_by_others_is_refused(persona, request, meeting, senegal):
    registration = _submit(meeting, senegal, "awa@example.org")

    error = _refused(
        "forbidden",
        services.waitlist_registration,
        registration,
        actor=request.getfixturevalue(persona),
    )

    assert error.message == "Only the Secretariat or the meeting's organisers can do this."
    assert _status(registration) == S.AWAITING_SECRETARIAT


def test_waitlist_registration_approved_is_refused(meeting, senegal, secretariat_officer):
    registration = _submit(meeting, senegal, "awa@example.org")
    services.approve_registration(registration, actor=secretariat_officer)

    _refused("transition", services.waitlist_registration, registration, actor=secretariat_officer)

    assert _status(registration) == S.APPROVED


def test_cancel_registration_by_the_delegate_through_the_link(meeting, senegal):
    registration = _submit(meeting, senegal, "awa@example.org")

    services.cancel_registration(registration, reason="Cancelled by the delegate.")

    assert registration.status == S.CANCELLED
    assert _audit(registration)[-1] == (
        "registration.status",
        None,
        S.AWAITING_SECRETARIAT,
        S.CANCELLED,
        "Cancelled by the delegate.",
    )
    assert _events(registration)[-1] == ("cancelled", "awa@example.org")


@pytest.mark.parametrize(
    "persona", ["secretariat_officer", "meeting_organiser", "focal_point_senegal"]
)
def test_cancel_registration_by_staff_of_the_meeting_or_delegation(
    persona, request, meeting, senegal
):
    actor = request.getfixturevalue(persona)
    registration = _submit(meeting, senegal, "awa@example.org")

    services.cancel_registration(registration, actor=actor, reason="Asked by phone")

    assert _audit(registration)[-1][1:] == (
        actor.pk,
        S.AWAITING_SECRETARIAT,
        S.CANCELLED,
        "Asked by phone",
    )


@pytest.mark.parametrize("persona", ["focal_point_france", "other_organiser", "outsider"])
def test_cancel_registration_by_others_is_refused(persona, request, meeting, senegal):
    registration = _submit(meeting, senegal, "awa@example.org")

    error = _refused(
        "forbidden",
        services.cancel_registration,
        registration,
        actor=request.getfixturevalue(persona),
    )

    assert error.message == "You cannot cancel this registration."
    assert _status(registration) == S.AWAITING_SECRETARIAT


def test_cancel_registration_twice_is_refused(meeting, senegal):
    registration = _submit(meeting, senegal, "awa@example.org")
    services.cancel_registration(registration)

    _refused("transition", services.cancel_registration, registration)


# --- changes by the delegate --------------------------------------------------------------


def test_update_registration_changes_the_editable_details_only(meeting, senegal):
    registration = _submit(meeting, senegal, "awa@example.org")

    services.update_registration(
        registration,
        data={
            "phone": "+33612345678",
            "function": "Deputy director",
            "language": "fr",
            "email": "other@example.org",
            "participation": ONLINE,
            "delegation": None,
        },
    )

    registration = Registration.objects.get(pk=registration.pk)
    assert (registration.phone, registration.function, registration.language) == (
        "+33612345678",
        "Deputy director",
        "fr",
    )
    assert (registration.email, registration.participation, registration.delegation) == (
        "awa@example.org",
        Participation.IN_PERSON,
        senegal,
    )
    assert _audit(registration)[-1] == (
        "registration.updated",
        None,
        "",
        "",
        "phone, function, language",
    )


def test_update_registration_without_change_writes_no_audit_entry(meeting, senegal):
    registration = _submit(meeting, senegal, "awa@example.org")
    entries = AuditEntry.objects.count()

    services.update_registration(registration, data={"first_name": "Awa"})

    assert AuditEntry.objects.count() == entries


def test_update_registration_after_the_change_deadline_is_refused(make_meeting, senegal):
    meeting = make_meeting(registration_changes_until=timezone.now() + datetime.timedelta(days=1))
    registration = _submit(meeting, senegal, "awa@example.org")
    meeting.registration_changes_until = timezone.now() - datetime.timedelta(minutes=1)
    meeting.save()
    registration.refresh_from_db()

    error = _refused(
        "deadline", services.update_registration, registration, data={"function": "Minister"}
    )

    assert error.message == "The deadline for changes has passed."
    assert Registration.objects.get(pk=registration.pk).function == "Director of migration"


def test_update_registration_deadline_defaults_to_the_close_of_registration(make_meeting, senegal):
    meeting = make_meeting()
    registration = _submit(meeting, senegal, "awa@example.org")
    meeting.registration_closes_at = timezone.now() - datetime.timedelta(minutes=1)
    meeting.save()
    registration.refresh_from_db()

    _refused("deadline", services.update_registration, registration, data={"function": "Minister"})


@pytest.mark.parametrize("status", [S.CANCELLED, S.REJECTED, S.DECLINED])
def test_update_registration_ended_is_refused(status, meeting):
    registration = RegistrationFactory(meeting=meeting, status=status)

    error = _refused(
        "transition", services.update_registration, registration, data={"function": "Minister"}
    )

    assert error.message == "This registration can no longer be changed."


# --- corrections by the meeting's managers ---------------------------------------------------


def test_update_registration_by_staff_corrects_details_and_email_audited(
    make_meeting, senegal, secretariat_officer
):
    meeting = make_meeting(registration_changes_until=timezone.now() + datetime.timedelta(days=1))
    registration = _submit(meeting, senegal, "awa@example.org")
    services.cancel_registration(registration)
    meeting.registration_changes_until = timezone.now() - datetime.timedelta(minutes=1)
    meeting.save()
    registration.refresh_from_db()

    services.update_registration(
        registration,
        data={
            "last_name": "Diop Ndiaye",
            "email": "awa.diop@example.org",
            "phone": "+221770000000",
        },
        actor=secretariat_officer,
    )

    stored = Registration.objects.get(pk=registration.pk)
    assert (stored.last_name, stored.email, stored.phone) == (
        "Diop Ndiaye",
        "awa.diop@example.org",
        "+221770000000",
    )
    assert _audit(registration)[-1] == (
        "registration.updated",
        secretariat_officer.pk,
        "",
        "",
        "last_name, phone, email",
    )
    assert _events(registration) == [
        ("received", "awa@example.org"),
        ("cancelled", "awa@example.org"),
    ]


def test_update_registration_by_staff_leaves_consents_and_places_alone(
    meeting, senegal, secretariat_officer
):
    registration = _submit(meeting, senegal, "awa@example.org")
    entries = AuditEntry.objects.count()

    services.update_registration(
        registration,
        data={
            "consent_processing": False,
            "consent_participant_list": True,
            "participation": ONLINE,
            "role": DelegationRole.HEAD,
            "status": S.APPROVED,
        },
        actor=secretariat_officer,
    )

    stored = Registration.objects.get(pk=registration.pk)
    assert (
        stored.consent_processing,
        stored.consent_participant_list,
        stored.participation,
        stored.role,
        stored.status,
    ) == (True, False, Participation.IN_PERSON, DelegationRole.MEMBER, S.AWAITING_SECRETARIAT)
    assert AuditEntry.objects.count() == entries


def test_update_registration_by_someone_who_does_not_manage_the_meeting_is_refused(
    meeting, senegal, other_organiser
):
    registration = _submit(meeting, senegal, "awa@example.org")

    error = _refused(
        "forbidden",
        services.update_registration,
        registration,
        data={"function": "Minister"},
        actor=other_organiser,
    )

    assert error.message == "You cannot change this registration."
    assert Registration.objects.get(pk=registration.pk).function == "Director of migration"


def test_update_registration_by_staff_to_the_email_of_another_active_registration_is_refused(
    meeting, senegal, secretariat_officer
):
    _submit(meeting, senegal, "first@example.org")
    registration = _submit(meeting, senegal, "second@example.org")

    error = _refused(
        "invalid",
        services.update_registration,
        registration,
        data={"email": "FIRST@example.org"},
        actor=secretariat_officer,
    )

    assert error.message == "This email address already has a registration for this meeting."
    assert Registration.objects.get(pk=registration.pk).email == "second@example.org"


def test_update_registration_by_staff_checks_the_changed_fields(
    meeting, senegal, secretariat_officer
):
    registration = _submit(meeting, senegal, "awa@example.org")

    error = _refused(
        "invalid",
        services.update_registration,
        registration,
        data={"email": "not an address"},
        actor=secretariat_officer,
    )

    assert (error.message, error.field) == ("Enter a valid email address.", "email")
    assert Registration.objects.get(pk=registration.pk).email == "awa@example.org"


def test_submit_registration_keeps_the_searched_fields_without_accents_or_case(meeting, senegal):
    data = registration_data(
        meeting,
        senegal,
        first_name="Aïssatou",
        last_name="Traoré",
        email="A.Traore@example.org",
        institution="Ministère de l'Intérieur",
    )

    registration = services.submit_registration(meeting, data=data)

    stored = Registration.objects.get(pk=registration.pk)
    assert stored.search_text == (
        f"aissatou traore a.traore@example.org ministere de l'interieur "
        f"{registration.reference.lower()}"
    )


def test_update_registration_refreshes_the_search_text_with_a_searched_field(
    meeting, senegal, secretariat_officer
):
    registration = _submit(meeting, senegal, "awa@example.org")

    services.update_registration(
        registration,
        data={"last_name": "Ndiaye-Sène", "function": "Consul"},
        actor=secretariat_officer,
    )

    stored = Registration.objects.get(pk=registration.pk)
    assert stored.search_text == (
        f"awa ndiaye-sene awa@example.org ministry of foreign affairs "
        f"{registration.reference.lower()}"
    )


def test_update_registration_of_other_fields_leaves_the_search_text(meeting, senegal):
    registration = _submit(meeting, senegal, "awa@example.org")
    Registration.objects.filter(pk=registration.pk).update(search_text="as it was")

    services.update_registration(registration, data={"function": "Consul"})

    assert Registration.objects.get(pk=registration.pk).search_text == "as it was"


# --- new links ----------------------------------------------------------------------------


def test_send_new_link_renews_every_live_registration_of_the_address(
    meeting, make_meeting, senegal
):
    live = _submit(meeting, senegal, "awa@example.org")
    cancelled = RegistrationFactory(
        meeting=meeting, email="awa@example.org", status=S.CANCELLED, delegation=senegal
    )
    elsewhere = _submit(make_meeting(), senegal, "awa@example.org")

    sent = services.send_new_link(meeting, email=" AWA@example.org ")

    assert sent == 1
    assert Registration.objects.get(pk=live.pk).link_version == 2
    assert Registration.objects.get(pk=cancelled.pk).link_version == 1
    assert Registration.objects.get(pk=elsewhere.pk).link_version == 1
    assert _events(live)[-1] == ("link", "awa@example.org")


def test_send_new_link_unknown_address_sends_nothing(meeting, senegal):
    _submit(meeting, senegal, "awa@example.org")
    before = Notification.objects.count()

    sent = services.send_new_link(meeting, email="nobody@example.org")

    assert sent == 0
    assert Notification.objects.count() == before


def test_send_new_link_unverified_sends_a_new_verification_link(make_meeting, senegal):
    meeting = make_meeting(email_verification_required=True)
    registration = _submit(meeting, senegal, "awa@example.org")

    services.send_new_link(meeting, email="awa@example.org")

    # The old verification link died with the version bump: the new email must carry one.
    assert _events(registration) == [("verify", "awa@example.org"), ("verify", "awa@example.org")]


# --- decisions that stick -------------------------------------------------------------------


def test_approve_registration_refused_while_awaiting_the_focal_point(
    make_meeting, senegal, secretariat_officer
):
    meeting = make_meeting(focal_point_endorsement_required=True)
    registration = _submit(meeting, senegal, "awa@example.org")

    error = _refused(
        "endorsement", services.approve_registration, registration, actor=secretariat_officer
    )

    assert error.message == "The focal point has not endorsed this registration yet."
    assert _status(registration) == S.AWAITING_FOCAL_POINT


def test_waitlisted_by_decision_is_not_promoted_when_a_place_frees(
    make_meeting, senegal, france, secretariat_officer
):
    meeting = make_meeting(in_person_capacity=2)
    kept_waiting = _submit(meeting, senegal, "kept@example.org")
    other = _submit(meeting, france, "other@example.org")
    services.waitlist_registration(kept_waiting, actor=secretariat_officer, reason="Later")
    _submit(meeting, france, "queued@example.org")  # takes the freed place at once
    waiting = _submit(meeting, senegal, "waiting@example.org")

    services.cancel_registration(other)

    assert _statuses(meeting) == {
        "kept@example.org": S.WAITLISTED,
        "other@example.org": S.CANCELLED,
        "queued@example.org": S.AWAITING_SECRETARIAT,
        "waiting@example.org": S.AWAITING_SECRETARIAT,
    }
    assert _audit(waiting)[-1][3:] == (S.AWAITING_SECRETARIAT, "A place became free.")
    assert Registration.objects.get(pk=kept_waiting.pk).waitlisted_by_decision is True


def test_approving_a_registration_waitlisted_by_decision_clears_the_mark(
    make_meeting, senegal, secretariat_officer
):
    meeting = make_meeting()
    registration = _submit(meeting, senegal, "awa@example.org")
    services.waitlist_registration(registration, actor=secretariat_officer)

    services.approve_registration(registration, actor=secretariat_officer)

    registration.refresh_from_db()
    assert (registration.status, registration.waitlisted_by_decision) == (S.APPROVED, False)


def test_promotion_of_an_endorsed_registration_skips_the_focal_point(make_meeting, senegal, france):
    meeting = make_meeting(in_person_capacity=1, focal_point_endorsement_required=True)
    holder = _submit(meeting, france, "holder@example.org")
    endorsed = RegistrationFactory(
        meeting=meeting,
        delegation=senegal,
        email="endorsed@example.org",
        status=S.WAITLISTED,
        waitlisted_at=timezone.now(),
        endorsed_at=timezone.now(),
    )

    services.cancel_registration(holder)

    assert _status(endorsed) == S.AWAITING_SECRETARIAT


# --- places freed: raised limits, moves between in person and online ----------------------


def test_update_meeting_capacities_raised_by_two_promotes_the_first_two_waiting_in_order(
    make_meeting, senegal, france, secretariat_officer
):
    meeting, _taken, waiting = _full_meeting(make_meeting, [senegal, france])

    update_meeting_capacities(meeting, actor=secretariat_officer, in_person_capacity=3)

    assert _statuses(meeting) == {
        "taken@example.org": S.AWAITING_SECRETARIAT,
        "wait1@example.org": S.AWAITING_SECRETARIAT,
        "wait2@example.org": S.AWAITING_SECRETARIAT,
        "wait3@example.org": S.WAITLISTED,
    }
    assert [_events(registration)[-1] for registration in waiting] == [
        ("promoted", "wait1@example.org"),
        ("promoted", "wait2@example.org"),
        ("waitlisted", "wait3@example.org"),
    ]
    assert [_audit(registration)[-1] for registration in waiting[:2]] == [
        (
            "registration.status",
            secretariat_officer.pk,
            S.WAITLISTED,
            S.AWAITING_SECRETARIAT,
            "A place became free.",
        )
    ] * 2


def test_update_meeting_capacities_promotion_emails_the_delegate_after_commit(
    make_meeting, senegal, france, secretariat_officer, django_capture_on_commit_callbacks
):
    meeting, _taken, _waiting = _full_meeting(make_meeting, [senegal, france])

    with django_capture_on_commit_callbacks(execute=True):
        update_meeting_capacities(meeting, actor=secretariat_officer, in_person_capacity=2)

    assert [message.to for message in mail.outbox] == [["wait1@example.org"]]


def test_update_meeting_capacities_unlimited_promotes_everyone_waiting(
    make_meeting, senegal, france, secretariat_officer
):
    meeting, _taken, _waiting = _full_meeting(make_meeting, [senegal, france])

    update_meeting_capacities(meeting, actor=secretariat_officer, in_person_capacity=None)

    assert set(_statuses(meeting).values()) == {S.AWAITING_SECRETARIAT}


def test_update_meeting_capacities_first_come_promotes_to_approved(
    make_meeting, senegal, france, secretariat_officer
):
    meeting, _taken, _waiting = _full_meeting(
        make_meeting, [senegal, france], approval_mode=ApprovalMode.FIRST_COME
    )

    update_meeting_capacities(meeting, actor=secretariat_officer, in_person_capacity=2)

    assert _statuses(meeting) == {
        "taken@example.org": S.APPROVED,
        "wait1@example.org": S.APPROVED,
        "wait2@example.org": S.WAITLISTED,
        "wait3@example.org": S.WAITLISTED,
    }


def test_update_meeting_capacities_raised_keeps_a_full_delegation_waiting_and_promotes_the_next(
    make_meeting, senegal, france, secretariat_officer
):
    meeting = make_meeting(in_person_capacity=1, delegation_size=1)
    _submit(meeting, senegal, "sn1@example.org")
    _submit(meeting, senegal, "sn2@example.org")  # waits: capacity and delegation
    _submit(meeting, france, "fr1@example.org")  # waits: capacity

    update_meeting_capacities(meeting, actor=secretariat_officer, in_person_capacity=3)

    assert _statuses(meeting) == {
        "sn1@example.org": S.AWAITING_SECRETARIAT,
        "sn2@example.org": S.WAITLISTED,
        "fr1@example.org": S.AWAITING_SECRETARIAT,
    }


def test_update_meeting_capacities_delegation_size_raised_promotes_that_delegation_in_order(
    make_meeting, senegal, france, secretariat_officer
):
    meeting = make_meeting(in_person_capacity=5, delegation_size=1)
    _submit(meeting, senegal, "sn1@example.org")
    _submit(meeting, france, "fr1@example.org")
    _submit(meeting, senegal, "sn2@example.org")  # waits: delegation
    _submit(meeting, senegal, "sn3@example.org")  # waits: delegation

    update_meeting_capacities(meeting, actor=secretariat_officer, delegation_size=2)

    assert _statuses(meeting) == {
        "sn1@example.org": S.AWAITING_SECRETARIAT,
        "fr1@example.org": S.AWAITING_SECRETARIAT,
        "sn2@example.org": S.AWAITING_SECRETARIAT,
        "sn3@example.org": S.WAITLISTED,
    }


def test_update_meeting_capacities_delegation_heads_raised_promotes_the_waiting_head(
    make_meeting, senegal, secretariat_officer
):
    meeting = make_meeting(delegation_size=3, delegation_heads=1)
    _submit(meeting, senegal, "head1@example.org", role=HEAD)
    _submit(meeting, senegal, "head2@example.org", role=HEAD)  # waits: heads
    _submit(meeting, senegal, "member@example.org")

    update_meeting_capacities(meeting, actor=secretariat_officer, delegation_heads=2)

    assert _statuses(meeting) == {
        "head1@example.org": S.AWAITING_SECRETARIAT,
        "head2@example.org": S.AWAITING_SECRETARIAT,
        "member@example.org": S.AWAITING_SECRETARIAT,
    }


def test_update_meeting_capacities_online_raised_promotes_only_those_waiting_online(
    make_meeting, senegal, france, secretariat_officer
):
    meeting = make_meeting(format=MeetingFormat.HYBRID, in_person_capacity=1, online_capacity=1)
    _submit(meeting, senegal, "room@example.org")
    _submit(meeting, senegal, "screen@example.org", participation=ONLINE)
    _submit(meeting, france, "room2@example.org")  # waits for a seat in the room
    _submit(meeting, france, "screen2@example.org", participation=ONLINE)
    _submit(meeting, senegal, "screen3@example.org", participation=ONLINE)

    update_meeting_capacities(meeting, actor=secretariat_officer, online_capacity=2)

    assert _statuses(meeting) == {
        "room@example.org": S.AWAITING_SECRETARIAT,
        "screen@example.org": S.AWAITING_SECRETARIAT,
        "room2@example.org": S.WAITLISTED,
        "screen2@example.org": S.AWAITING_SECRETARIAT,
        "screen3@example.org": S.WAITLISTED,
    }


def test_update_meeting_capacities_raised_leaves_those_waitlisted_by_decision(
    make_meeting, senegal, france, secretariat_officer
):
    meeting = make_meeting(in_person_capacity=1)
    kept = _submit(meeting, senegal, "kept@example.org")
    services.waitlist_registration(kept, actor=secretariat_officer, reason="Later")
    _submit(meeting, france, "holder@example.org")
    _submit(meeting, france, "waiting@example.org")

    update_meeting_capacities(meeting, actor=secretariat_officer, in_person_capacity=3)

    assert _statuses(meeting) == {
        "kept@example.org": S.WAITLISTED,
        "holder@example.org": S.AWAITING_SECRETARIAT,
        "waiting@example.org": S.AWAITING_SECRETARIAT,
    }


def test_newcomer_after_a_raise_does_not_overtake_those_still_waiting(
    make_meeting, senegal, france, secretariat_officer
):
    meeting, _taken, waiting = _full_meeting(make_meeting, [senegal, france])
    update_meeting_capacities(meeting, actor=secretariat_officer, in_person_capacity=3)
    newcomer = _submit(meeting, france, "new@example.org")
    after_first_raise = _status(newcomer)

    update_meeting_capacities(meeting, actor=secretariat_officer, in_person_capacity=4)

    assert after_first_raise == S.WAITLISTED
    assert (_status(waiting[2]), _status(newcomer)) == (S.AWAITING_SECRETARIAT, S.WAITLISTED)


def test_reject_registration_audits_the_promotion_with_the_deciding_officer(
    make_meeting, senegal, france, secretariat_officer
):
    _meeting, taken, waiting = _full_meeting(make_meeting, [senegal, france])

    services.reject_registration(taken, actor=secretariat_officer, reason="Not a delegate")

    assert _audit(waiting[0])[-1] == (
        "registration.status",
        secretariat_officer.pk,
        S.WAITLISTED,
        S.AWAITING_SECRETARIAT,
        "A place became free.",
    )
    assert _events(waiting[0])[-1] == ("promoted", "wait1@example.org")


def _hybrid_full_in_person(make_meeting, senegal, france, **fields):
    """Hybrid, one seat in the room taken by `taken@`, two waiting for it in order."""
    meeting = make_meeting(format=MeetingFormat.HYBRID, in_person_capacity=1, **fields)
    taken = _submit(meeting, senegal, "taken@example.org")
    waiting = [
        _submit(meeting, france, "wait1@example.org"),
        _submit(meeting, senegal, "wait2@example.org"),
    ]
    return meeting, taken, waiting


def test_change_participation_to_online_frees_the_seat_for_the_first_waiting(
    make_meeting, senegal, france, secretariat_officer
):
    meeting, taken, waiting = _hybrid_full_in_person(make_meeting, senegal, france)

    returned = services.change_participation(taken, ONLINE, actor=secretariat_officer)

    assert (returned.participation, returned.status) == (ONLINE, S.AWAITING_SECRETARIAT)
    assert _statuses(meeting) == {
        "taken@example.org": S.AWAITING_SECRETARIAT,
        "wait1@example.org": S.AWAITING_SECRETARIAT,
        "wait2@example.org": S.WAITLISTED,
    }
    assert _audit(taken)[-1] == (
        "registration.participation",
        secretariat_officer.pk,
        Participation.IN_PERSON,
        ONLINE,
        "",
    )
    assert _audit(waiting[0])[-1][1:] == (
        secretariat_officer.pk,
        S.WAITLISTED,
        S.AWAITING_SECRETARIAT,
        "A place became free.",
    )
    assert _events(taken) == [("received", "taken@example.org")]
    assert _events(waiting[0])[-1] == ("promoted", "wait1@example.org")


def test_change_participation_without_a_seat_free_online_is_refused(
    make_meeting, senegal, france, secretariat_officer
):
    meeting, taken, _waiting = _hybrid_full_in_person(
        make_meeting, senegal, france, online_capacity=1
    )
    _submit(meeting, france, "screen@example.org", participation=ONLINE)

    error = _refused(
        "capacity", services.change_participation, taken, ONLINE, actor=secretariat_officer
    )

    assert (error.message, error.field) == (
        "No place is free for this way of attending.",
        "participation",
    )
    assert Registration.objects.get(pk=taken.pk).participation == Participation.IN_PERSON
    assert _statuses(meeting)["wait1@example.org"] == S.WAITLISTED
    assert [entry[0] for entry in _audit(taken)] == ["registration.created"]


def test_change_participation_of_a_waiting_registration_promotes_it_where_a_seat_is_free(
    make_meeting, senegal, france, secretariat_officer
):
    meeting, _taken, waiting = _hybrid_full_in_person(make_meeting, senegal, france)

    services.change_participation(waiting[1], ONLINE, actor=secretariat_officer)

    assert _statuses(meeting) == {
        "taken@example.org": S.AWAITING_SECRETARIAT,
        "wait1@example.org": S.WAITLISTED,
        "wait2@example.org": S.AWAITING_SECRETARIAT,
    }


def test_change_participation_to_the_same_way_changes_nothing(
    make_meeting, senegal, france, secretariat_officer
):
    _meeting, taken, _waiting = _hybrid_full_in_person(make_meeting, senegal, france)
    before = _audit(taken)

    services.change_participation(taken, Participation.IN_PERSON, actor=secretariat_officer)

    assert _audit(taken) == before


def test_change_participation_the_meeting_does_not_offer_is_refused(
    make_meeting, senegal, secretariat_officer
):
    meeting = make_meeting(format=MeetingFormat.IN_PERSON)
    registration = _submit(meeting, senegal, "awa@example.org")

    with translation.override("fr"):
        error = _refused(
            "participation",
            services.change_participation,
            registration,
            ONLINE,
            actor=secretariat_officer,
        )

    assert error.message == "La réunion ne peut pas être suivie de cette manière."
    assert Registration.objects.get(pk=registration.pk).participation == Participation.IN_PERSON


def test_change_participation_refusal_for_want_of_a_seat_in_french(
    make_meeting, senegal, france, secretariat_officer
):
    _meeting, taken, _waiting = _hybrid_full_in_person(
        make_meeting, senegal, france, online_capacity=0
    )

    with translation.override("fr"):
        error = _refused(
            "capacity", services.change_participation, taken, ONLINE, actor=secretariat_officer
        )

    assert error.message == "Aucune place n'est libre pour ce mode de participation."


@pytest.mark.parametrize("persona", ["outsider", "focal_point_senegal", "organiser"])
def test_change_participation_by_who_does_not_manage_the_meeting_is_refused(
    persona, request, make_meeting, senegal, france
):
    _meeting, taken, _waiting = _hybrid_full_in_person(make_meeting, senegal, france)
    user = request.getfixturevalue(persona)  # the organiser of another meeting

    _refused("forbidden", services.change_participation, taken, ONLINE, actor=user)

    assert Registration.objects.get(pk=taken.pk).participation == Participation.IN_PERSON


def test_change_participation_of_an_ended_registration_is_refused(
    make_meeting, senegal, france, secretariat_officer
):
    _meeting, taken, _waiting = _hybrid_full_in_person(make_meeting, senegal, france)
    services.cancel_registration(taken)

    _refused("transition", services.change_participation, taken, ONLINE, actor=secretariat_officer)


# --- the meeting is cancelled --------------------------------------------------------------


def test_notify_delegates_of_cancellation_queues_one_email_per_active_registration(meeting):
    active = [RegistrationFactory(meeting=meeting, status=status) for status in ACTIVE]
    RegistrationFactory(meeting=meeting, status=S.REJECTED)

    count = services.notify_delegates_of_cancellation(meeting)

    assert count == len(ACTIVE) == 5
    assert sorted(Notification.objects.values_list("registration_id", "event", "recipient")) == [
        (registration.pk, "meeting_cancelled", registration.email) for registration in active
    ]


# --- self-registration: no enumeration ----------------------------------------------------


def test_submit_self_registration_new_address_creates_the_registration(meeting, senegal):
    data = registration_data(meeting, senegal, email="awa@example.org")

    registration = services.submit_self_registration(meeting, data=data, source=Source.API)

    assert (registration.source, _status(registration)) == (Source.API, S.AWAITING_SECRETARIAT)
    assert _events(registration) == [("received", "awa@example.org")]


@pytest.mark.parametrize(
    "status", [S.AWAITING_VERIFICATION, S.AWAITING_FOCAL_POINT, S.APPROVED, S.WAITLISTED]
)
def test_submit_self_registration_address_already_registered_changes_nothing_but_emails_it(
    status, meeting, senegal, france
):
    existing = RegistrationFactory(
        meeting=meeting, delegation=senegal, email="awa@example.org", status=status
    )
    before = Registration.objects.values().get(pk=existing.pk)
    audit_before = AuditEntry.objects.count()

    result = services.submit_self_registration(
        meeting, data=registration_data(meeting, france, email="Awa@Example.org")
    )

    assert result is None
    assert list(Registration.objects.values()) == [before]
    assert AuditEntry.objects.count() == audit_before
    assert _events(existing) == [("already_registered", "awa@example.org")]


def test_submit_self_registration_address_registered_before_but_cancelled_registers_again(
    meeting, senegal
):
    RegistrationFactory(
        meeting=meeting, delegation=senegal, email="awa@example.org", status=S.CANCELLED
    )

    registration = services.submit_self_registration(
        meeting, data=registration_data(meeting, senegal, email="awa@example.org")
    )

    assert _status(registration) == S.AWAITING_SECRETARIAT


def test_submit_self_registration_closed_is_refused_before_the_address_is_looked_at(
    make_meeting, senegal
):
    meeting = make_meeting(registration_opens_at=None, registration_closes_at=None)
    RegistrationFactory(meeting=meeting, delegation=senegal, email="awa@example.org")

    error = _refused(
        "closed",
        services.submit_self_registration,
        meeting,
        data=registration_data(meeting, senegal, email="awa@example.org"),
    )

    assert error.message == "Registration for this meeting is not open."


@pytest.mark.parametrize("source", [Source.FOCAL_POINT, Source.SECRETARIAT])
def test_submit_self_registration_from_staff_sources_is_a_programming_error(
    source, meeting, senegal
):
    with pytest.raises(ValueError, match="Not a self-registration source"):
        services.submit_self_registration(
            meeting, data=registration_data(meeting, senegal), source=source
        )


# --- one write of the registration per decision -----------------------------------------

REGISTRATION_UPDATE = f'UPDATE "{Registration._meta.db_table}"'


def _registration_updates(queries) -> list[str]:
    return [query["sql"] for query in queries if query["sql"].startswith(REGISTRATION_UPDATE)]


def test_approve_registration_over_the_quota_writes_the_registration_once(
    make_meeting, senegal, france, secretariat_officer
):
    meeting = make_meeting(in_person_capacity=1)
    _submit(meeting, senegal, "one@example.org")
    waiting = _submit(meeting, france, "two@example.org")

    with CaptureQueriesContext(connection) as queries:
        services.approve_registration(waiting, actor=secretariat_officer, override_reason="Host")

    assert len(_registration_updates(queries.captured_queries)) == 1
    waiting.refresh_from_db()
    assert (waiting.status, waiting.quota_override_reason, waiting.decision_reason) == (
        S.APPROVED,
        "Host",
        "Host",
    )


def test_waitlist_registration_writes_the_registration_once(meeting, senegal, secretariat_officer):
    registration = _submit(meeting, senegal, "one@example.org")

    with CaptureQueriesContext(connection) as queries:
        services.waitlist_registration(registration, actor=secretariat_officer)

    assert len(_registration_updates(queries.captured_queries)) == 1
    registration.refresh_from_db()
    assert (registration.status, registration.waitlisted_by_decision) == (S.WAITLISTED, True)


def test_endorse_registration_writes_the_registration_once(
    make_meeting, senegal, focal_point_senegal
):
    meeting = make_meeting(focal_point_endorsement_required=True)
    registration = _submit(meeting, senegal, "one@example.org")

    with CaptureQueriesContext(connection) as queries:
        services.endorse_registration(registration, actor=focal_point_senegal)

    assert len(_registration_updates(queries.captured_queries)) == 1
    registration.refresh_from_db()
    assert registration.status == S.AWAITING_SECRETARIAT
    assert registration.endorsed_at is not None


def test_verify_registration_email_writes_the_registration_once(make_meeting, senegal):
    meeting = make_meeting(email_verification_required=True)
    registration = _submit(meeting, senegal, "one@example.org")

    with CaptureQueriesContext(connection) as queries:
        services.verify_registration_email(registration)

    assert len(_registration_updates(queries.captured_queries)) == 1
    registration.refresh_from_db()
    assert registration.status == S.AWAITING_SECRETARIAT
    assert registration.verified_at is not None


@pytest.mark.parametrize("decision", ["reject", "decline"])
def test_refusals_write_the_registration_once(
    decision, make_meeting, senegal, secretariat_officer, focal_point_senegal
):
    meeting = make_meeting(focal_point_endorsement_required=True)
    registration = _submit(meeting, senegal, "one@example.org")
    decide, actor, status = {
        "reject": (services.reject_registration, secretariat_officer, S.REJECTED),
        "decline": (services.decline_registration, focal_point_senegal, S.DECLINED),
    }[decision]

    with CaptureQueriesContext(connection) as queries:
        decide(registration, actor=actor, reason="Not this time")

    assert len(_registration_updates(queries.captured_queries)) == 1
    assert _status(registration) == status


def test_waitlisted_by_decision_approved_clears_the_mark_in_the_same_write(
    meeting, senegal, secretariat_officer
):
    registration = _submit(meeting, senegal, "one@example.org")
    services.waitlist_registration(registration, actor=secretariat_officer)

    with CaptureQueriesContext(connection) as queries:
        services.approve_registration(registration, actor=secretariat_officer)

    assert len(_registration_updates(queries.captured_queries)) == 1
    registration.refresh_from_db()
    assert (registration.status, registration.waitlisted_by_decision) == (S.APPROVED, False)


def test_change_participation_to_an_unknown_way_is_refused(
    make_meeting, senegal, france, secretariat_officer
):
    _meeting, taken, _waiting = _hybrid_full_in_person(make_meeting, senegal, france)

    error = _refused(
        "participation",
        services.change_participation,
        taken,
        "by-carrier-pigeon",
        actor=secretariat_officer,
    )

    assert (error.message, error.field) == (
        "The meeting cannot be attended this way.",
        "participation",
    )
    assert Registration.objects.get(pk=taken.pk).participation == Participation.IN_PERSON


# --- exports -------------------------------------------------------------------------------


def test_record_registrations_export_of_one_meeting_is_kept_on_the_meeting(
    meeting, senegal, secretariat_officer
):
    rows = [RegistrationFactory(meeting=meeting, delegation=senegal) for _ in range(3)]

    entry = services.record_registrations_export(
        rows, actor=secretariat_officer, file_format="csv", filters="status__exact=approved"
    )

    assert list(audit_entries_for(meeting)) == [entry]
    assert (entry.actor, entry.action, entry.from_state, entry.to_state, entry.reason) == (
        secretariat_officer,
        "registrations_exported",
        "csv",
        "3",
        "status__exact=approved",
    )


def test_record_registrations_export_of_several_meetings_is_kept_on_the_actor(
    meeting, make_meeting, senegal, secretariat_officer
):
    rows = [
        RegistrationFactory(meeting=meeting, delegation=senegal),
        RegistrationFactory(meeting=make_meeting(slug="second"), delegation=senegal),
    ]

    entry = services.record_registrations_export(
        rows, actor=secretariat_officer, file_format="xlsx", filters=""
    )

    assert list(audit_entries_for(secretariat_officer)) == [entry]
    assert (entry.from_state, entry.to_state) == ("xlsx", "2")


def test_record_registrations_export_of_no_row_is_kept_on_the_actor(secretariat_officer):
    entry = services.record_registrations_export(
        [], actor=secretariat_officer, file_format="csv", filters="q=nobody"
    )

    assert list(audit_entries_for(secretariat_officer)) == [entry]
    assert (entry.to_state, entry.reason) == ("0", "q=nobody")
