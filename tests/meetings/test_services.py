import copy
import datetime
import json
import time
from contextlib import contextmanager

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone, translation

from convene.core.errors import TryAgainLater
from convene.core.models import AuditEntry
from convene.dialogues.models import Domain
from convene.meetings import services as meeting_services
from convene.meetings.enums import MeetingFormat, MeetingStatus
from convene.meetings.errors import MeetingError
from convene.meetings.management.commands.load_demo_data import DEMO_DIR
from convene.meetings.models import Meeting, Session, Speaker
from convene.meetings.services import (
    CAPACITY_FIELDS,
    create_meeting,
    import_meeting,
    places_held,
    publication_problems,
    set_meeting_status,
    update_meeting_capacities,
)
from convene.meetings.signals import limits_changed
from convene.registrations.enums import DelegationRole, Participation, RegistrationStatus
from tests.factories.core import OrganiserRoleFactory
from tests.factories.meetings import MeetingFactory, SessionFactory
from tests.factories.registrations import RegistrationFactory
from tests.locking import hold_row_lock

pytestmark = pytest.mark.django_db

DRAFT, PUBLISHED, CANCELLED = MeetingStatus.DRAFT, MeetingStatus.PUBLISHED, MeetingStatus.CANCELLED


def _meeting_in(status, **fields):
    if status == PUBLISHED:
        return MeetingFactory(published=True, **fields)
    return MeetingFactory(status=status, **fields)


def _audit_trail(meeting):
    return [
        (entry.actor_id, entry.action, entry.from_state, entry.to_state, entry.reason)
        for entry in AuditEntry.objects.filter(object_id=str(meeting.pk)).order_by("id")
    ]


def _paris_spec():
    spec = json.loads((DEMO_DIR / "meetings.json").read_text(encoding="utf-8"))
    return copy.deepcopy(spec["meetings"][0])


# --- set_meeting_status: allowed transitions ---


@pytest.mark.parametrize(
    ("old", "new"),
    [(DRAFT, PUBLISHED), (DRAFT, CANCELLED), (PUBLISHED, DRAFT), (PUBLISHED, CANCELLED),
     (CANCELLED, DRAFT)],
)  # fmt: skip
def test_set_meeting_status_allowed_transition_saves_and_audits(old, new, secretariat_officer):
    meeting = _meeting_in(old)

    result = set_meeting_status(meeting, new, actor=secretariat_officer, reason="as agreed")

    assert result is meeting
    assert meeting.status == new
    assert Meeting.objects.get(pk=meeting.pk).status == new
    assert _audit_trail(meeting) == [
        (secretariat_officer.pk, "meeting.status", old, new, "as agreed")
    ]


def test_set_meeting_status_publishing_sets_published_at(secretariat_officer):
    meeting = MeetingFactory()
    before = timezone.now()

    set_meeting_status(meeting, PUBLISHED, actor=secretariat_officer)

    stored = Meeting.objects.get(pk=meeting.pk)
    assert before <= stored.published_at <= timezone.now()
    assert meeting.published_at == stored.published_at


def test_set_meeting_status_republishing_sets_a_new_published_at(secretariat_officer):
    first = timezone.now() - datetime.timedelta(days=10)
    meeting = MeetingFactory(published=True, published_at=first)
    set_meeting_status(meeting, DRAFT, actor=secretariat_officer)
    assert Meeting.objects.get(pk=meeting.pk).published_at == first

    set_meeting_status(meeting, PUBLISHED, actor=secretariat_officer)

    assert Meeting.objects.get(pk=meeting.pk).published_at > first


def test_set_meeting_status_accepts_the_status_as_text(secretariat_officer):
    meeting = MeetingFactory()

    set_meeting_status(meeting, "cancelled", actor=secretariat_officer)

    assert Meeting.objects.get(pk=meeting.pk).status == CANCELLED


def test_set_meeting_status_unknown_status_is_a_programming_error(secretariat_officer):
    meeting = MeetingFactory()

    with pytest.raises(ValueError, match="'archived' is not a valid MeetingStatus"):
        set_meeting_status(meeting, "archived", actor=secretariat_officer)


def test_set_meeting_status_superuser_counts_as_secretariat(db):
    from tests.factories.core import UserFactory

    superuser = UserFactory(is_staff=True, is_superuser=True)
    meeting = MeetingFactory()

    set_meeting_status(meeting, PUBLISHED, actor=superuser)

    assert _audit_trail(meeting) == [(superuser.pk, "meeting.status", DRAFT, PUBLISHED, "")]


# --- set_meeting_status: refusals ---


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (DRAFT, DRAFT, "A meeting cannot go from “Draft” to “Draft”."),
        (PUBLISHED, PUBLISHED, "A meeting cannot go from “Published” to “Published”."),
        (CANCELLED, CANCELLED, "A meeting cannot go from “Cancelled” to “Cancelled”."),
        (CANCELLED, PUBLISHED, "A meeting cannot go from “Cancelled” to “Published”."),
    ],
)
def test_set_meeting_status_refuses_a_transition_not_allowed(
    old, new, message, secretariat_officer
):
    meeting = _meeting_in(old)

    with pytest.raises(MeetingError) as caught:
        set_meeting_status(meeting, new, actor=secretariat_officer)

    assert (caught.value.code, caught.value.message) == ("transition", message)
    assert Meeting.objects.get(pk=meeting.pk).status == old
    assert _audit_trail(meeting) == []


@pytest.mark.parametrize(
    "persona", ["organiser", "checkin_staff", "focal_point_france", "outsider", "anonymous"]
)
@pytest.mark.parametrize("new", [PUBLISHED, CANCELLED])
def test_set_meeting_status_refuses_anyone_but_the_secretariat(
    persona, new, request, organised_meeting
):
    actor = AnonymousUser() if persona == "anonymous" else request.getfixturevalue(persona)

    with pytest.raises(MeetingError) as caught:
        set_meeting_status(organised_meeting, new, actor=actor)

    assert (caught.value.code, caught.value.message) == (
        "forbidden",
        "Only the Secretariat can publish or withdraw a meeting.",
    )
    assert Meeting.objects.get(pk=organised_meeting.pk).status == DRAFT
    assert _audit_trail(organised_meeting) == []


def test_set_meeting_status_refuses_an_officer_whose_role_ended(db):
    from tests.factories.core import SecretariatRoleFactory

    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    former = SecretariatRoleFactory(starts_on=yesterday, ends_on=yesterday).user
    meeting = MeetingFactory()

    with pytest.raises(MeetingError) as caught:
        set_meeting_status(meeting, PUBLISHED, actor=former)

    assert caught.value.code == "forbidden"


def _labelled_meeting(**fields):
    """A labelled draft as a proposal leaves it: no venue, registration dates or programme."""
    values = {
        "is_labelled": True,
        "venue_en": "To be confirmed",
        "venue_fr": "À confirmer",
        "registration_opens_at": None,
        "registration_closes_at": None,
    }
    return MeetingFactory(**values | fields)


def test_set_meeting_status_refuses_a_labelled_meeting_without_venue_dates_or_programme(
    secretariat_officer,
):
    meeting = _labelled_meeting()

    with pytest.raises(MeetingError) as caught:
        set_meeting_status(meeting, PUBLISHED, actor=secretariat_officer)

    assert (caught.value.code, caught.value.message) == (
        "incomplete",
        "This labelled meeting cannot be published before it has its venue (or an online "
        "format), its registration dates and a programme of at least one session.",
    )
    assert Meeting.objects.get(pk=meeting.pk).status == DRAFT
    assert _audit_trail(meeting) == []


def test_set_meeting_status_refusal_of_a_labelled_meeting_in_french(secretariat_officer):
    meeting = _labelled_meeting(venue_en="Hotel Atlas", venue_fr="Hôtel Atlas")
    SessionFactory(meeting=meeting)

    with translation.override("fr"), pytest.raises(MeetingError) as caught:
        set_meeting_status(meeting, PUBLISHED, actor=secretariat_officer)

    assert caught.value.message == (
        "Cette réunion labellisée ne peut être publiée avant d'avoir ses dates d'inscription."
    )


def test_set_meeting_status_an_online_labelled_meeting_needs_no_venue(secretariat_officer):
    meeting = _labelled_meeting(format=MeetingFormat.ONLINE)

    with pytest.raises(MeetingError) as caught:
        set_meeting_status(meeting, PUBLISHED, actor=secretariat_officer)

    assert caught.value.message == (
        "This labelled meeting cannot be published before it has its registration dates "
        "and a programme of at least one session."
    )


def test_set_meeting_status_publishes_a_complete_labelled_meeting(secretariat_officer):
    now = timezone.now()
    meeting = _labelled_meeting(
        venue_en="Hotel Atlas",
        venue_fr="Hôtel Atlas",
        registration_opens_at=now,
        registration_closes_at=now + datetime.timedelta(days=5),
    )
    SessionFactory(meeting=meeting)

    set_meeting_status(meeting, PUBLISHED, actor=secretariat_officer)

    assert Meeting.objects.get(pk=meeting.pk).status == PUBLISHED


def test_set_meeting_status_does_not_ask_an_unlabelled_meeting_for_a_programme(
    secretariat_officer,
):
    meeting = MeetingFactory(registration_opens_at=None, registration_closes_at=None)

    set_meeting_status(meeting, PUBLISHED, actor=secretariat_officer)

    assert Meeting.objects.get(pk=meeting.pk).status == PUBLISHED


def test_set_meeting_status_refuses_incomplete_bilingual_content(secretariat_officer):
    meeting = MeetingFactory(title_fr="", venue_en="  ", eligibility_fr="")

    with pytest.raises(MeetingError) as caught:
        set_meeting_status(meeting, PUBLISHED, actor=secretariat_officer)

    assert caught.value.code == "incomplete"
    assert caught.value.message == (
        "Fill in both languages: title (French), venue (English), who may register (French)."
    )
    stored = Meeting.objects.get(pk=meeting.pk)
    assert (stored.status, stored.published_at) == (DRAFT, None)
    assert _audit_trail(meeting) == []


def test_set_meeting_status_refusals_in_french(secretariat_officer, organiser, organised_meeting):
    organised_meeting.title_fr = ""
    organised_meeting.save()

    with translation.override("fr"):
        with pytest.raises(MeetingError) as forbidden:
            set_meeting_status(organised_meeting, PUBLISHED, actor=organiser)
        with pytest.raises(MeetingError) as incomplete:
            set_meeting_status(organised_meeting, PUBLISHED, actor=secretariat_officer)

    assert forbidden.value.message == "Seul le Secrétariat peut publier ou retirer une réunion."
    assert incomplete.value.message == "Renseignez les deux langues\xa0: titre (français)."


def test_set_meeting_status_refuses_a_session_outside_the_meeting_dates(secretariat_officer):
    meeting = MeetingFactory(starts_on=datetime.date(2031, 5, 1), ends_on=datetime.date(2031, 5, 2))
    SessionFactory(meeting=meeting, day=datetime.date(2031, 5, 2), title_en="Fine")
    SessionFactory(meeting=meeting, day=datetime.date(2031, 5, 3), title_en="Field visit")

    with pytest.raises(MeetingError) as caught:
        set_meeting_status(meeting, PUBLISHED, actor=secretariat_officer)

    assert (caught.value.code, caught.value.message) == (
        "incomplete",
        "The session “Field visit” falls outside the meeting's dates.",
    )
    assert Meeting.objects.get(pk=meeting.pk).status == DRAFT


def test_set_meeting_status_lists_every_problem_in_programme_order(secretariat_officer):
    meeting = MeetingFactory(
        starts_on=datetime.date(2031, 5, 1), ends_on=datetime.date(2031, 5, 1), summary_fr=""
    )
    SessionFactory(
        meeting=meeting,
        day=datetime.date(2031, 5, 1),
        start_time=datetime.time(14),
        end_time=datetime.time(15),
        title_fr="",
    )
    SessionFactory(meeting=meeting, day=datetime.date(2031, 4, 30), title_en="Eve")

    with pytest.raises(MeetingError) as caught:
        set_meeting_status(meeting, PUBLISHED, actor=secretariat_officer)

    assert caught.value.message == (
        "Fill in both languages: summary (French). "
        "The session “Eve” falls outside the meeting's dates. "
        "The session at 14:00 on 2031-05-01 needs its title in both languages."
    )


def test_set_meeting_status_withdrawing_does_not_check_content(secretariat_officer):
    meeting = MeetingFactory(published=True, title_fr="")

    set_meeting_status(meeting, DRAFT, actor=secretariat_officer, reason="title to fix")

    assert Meeting.objects.get(pk=meeting.pk).status == DRAFT


def test_set_meeting_status_reads_the_stored_status_not_the_stale_object(secretariat_officer):
    meeting = MeetingFactory()
    stale = Meeting.objects.get(pk=meeting.pk)
    set_meeting_status(meeting, CANCELLED, actor=secretariat_officer)

    with pytest.raises(MeetingError) as caught:
        set_meeting_status(stale, PUBLISHED, actor=secretariat_officer)

    assert caught.value.code == "transition"


# --- publication_problems ---


def test_publication_problems_empty_for_a_complete_meeting():
    meeting = MeetingFactory()
    SessionFactory(meeting=meeting)

    assert publication_problems(meeting) == []


# --- import_meeting ---


def test_import_meeting_creates_and_publishes_the_paris_meeting(
    reference_data, secretariat_officer
):
    meeting, created = import_meeting(
        _paris_spec(), dialogue=reference_data, actor=secretariat_officer
    )

    meeting.refresh_from_db()
    assert created is True
    assert (meeting.slug, meeting.status, meeting.starts_on, meeting.ends_on) == (
        "paris-2021",
        PUBLISHED,
        datetime.date(2021, 9, 14),
        datetime.date(2021, 9, 15),
    )
    assert meeting.host_country.code == "FR"
    assert [p.code for p in meeting.lead_partners.all()] == ["FR"]
    assert [(d.action_plan.code, d.number) for d in meeting.domains.all()] == [("MAP", 1)]
    assert [(o.domain.number, o.number) for o in meeting.objectives.all()] == [(1, "1")]
    assert meeting.registration_opens_at == datetime.datetime(2021, 7, 5, 7, 0, tzinfo=datetime.UTC)
    assert meeting.sessions.count() == 10
    assert _audit_trail(meeting) == [
        (secretariat_officer.pk, "meeting.status", DRAFT, PUBLISHED, "demo data")
    ]


def test_import_meeting_keeps_speaker_order(reference_data, secretariat_officer):
    meeting, _created = import_meeting(
        _paris_spec(), dialogue=reference_data, actor=secretariat_officer
    )

    opening = meeting.sessions.get(title_en="Opening session")
    assert list(opening.speakers.values_list("position", "name", "role_en")) == [
        (1, "France", "Opening remarks"),
        (2, "ICMPD", "Opening remarks"),
    ]


def test_import_meeting_existing_slug_is_left_untouched(reference_data, secretariat_officer):
    meeting, _created = import_meeting(
        _paris_spec(), dialogue=reference_data, actor=secretariat_officer
    )
    Meeting.objects.filter(pk=meeting.pk).update(title_en="Edited by staff")
    counts = (Meeting.objects.count(), Session.objects.count(), Speaker.objects.count())

    again, created = import_meeting(
        _paris_spec(), dialogue=reference_data, actor=secretariat_officer
    )

    assert (created, again.pk, again.title_en) == (False, meeting.pk, "Edited by staff")
    assert (Meeting.objects.count(), Session.objects.count(), Speaker.objects.count()) == counts


def test_import_meeting_without_publishing_stays_draft(reference_data, secretariat_officer):
    spec = {**_paris_spec(), "publish": False}

    meeting, created = import_meeting(spec, dialogue=reference_data, actor=secretariat_officer)

    assert (created, Meeting.objects.get(pk=meeting.pk).status) == (True, DRAFT)
    assert _audit_trail(meeting) == []


def test_import_meeting_invalid_session_creates_nothing(reference_data, secretariat_officer):
    spec = _paris_spec()
    spec["sessions"][3]["day"] = "2021-09-16"

    with pytest.raises(ValidationError) as caught:
        import_meeting(spec, dialogue=reference_data, actor=secretariat_officer)

    assert caught.value.message_dict == {"day": ["The day must fall within the meeting's dates."]}
    assert (Meeting.objects.count(), Session.objects.count()) == (0, 0)


def test_import_meeting_incomplete_content_creates_nothing(reference_data, secretariat_officer):
    spec = {**_paris_spec(), "venue_fr": ""}

    with pytest.raises(MeetingError) as caught:
        import_meeting(spec, dialogue=reference_data, actor=secretariat_officer)

    assert (caught.value.code, caught.value.message) == (
        "incomplete",
        "Fill in both languages: venue (French).",
    )
    assert (Meeting.objects.count(), Session.objects.count()) == (0, 0)


# --- update_meeting_capacities ---


@pytest.fixture
def limited_meeting(reference_data):
    """In person and online, 3 seats each, 2 places (1 head) per delegation; Senegal holds
    two in-person places (its head and a member), France waits for its focal point."""
    meeting = MeetingFactory(
        dialogue=reference_data,
        published=True,
        format=MeetingFormat.HYBRID,
        in_person_capacity=3,
        online_capacity=3,
        delegation_size=2,
        delegation_heads=1,
    )
    senegal = reference_data.partners.get(code="SN")
    france = reference_data.partners.get(code="FR")
    RegistrationFactory(meeting=meeting, delegation=senegal, role=DelegationRole.HEAD)
    RegistrationFactory(meeting=meeting, delegation=senegal, status=RegistrationStatus.APPROVED)
    RegistrationFactory(
        meeting=meeting,
        delegation=france,
        participation=Participation.ONLINE,
        status=RegistrationStatus.AWAITING_FOCAL_POINT,
    )
    return meeting


def _limits(meeting) -> tuple:
    stored = Meeting.objects.get(pk=meeting.pk)
    return tuple(getattr(stored, name) for name in CAPACITY_FIELDS)


def test_places_held_counts_places_per_limit(limited_meeting):
    assert places_held(limited_meeting) == {
        "in_person_capacity": 2,
        "online_capacity": 0,
        "delegation_size": 2,
        "delegation_heads": 1,
    }


def test_update_meeting_capacities_changes_the_limits_given_and_audits_old_to_new(
    limited_meeting,
):
    organiser = OrganiserRoleFactory(meeting=limited_meeting).user

    returned = update_meeting_capacities(
        limited_meeting, actor=organiser, in_person_capacity=2, online_capacity=None
    )

    assert returned is limited_meeting
    assert (limited_meeting.in_person_capacity, limited_meeting.online_capacity) == (2, None)
    assert _limits(limited_meeting) == (2, None, 2, 1)
    assert _audit_trail(limited_meeting) == [
        (organiser.pk, "meeting.capacity", "3", "2", "in_person_capacity"),
        (organiser.pk, "meeting.capacity", "3", "", "online_capacity"),
    ]


def test_update_meeting_capacities_without_change_writes_nothing(
    limited_meeting, secretariat_officer
):
    update_meeting_capacities(limited_meeting, actor=secretariat_officer, delegation_size=2)

    assert _audit_trail(limited_meeting) == []


@pytest.mark.parametrize(
    ("limits", "message"),
    [
        (
            {"in_person_capacity": 1},
            "In-person capacity cannot be set below what is already taken (2).",
        ),
        (
            {"delegation_size": 1, "delegation_heads": 0},
            "Places per delegation cannot be set below what is already taken (2). "
            "Heads of delegation per delegation cannot be set below what is already taken (1).",
        ),
    ],
)
def test_update_meeting_capacities_below_the_places_held_is_refused(
    limits, message, limited_meeting, secretariat_officer
):
    with pytest.raises(MeetingError) as caught:
        update_meeting_capacities(limited_meeting, actor=secretariat_officer, **limits)

    assert (caught.value.code, caught.value.message) == ("below_taken", message)
    assert _limits(limited_meeting) == (3, 3, 2, 1)
    assert _audit_trail(limited_meeting) == []


def test_update_meeting_capacities_down_to_the_places_held_is_allowed(
    limited_meeting, secretariat_officer
):
    # France's online registration awaits its focal point: it holds no seat.
    update_meeting_capacities(
        limited_meeting, actor=secretariat_officer, in_person_capacity=2, online_capacity=0
    )

    assert _limits(limited_meeting) == (2, 0, 2, 1)


def test_update_meeting_capacities_refusal_in_french(limited_meeting, secretariat_officer):
    with translation.override("fr"), pytest.raises(MeetingError) as caught:
        update_meeting_capacities(limited_meeting, actor=secretariat_officer, in_person_capacity=1)

    assert caught.value.message == (
        "La valeur «\u00a0Capacité d'accueil en présentiel\u00a0» ne peut pas être "
        "inférieure à ce qui est déjà pris (2)."
    )


def test_update_meeting_capacities_more_heads_than_places_is_refused(
    limited_meeting, secretariat_officer
):
    with pytest.raises(MeetingError) as caught:
        update_meeting_capacities(limited_meeting, actor=secretariat_officer, delegation_heads=3)

    assert (caught.value.code, caught.value.message) == (
        "invalid",
        "A delegation cannot have more heads than places.",
    )
    assert _limits(limited_meeting) == (3, 3, 2, 1)


@pytest.mark.parametrize("persona", ["outsider", "organiser", "focal_point_senegal"])
def test_update_meeting_capacities_refuses_who_does_not_manage_the_meeting(
    persona, request, limited_meeting
):
    user = request.getfixturevalue(persona)

    with pytest.raises(MeetingError) as caught:
        update_meeting_capacities(limited_meeting, actor=user, in_person_capacity=10)

    assert caught.value.code == "forbidden"
    assert _limits(limited_meeting) == (3, 3, 2, 1)


def test_update_meeting_capacities_takes_the_meeting_row_lock(
    limited_meeting, secretariat_officer, monkeypatch
):
    locked = []
    real_row_locked = meeting_services.row_locked

    def spy(queryset, pk, **kwargs):
        locked.append((queryset.model, pk))
        return real_row_locked(queryset, pk, **kwargs)

    monkeypatch.setattr(meeting_services, "row_locked", spy)

    update_meeting_capacities(limited_meeting, actor=secretariat_officer, in_person_capacity=5)

    assert locked == [(Meeting, limited_meeting.pk)]


@pytest.fixture
def limits_heard():
    """What limits_changed receivers hear: (meeting pk, new limits, actor, inside a
    transaction holding the meeting's lock)."""
    heard = []

    def receiver(sender, meeting, actor, **kwargs):
        heard.append(
            (
                meeting.pk,
                tuple(getattr(meeting, name) for name in CAPACITY_FIELDS),
                actor,
                connection.in_atomic_block,
            )
        )

    limits_changed.connect(receiver, sender=Meeting, dispatch_uid="test-limits-heard")
    yield heard
    limits_changed.disconnect(sender=Meeting, dispatch_uid="test-limits-heard")


def test_update_meeting_capacities_announces_the_new_limits_under_the_lock(
    limited_meeting, secretariat_officer, limits_heard, monkeypatch
):
    inside_lock = []
    real_row_locked = meeting_services.row_locked

    @contextmanager
    def spy(queryset, pk, **kwargs):
        with real_row_locked(queryset, pk, **kwargs) as locked:
            inside_lock.append(True)
            yield locked
            inside_lock.append(len(limits_heard))

    monkeypatch.setattr(meeting_services, "row_locked", spy)

    update_meeting_capacities(
        limited_meeting, actor=secretariat_officer, in_person_capacity=5, delegation_size=3
    )

    assert limits_heard == [(limited_meeting.pk, (5, 3, 3, 1), secretariat_officer, True)]
    assert inside_lock == [True, 1]  # heard before the lock was released


def test_update_meeting_capacities_without_change_announces_nothing(
    limited_meeting, secretariat_officer, limits_heard
):
    update_meeting_capacities(limited_meeting, actor=secretariat_officer, in_person_capacity=3)

    assert limits_heard == []


def test_update_meeting_capacities_refused_announces_nothing(
    limited_meeting, secretariat_officer, limits_heard
):
    with pytest.raises(MeetingError):
        update_meeting_capacities(limited_meeting, actor=secretariat_officer, in_person_capacity=1)

    assert limits_heard == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_update_meeting_capacities_waits_for_the_lock_then_says_busy(
    limited_meeting, secretariat_officer, settings
):
    settings.MEETING_LOCK_TIMEOUT_SECONDS = 1
    holder = hold_row_lock("meetings_meeting", limited_meeting.pk)
    try:
        started = time.monotonic()
        with pytest.raises(TryAgainLater):
            update_meeting_capacities(
                limited_meeting, actor=secretariat_officer, in_person_capacity=10
            )
        elapsed = time.monotonic() - started
    finally:
        holder.rollback()
        holder.close()

    assert 1 <= elapsed < 2
    assert _limits(limited_meeting) == (3, 3, 2, 1)
    assert _audit_trail(limited_meeting) == []


# --- create_meeting ---


def _new_meeting_fields():
    return {
        "title_en": "Lyon workshop",
        "title_fr": "Atelier de Lyon",
        "starts_on": datetime.date(2027, 3, 1),
        "ends_on": datetime.date(2027, 3, 2),
        "is_labelled": True,
    }


def test_create_meeting_saves_a_draft_with_its_partners_and_alignment(
    reference_data, secretariat_officer
):
    senegal = reference_data.partners.get(code="SN")
    domain = Domain.objects.filter(action_plan__dialogue=reference_data).order_by("pk").first()
    objectives = list(domain.objectives.order_by("pk")[:2])

    meeting = create_meeting(
        reference_data,
        slug="lyon-workshop",
        actor=secretariat_officer,
        lead_partners=[senegal],
        domains=[domain],
        objectives=objectives,
        **_new_meeting_fields(),
    )

    stored = Meeting.objects.get(slug="lyon-workshop")
    assert stored.pk == meeting.pk
    assert (
        stored.dialogue,
        stored.status,
        stored.title_fr,
        stored.ends_on,
        stored.is_labelled,
    ) == (
        reference_data,
        DRAFT,
        "Atelier de Lyon",
        datetime.date(2027, 3, 2),
        True,
    )
    assert list(stored.lead_partners.all()) == [senegal]
    assert list(stored.domains.all()) == [domain]
    assert set(stored.objectives.all()) == set(objectives)
    assert _audit_trail(stored) == []


def test_create_meeting_refuses_anyone_but_the_secretariat(reference_data, organiser):
    with pytest.raises(MeetingError) as caught:
        create_meeting(reference_data, slug="lyon", actor=organiser, **_new_meeting_fields())

    assert caught.value.code == "forbidden"
    assert not Meeting.objects.filter(slug="lyon").exists()


def test_create_meeting_refuses_a_taken_address(reference_data, secretariat_officer):
    MeetingFactory(dialogue=reference_data, slug="lyon")

    with pytest.raises(MeetingError) as caught:
        create_meeting(
            reference_data, slug="lyon", actor=secretariat_officer, **_new_meeting_fields()
        )

    assert (caught.value.code, caught.value.message) == (
        "slug",
        "Another meeting already uses this address.",
    )
    assert Meeting.objects.filter(slug="lyon").count() == 1


def test_create_meeting_invalid_values_create_nothing(reference_data, secretariat_officer):
    fields = {**_new_meeting_fields(), "ends_on": datetime.date(2027, 2, 1)}

    with pytest.raises(MeetingError) as caught:
        create_meeting(reference_data, slug="lyon", actor=secretariat_officer, **fields)

    assert (caught.value.code, caught.value.message) == (
        "invalid",
        "The last day cannot be before the first day.",
    )
    assert not Meeting.objects.filter(slug="lyon").exists()
