"""The meetings back-office: who sees, edits and publishes which meeting."""

import datetime
import time

import pytest
from django.contrib.messages import get_messages

from convene.core.models import AuditEntry
from convene.core.selectors import audit_entries_for
from convene.meetings import admin as admin_module
from convene.meetings.models import Meeting
from convene.registrations.enums import RegistrationStatus
from tests.admin_forms import form_data
from tests.factories.meetings import MeetingFactory, SessionFactory
from tests.factories.registrations import RegistrationFactory
from tests.locking import hold_row_lock

pytestmark = pytest.mark.django_db

CHANGELIST = "/en/admin/meetings/meeting/"


def _change_url(meeting):
    return f"{CHANGELIST}{meeting.pk}/change/"


def _listed(response):
    return {meeting.pk for meeting in response.context["cl"].result_list}


def _messages(response):
    return [(message.level_tag, str(message)) for message in get_messages(response.wsgi_request)]


def _action_names(response):
    return {name for name, _label in response.context["action_form"].fields["action"].choices}


def _run_action(client, action, *meetings):
    return client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [meeting.pk for meeting in meetings], "index": 0},
    )


@pytest.fixture
def meetings(demo_data, organised_meeting):
    """Paris 2021 and the demo workshop (published), the organised draft."""
    return {meeting.slug: meeting for meeting in Meeting.objects.all()}


# --- Secretariat ---


def test_secretariat_lists_every_meeting_drafts_included(client, secretariat_officer, meetings):
    client.force_login(secretariat_officer)

    response = client.get(CHANGELIST)

    assert response.status_code == 200
    assert _listed(response) == {meeting.pk for meeting in meetings.values()}
    assert {"publish", "unpublish", "cancel", "delete_selected"} <= _action_names(response)


def test_secretariat_edits_a_meeting(client, secretariat_officer, meetings):
    paris = meetings["paris-2021"]
    client.force_login(secretariat_officer)
    page = client.get(_change_url(paris))

    response = client.post(
        _change_url(paris), form_data(page, "#meeting_form", title_en="Retitled by the Secretariat")
    )

    assert response.status_code == 302
    assert response.headers["Location"] == CHANGELIST
    paris.refresh_from_db()
    assert paris.title_en == "Retitled by the Secretariat"
    assert paris.sessions.count() == 10
    assert paris.registration_opens_at == datetime.datetime(2021, 7, 5, 7, 0, tzinfo=datetime.UTC)


def test_secretariat_publishes_through_the_changelist_action(
    client, secretariat_officer, organised_meeting
):
    client.force_login(secretariat_officer)

    response = _run_action(client, "publish", organised_meeting)

    organised_meeting.refresh_from_db()
    assert response.status_code == 302
    assert organised_meeting.status == "published"
    assert organised_meeting.published_at is not None
    assert _messages(response) == [("success", "1 meeting updated.")]
    entry = AuditEntry.objects.get(object_id=str(organised_meeting.pk))
    assert (entry.actor, entry.from_state, entry.to_state) == (
        secretariat_officer,
        "draft",
        "published",
    )


def test_secretariat_publishing_an_incomplete_meeting_shows_an_error(
    client, secretariat_officer, reference_data
):
    incomplete = MeetingFactory(dialogue=reference_data, title_en="Half done", title_fr="")
    complete = MeetingFactory(dialogue=reference_data)
    client.force_login(secretariat_officer)

    response = _run_action(client, "publish", incomplete, complete)

    incomplete.refresh_from_db()
    complete.refresh_from_db()
    assert (incomplete.status, complete.status) == ("draft", "published")
    assert _messages(response) == [
        ("error", "Half done: Fill in both languages: title (French)."),
        ("success", "1 meeting updated."),
    ]


def test_secretariat_withdraws_and_cancels_through_actions(client, secretariat_officer, meetings):
    paris, workshop = meetings["paris-2021"], meetings["example-workshop"]
    client.force_login(secretariat_officer)

    _run_action(client, "unpublish", paris)
    _run_action(client, "cancel", workshop)

    paris.refresh_from_db()
    workshop.refresh_from_db()
    assert (paris.status, workshop.status) == ("draft", "cancelled")


def test_secretariat_change_form_says_what_blocks_publication(
    client, secretariat_officer, reference_data
):
    meeting = MeetingFactory(dialogue=reference_data, venue_fr="")
    SessionFactory(
        meeting=meeting, day=meeting.ends_on + datetime.timedelta(days=1), title_en="Late"
    )
    client.force_login(secretariat_officer)

    response = client.get(_change_url(meeting))

    check = response.context["adminform"].form.instance
    assert check.pk == meeting.pk
    assert "Fill in both languages: venue (French)." in response.content.decode()
    assert "The session “Late” falls outside the meeting&#x27;s dates." in (
        response.content.decode()
    )


def test_secretariat_cannot_set_the_status_in_the_form(client, secretariat_officer, meetings):
    draft = meetings["dakar-draft"]
    client.force_login(secretariat_officer)
    page = client.get(_change_url(draft))

    client.post(_change_url(draft), form_data(page, "#meeting_form", status="published"))

    draft.refresh_from_db()
    assert draft.status == "draft"


# --- Organiser ---


def test_organiser_lists_only_their_meeting(client, organiser, meetings):
    client.force_login(organiser)

    response = client.get(CHANGELIST)

    assert _listed(response) == {meetings["dakar-draft"].pk}


def test_organiser_edits_their_meeting(client, organiser, meetings):
    draft = meetings["dakar-draft"]
    client.force_login(organiser)
    page = client.get(_change_url(draft))

    response = client.post(
        _change_url(draft), form_data(page, "#meeting_form", title_fr="Titre revu")
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.title_fr, draft.status) == ("Titre revu", "draft")


def test_organiser_opening_another_meeting_is_redirected_to_the_index(client, organiser, meetings):
    client.force_login(organiser)

    response = client.get(_change_url(meetings["paris-2021"]))

    assert response.status_code == 302
    assert response.headers["Location"] == "/en/admin/"


def test_organiser_cannot_change_another_meeting_by_post(client, organiser, meetings):
    paris = meetings["paris-2021"]
    client.force_login(organiser)

    response = client.post(_change_url(paris), {"title_en": "Hijacked"})

    paris.refresh_from_db()
    assert response.status_code == 302
    assert paris.title_en == "National authorities, local authorities and migration"


def test_organiser_has_no_publication_actions(client, organiser, meetings):
    client.force_login(organiser)

    response = client.get(CHANGELIST)

    # No publication action, and no deletion either: no action at all.
    assert response.context["action_form"] is None


def test_organiser_posting_the_publish_action_publishes_nothing(client, organiser, meetings):
    draft = meetings["dakar-draft"]
    client.force_login(organiser)

    response = _run_action(client, "publish", draft)

    draft.refresh_from_db()
    assert response.status_code == 200
    assert draft.status == "draft"
    assert audit_entries_for(draft).count() == 0
    assert _messages(response) == []


def test_organiser_cannot_add_or_delete_meetings(client, organiser, meetings):
    client.force_login(organiser)

    assert client.get(f"{CHANGELIST}add/").status_code == 403
    assert client.get(f"{CHANGELIST}{meetings['dakar-draft'].pk}/delete/").status_code == 403


# --- Focal point ---


def test_focal_point_lists_published_meetings_only(client, focal_point_senegal, meetings):
    client.force_login(focal_point_senegal)

    response = client.get(CHANGELIST)

    assert _listed(response) == {meetings["paris-2021"].pk, meetings["example-workshop"].pk}
    assert response.context["action_form"] is None


def test_focal_point_reads_a_published_meeting_without_editing(
    client, focal_point_france, meetings
):
    paris = meetings["paris-2021"]
    client.force_login(focal_point_france)

    page = client.get(_change_url(paris))
    response = client.post(_change_url(paris), {"title_en": "Changed"})

    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    assert page.context["adminform"].form.fields == {}
    assert response.status_code == 403
    paris.refresh_from_db()
    assert paris.title_en == "National authorities, local authorities and migration"


def test_focal_point_cannot_open_a_draft(client, focal_point_france, meetings):
    client.force_login(focal_point_france)

    response = client.get(_change_url(meetings["dakar-draft"]))

    assert response.status_code == 302
    assert response.headers["Location"] == "/en/admin/"


# --- Check-in staff ---


def test_checkin_staff_see_only_their_meeting_read_only(client, checkin_staff, meetings):
    draft = meetings["dakar-draft"]
    client.force_login(checkin_staff)

    listing = client.get(CHANGELIST)
    own = client.get(_change_url(draft))
    other = client.get(_change_url(meetings["paris-2021"]))

    assert _listed(listing) == {draft.pk}
    assert own.status_code == 200
    assert own.context["has_change_permission"] is False
    assert other.status_code == 302


# --- Outsider ---


def test_outsider_is_sent_to_the_login_page(client, outsider, meetings):
    client.force_login(outsider)

    response = client.get(CHANGELIST)

    assert response.status_code == 302
    assert response.headers["Location"] == f"/en/admin/login/?next={CHANGELIST}"


# --- Sessions ---


def test_session_admin_organiser_edits_sessions_of_their_meeting_only(client, organiser, meetings):
    own = SessionFactory(meeting=meetings["dakar-draft"])
    paris_session = meetings["paris-2021"].sessions.first()
    client.force_login(organiser)

    own_page = client.get(f"/en/admin/meetings/session/{own.pk}/change/")
    other_page = client.get(f"/en/admin/meetings/session/{paris_session.pk}/change/")

    assert own_page.status_code == 200
    assert own_page.context["has_change_permission"] is True
    assert other_page.status_code == 302


def test_session_admin_meeting_choices_limited_for_an_organiser(client, organiser, meetings):
    client.force_login(organiser)

    response = client.get("/en/admin/meetings/session/add/")

    choices = response.context["adminform"].form.fields["meeting"].queryset
    assert [meeting.pk for meeting in choices] == [meetings["dakar-draft"].pk]


def test_session_admin_closed_to_focal_points(client, focal_point_france, meetings):
    session = meetings["paris-2021"].sessions.first()
    client.force_login(focal_point_france)

    response = client.get(f"/en/admin/meetings/session/{session.pk}/change/")

    assert response.status_code == 403


def test_secretariat_adding_a_session_outside_the_dates_gets_a_form_error(
    client, secretariat_officer, organised_meeting
):
    client.force_login(secretariat_officer)
    page = client.get(_change_url(organised_meeting))
    data = form_data(page, "#meeting_form")
    data.update(
        {
            "sessions-TOTAL_FORMS": "1",
            "sessions-0-day": (organised_meeting.ends_on + datetime.timedelta(days=1)).isoformat(),
            "sessions-0-start_time": "09:00",
            "sessions-0-end_time": "10:00",
            "sessions-0-title_en": "Field visit",
            "sessions-0-title_fr": "Visite de terrain",
        }
    )

    response = client.post(_change_url(organised_meeting), data)

    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert formset.forms[0].errors == {"day": ["The day must fall within the meeting's dates."]}
    assert organised_meeting.sessions.count() == 0


def test_secretariat_adding_a_session_ending_before_it_starts_gets_a_form_error(
    client, secretariat_officer, organised_meeting
):
    client.force_login(secretariat_officer)
    page = client.get(_change_url(organised_meeting))
    data = form_data(page, "#meeting_form")
    data.update(
        {
            "sessions-TOTAL_FORMS": "1",
            "sessions-0-day": organised_meeting.starts_on.isoformat(),
            "sessions-0-start_time": "10:00",
            "sessions-0-end_time": "09:00",
            "sessions-0-title_en": "Backwards",
            "sessions-0-title_fr": "À rebours",
        }
    )

    response = client.post(_change_url(organised_meeting), data)

    formset = response.context["inline_admin_formsets"][0].formset
    assert response.status_code == 200
    assert formset.forms[0].errors == {"end_time": ["A session must end after it starts."]}


def test_secretariat_setting_the_last_day_before_the_first_gets_a_form_error(
    client, secretariat_officer, organised_meeting
):
    client.force_login(secretariat_officer)
    page = client.get(_change_url(organised_meeting))
    day_before = (organised_meeting.starts_on - datetime.timedelta(days=1)).isoformat()

    response = client.post(
        _change_url(organised_meeting), form_data(page, "#meeting_form", ends_on=day_before)
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "ends_on": ["The last day cannot be before the first day."]
    }


def test_published_meeting_cannot_lose_a_language_in_the_admin(
    client, secretariat_officer, meetings
):
    paris = meetings["paris-2021"]
    client.force_login(secretariat_officer)
    page = client.get(_change_url(paris))

    response = client.post(_change_url(paris), form_data(page, "#meeting_form", title_fr=""))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["title_fr"] == [
        "Required while the meeting is published, in both languages."
    ]
    paris.refresh_from_db()
    assert paris.title_fr == "Autorités nationales, autorités locales et migration"


def test_secretariat_ticks_who_may_register(client, secretariat_officer, meetings):
    workshop = meetings["example-workshop"]
    client.force_login(secretariat_officer)
    page = client.get(_change_url(workshop))
    data = form_data(page, "#meeting_form")
    data["eligible_categories"] = ["partner_country", "local_authority"]

    response = client.post(_change_url(workshop), data)

    assert response.status_code == 302
    workshop.refresh_from_db()
    assert workshop.eligible_categories == ["partner_country", "local_authority"]


def test_secretariat_cannot_save_a_meeting_title_with_a_bidi_override(
    client, secretariat_officer, organised_meeting
):
    client.force_login(secretariat_officer)
    title = organised_meeting.title_en
    page = client.get(_change_url(organised_meeting))

    response = client.post(
        _change_url(organised_meeting),
        form_data(page, "#meeting_form", title_en="Dakar\u202epohskrow"),
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "title_en": [
            "Remove the invisible formatting character (U+202E): it can change how the text reads."
        ]
    }
    assert Meeting.objects.get(pk=organised_meeting.pk).title_en == title


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_secretariat_edit_while_registrations_hold_the_lock_answers_503(
    client, secretariat_officer, meetings, settings
):
    settings.MEETING_LOCK_TIMEOUT_SECONDS = 1
    paris = meetings["paris-2021"]
    client.force_login(secretariat_officer)
    page = client.get(_change_url(paris))
    holder = hold_row_lock("meetings_meeting", paris.pk)
    try:
        started = time.monotonic()
        response = client.post(
            _change_url(paris), form_data(page, "#meeting_form", title_en="Retitled while busy")
        )
        elapsed = time.monotonic() - started
    finally:
        holder.rollback()
        holder.close()

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "Convene is very busy; try again in a moment." in response.content.decode()
    assert 1 <= elapsed < 2
    paris.refresh_from_db()
    assert paris.title_en != "Retitled while busy"


# --- Internal note ---

NOTE = "Host ministry asked to keep the venue change quiet."


@pytest.fixture
def noted_meetings(meetings):
    for meeting in meetings.values():
        meeting.staff_note = NOTE
        meeting.save()
    return meetings


@pytest.mark.parametrize(
    ("persona", "slug", "shown"),
    [
        ("secretariat_officer", "paris-2021", True),
        ("organiser", "dakar-draft", True),
        ("focal_point_france", "paris-2021", False),
        ("checkin_staff", "dakar-draft", False),
    ],
)
def test_internal_note_shown_to_secretariat_and_organisers_only(
    request, client, noted_meetings, persona, slug, shown
):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(_change_url(noted_meetings[slug]))

    assert response.status_code == 200
    assert (NOTE in response.content.decode()) is shown
    fields = {
        name
        for fieldset in response.context["adminform"]
        for line in fieldset
        for name in line.fields
    }
    assert ("staff_note" in fields) is shown


# --- Places ---


@pytest.fixture
def draft_with_places(organised_meeting):
    """The organised draft: 10 seats, 2 places per delegation; two delegates hold places."""
    organised_meeting.in_person_capacity = 10
    organised_meeting.delegation_size = 2
    organised_meeting.save()
    RegistrationFactory(meeting=organised_meeting, status=RegistrationStatus.APPROVED)
    RegistrationFactory(meeting=organised_meeting, status=RegistrationStatus.APPROVED)
    return organised_meeting


def _capacity_trail(meeting):
    return [
        (entry.actor, entry.from_state, entry.to_state, entry.reason)
        for entry in audit_entries_for(meeting).filter(action="meeting.capacity").order_by("id")
    ]


def test_organiser_changes_places_through_the_capacity_service(
    client, organiser, draft_with_places
):
    client.force_login(organiser)
    page = client.get(_change_url(draft_with_places))

    response = client.post(
        _change_url(draft_with_places),
        form_data(
            page, "#meeting_form", in_person_capacity="2", delegation_size="", title_fr="Revu"
        ),
    )

    assert response.status_code == 302
    stored = Meeting.objects.get(pk=draft_with_places.pk)
    assert (stored.in_person_capacity, stored.delegation_size, stored.title_fr) == (2, None, "Revu")
    assert _capacity_trail(draft_with_places) == [
        (organiser, "10", "2", "in_person_capacity"),
        (organiser, "2", "", "delegation_size"),
    ]


def test_edit_without_a_change_of_places_audits_none(client, organiser, draft_with_places):
    client.force_login(organiser)
    page = client.get(_change_url(draft_with_places))

    client.post(_change_url(draft_with_places), form_data(page, "#meeting_form", title_fr="Revu"))

    assert Meeting.objects.get(pk=draft_with_places.pk).title_fr == "Revu"
    assert _capacity_trail(draft_with_places) == []


def test_places_below_those_taken_are_a_form_error(client, secretariat_officer, draft_with_places):
    client.force_login(secretariat_officer)
    page = client.get(_change_url(draft_with_places))

    response = client.post(
        _change_url(draft_with_places),
        form_data(page, "#meeting_form", in_person_capacity="1", title_fr="Revu"),
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "in_person_capacity": ["In-person capacity cannot be set below what is already taken (2)."]
    }
    stored = Meeting.objects.get(pk=draft_with_places.pk)
    assert (stored.in_person_capacity, stored.title_fr) == (10, draft_with_places.title_fr)
    assert _capacity_trail(draft_with_places) == []


def test_places_taken_between_the_form_and_the_save_leave_everything_unsaved(
    client, secretariat_officer, draft_with_places, monkeypatch
):
    client.force_login(secretariat_officer)
    page = client.get(_change_url(draft_with_places))
    # As if two more delegates took places after the form's check: only the service sees them.
    monkeypatch.setattr(admin_module, "limits_below_places_held", lambda meeting, limits: {})

    response = client.post(
        _change_url(draft_with_places),
        form_data(page, "#meeting_form", in_person_capacity="1", title_fr="Revu"),
    )

    assert response.status_code == 302
    assert response.headers["Location"] == _change_url(draft_with_places)
    assert _messages(response) == [
        ("error", "In-person capacity cannot be set below what is already taken (2).")
    ]
    stored = Meeting.objects.get(pk=draft_with_places.pk)
    assert (stored.in_person_capacity, stored.title_fr) == (10, draft_with_places.title_fr)
    assert _capacity_trail(draft_with_places) == []
