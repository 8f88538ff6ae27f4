"""Reads of registrations: the waiting list's order and why a registration waits, the
back-office's search, the decisions open on a registration."""

import datetime

import pytest
from django.utils import timezone, translation

from convene.meetings.enums import MeetingFormat, MeetingStatus
from convene.registrations import selectors, services
from convene.registrations.enums import DelegationRole, Participation, RegistrationStatus
from convene.registrations.models import Registration
from tests.factories.core import OrganiserRoleFactory
from tests.factories.registrations import RegistrationFactory

pytestmark = pytest.mark.django_db

S = RegistrationStatus


def _waiting(meeting, delegation, *, minutes, **fields):
    """A registration on the waiting list since `minutes` past a fixed moment."""
    since = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
    return RegistrationFactory(
        meeting=meeting,
        delegation=delegation,
        status=S.WAITLISTED,
        waitlisted_at=since + datetime.timedelta(minutes=minutes),
        **fields,
    )


def _holding(meeting, delegation, count, **fields):
    return RegistrationFactory.create_batch(
        count, meeting=meeting, delegation=delegation, status=S.APPROVED, **fields
    )


# --- waiting_list_position --------------------------------------------------------------


def test_waiting_list_position_follows_waiting_since_then_id(make_meeting, senegal, france):
    meeting = make_meeting(in_person_capacity=1)
    second = _waiting(meeting, france, minutes=5)
    first = _waiting(meeting, senegal, minutes=1)
    third = _waiting(meeting, senegal, minutes=5)

    positions = [selectors.waiting_list_position(r) for r in (first, second, third)]

    assert positions == [1, 2, 3]


def test_waiting_list_position_counts_only_the_same_way_of_attending(make_meeting, senegal):
    meeting = make_meeting(format=MeetingFormat.HYBRID, in_person_capacity=1, online_capacity=1)
    _waiting(meeting, senegal, minutes=1, participation=Participation.ONLINE)
    in_person = _waiting(meeting, senegal, minutes=2)
    online = _waiting(meeting, senegal, minutes=3, participation=Participation.ONLINE)

    assert selectors.waiting_list_position(in_person) == 1
    assert selectors.waiting_list_position(online) == 2


def test_waiting_list_position_leaves_out_those_waitlisted_by_decision(make_meeting, senegal):
    meeting = make_meeting(in_person_capacity=1)
    by_decision = _waiting(meeting, senegal, minutes=1, waitlisted_by_decision=True)
    waiting = _waiting(meeting, senegal, minutes=2)

    assert selectors.waiting_list_position(by_decision) is None
    assert selectors.waiting_list_position(waiting) == 1


def test_waiting_list_position_of_a_registration_not_waiting_is_none(make_meeting, senegal):
    meeting = make_meeting()
    approved = RegistrationFactory(meeting=meeting, delegation=senegal, status=S.APPROVED)

    assert selectors.waiting_list_position(approved) is None


# --- waiting_list_positions ---------------------------------------------------------------


def test_waiting_list_positions_agree_with_each_position_in_one_query(
    make_meeting, senegal, france, django_assert_num_queries
):
    meeting = make_meeting(format=MeetingFormat.HYBRID, in_person_capacity=1, online_capacity=1)
    other = make_meeting(slug="other-waiting", in_person_capacity=1)
    rows = [
        _waiting(meeting, france, minutes=5),
        _waiting(meeting, senegal, minutes=1),
        _waiting(meeting, senegal, minutes=3, participation=Participation.ONLINE),
        _waiting(meeting, senegal, minutes=2, waitlisted_by_decision=True),
        _waiting(other, senegal, minutes=9),
        RegistrationFactory(meeting=meeting, delegation=senegal, status=S.APPROVED),
    ]
    # Waiting ahead of every row given, without being one of them.
    _waiting(meeting, france, minutes=0)

    with django_assert_num_queries(1):
        positions = selectors.waiting_list_positions(rows)

    assert positions == {rows[0].pk: 3, rows[1].pk: 2, rows[2].pk: 1, rows[4].pk: 1}
    assert positions == {
        row.pk: selectors.waiting_list_position(row)
        for row in rows
        if selectors.waiting_list_position(row) is not None
    }


def test_waiting_list_positions_of_rows_not_waiting_read_nothing(
    make_meeting, senegal, django_assert_num_queries
):
    meeting = make_meeting()
    rows = RegistrationFactory.create_batch(3, meeting=meeting, delegation=senegal)

    with django_assert_num_queries(0):
        positions = selectors.waiting_list_positions(rows)

    assert positions == {}


# --- search_registrations ------------------------------------------------------------------


@pytest.fixture
def searched(make_meeting, senegal, france, reference_data):
    meeting = make_meeting()
    germany = reference_data.partners.get(code="DE")
    return {
        "aissatou": RegistrationFactory(
            meeting=meeting,
            delegation=senegal,
            first_name="Aïssatou",
            last_name="Traoré",
            email="a.traore@gouv.sn",
            institution="Direction générale des Sénégalais de l'extérieur",
        ),
        "moussa": RegistrationFactory(
            meeting=meeting, delegation=senegal, first_name="Moussa", last_name="Ndiaye"
        ),
        "claire": RegistrationFactory(
            meeting=meeting,
            delegation=france,
            first_name="Claire",
            last_name="Dubois",
            institution="Ambassade de France au Sénégal",
        ),
        "jonas": RegistrationFactory(
            meeting=meeting, delegation=germany, first_name="Jonas", last_name="Müller"
        ),
    }


def _found(searched, query) -> set[str]:
    ids = {row.pk: key for key, row in searched.items()}
    matches = selectors.search_registrations(Registration.objects.filter(pk__in=ids), query)
    return {ids[pk] for pk in matches.values_list("pk", flat=True)}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Traoré", {"aissatou"}),
        ("traore", {"aissatou"}),
        ("TRAORE", {"aissatou"}),
        ("aissatou traore", {"aissatou"}),
        ("muller", {"jonas"}),
        ("a.traore@GOUV.sn", {"aissatou"}),
        ("senegalais exterieur", {"aissatou"}),
        # The delegation's name, in either language, or the institution's.
        ("Sénégal", {"aissatou", "moussa", "claire"}),
        ("senegal", {"aissatou", "moussa", "claire"}),
        ("germany", {"jonas"}),
        ("Allemagne", {"jonas"}),
        # Every word must match somewhere.
        ("traore france", set()),
        ("dubois senegal", {"claire"}),
        ("", {"aissatou", "moussa", "claire", "jonas"}),
        ("100%_", set()),
    ],
)
def test_search_registrations_matches_every_word_without_accents_or_case(query, expected, searched):
    assert _found(searched, query) == expected


def test_search_registrations_finds_the_reference(searched):
    reference = searched["moussa"].reference

    assert _found(searched, reference.lower()) == {"moussa"}


def test_search_registrations_finds_a_renamed_partner_by_its_new_name(searched, senegal):
    senegal.name_fr = "République du Sénégal"
    senegal.save()

    assert _found(searched, "republique") == {"aissatou", "moussa"}


def test_search_registrations_reads_the_partners_once(searched, django_assert_num_queries):
    registrations = Registration.objects.all()

    with django_assert_num_queries(2):
        found = list(selectors.search_registrations(registrations, "senegal traore"))

    assert found == [searched["aissatou"]]


# --- decisions_open_to ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (S.AWAITING_VERIFICATION, ["approve", "waitlist"]),
        (S.AWAITING_FOCAL_POINT, ["waitlist", "reject", "endorse_on_behalf"]),
        (S.AWAITING_SECRETARIAT, ["approve", "waitlist", "reject"]),
        (S.APPROVED, ["reject"]),
        (S.WAITLISTED, ["approve", "reject"]),
        (S.DECLINED, []),
        (S.REJECTED, []),
        (S.CANCELLED, []),
    ],
)
def test_decisions_open_to_the_secretariat_follow_the_state_machine(
    status, expected, make_meeting, senegal, secretariat_officer
):
    registration = RegistrationFactory(meeting=make_meeting(), delegation=senegal, status=status)

    assert selectors.decisions_open_to(secretariat_officer, registration) == expected


def test_decisions_open_to_an_organiser_leave_out_the_endorsement(make_meeting, senegal):
    meeting = make_meeting()
    organiser = OrganiserRoleFactory(meeting=meeting).user
    registration = RegistrationFactory(
        meeting=meeting, delegation=senegal, status=S.AWAITING_FOCAL_POINT
    )

    assert selectors.decisions_open_to(organiser, registration) == ["waitlist", "reject"]


@pytest.mark.parametrize("persona", ["focal_point_senegal", "other_organiser", "outsider"])
def test_decisions_open_to_others_are_none(persona, request, make_meeting, senegal):
    registration = RegistrationFactory(meeting=make_meeting(), delegation=senegal)

    assert selectors.decisions_open_to(request.getfixturevalue(persona), registration) == []


def test_decisions_open_offer_approval_over_the_quota_when_no_place_is_free(
    make_meeting, senegal, france, secretariat_officer
):
    meeting = make_meeting(in_person_capacity=1)
    _holding(meeting, france, 1)
    waiting = _waiting(meeting, senegal, minutes=1)

    assert selectors.decisions_open_to(secretariat_officer, waiting) == [
        "approve_over_quota",
        "reject",
    ]


@pytest.mark.parametrize(
    ("status", "decision"),
    [(S.APPROVED, "approve"), (S.APPROVED, "waitlist"), (S.WAITLISTED, "waitlist")],
)
def test_decisions_not_offered_are_those_the_services_refuse(
    status, decision, make_meeting, senegal, secretariat_officer
):
    registration = RegistrationFactory(meeting=make_meeting(), delegation=senegal, status=status)
    decide = {
        "approve": services.approve_registration,
        "waitlist": services.waitlist_registration,
    }[decision]

    offered = selectors.decisions_open_to(secretariat_officer, registration)
    with pytest.raises(services.RegistrationError) as refusal:
        decide(registration, actor=secretariat_officer)

    assert decision not in offered
    assert refusal.value.code == "transition"


# --- waitlist_reason ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "All 2 in-person places at the meeting are taken."),
        ("fr", "Les 2 places en présentiel de la réunion sont toutes prises."),
    ],
)
def test_waitlist_reason_when_the_meeting_is_full(language, expected, make_meeting, senegal):
    meeting = make_meeting(in_person_capacity=2)
    _holding(meeting, senegal, 2)
    waiting = _waiting(meeting, senegal, minutes=1)

    with translation.override(language):
        assert selectors.waitlist_reason(waiting) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "The meeting's 1 online place is taken."),
        ("fr", "La réunion a 1 place en ligne, déjà prise."),
    ],
)
def test_waitlist_reason_when_the_only_online_place_is_taken(
    language, expected, make_meeting, senegal
):
    meeting = make_meeting(format=MeetingFormat.ONLINE, online_capacity=1)
    _holding(meeting, senegal, 1, participation=Participation.ONLINE)
    waiting = _waiting(meeting, senegal, minutes=1, participation=Participation.ONLINE)

    with translation.override(language):
        assert selectors.waitlist_reason(waiting) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Senegal: all 2 places of the delegation are taken."),
        ("fr", "Sénégal\xa0: les 2 places de la délégation sont toutes prises."),
    ],
)
def test_waitlist_reason_when_the_delegation_places_are_taken(
    language, expected, make_meeting, senegal
):
    meeting = make_meeting(in_person_capacity=50, delegation_size=2)
    _holding(meeting, senegal, 2)
    waiting = _waiting(meeting, senegal, minutes=1)

    with translation.override(language):
        assert selectors.waitlist_reason(waiting) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Senegal: the delegation's 1 place for a head of delegation is taken."),
        ("fr", "Sénégal\xa0: la délégation a 1 place de chef de délégation, déjà prise."),
    ],
)
def test_waitlist_reason_when_the_head_place_is_taken(language, expected, make_meeting, senegal):
    meeting = make_meeting(delegation_size=2, delegation_heads=1)
    _holding(meeting, senegal, 1, role=DelegationRole.HEAD)
    waiting = _waiting(meeting, senegal, minutes=1, role=DelegationRole.HEAD)

    with translation.override(language):
        assert selectors.waitlist_reason(waiting) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Senegal: the delegation's 1 place for a member or an expert is taken."),
        ("fr", "Sénégal\xa0: la délégation a 1 place de membre ou d'expert, déjà prise."),
    ],
)
def test_waitlist_reason_when_the_place_for_members_is_taken_and_the_other_kept_for_a_head(
    language, expected, make_meeting, senegal
):
    # "1+1" with one member in: the second member waits though the head's place is free,
    # so "all 2 places of the delegation are taken" would be untrue.
    meeting = make_meeting(delegation_size=2, delegation_heads=1)
    _holding(meeting, senegal, 1, role=DelegationRole.MEMBER)
    waiting = _waiting(meeting, senegal, minutes=1, role=DelegationRole.MEMBER)

    with translation.override(language):
        assert selectors.waitlist_reason(waiting) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "The Secretariat placed your registration on the waiting list."),
        ("fr", "Le Secrétariat a placé votre inscription sur la liste d'attente."),
    ],
)
def test_waitlist_reason_when_waitlisted_by_decision(language, expected, make_meeting, senegal):
    meeting = make_meeting()
    waiting = _waiting(meeting, senegal, minutes=1, waitlisted_by_decision=True)

    with translation.override(language):
        assert selectors.waitlist_reason(waiting) == expected


def test_waitlist_reason_is_empty_once_a_place_is_free(make_meeting, senegal):
    meeting = make_meeting(in_person_capacity=2)
    _holding(meeting, senegal, 1)
    waiting = _waiting(meeting, senegal, minutes=1)

    assert selectors.waitlist_reason(waiting) == ""


def test_waitlist_reason_of_a_registration_not_waiting_is_empty(make_meeting, senegal):
    meeting = make_meeting(in_person_capacity=1)
    approved = RegistrationFactory(
        meeting=meeting, delegation=senegal, status=S.APPROVED, decided_at=timezone.now()
    )

    assert selectors.waitlist_reason(approved) == ""


# --- places_left --------------------------------------------------------------------------


def test_places_left_counts_place_holders_in_each_limited_way(make_meeting, senegal):
    meeting = make_meeting(format=MeetingFormat.HYBRID, in_person_capacity=2, online_capacity=5)
    _holding(meeting, senegal, 1)
    _holding(meeting, senegal, 2, participation=Participation.ONLINE)
    RegistrationFactory(meeting=meeting, delegation=senegal, status=S.AWAITING_FOCAL_POINT)
    _waiting(meeting, senegal, minutes=1)

    assert selectors.places_left(meeting) == {"in_person": 1, "online": 3}


def test_places_left_leaves_out_unlimited_and_unoffered_ways(make_meeting, senegal):
    meeting = make_meeting(format=MeetingFormat.IN_PERSON, online_capacity=5)

    assert selectors.places_left(meeting) == {}


def test_places_left_never_goes_below_zero(make_meeting, senegal):
    meeting = make_meeting(in_person_capacity=1)
    _holding(meeting, senegal, 2)

    assert selectors.places_left(meeting) == {"in_person": 0}


# --- meetings open to entry by staff ---


def test_meetings_open_to_entry_for_the_secretariat_every_meeting_not_cancelled_latest_first(
    make_meeting, secretariat_officer
):
    today = timezone.localdate()
    later = make_meeting(slug="later", starts_on=today + datetime.timedelta(days=90))
    sooner = make_meeting(slug="sooner", starts_on=today + datetime.timedelta(days=30))
    past = make_meeting(slug="past", starts_on=today - datetime.timedelta(days=30))
    make_meeting(slug="called-off", status=MeetingStatus.CANCELLED)

    meetings = selectors.meetings_open_to_entry(secretariat_officer)

    assert list(meetings) == [later, sooner, past]


def test_meetings_open_to_entry_for_an_organiser_their_meeting_only(
    meeting, other_organiser, meeting_organiser, focal_point_senegal, outsider
):
    assert [
        list(selectors.meetings_open_to_entry(person))
        for person in (meeting_organiser, focal_point_senegal, outsider)
    ] == [[meeting], [], []]


# --- The endorsement note ---

DELEGATIONS_ONLY = ["partner_country", "partner_organisation"]
WITH_INVITED = ["partner_country", "local_authority"]
INVITED_ONLY = ["civil_society", "research"]


@pytest.mark.parametrize(
    ("required", "categories", "language", "expected"),
    [
        (False, DELEGATIONS_ONLY, "en", ""),
        (
            True,
            DELEGATIONS_ONLY,
            "en",
            "Your focal point must endorse your registration before it can hold a place.",
        ),
        (
            True,
            WITH_INVITED,
            "en",
            "Unless you come as an invited participant, your focal point must endorse your "
            "registration before it can hold a place.",
        ),
        (
            True,
            WITH_INVITED,
            "fr",
            "Sauf pour les personnes invitées, votre point focal doit donner son aval à votre "
            "inscription avant qu'elle puisse occuper une place.",
        ),
        (True, INVITED_ONLY, "en", ""),
    ],
)
def test_endorsement_note_speaks_to_those_it_concerns(
    required, categories, language, expected, make_meeting
):
    meeting = make_meeting(
        focal_point_endorsement_required=required, eligible_categories=categories
    )

    with translation.override(language):
        assert selectors.endorsement_note(meeting) == expected
