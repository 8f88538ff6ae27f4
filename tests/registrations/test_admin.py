"""The back-office list of registrations: who sees what, filters, decisions in bulk."""

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext

from convene.core.models import AuditEntry
from convene.core.selectors import audit_entries_for
from convene.registrations import services
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


def test_admin_registrations_cannot_be_added_or_deleted(registrations, secretariat_officer, client):
    client.force_login(secretariat_officer)

    add = client.get(f"{LIST}add/")
    delete = client.post(f"{LIST}{registrations['sn'].pk}/delete/", {"post": "yes"})

    assert (add.status_code, delete.status_code) == (403, 403)
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
    assert header[:3] == ["Référence", "Statut", "Réunion"]
    assert row[1:3] == ["Approuvée", "Atelier de Dakar"]


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
