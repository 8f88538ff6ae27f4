"""The back-office list of registrations: who sees what, filters, decisions in bulk."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from convene.core.models import AuditEntry
from convene.core.selectors import audit_entries_for
from convene.meetings.enums import Category, MeetingStatus
from convene.registrations import selectors, services
from convene.registrations.enums import (
    LevelOfGovernment,
    Participation,
    RegistrationAuditAction,
    RegistrationStatus,
)
from convene.registrations.exports import XLSX_CONTENT_TYPE
from convene.registrations.models import Notification, Registration
from tests.admin_forms import form_data
from tests.factories.registrations import RegistrationFactory, registration_data
from tests.html import parse
from tests.spreadsheets import csv_rows, xlsx_rows

pytestmark = pytest.mark.django_db

S = RegistrationStatus
LIST = "/en/admin/registrations/registration/"


def _change_url(registration) -> str:
    return f"{LIST}{registration.pk}/change/"


def _submit(meeting, delegation, email, **fields):
    data = registration_data(meeting, delegation, email=email, **fields)
    return services.submit_registration(meeting, data=data)


def _listed(response) -> list[str]:
    """References on the change list, in order."""
    return parse(response).texts("#result_list tbody th.field-reference")


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _status(registration) -> str:
    return Registration.objects.get(pk=registration.pk).status


def _act(client, action, registrations, **extra):
    return client.post(
        LIST, {"action": action, "_selected_action": [r.pk for r in registrations], **extra}
    )


@pytest.fixture
def registrations(meeting, senegal, france, reference_data):
    """Four registrations of the meeting, one of another meeting."""
    mali = reference_data.partners.get(code="ML")
    return {
        "sn": _submit(meeting, senegal, "sn@example.org"),
        "fr": _submit(
            meeting, france, "fr@example.org", level_of_government=LevelOfGovernment.LOCAL
        ),
        "ml": _submit(meeting, mali, "ml@example.org", participation=Participation.ONLINE),
        "approved": RegistrationFactory(meeting=meeting, delegation=senegal, status=S.APPROVED),
    }


@pytest.fixture
def elsewhere(make_meeting, senegal):
    other = make_meeting(slug="other-meeting-2")
    return _submit(other, senegal, "sn@example.org")


# --- who sees what ---------------------------------------------------------------------------


def test_admin_list_secretariat_sees_every_registration(
    registrations, elsewhere, secretariat_officer, client
):
    client.force_login(secretariat_officer)

    response = client.get(LIST)

    assert response.status_code == 200
    assert set(_listed(response)) == {r.reference for r in [*registrations.values(), elsewhere]}


def test_admin_list_organiser_sees_their_meeting_only(
    registrations, elsewhere, meeting_organiser, client
):
    client.force_login(meeting_organiser)

    response = client.get(LIST)

    assert response.status_code == 200
    assert set(_listed(response)) == {r.reference for r in registrations.values()}


def test_admin_change_page_of_another_meeting_is_closed_to_an_organiser(
    elsewhere, meeting_organiser, client
):
    client.force_login(meeting_organiser)

    response = client.get(_change_url(elsewhere))

    assert response.status_code == 302
    assert response["Location"] == "/en/admin/"


@pytest.mark.parametrize("persona", ["focal_point_senegal", "other_organiser"])
def test_admin_list_focal_point_or_other_organiser_cannot_act(
    persona, request, registrations, client
):
    client.force_login(request.getfixturevalue(persona))

    listing = client.get(LIST)
    acted = _act(client, "approve", [registrations["sn"]])

    assert _status(registrations["sn"]) == S.AWAITING_SECRETARIAT
    if persona == "focal_point_senegal":
        assert (listing.status_code, acted.status_code) == (403, 403)
    else:
        assert _listed(listing) == []


def test_admin_list_outsider_is_sent_to_login(registrations, outsider, client):
    client.force_login(outsider)

    response = client.get(LIST)

    assert response.status_code == 302
    assert response["Location"] == f"/en/admin/login/?next={LIST}"


def test_admin_registrations_cannot_be_deleted(registrations, secretariat_officer, client):
    client.force_login(secretariat_officer)

    delete = client.post(f"{LIST}{registrations['sn'].pk}/delete/", {"post": "yes"})

    assert delete.status_code == 403
    assert Registration.objects.filter(pk=registrations["sn"].pk).exists()


def test_admin_change_page_shows_the_history(registrations, secretariat_officer, client):
    registration = registrations["sn"]
    services.reject_registration(registration, actor=secretariat_officer, reason="Duplicate")
    client.force_login(secretariat_officer)

    page = parse(client.get(_change_url(registration)))

    entries = [text.split(" · ", 1)[1] for text in page.texts(".field-history li")]
    assert entries == [
        "the delegate or the system · Registration created: “Awaiting the Secretariat”. "
        "Registered with the form.",
        "Secretariat officer <officer@secretariat.example.org> · Status changed from "
        "“Awaiting the Secretariat” to “Rejected”. Reason: Duplicate",
    ]


# --- filters -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status__exact=approved", {"approved"}),
        ("status__exact=awaiting_secretariat", {"sn", "fr", "ml"}),
        ("delegation__region__exact=west_africa", {"sn", "ml", "approved"}),
        ("delegation__region__exact=europe", {"fr"}),
        ("level_of_government__exact=local", {"fr"}),
        ("participation__exact=online", {"ml"}),
    ],
)
def test_admin_list_filters(query, expected, registrations, secretariat_officer, client):
    client.force_login(secretariat_officer)

    response = client.get(f"{LIST}?{query}")

    assert set(_listed(response)) == {registrations[key].reference for key in expected}


def test_admin_list_filters_by_delegation(registrations, senegal, secretariat_officer, client):
    client.force_login(secretariat_officer)

    response = client.get(f"{LIST}?delegation__id__exact={senegal.pk}")

    assert set(_listed(response)) == {
        registrations["sn"].reference,
        registrations["approved"].reference,
    }


def test_admin_list_filters_by_meeting(registrations, elsewhere, secretariat_officer, client):
    client.force_login(secretariat_officer)

    response = client.get(f"{LIST}?meeting__id__exact={elsewhere.meeting_id}")

    assert _listed(response) == [elsewhere.reference]


def test_admin_list_searches_by_name_and_reference(registrations, secretariat_officer, client):
    client.force_login(secretariat_officer)

    by_reference = client.get(f"{LIST}?q={registrations['fr'].reference}")
    by_email = client.get(f"{LIST}?q=ml@example.org")

    assert _listed(by_reference) == [registrations["fr"].reference]
    assert _listed(by_email) == [registrations["ml"].reference]


# --- actions ---------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["secretariat_officer", "meeting_organiser"])
def test_admin_action_approve_in_bulk(persona, request, registrations, client):
    actor = request.getfixturevalue(persona)
    client.force_login(actor)

    response = _act(client, "approve", [registrations["sn"], registrations["fr"]])

    assert response.status_code == 302
    assert _messages(response) == ["2 registrations updated."]
    assert (_status(registrations["sn"]), _status(registrations["fr"])) == (S.APPROVED, S.APPROVED)
    assert _status(registrations["ml"]) == S.AWAITING_SECRETARIAT
    assert Notification.objects.filter(event="approved").count() == 2


def test_admin_action_approve_reports_each_refusal(registrations, secretariat_officer, client):
    client.force_login(secretariat_officer)
    already = registrations["approved"]

    response = _act(client, "approve", [registrations["sn"], already])

    assert _messages(response) == [
        f"{already}: A registration cannot go from “Approved” to “Approved”.",
        "1 registration updated.",
    ]


def test_admin_action_while_the_meeting_is_busy_stops_at_the_first(
    registrations, secretariat_officer, client, meeting_lock_not_granted
):
    client.force_login(secretariat_officer)
    first, second = sorted(
        [registrations["sn"], registrations["fr"]], key=lambda r: (r.created_at, r.id)
    )

    response = _act(client, "approve", [first, second])

    assert _messages(response) == [f"{first}: Convene is very busy; try again in a moment."]
    assert (_status(first), _status(second)) == (S.AWAITING_SECRETARIAT, S.AWAITING_SECRETARIAT)


def test_admin_action_approve_waitlisted_without_place_is_refused(
    make_meeting, senegal, france, secretariat_officer, client
):
    meeting = make_meeting(in_person_capacity=1)
    _submit(meeting, senegal, "one@example.org")
    waiting = _submit(meeting, france, "two@example.org")
    client.force_login(secretariat_officer)

    response = _act(client, "approve", [waiting])

    assert _messages(response) == [
        f"{waiting}: No place is free. Give a reason to approve over the quota."
    ]
    assert _status(waiting) == S.WAITLISTED


def test_admin_action_waitlist_in_bulk(registrations, secretariat_officer, client):
    client.force_login(secretariat_officer)

    response = _act(client, "waitlist", [registrations["sn"], registrations["ml"]])

    assert _messages(response) == ["2 registrations updated."]
    assert (_status(registrations["sn"]), _status(registrations["ml"])) == (
        S.WAITLISTED,
        S.WAITLISTED,
    )


def test_admin_action_reject_asks_for_a_reason_first(registrations, secretariat_officer, client):
    client.force_login(secretariat_officer)
    chosen = [registrations["sn"], registrations["fr"]]

    response = _act(client, "reject", chosen)

    page = parse(response)
    assert response.status_code == 200
    assert page.select_one("#content h1").text == "Reject registrations"
    assert [text.split(" · ")[0] for text in page.texts("#content ul li")] == [
        r.reference for r in chosen
    ]
    assert {_status(r) for r in chosen} == {S.AWAITING_SECRETARIAT}


def test_admin_action_reject_with_a_reason(registrations, secretariat_officer, client):
    client.force_login(secretariat_officer)
    chosen = [registrations["sn"], registrations["fr"]]

    response = _act(client, "reject", chosen, apply="1", reason="Not a government official")

    assert response.status_code == 302
    assert _messages(response) == ["2 registrations updated."]
    assert (
        list(
            Registration.objects.filter(pk__in=[r.pk for r in chosen]).values_list(
                "status", "decision_reason"
            )
        )
        == [(S.REJECTED, "Not a government official")] * 2
    )


def test_admin_action_reject_without_reason_asks_again(registrations, secretariat_officer, client):
    client.force_login(secretariat_officer)

    response = _act(client, "reject", [registrations["sn"]], apply="1", reason="")

    assert response.status_code == 200
    assert parse(response).texts("#content .errorlist li") == ["This field is required."]
    assert _status(registrations["sn"]) == S.AWAITING_SECRETARIAT


def test_admin_action_approve_over_quota_records_the_reason(
    make_meeting, senegal, france, secretariat_officer, client
):
    meeting = make_meeting(in_person_capacity=1)
    _submit(meeting, senegal, "one@example.org")
    waiting = _submit(meeting, france, "two@example.org")
    client.force_login(secretariat_officer)

    asked = _act(client, "approve_over_quota", [waiting])
    response = _act(client, "approve_over_quota", [waiting], apply="1", reason="Host delegation")

    waiting.refresh_from_db()
    assert parse(asked).select_one("#content h1").text == "Approve over the quota"
    assert response.status_code == 302
    assert (waiting.status, waiting.quota_override_reason) == (S.APPROVED, "Host delegation")


def test_admin_action_by_an_organiser_ignores_other_meetings(
    registrations, elsewhere, meeting_organiser, client
):
    client.force_login(meeting_organiser)

    _act(client, "approve", [registrations["sn"], elsewhere])

    assert _status(registrations["sn"]) == S.APPROVED
    assert _status(elsewhere) == S.AWAITING_SECRETARIAT


# --- HTML in names, query counts ----------------------------------------------------------------


def test_admin_pages_escape_html_in_names(meeting, senegal, secretariat_officer, client):
    registration = _submit(meeting, senegal, "x@example.org", last_name="<script>alert(1)</script>")
    client.force_login(secretariat_officer)

    pages = [
        client.get(LIST),
        client.get(_change_url(registration)),
        _act(client, "reject", [registration]),
    ]

    for response in pages:
        content = response.content.decode()
        assert response.status_code == 200
        assert "<script>alert(1)" not in content
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content


def test_admin_list_query_count_does_not_grow_with_registrations(
    meeting, reference_data, secretariat_officer, client
):
    client.force_login(secretariat_officer)
    partners = list(reference_data.partners.order_by("code"))

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(LIST)
        assert response.status_code == 200
        return len(queries)

    for partner in partners[:3]:
        RegistrationFactory(meeting=meeting, delegation=partner)
    few = count_queries()
    for partner in partners[3:30]:
        RegistrationFactory(meeting=meeting, delegation=partner)
    many = count_queries()

    assert few == many


def test_admin_list_organiser_filters_name_only_their_meeting(
    registrations, elsewhere, meeting, meeting_organiser, client
):
    client.force_login(meeting_organiser)

    page = parse(client.get(LIST))

    choices = page.texts("#changelist-filter li a")
    assert elsewhere.meeting.title not in choices
    assert "Senegal" in choices


@pytest.mark.parametrize(
    ("language", "title", "choices"),
    [
        ("en", "delegation", ["All", "Senegal", "No delegation (invited)"]),
        ("fr", "délégation", ["Tous", "Sénégal", "Sans délégation (sur invitation)"]),
    ],
)
def test_admin_list_delegation_filter_names_the_invited_in_words(
    meeting, senegal, secretariat_officer, client, language, title, choices
):
    RegistrationFactory(meeting=meeting, delegation=senegal)
    RegistrationFactory(meeting=meeting, delegation=None, category=Category.RESEARCH)
    client.force_login(secretariat_officer)

    page = parse(client.get(f"/{language}/admin/registrations/registration/"))

    assert page.texts(f"#changelist-filter details[data-filter-title={title}] li a") == choices


# --- corrections -------------------------------------------------------------------------------


def _editable_fields(response) -> set[str]:
    return set(response.context["adminform"].form.fields)


def test_admin_change_form_edits_only_what_update_registration_corrects(
    registrations, secretariat_officer, client
):
    client.force_login(secretariat_officer)

    response = client.get(_change_url(registrations["sn"]))

    assert _editable_fields(response) == set(services.EDITABLE_BY_STAFF)


@pytest.mark.parametrize("persona", ["secretariat_officer", "meeting_organiser"])
def test_admin_change_corrects_details_through_the_service_audited(
    persona, request, registrations, client
):
    user = request.getfixturevalue(persona)
    registration = registrations["sn"]
    client.force_login(user)
    page = client.get(_change_url(registration))

    response = client.post(
        _change_url(registration),
        form_data(page, "#registration_form", last_name="Diop Ndiaye", function="Minister"),
    )

    assert response.status_code == 302
    stored = Registration.objects.get(pk=registration.pk)
    assert (stored.last_name, stored.function) == ("Diop Ndiaye", "Minister")
    entry = audit_entries_for(registration).first()
    assert (entry.action, entry.actor, entry.reason) == (
        "registration.updated",
        user,
        "last_name, function",
    )
    assert list(
        Notification.objects.filter(registration=registration).values_list("event", flat=True)
    ) == ["received"]


def test_admin_change_cannot_tick_or_untick_consents(registrations, secretariat_officer, client):
    registration = registrations["sn"]
    client.force_login(secretariat_officer)
    page = client.get(_change_url(registration))
    entries = AuditEntry.objects.count()

    response = client.post(
        _change_url(registration),
        {
            **form_data(page, "#registration_form"),
            "consent_processing": "",
            "consent_participant_list": "on",
        },
    )

    assert response.status_code == 302
    stored = Registration.objects.get(pk=registration.pk)
    assert (stored.consent_processing, stored.consent_participant_list) == (True, False)
    assert AuditEntry.objects.count() == entries
    assert parse(page).select("input[name^=consent]") == []


def test_admin_change_to_the_email_of_another_active_registration_is_a_form_error(
    registrations, secretariat_officer, client
):
    registration = registrations["sn"]
    client.force_login(secretariat_officer)
    page = client.get(_change_url(registration))

    response = client.post(
        _change_url(registration), form_data(page, "#registration_form", email="FR@example.org")
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "__all__": ["This email address already has a registration for this meeting."]
    }
    assert Registration.objects.get(pk=registration.pk).email == "sn@example.org"


# --- entry by staff ("Add registration") ---------------------------------------------------

ADD = f"{LIST}add/"


def _entry_url(meeting, language="en") -> str:
    return f"/{language}/admin/registrations/registration/add/?meeting={meeting.pk}"


def _person(partner, **changes) -> dict:
    """What staff type in for a Senegal delegate (the rest is read from the page)."""
    return {
        "category": "partner_country",
        "delegation": str(partner.pk),
        "first_name": "Awa",
        "last_name": "Diop",
        "email": "awa.diop@example.org",
        "phone": "+221 77 123 45 67",
        "institution": "Ministry of Foreign Affairs",
        "function": "Director of migration",
        "level_of_government": "national",
        **changes,
    }


def _enter(client, meeting, partner, language="en", **changes):
    page = client.get(_entry_url(meeting, language))
    data = form_data(page, "#registration_form", **_person(partner, **changes))
    return client.post(_entry_url(meeting, language), data)


def _meeting_choices(response) -> set[str]:
    return {
        value
        for value in (
            option.attrs.get("value") for option in parse(response).select("#id_meeting option")
        )
        if value
    }


def test_admin_add_is_offered_to_the_meetings_managers_only(
    meeting, secretariat_officer, meeting_organiser, focal_point_senegal, client
):
    answers = []
    for person in (secretariat_officer, meeting_organiser, focal_point_senegal):
        client.force_login(person)
        answers.append(client.get(ADD).status_code)

    assert answers == [200, 200, 403]


def test_admin_add_link_is_on_the_list(meeting, meeting_organiser, client):
    client.force_login(meeting_organiser)

    response = client.get(LIST)

    link = parse(response).select_one(".object-tools a.addlink")
    assert (link.text, link.attrs["href"]) == ("Add registration", ADD)


def test_admin_add_secretariat_chooses_among_the_meetings_not_cancelled(
    meeting, make_meeting, secretariat_officer, client
):
    other = make_meeting(slug="other-meeting-3")
    make_meeting(slug="cancelled-meeting", status=MeetingStatus.CANCELLED)
    client.force_login(secretariat_officer)

    response = client.get(ADD)

    assert _meeting_choices(response) == {str(meeting.pk), str(other.pk)}
    assert parse(response).texts("input[name=_continue_to_form]") == [""]


def test_admin_add_organiser_chooses_among_their_meetings_only(
    meeting, other_organiser, meeting_organiser, client
):
    client.force_login(meeting_organiser)

    response = client.get(ADD)

    assert _meeting_choices(response) == {str(meeting.pk)}


def test_admin_add_meeting_choices_follow_the_predicate(
    meeting, make_meeting, secretariat_officer, client, monkeypatch
):
    other = make_meeting(slug="other-meeting-3")
    asked = []

    def only_other(user, candidate):
        asked.append((user.pk, candidate.pk))
        return candidate.pk == other.pk

    monkeypatch.setattr(selectors, "can_enter_registration", only_other)
    client.force_login(secretariat_officer)

    response = client.get(ADD)

    assert _meeting_choices(response) == {str(other.pk)}
    assert sorted(asked) == sorted(
        [(secretariat_officer.pk, meeting.pk), (secretariat_officer.pk, other.pk)]
    )


def test_admin_add_first_step_goes_to_the_meetings_form(meeting, secretariat_officer, client):
    client.force_login(secretariat_officer)

    response = client.post(ADD, {"meeting": str(meeting.pk)})

    assert response.status_code == 302
    assert response["Location"] == f"{ADD}?meeting={meeting.pk}"


def test_admin_add_organiser_of_another_meeting_is_refused(
    meeting, senegal, other_organiser, client
):
    client.force_login(other_organiser)

    page = client.get(_entry_url(meeting))
    posted = client.post(_entry_url(meeting), _person(senegal))

    assert page.status_code == 200
    assert page.context["adminform"].form.errors == {
        "meeting": ["Select a valid choice. That choice is not one of the available choices."]
    }
    assert parse(page).select("#id_email") == []
    assert posted.context["adminform"].form.errors == page.context["adminform"].form.errors
    assert Registration.objects.count() == 0


@pytest.mark.parametrize("meeting_param", ["abc", "999999", ""])
def test_admin_add_unknown_meeting_is_a_form_error(
    meeting_param, meeting, secretariat_officer, client
):
    client.force_login(secretariat_officer)

    response = client.get(f"{ADD}?meeting={meeting_param}")

    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["meeting"]


def test_admin_add_focal_point_cannot_enter(meeting, senegal, focal_point_senegal, client):
    client.force_login(focal_point_senegal)

    page = client.get(_entry_url(meeting))
    posted = client.post(_entry_url(meeting), _person(senegal))

    assert (page.status_code, posted.status_code) == (403, 403)
    assert Registration.objects.count() == 0


def test_admin_add_form_asks_no_consent_and_shows_the_meeting(meeting, secretariat_officer, client):
    client.force_login(secretariat_officer)

    page = parse(client.get(_entry_url(meeting)))

    assert page.select("input[name^=consent]") == []
    assert page.select("input[name=attachment]") == []
    assert page.texts("#id_meeting option[selected]") == ["Dakar workshop"]
    assert page.select_one("#id_send_verification").attrs.get("checked") is None


def test_admin_add_secretariat_enters_without_verification(
    meeting, senegal, focal_point_senegal, secretariat_officer, client
):
    client.force_login(secretariat_officer)

    response = _enter(client, meeting, senegal, note="Speaker, panel 2")

    registration = Registration.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _change_url(registration)
    assert _messages(response) == [
        f"Awa Diop is registered ({registration.reference}): Awaiting the Secretariat."
    ]
    assert (
        registration.meeting,
        registration.status,
        registration.source,
        registration.entered_by,
        registration.delegation,
        registration.email,
        registration.phone,
    ) == (
        meeting,
        S.AWAITING_SECRETARIAT,
        "secretariat",
        secretariat_officer,
        senegal,
        "awa.diop@example.org",
        "+221771234567",
    )
    assert (registration.consent_processing, registration.consent_participant_list) == (
        True,
        False,
    )
    assert list(
        audit_entries_for(registration).values_list("action", "actor", "to_state", "reason")
    ) == [
        ("registration.created", secretariat_officer.pk, S.AWAITING_SECRETARIAT, "Speaker, panel 2")
    ]
    assert list(Notification.objects.values_list("event", "recipient")) == [
        ("received", "awa.diop@example.org"),
        ("focal_point_new", "focal.point@sn.example.org"),
    ]


def test_admin_add_secretariat_enters_with_verification(
    make_meeting, senegal, secretariat_officer, client
):
    meeting = make_meeting(slug="verified", title_en="Verified meeting")
    client.force_login(secretariat_officer)

    response = _enter(client, meeting, senegal, send_verification="on")

    registration = Registration.objects.get()
    assert _messages(response) == [
        f"Awa Diop is registered ({registration.reference}): Awaiting email verification."
    ]
    assert (registration.status, registration.source, registration.entered_by) == (
        S.AWAITING_VERIFICATION,
        "secretariat",
        secretariat_officer,
    )
    assert list(Notification.objects.values_list("event", "recipient")) == [
        ("verify", "awa.diop@example.org")
    ]
    assert list(audit_entries_for(registration).values_list("reason", flat=True)) == [
        "Entered by the Secretariat or the organisers."
    ]


def test_admin_add_change_page_shows_who_entered_it(meeting, senegal, meeting_organiser, client):
    client.force_login(meeting_organiser)
    _enter(client, meeting, senegal, note="VIP")

    page = parse(client.get(_change_url(Registration.objects.get())))

    assert page.texts(".field-source .readonly") == ["Entered by the Secretariat or the organisers"]
    assert page.texts(".field-entered_by .readonly") == [str(meeting_organiser)]
    assert [text.split(" · ", 1)[1] for text in page.texts(".field-history li")] == [
        f"{meeting_organiser} · Registration created: “Awaiting the Secretariat”. Reason: VIP"
    ]


def test_admin_add_outside_the_registration_window_works_for_staff(
    make_meeting, senegal, secretariat_officer, client
):
    meeting = make_meeting(
        slug="closed",
        registration_opens_at=timezone.now() - datetime.timedelta(days=10),
        registration_closes_at=timezone.now() - datetime.timedelta(days=1),
    )
    client.force_login(secretariat_officer)

    response = _enter(client, meeting, senegal)

    assert response.status_code == 302
    assert Registration.objects.get().status == S.AWAITING_SECRETARIAT


def test_admin_add_with_the_meeting_full_goes_to_the_waiting_list(
    make_meeting, senegal, france, secretariat_officer, client
):
    meeting = make_meeting(slug="full", in_person_capacity=1)
    _submit(meeting, france, "first@example.org")
    client.force_login(secretariat_officer)

    response = _enter(client, meeting, senegal)

    entered = Registration.objects.get(email="awa.diop@example.org")
    assert _messages(response) == [
        f"Awa Diop is registered ({entered.reference}): On the waiting list."
    ]
    assert entered.status == S.WAITLISTED


def test_admin_add_of_a_registered_address_is_a_form_error(
    meeting, senegal, secretariat_officer, client
):
    existing = _submit(meeting, senegal, "awa.diop@example.org")
    client.force_login(secretariat_officer)

    response = _enter(client, meeting, senegal, email="Awa.Diop@example.org")

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "email": ["This email address already has a registration for this meeting."]
    }
    assert list(Registration.objects.values_list("pk", flat=True)) == [existing.pk]
    assert list(Notification.objects.values_list("registration", flat=True)) == [existing.pk]


def test_admin_add_of_a_registered_address_in_french(meeting, senegal, secretariat_officer, client):
    _submit(meeting, senegal, "awa.diop@example.org")
    client.force_login(secretariat_officer)

    response = _enter(client, meeting, senegal, language="fr")

    assert parse(response).texts(".field-email .errorlist li") == [
        "Une inscription à cette réunion existe déjà pour cette adresse électronique."
    ]
    assert parse(response).texts("h1") == ["Ajouter une inscription"]


def test_admin_add_in_french_says_the_status(meeting, senegal, secretariat_officer, client):
    client.force_login(secretariat_officer)

    response = _enter(client, meeting, senegal, language="fr")

    registration = Registration.objects.get()
    assert _messages(response) == [
        f"Inscription de Awa Diop enregistrée ({registration.reference})\u00a0: "
        "En attente du Secrétariat."
    ]


def test_admin_add_ineligible_category_is_a_form_error(
    make_meeting, senegal, secretariat_officer, client
):
    meeting = make_meeting(slug="countries-only", eligible_categories=["partner_country"])
    client.force_login(secretariat_officer)

    response = _enter(client, meeting, senegal, category="civil_society", delegation="")

    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["category"]
    assert Registration.objects.count() == 0


def test_admin_add_while_the_meeting_is_busy_says_try_again(
    meeting, senegal, secretariat_officer, client, meeting_lock_not_granted
):
    client.force_login(secretariat_officer)

    response = _enter(client, meeting, senegal)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "__all__": ["Convene is very busy; try again in a moment."]
    }
    assert parse(response).texts(".errornote") == ["Please correct the error below."]
    assert Registration.objects.count() == 0


# --- exports ---------------------------------------------------------------------------------

EXPORT = "/en/admin/registrations/registration/export/"


def _exported(response) -> list[str]:
    """References in an export (CSV or XLSX), in order."""
    is_xlsx = response["Content-Type"] == XLSX_CONTENT_TYPE
    rows = xlsx_rows(response) if is_xlsx else csv_rows(response)
    return [row[0] for row in rows[1:]]


def _export_entries():
    return list(AuditEntry.objects.filter(action=RegistrationAuditAction.EXPORTED).order_by("id"))


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_admin_export_secretariat_gets_every_registration(
    file_format, registrations, elsewhere, secretariat_officer, client
):
    client.force_login(secretariat_officer)

    response = client.get(f"{EXPORT}{file_format}/")

    assert response.status_code == 200
    assert set(_exported(response)) == {r.reference for r in [*registrations.values(), elsewhere]}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status__exact=approved", {"approved"}),
        ("delegation__region__exact=europe", {"fr"}),
        ("participation__exact=online", {"ml"}),
        ("q=ml@example.org", {"ml"}),
        ("q=sn%40example.org&status__exact=awaiting_secretariat", {"sn"}),
    ],
)
def test_admin_export_follows_the_lists_filters_and_search(
    query, expected, registrations, secretariat_officer, client
):
    client.force_login(secretariat_officer)

    listed = client.get(f"{LIST}?{query}")
    exported = client.get(f"{EXPORT}csv/?{query}")

    references = _exported(exported)
    assert set(references) == {registrations[key].reference for key in expected}
    assert set(references) == set(_listed(listed))


def test_admin_export_keeps_the_lists_order(registrations, secretariat_officer, client):
    client.force_login(secretariat_officer)

    listed = client.get(f"{LIST}?o=1")
    exported = client.get(f"{EXPORT}csv/?o=1")

    assert _exported(exported) == _listed(listed)


def test_admin_export_covers_every_page_of_the_list(
    meeting, reference_data, secretariat_officer, client
):
    partners = list(reference_data.partners.order_by("code"))[:3]
    created = {RegistrationFactory(meeting=meeting, delegation=p).reference for p in partners}
    client.force_login(secretariat_officer)

    response = client.get(f"{EXPORT}csv/?p=2")

    assert set(_exported(response)) == created


def test_admin_list_links_the_exports_with_its_filters(registrations, secretariat_officer, client):
    client.force_login(secretariat_officer)

    page = parse(client.get(f"{LIST}?q=Diallo&status__exact=approved&p=2"))

    # Every page of the list is exported: the page number is left out.
    assert page.select_one("#export-csv").attrs["href"] == (
        f"{EXPORT}csv/?q=Diallo&status__exact=approved"
    )
    assert page.select_one("#export-xlsx").attrs["href"] == (
        f"{EXPORT}xlsx/?q=Diallo&status__exact=approved"
    )


def test_admin_export_organiser_gets_their_meeting_only(
    registrations, elsewhere, meeting_organiser, client
):
    client.force_login(meeting_organiser)

    everything = client.get(f"{EXPORT}csv/")
    other_meeting = client.get(f"{EXPORT}csv/?q={elsewhere.reference}")

    assert set(_exported(everything)) == {r.reference for r in registrations.values()}
    assert _exported(other_meeting) == []


def test_admin_export_is_refused_to_a_focal_point(registrations, focal_point_senegal, client):
    client.force_login(focal_point_senegal)

    response = client.get(f"{EXPORT}csv/")

    assert response.status_code == 403
    assert _export_entries() == []


def test_admin_export_sends_an_outsider_to_login(registrations, outsider, client):
    client.force_login(outsider)

    response = client.get(f"{EXPORT}csv/")

    assert response.status_code == 302
    assert response["Location"] == f"/en/admin/login/?next={EXPORT}csv/"
    assert _export_entries() == []


def test_admin_export_of_an_unknown_format_is_not_found(secretariat_officer, client):
    client.force_login(secretariat_officer)

    assert client.get(f"{EXPORT}pdf/").status_code == 404


def test_admin_export_with_a_filter_it_cannot_apply_goes_back_to_the_list(
    secretariat_officer, client
):
    client.force_login(secretariat_officer)

    response = client.get(f"{EXPORT}csv/?created_at__gte=not-a-date")

    assert response.status_code == 302
    assert response["Location"] == f"{LIST}?e=1"
    assert _export_entries() == []


def test_admin_export_in_french_on_the_french_back_office(
    registrations, secretariat_officer, client
):
    client.force_login(secretariat_officer)

    response = client.get(
        f"/fr/admin/registrations/registration/export/csv/?q={registrations['approved'].reference}"
    )

    header, row = csv_rows(response)
    assert header[:4] == ["Référence", "Statut", "Rang sur la liste d'attente", "Réunion"]
    assert row[1:4] == ["Approuvée", "", "Atelier de Dakar"]


def test_admin_export_is_audited_on_the_meeting_with_actor_filters_and_rows(
    registrations, meeting, secretariat_officer, client
):
    client.force_login(secretariat_officer)

    client.get(f"{EXPORT}xlsx/?status__exact=awaiting_secretariat&q=example.org")

    (entry,) = _export_entries()
    assert (entry.subject, entry.actor, entry.from_state, entry.to_state, entry.reason) == (
        meeting,
        secretariat_officer,
        "xlsx",
        "3",
        "status__exact=awaiting_secretariat&q=example.org",
    )


def test_admin_export_of_several_meetings_is_audited_on_the_actor(
    registrations, elsewhere, secretariat_officer, client
):
    client.force_login(secretariat_officer)

    client.get(f"{EXPORT}csv/")

    (entry,) = _export_entries()
    assert (entry.subject, entry.actor, entry.from_state, entry.to_state, entry.reason) == (
        secretariat_officer,
        secretariat_officer,
        "csv",
        "5",
        "",
    )


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_admin_export_query_count_does_not_grow_with_registrations(
    file_format, meeting, make_meeting, reference_data, secretariat_officer, client
):
    client.force_login(secretariat_officer)
    partners = list(reference_data.partners.order_by("code"))
    other = make_meeting(slug="export-other")

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"{EXPORT}{file_format}/")
            b"".join(response.streaming_content)
        return len(queries)

    for partner in partners[:2]:
        RegistrationFactory(meeting=meeting, delegation=partner)
        RegistrationFactory(meeting=other, delegation=partner)
    few = count_queries()
    for partner in partners[2:25]:
        RegistrationFactory(meeting=meeting, delegation=partner)
        RegistrationFactory(meeting=other, delegation=partner)
    many = count_queries()

    assert few == many


# --- endorsement on the focal point's behalf ------------------------------------------------


@pytest.fixture
def awaiting_endorsement(make_meeting, senegal, france):
    meeting = make_meeting(slug="endorsed-meeting", focal_point_endorsement_required=True)
    return [
        _submit(meeting, senegal, "sn@example.org"),
        _submit(meeting, france, "fr@example.org"),
    ]


def _action_names(response) -> list[str]:
    return [
        option.attrs["value"] for option in parse(response).select("select[name=action] option")
    ]


def test_admin_action_endorse_on_behalf_asks_for_a_reason_first(
    awaiting_endorsement, secretariat_officer, client
):
    client.force_login(secretariat_officer)

    response = _act(client, "endorse_on_behalf", awaiting_endorsement)

    page = parse(response)
    assert response.status_code == 200
    assert page.select_one("#content h1").text == "Endorse on the focal point's behalf"
    assert {_status(r) for r in awaiting_endorsement} == {S.AWAITING_FOCAL_POINT}


def test_admin_action_endorse_on_behalf_with_a_reason_endorses_and_audits(
    awaiting_endorsement, secretariat_officer, client
):
    client.force_login(secretariat_officer)

    response = _act(
        client, "endorse_on_behalf", awaiting_endorsement, apply="1", reason="Focal point on leave"
    )

    assert response.status_code == 302
    assert _messages(response) == ["2 registrations updated."]
    assert [_status(r) for r in awaiting_endorsement] == [S.AWAITING_SECRETARIAT] * 2
    assert [
        list(
            audit_entries_for(r)
            .filter(action="registration.endorsed_on_behalf")
            .values_list("actor_id", "from_state", "to_state", "reason")
        )
        for r in awaiting_endorsement
    ] == [
        [
            (
                secretariat_officer.pk,
                S.AWAITING_FOCAL_POINT,
                S.AWAITING_SECRETARIAT,
                "Focal point on leave",
            )
        ]
    ] * 2


@pytest.mark.parametrize("reason", ["", "   "])
def test_admin_action_endorse_on_behalf_without_reason_asks_again(
    reason, awaiting_endorsement, secretariat_officer, client
):
    client.force_login(secretariat_officer)

    response = _act(client, "endorse_on_behalf", awaiting_endorsement, apply="1", reason=reason)

    assert response.status_code == 200
    assert parse(response).texts("#content .errorlist li") == ["This field is required."]
    assert {_status(r) for r in awaiting_endorsement} == {S.AWAITING_FOCAL_POINT}
    assert (
        not audit_entries_for(awaiting_endorsement[0])
        .filter(action="registration.endorsed_on_behalf")
        .exists()
    )


def test_admin_action_endorse_on_behalf_without_reason_in_french(
    awaiting_endorsement, secretariat_officer, client
):
    client.force_login(secretariat_officer)

    response = client.post(
        LIST.replace("/en/", "/fr/"),
        {
            "action": "endorse_on_behalf",
            "_selected_action": [r.pk for r in awaiting_endorsement],
            "apply": "1",
            "reason": "",
        },
    )

    page = parse(response)
    assert page.select_one("#content h1").text == "Donner l'aval au nom du point focal"
    assert page.texts("#content .errorlist li") == ["Ce champ est obligatoire."]
    assert {_status(r) for r in awaiting_endorsement} == {S.AWAITING_FOCAL_POINT}


def test_admin_action_endorse_on_behalf_not_awaiting_is_reported(
    registrations, secretariat_officer, client
):
    client.force_login(secretariat_officer)
    chosen = registrations["sn"]

    response = _act(client, "endorse_on_behalf", [chosen], apply="1", reason="On leave")

    assert _messages(response) == [f"{chosen}: This registration is not awaiting endorsement."]
    assert _status(chosen) == S.AWAITING_SECRETARIAT


def test_admin_action_endorse_on_behalf_is_offered_to_the_secretariat_only(
    awaiting_endorsement, secretariat_officer, make_meeting, client
):
    from tests.factories.core import OrganiserRoleFactory

    meeting = awaiting_endorsement[0].meeting
    organiser = OrganiserRoleFactory(meeting=meeting).user

    client.force_login(secretariat_officer)
    offered = "endorse_on_behalf" in _action_names(client.get(LIST))
    client.force_login(organiser)
    refused = _act(client, "endorse_on_behalf", awaiting_endorsement, apply="1", reason="On leave")

    assert offered is True
    assert "endorse_on_behalf" not in _action_names(client.get(LIST))
    assert {_status(r) for r in awaiting_endorsement} == {S.AWAITING_FOCAL_POINT}
    assert _messages(refused) == ["No action selected."]


# --- the list's columns and search ---------------------------------------------------------


def test_admin_list_shows_status_delegation_meeting_and_waiting_list_position(
    make_meeting, senegal, france, secretariat_officer, client
):
    meeting = make_meeting(in_person_capacity=1, title_en="Dakar workshop")
    holding = _submit(meeting, senegal, "one@example.org", first_name="Awa", last_name="Diop")
    waiting = _submit(meeting, france, "two@example.org", first_name="Paul", last_name="Martin")
    client.force_login(secretariat_officer)

    page = parse(client.get(f"{LIST}?o=1"))

    # The site's list of models beside the table would make it scroll sideways.
    assert page.select("#nav-sidebar") == []
    assert page.texts("#result_list thead th")[1:] == [
        "Reference",
        "Name",
        "Delegation",
        "Meeting",
        "Status",
        "Waiting list",
        "Participation",
        "Created",
    ]
    rows = [
        [cell.text for cell in row.child_nodes()][1:7]
        for row in page.select("#result_list tbody tr")
    ]
    assert sorted(rows) == sorted(
        [
            [
                holding.reference,
                "Diop, Awa",
                "Senegal",
                "Dakar workshop",
                "Awaiting the Secretariat",
                "-",
            ],
            [
                waiting.reference,
                "Martin, Paul",
                "France",
                "Dakar workshop",
                "On the waiting list",
                "1",
            ],
        ]
    )


def test_admin_list_query_count_does_not_grow_with_waiting_registrations(
    make_meeting, reference_data, secretariat_officer, client
):
    meeting = make_meeting(in_person_capacity=1)
    other = make_meeting(slug="waiting-other", in_person_capacity=1)
    partners = list(
        reference_data.partners.filter(kind="country", status="partner", left_on__isnull=True)
    )
    client.force_login(secretariat_officer)

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(LIST)
        assert response.status_code == 200
        return len(queries)

    for partner in partners[:2]:
        _submit(meeting, partner, f"{partner.code}@example.org")
        _submit(other, partner, f"{partner.code}@example.org")
    few = count_queries()
    for partner in partners[2:20]:
        _submit(meeting, partner, f"{partner.code}@example.org")
        _submit(other, partner, f"{partner.code}@example.org")
    many = count_queries()

    assert Registration.objects.filter(status=S.WAITLISTED).count() == 38
    assert few == many


@pytest.fixture
def people(meeting, senegal, france, reference_data):
    germany = reference_data.partners.get(code="DE")
    return {
        "aissatou": _submit(
            meeting,
            senegal,
            "a.traore@gouv.sn",
            first_name="Aïssatou",
            last_name="Traoré",
            institution="Direction générale des Sénégalais de l'extérieur",
        ),
        "moussa": _submit(meeting, senegal, "m.ndiaye@gouv.sn", first_name="Moussa"),
        "claire": _submit(
            meeting, france, "claire@diplomatie.gouv.fr", institution="Ambassade de France"
        ),
        "jonas": _submit(meeting, germany, "jonas@auswaertiges-amt.de", last_name="Müller"),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Traoré", {"aissatou"}),
        ("traore", {"aissatou"}),
        ("TRAORE", {"aissatou"}),
        ("Sénégal", {"aissatou", "moussa"}),
        ("senegal", {"aissatou", "moussa"}),
        ("Senegal", {"aissatou", "moussa"}),
        ("Allemagne", {"jonas"}),
        ("germany", {"jonas"}),
        ("ambassade", {"claire"}),
        ("JONAS@auswaertiges-amt.de", {"jonas"}),
        ("sénégalais extérieur", {"aissatou"}),
        ("moussa france", set()),
    ],
)
@pytest.mark.parametrize("language", ["en", "fr"])
def test_admin_list_search_ignores_accents_case_and_language(
    language, query, expected, people, secretariat_officer, client
):
    client.force_login(secretariat_officer)

    response = client.get(LIST.replace("/en/", f"/{language}/"), {"q": query})

    assert set(_listed(response)) == {people[key].reference for key in expected}


def test_admin_list_search_finds_a_reference_in_any_case(people, secretariat_officer, client):
    client.force_login(secretariat_officer)

    response = client.get(LIST, {"q": people["moussa"].reference.lower()})

    assert _listed(response) == [people["moussa"].reference]


def test_admin_list_search_finds_a_corrected_name(people, secretariat_officer, client):
    registration = people["moussa"]
    services.update_registration(
        registration, data={"last_name": "Sène"}, actor=secretariat_officer
    )
    client.force_login(secretariat_officer)

    response = client.get(LIST, {"q": "sene moussa"})

    assert _listed(response) == [registration.reference]


def test_admin_list_search_says_what_it_searches_in_french(secretariat_officer, client):
    client.force_login(secretariat_officer)

    page = parse(client.get(LIST.replace("/en/", "/fr/")))

    assert page.select_one("#searchbar_helptext").text == (
        "Nom, courriel, institution, référence ou délégation (en anglais ou en "
        "français) ; les accents et les majuscules ne comptent pas."
    )


# --- decisions on the registration's page ---------------------------------------------------


def _decide_url(registration, decision, language="en") -> str:
    return f"/{language}/admin/registrations/registration/{registration.pk}/decide/{decision}/"


def _offered(response) -> list[str]:
    return [node.attrs["id"] for node in parse(response).select("#decisions details")]


@pytest.mark.parametrize(
    ("persona", "key", "expected"),
    [
        (
            "secretariat_officer",
            "sn",
            ["decision-approve", "decision-waitlist", "decision-reject"],
        ),
        (
            "meeting_organiser",
            "sn",
            ["decision-approve", "decision-waitlist", "decision-reject"],
        ),
        ("secretariat_officer", "approved", ["decision-reject"]),
    ],
)
def test_admin_change_page_offers_the_decisions_open(
    persona, key, expected, request, registrations, client
):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(_change_url(registrations[key]))

    assert _offered(response) == expected


def test_admin_change_page_offers_the_endorsement_to_the_secretariat_only(
    awaiting_endorsement, secretariat_officer, client
):
    from tests.factories.core import OrganiserRoleFactory

    registration = awaiting_endorsement[0]
    organiser = OrganiserRoleFactory(meeting=registration.meeting).user

    client.force_login(secretariat_officer)
    by_secretariat = _offered(client.get(_change_url(registration)))
    client.force_login(organiser)
    by_organiser = _offered(client.get(_change_url(registration)))

    assert by_secretariat == [
        "decision-waitlist",
        "decision-reject",
        "decision-endorse_on_behalf",
    ]
    assert by_organiser == ["decision-waitlist", "decision-reject"]


def test_admin_change_page_of_a_cancelled_registration_has_no_decisions(
    registrations, secretariat_officer, client
):
    registration = registrations["sn"]
    services.cancel_registration(registration, actor=secretariat_officer)
    client.force_login(secretariat_officer)

    page = parse(client.get(_change_url(registration)))

    assert page.select("#decisions") == []


def test_admin_change_page_decision_forms_post_with_csrf_and_ask_for_reasons(
    registrations, secretariat_officer, client
):
    client.force_login(secretariat_officer)
    registration = registrations["sn"]

    page = parse(client.get(_change_url(registration)))

    forms = {
        node.attrs["id"]: (
            node.select_one("form").attrs["action"],
            node.select_one("form").attrs["method"],
            len(node.select("input[name=csrfmiddlewaretoken]")),
            [(field.attrs["name"], "required" in field.attrs) for field in node.select("textarea")],
        )
        for node in page.select("#decisions details")
    }
    assert forms == {
        "decision-approve": (_decide_url(registration, "approve"), "post", 1, []),
        "decision-waitlist": (
            _decide_url(registration, "waitlist"),
            "post",
            1,
            [("reason", False)],
        ),
        "decision-reject": (_decide_url(registration, "reject"), "post", 1, [("reason", True)]),
    }


@pytest.mark.parametrize("persona", ["secretariat_officer", "meeting_organiser"])
def test_admin_decision_approve_goes_through_the_service_audited(
    persona, request, registrations, client
):
    actor = request.getfixturevalue(persona)
    registration = registrations["sn"]
    client.force_login(actor)

    response = client.post(_decide_url(registration, "approve"))

    assert response.status_code == 302
    assert response["Location"] == _change_url(registration)
    assert _messages(response) == [
        f"Decision recorded: {registration.reference} is now “Approved”."
    ]
    assert _status(registration) == S.APPROVED
    entry = audit_entries_for(registration).filter(action="registration.status").first()
    assert (entry.actor, entry.from_state, entry.to_state) == (
        actor,
        S.AWAITING_SECRETARIAT,
        S.APPROVED,
    )
    assert list(
        Notification.objects.filter(registration=registration).values_list("event", flat=True)
    ) == ["received", "approved"]


def test_admin_decision_waitlist_keeps_the_note(registrations, secretariat_officer, client):
    registration = registrations["sn"]
    client.force_login(secretariat_officer)

    response = client.post(_decide_url(registration, "waitlist"), {"reason": "Seats for heads"})

    stored = Registration.objects.get(pk=registration.pk)
    assert _messages(response) == [
        f"Decision recorded: {registration.reference} is now “On the waiting list”."
    ]
    assert (stored.status, stored.waitlisted_by_decision) == (S.WAITLISTED, True)
    entry = audit_entries_for(registration).filter(action="registration.status").first()
    assert (entry.actor, entry.to_state, entry.reason) == (
        secretariat_officer,
        S.WAITLISTED,
        "Seats for heads",
    )


def test_admin_decision_reject_with_a_reason(registrations, secretariat_officer, client):
    registration = registrations["approved"]
    client.force_login(secretariat_officer)

    response = client.post(_decide_url(registration, "reject"), {"reason": "Not an official"})

    stored = Registration.objects.get(pk=registration.pk)
    assert _messages(response) == [
        f"Decision recorded: {registration.reference} is now “Rejected”."
    ]
    assert (stored.status, stored.decision_reason) == (S.REJECTED, "Not an official")


@pytest.mark.parametrize(
    ("language", "message"), [("en", "Give a reason."), ("fr", "Indiquez un motif.")]
)
@pytest.mark.parametrize("reason", ["", "   "])
def test_admin_decision_reject_without_a_reason_is_refused_with_a_message(
    language, message, reason, registrations, secretariat_officer, client
):
    registration = registrations["sn"]
    client.force_login(secretariat_officer)
    entries = AuditEntry.objects.count()

    response = client.post(_decide_url(registration, "reject", language), {"reason": reason})

    assert response.status_code == 302
    assert response["Location"] == _change_url(registration).replace("/en/", f"/{language}/")
    assert _messages(response) == [message]
    assert _status(registration) == S.AWAITING_SECRETARIAT
    assert AuditEntry.objects.count() == entries


def test_admin_decision_reason_too_long_is_refused(registrations, secretariat_officer, client):
    registration = registrations["sn"]
    client.force_login(secretariat_officer)

    response = client.post(_decide_url(registration, "reject"), {"reason": "x" * 1001})

    assert _messages(response) == ["Ensure this value has at most 1000 characters (it has 1001)."]
    assert _status(registration) == S.AWAITING_SECRETARIAT


def test_admin_decision_endorse_on_behalf_with_a_reason(
    awaiting_endorsement, secretariat_officer, client
):
    registration = awaiting_endorsement[0]
    client.force_login(secretariat_officer)

    response = client.post(
        _decide_url(registration, "endorse_on_behalf"), {"reason": "Focal point on leave"}
    )

    assert _messages(response) == [
        f"Decision recorded: {registration.reference} is now “Awaiting the Secretariat”."
    ]
    assert list(
        audit_entries_for(registration)
        .filter(action="registration.endorsed_on_behalf")
        .values_list("actor_id", "from_state", "to_state", "reason")
    ) == [
        (
            secretariat_officer.pk,
            S.AWAITING_FOCAL_POINT,
            S.AWAITING_SECRETARIAT,
            "Focal point on leave",
        )
    ]


def test_admin_decision_endorse_on_behalf_without_a_reason_is_refused(
    awaiting_endorsement, secretariat_officer, client
):
    registration = awaiting_endorsement[0]
    client.force_login(secretariat_officer)

    response = client.post(_decide_url(registration, "endorse_on_behalf"), {"reason": ""})

    assert _messages(response) == ["Give a reason."]
    assert _status(registration) == S.AWAITING_FOCAL_POINT


def test_admin_decision_approve_over_the_quota_needs_a_reason(
    make_meeting, senegal, france, secretariat_officer, client
):
    meeting = make_meeting(in_person_capacity=1)
    _submit(meeting, senegal, "one@example.org")
    waiting = _submit(meeting, france, "two@example.org")
    client.force_login(secretariat_officer)

    offered = _offered(client.get(_change_url(waiting)))
    refused = client.post(_decide_url(waiting, "approve_over_quota"), {"reason": ""})
    still = _status(waiting)
    client.post(_decide_url(waiting, "approve_over_quota"), {"reason": "Host delegation"})

    waiting.refresh_from_db()
    assert offered == ["decision-approve_over_quota", "decision-reject"]
    assert _messages(refused) == ["No place is free. Give a reason to approve over the quota."]
    assert still == S.WAITLISTED
    assert (waiting.status, waiting.quota_override_reason) == (S.APPROVED, "Host delegation")


def test_admin_decision_no_longer_possible_is_a_message(registrations, secretariat_officer, client):
    registration = registrations["approved"]
    client.force_login(secretariat_officer)

    response = client.post(_decide_url(registration, "approve"))

    assert response.status_code == 302
    assert _messages(response) == ["A registration cannot go from “Approved” to “Approved”."]


def test_admin_decision_while_the_meeting_is_busy_is_a_message(
    registrations, secretariat_officer, client, meeting_lock_not_granted
):
    registration = registrations["sn"]
    client.force_login(secretariat_officer)

    response = client.post(_decide_url(registration, "approve"))

    assert response.status_code == 302
    assert _messages(response) == ["Convene is very busy; try again in a moment."]
    assert _status(registration) == S.AWAITING_SECRETARIAT


@pytest.mark.parametrize(
    ("persona", "decision"),
    [
        ("focal_point_senegal", "approve"),
        ("focal_point_senegal", "reject"),
        ("other_organiser", "approve"),
        ("meeting_organiser", "endorse_on_behalf"),
    ],
)
def test_admin_decision_by_a_persona_not_allowed_is_forbidden(
    persona, decision, request, registrations, client
):
    registration = registrations["sn"]
    client.force_login(request.getfixturevalue(persona))
    entries = AuditEntry.objects.count()

    response = client.post(_decide_url(registration, decision), {"reason": "Because"})

    assert response.status_code == 403
    assert _status(registration) == S.AWAITING_SECRETARIAT
    assert AuditEntry.objects.count() == entries


def test_admin_decision_by_an_outsider_goes_to_login(registrations, outsider, client):
    registration = registrations["sn"]
    client.force_login(outsider)

    response = client.post(_decide_url(registration, "approve"))

    assert response.status_code == 302
    assert response["Location"].startswith("/en/admin/login/")
    assert _status(registration) == S.AWAITING_SECRETARIAT


def test_admin_decision_is_post_only(registrations, secretariat_officer, client):
    client.force_login(secretariat_officer)

    response = client.get(_decide_url(registrations["sn"], "approve"))

    assert response.status_code == 405
    assert _status(registrations["sn"]) == S.AWAITING_SECRETARIAT


@pytest.mark.parametrize("path", ["approve", "delete"])
def test_admin_decision_unknown_is_not_found(path, registrations, secretariat_officer, client):
    client.force_login(secretariat_officer)
    unknown_registration = _decide_url(registrations["sn"], "approve").replace(
        f"/{registrations['sn'].pk}/", "/999999/"
    )

    response = client.post(
        unknown_registration if path == "approve" else _decide_url(registrations["sn"], path)
    )

    assert response.status_code == 404


def test_admin_decision_without_csrf_token_is_refused(registrations, secretariat_officer):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(secretariat_officer)

    response = client.post(_decide_url(registrations["sn"], "approve"))

    assert response.status_code == 403
    assert _status(registrations["sn"]) == S.AWAITING_SECRETARIAT


def test_admin_change_page_decisions_in_french(awaiting_endorsement, secretariat_officer, client):
    client.force_login(secretariat_officer)

    page = parse(client.get(_change_url(awaiting_endorsement[0]).replace("/en/", "/fr/")))

    assert page.select_one("#decisions-title").text == "Décision"
    assert page.texts("#decisions summary") == [
        "Placer sur liste d'attente",
        "Rejeter",
        "Donner l'aval au nom du point focal",
    ]
    confirm = page.select_one("#decision-reject input[type=submit]")
    assert confirm.attrs["value"] == "Rejeter l'inscription"


# --- days attended ---------------------------------------------------------------------------


@pytest.fixture
def three_days(make_meeting, senegal):
    import datetime

    meeting = make_meeting(
        slug="three-days",
        starts_on=datetime.date(2030, 9, 17),
        ends_on=datetime.date(2030, 9, 19),
    )
    return _submit(meeting, senegal, "awa@example.org", days=["2030-09-17", "2030-09-19"])


def _days(page) -> list[tuple[str, str, bool]]:
    return [
        (node.attrs["value"], node.parent.text, "checked" in node.attrs)
        for node in page.select("input[name=days]")
    ]


@pytest.mark.parametrize(
    ("language", "labels"),
    [
        (
            "en",
            [
                "Tuesday 17 September 2030",
                "Wednesday 18 September 2030",
                "Thursday 19 September 2030",
            ],
        ),
        (
            "fr",
            ["mardi 17 septembre 2030", "mercredi 18 septembre 2030", "jeudi 19 septembre 2030"],
        ),
    ],
)
def test_admin_change_page_shows_the_days_as_choices_in_the_pages_language(
    language, labels, three_days, secretariat_officer, client
):
    client.force_login(secretariat_officer)

    page = parse(client.get(_change_url(three_days).replace("/en/", f"/{language}/")))

    assert _days(page) == [
        ("2030-09-17", labels[0], True),
        ("2030-09-18", labels[1], False),
        ("2030-09-19", labels[2], True),
    ]
    assert page.select("textarea[name=days]") == []


def test_admin_change_saves_the_days_through_the_service(three_days, secretariat_officer, client):
    client.force_login(secretariat_officer)
    page = client.get(_change_url(three_days))

    response = client.post(
        _change_url(three_days),
        form_data(page, "#registration_form", days=["2030-09-18", "2030-09-19"]),
    )

    assert response.status_code == 302
    assert Registration.objects.get(pk=three_days.pk).days == ["2030-09-18", "2030-09-19"]
    entry = audit_entries_for(three_days).first()
    assert (entry.action, entry.actor, entry.reason) == (
        "registration.updated",
        secretariat_officer,
        "days",
    )


@pytest.mark.parametrize(
    ("days", "error"),
    [
        (["2030-09-20"], "Select a valid choice. 2030-09-20 is not one of the available choices."),
        ([], "Choose at least one day."),
    ],
)
def test_admin_change_refuses_days_outside_the_meeting(
    days, error, three_days, secretariat_officer, client
):
    client.force_login(secretariat_officer)
    page = client.get(_change_url(three_days))

    response = client.post(
        _change_url(three_days), form_data(page, "#registration_form", days=days)
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"days": [error]}
    assert Registration.objects.get(pk=three_days.pk).days == ["2030-09-17", "2030-09-19"]


def test_admin_decision_message_in_french(registrations, secretariat_officer, client):
    registration = registrations["sn"]
    client.force_login(secretariat_officer)

    response = client.post(_decide_url(registration, "approve", "fr"))

    assert _messages(response) == [
        f"Décision enregistrée\u00a0: l'inscription {registration.reference} est maintenant "
        "«\u00a0Approuvée\u00a0»."
    ]
