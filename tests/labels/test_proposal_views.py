"""Proposal pages: the list, the form (create, edit), the detail page and its actions, in
English and French, for each persona."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from convene.labels.enums import DecidingBody, ProposalStatus
from convene.labels.models import LabelProposal
from convene.meetings.models import Meeting
from tests.factories.documents import pdf_bytes
from tests.factories.labels import proposal_form_data
from tests.html import page_title, parse
from tests.labels.proposal_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db

P = ProposalStatus
PDF = pdf_bytes()


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _detail(proposal, language="en"):
    return f"/{language}/proposals/{proposal.reference}/"


# --- access -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/en/proposals/", "/en/proposals/new/", "/en/proposals/L-ABCDEF/"]
)
def test_proposal_pages_need_sign_in(client, reference_data, path):
    response = client.get(path)

    assert (response.status_code, response["Location"]) == (
        302,
        f"/en/accounts/login/?next={path}",
    )


@pytest.mark.parametrize("path", ["/en/proposals/", "/en/proposals/new/"])
def test_proposal_pages_refuse_an_outsider(client, reference_data, outsider, path):
    client.force_login(outsider)

    assert client.get(path).status_code == 403


def test_unknown_or_malformed_reference_is_404(client, secretariat_officer):
    client.force_login(secretariat_officer)

    assert [
        client.get(path).status_code
        for path in (
            "/en/proposals/L-ZZZZZZ/",
            "/en/proposals/x%00y/",
            "/en/proposals/L-ZZZZZZ/edit/",
        )
    ] == [404, 404, 404]


# --- the list ---------------------------------------------------------------------------------


def test_proposal_list_shows_a_focal_point_their_partners_proposals_only(
    client, make_proposal, senegal, focal_point_france
):
    mine = make_proposal(title_en="Mine", starts_on=datetime.date(2026, 10, 14), ends_on=None)
    make_proposal(lead_partner=senegal, proposed_by=None)
    client.force_login(focal_point_france)

    page = parse(client.get("/en/proposals/"))

    assert [row.attrs["id"] for row in page.select("tbody tr")] == [f"proposal-{mine.reference}"]
    assert page.texts("tbody tr td") == [
        f"Mine {mine.reference} · Workshop",
        "France",
        "14 October 2026",
        "Draft",
    ]


def test_proposal_list_shows_the_secretariat_every_proposal_in_french(
    client, make_proposal, senegal, secretariat_officer
):
    first = make_proposal(status=P.SUBMITTED)
    second = make_proposal(lead_partner=senegal, proposed_by=None)
    client.force_login(secretariat_officer)

    page = parse(client.get("/fr/proposals/"))

    assert page.texts("h1") == ["Propositions pour le label"]
    assert page.texts("thead th") == [
        "Activité",
        "Partenaire chef de file",
        "Dates proposées",
        "Statut",
    ]
    assert {row.attrs["id"] for row in page.select("tbody tr")} == {
        f"proposal-{first.reference}",
        f"proposal-{second.reference}",
    }
    assert sorted(page.texts("tbody td.status")) == ["Brouillon", "Soumise"]


def test_proposal_list_queries_do_not_grow_with_proposals(
    client, make_proposal, secretariat_officer
):
    make_proposal()
    client.force_login(secretariat_officer)
    client.get("/en/proposals/")  # warm the session and the content types
    with CaptureQueriesContext(connection) as one:
        client.get("/en/proposals/")
    for _ in range(5):
        make_proposal()
    with CaptureQueriesContext(connection) as six:
        response = client.get("/en/proposals/")

    assert len(parse(response).select("tbody tr")) == 6
    assert len(six) == len(one)
    assert len(one) <= 6


# --- creating ---------------------------------------------------------------------------------


def test_proposal_form_offers_a_focal_point_their_own_partner_and_both_plans(
    client, focal_point_france
):
    client.force_login(focal_point_france)

    page = parse(client.get("/en/proposals/new/"))

    assert page.texts("#id_lead_partner option") == ["France"]
    assert page.texts("fieldset.plan > legend") == [
        "Cadiz Action Plan 2023-2027 (activities dated 2023\u20132027)",
        "Marrakesh Action Plan 2018-2020 (activities dated 2018\u20132022)",
    ]
    cadiz = page.select_one("#plan-cap")
    assert cadiz.texts("fieldset.domain > legend")[0].startswith("Domain 1: ")
    assert cadiz.select("fieldset.domain")[0].texts(".choice label")[:2] == [
        "Domain 1 as a whole",
        cadiz.select("fieldset.domain")[0].texts(".choice label")[1],
    ]
    assert cadiz.select("fieldset.domain")[0].texts(".choice label")[1].startswith("Objective 1: ")
    assert page.texts("fieldset.group > legend") == [
        "The activity in English",
        "The activity in French",
        "Organisation",
        "Dates and place",
        "Participants and expected results",
        "Alignment with the action plan",
        "Funding and support requested from the Secretariat",
        "Documents",
    ]


def test_proposal_form_offers_the_secretariat_every_current_partner(
    client, reference_data, secretariat_officer
):
    client.force_login(secretariat_officer)

    page = parse(client.get("/fr/proposals/new/"))

    current = reference_data.partners.filter(left_on__isnull=True).count()
    assert len(page.select("#id_lead_partner option")) == current + 1
    assert page.select("#id_lead_partner option")[0].text == "Choisissez le partenaire chef de file"
    assert len(page.select("input[name=co_organisers]")) == current
    assert page.texts("h1") == ["Proposer une activité pour le label"]


def test_create_proposal_saves_a_draft_and_shows_it(
    client, france, focal_point_france, cadiz_objective
):
    client.force_login(focal_point_france)
    data = proposal_form_data(
        lead_partner=france,
        objectives=[cadiz_objective],
        concept_note=SimpleUploadedFile("note.pdf", PDF, content_type="application/pdf"),
    )

    response = client.post("/en/proposals/new/", data)

    proposal = LabelProposal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _detail(proposal)
    assert (proposal.status, proposal.lead_partner, proposal.proposed_by) == (
        P.DRAFT,
        france,
        focal_point_france,
    )
    assert list(proposal.objectives.all()) == [cadiz_objective]
    assert proposal.concept_note.name.endswith(".pdf")
    assert _messages(response) == [
        "The draft is saved. Submit it to the Secretariat when it is ready."
    ]


def test_create_proposal_for_another_partner_is_refused_on_the_form(
    client, senegal, focal_point_france
):
    client.force_login(focal_point_france)

    response = client.post("/en/proposals/new/", proposal_form_data(lead_partner=senegal))

    assert response.status_code == 400
    assert parse(response).texts("#form-errors li") == [
        "Lead partner: Select a valid choice. That choice is not one of the available choices."
    ]
    assert LabelProposal.objects.count() == 0


def test_create_proposal_with_marrakesh_for_future_dates_is_refused(
    client, france, focal_point_france, marrakesh_objective
):
    client.force_login(focal_point_france)

    response = client.post(
        "/fr/proposals/new/",
        proposal_form_data(lead_partner=france, objectives=[marrakesh_objective]),
    )

    assert response.status_code == 400
    assert parse(response).texts("#form-errors li") == [
        # (Page text reads non-breaking spaces as spaces.)
        "Objectifs du plan d'action : Choisissez des domaines et objectifs du plan "
        "d'action en vigueur aux dates proposées : Plan d'action de Cadix 2023-2027."
    ]
    assert LabelProposal.objects.count() == 0


def test_create_proposal_with_marrakesh_for_2021_dates(
    client, france, focal_point_france, marrakesh_objective
):
    client.force_login(focal_point_france)

    response = client.post(
        "/en/proposals/new/",
        proposal_form_data(
            lead_partner=france,
            objectives=[marrakesh_objective],
            starts_on="2021-09-14",
            ends_on="2021-09-15",
        ),
    )

    assert response.status_code == 302
    assert list(LabelProposal.objects.get().objectives.all()) == [marrakesh_objective]


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        (
            {"starts_on": "2026-13-45"},
            ["Proposed first day: Enter a valid date."],
        ),
        (
            {"starts_on": "2026-10-15", "ends_on": "2026-10-14"},
            ["The last day cannot be before the first day."],
        ),
        (
            {"title_en": "", "expected_participants": "-3"},
            [
                "Title (English): This field is required.",
                "Expected participants: Ensure this value is greater than or equal to 0.",
            ],
        ),
        (
            {"concept_note": SimpleUploadedFile("note.pdf", b"not a pdf")},
            ["Concept note: “note.pdf” is not a valid PDF file: it cannot be opened."],
        ),
        (
            {"place": "Lisbon\x01"},
            ["Place: Remove the invisible control characters."],
        ),
    ],
)
def test_create_proposal_with_bad_input_shows_errors_not_a_500(
    client, france, focal_point_france, changes, errors
):
    client.force_login(focal_point_france)

    response = client.post("/en/proposals/new/", proposal_form_data(lead_partner=france, **changes))

    assert response.status_code == 400
    assert parse(response).texts("#form-errors li") == errors
    assert LabelProposal.objects.count() == 0


# --- editing ----------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [P.DRAFT, P.CHANGES_REQUESTED])
def test_edit_proposal_by_the_proposer_while_editable(
    client, make_proposal, focal_point_france, cadiz_objective, status
):
    proposal = make_proposal(status=status)
    client.force_login(focal_point_france)
    path = f"/en/proposals/{proposal.reference}/edit/"
    assert "lead_partner" not in {
        node.attrs.get("name") for node in parse(client.get(path)).select("select")
    }

    response = client.post(
        path, proposal_form_data(objectives=[cadiz_objective], title_en="Amended title")
    )

    assert (response.status_code, response["Location"]) == (302, _detail(proposal))
    proposal.refresh_from_db()
    assert (proposal.title_en, proposal.status) == ("Amended title", status)
    assert _messages(response) == ["Your changes are saved."]


@pytest.mark.parametrize("status", [P.SUBMITTED, P.UNDER_REVIEW, P.RECOMMENDED, P.WITHDRAWN])
def test_edit_proposal_out_of_the_proposers_hands_is_403(
    client, make_proposal, focal_point_france, status
):
    proposal = make_proposal(status=status)
    client.force_login(focal_point_france)
    path = f"/en/proposals/{proposal.reference}/edit/"

    assert [client.get(path).status_code, client.post(path, proposal_form_data()).status_code] == [
        403,
        403,
    ]


def test_edit_proposal_of_another_partner_is_403(client, make_proposal, focal_point_senegal):
    proposal = make_proposal()
    client.force_login(focal_point_senegal)

    assert client.get(f"/en/proposals/{proposal.reference}/edit/").status_code == 403


# --- the detail page --------------------------------------------------------------------------


def test_detail_shows_the_proposer_the_draft_and_its_actions(
    client, make_proposal, focal_point_france
):
    proposal = make_proposal(title_en="Border workshop", place="Lyon")
    client.force_login(focal_point_france)

    page = parse(client.get(_detail(proposal)))

    assert page.texts("h1") == ["Border workshop"]
    assert page.select_one("#proposal-status").text == "Draft"
    assert page.select_one("a[href=/en/proposals/" + proposal.reference + "/edit/]").text == (
        "Change the proposal"
    )
    assert page.texts("section[aria-labelledby=actions-title] button") == [
        "Submit to the Secretariat",
        "Withdraw the proposal",
        "Send the comment",
    ]
    assert page.texts("#alignment li") == [str(proposal.objectives.get())]
    assert page.texts("#comments-title") == ["Comments"]


def test_detail_in_french(client, make_proposal, focal_point_france):
    proposal = make_proposal(status=P.SUBMITTED, title_fr="Atelier frontières")
    client.force_login(focal_point_france)

    page = parse(client.get(_detail(proposal, "fr")))

    assert page.texts("h1") == ["Atelier frontières"]
    assert page.select_one("#proposal-status").text == "Soumise"
    assert page.texts("section[aria-labelledby=actions-title] button") == [
        "Retirer la proposition",
        "Envoyer le commentaire",
    ]


def test_detail_shows_the_secretariat_the_review_actions(
    client, make_proposal, secretariat_officer
):
    proposal = make_proposal(status=P.UNDER_REVIEW)
    client.force_login(secretariat_officer)

    page = parse(client.get(_detail(proposal)))

    assert [form.attrs["id"] for form in page.select("form.action-form")] == [
        "action-comment",
        "action-checklist",
        "action-request_changes",
        "action-recommend",
        "action-decide",
    ]
    # Under review, the proposal can be refused but not yet labelled.
    assert page.select_one("#action-decide").texts("fieldset .choice label") == ["Not labelled"]


def test_detail_of_another_partners_proposal_is_403(client, make_proposal, focal_point_senegal):
    proposal = make_proposal(status=P.SUBMITTED)
    client.force_login(focal_point_senegal)

    assert client.get(_detail(proposal)).status_code == 403


def test_detail_of_a_labelled_activity_hides_comments_and_history_from_others(
    client, make_proposal, focal_point_senegal, secretariat_officer
):
    from convene.labels import services

    proposal = make_proposal(
        status=P.LABELLED,
        decided_by=DecidingBody.STEERING_COMMITTEE,
        decided_on=datetime.date(2026, 1, 5),
    )
    services.add_comment(proposal, body="Internal remark", actor=secretariat_officer)
    client.force_login(focal_point_senegal)

    response = client.get(_detail(proposal))

    assert response.status_code == 200
    assert "Internal remark" not in response.content.decode()
    assert parse(response).select("#history") == []


# --- actions ----------------------------------------------------------------------------------


def test_submit_from_the_detail_page(client, make_proposal, focal_point_france):
    proposal = make_proposal()
    client.force_login(focal_point_france)

    response = client.post(_detail(proposal), {"action": "submit"})

    assert (response.status_code, response["Location"]) == (302, _detail(proposal))
    proposal.refresh_from_db()
    assert proposal.status == P.SUBMITTED
    assert _messages(response) == ["The proposal is submitted to the Secretariat."]


def test_submit_an_incomplete_proposal_says_what_is_missing_in_french(
    client, make_proposal, focal_point_france
):
    proposal = make_proposal(title_fr="", objectives=[])
    client.force_login(focal_point_france)

    response = client.post(_detail(proposal, "fr"), {"action": "submit"})

    proposal.refresh_from_db()
    assert proposal.status == P.DRAFT
    assert _messages(response) == [
        "Renseignez les deux langues\u00a0: titre (français). "
        "Choisissez au moins un domaine ou un objectif du plan d'action."
    ]


def test_withdraw_first_asks_for_confirmation_and_changes_nothing(
    client, make_proposal, focal_point_france
):
    proposal = make_proposal(status=P.SUBMITTED)
    client.force_login(focal_point_france)

    response = client.post(_detail(proposal), {"action": "withdraw"})

    page = parse(response)
    assert response.status_code == 200
    assert page.select_one("main h1").text == "Withdraw the proposal?"
    assert page.texts("#confirm-consequences p") == [
        f"The proposal {proposal.reference} “{proposal.title_en}” will be withdrawn and the "
        "Secretariat told by email. It cannot be submitted again: this cannot be undone."
    ]
    assert {
        field.attrs["name"]: field.attrs["value"]
        for field in page.select("#confirm-form input[type=hidden]")
        if field.attrs["name"] != "csrfmiddlewaretoken"
    } == {"action": "withdraw", "confirm": "1"}
    assert page.select_one("#confirm-form a").attrs["href"] == _detail(proposal)
    proposal.refresh_from_db()
    assert proposal.status == P.SUBMITTED


def test_withdraw_confirmation_in_french(client, make_proposal, focal_point_france):
    proposal = make_proposal(status=P.SUBMITTED)
    client.force_login(focal_point_france)

    page = parse(client.post(_detail(proposal, "fr"), {"action": "withdraw"}))

    assert page.select_one("main h1").text == "Retirer la proposition ?"
    assert page.texts("#confirm-form button") == ["Oui, retirer la proposition"]


def test_withdraw_once_confirmed_withdraws(client, make_proposal, focal_point_france):
    proposal = make_proposal(status=P.SUBMITTED)
    client.force_login(focal_point_france)

    response = client.post(_detail(proposal), {"action": "withdraw", "confirm": "1"})

    assert (response.status_code, response["Location"]) == (302, _detail(proposal))
    proposal.refresh_from_db()
    assert proposal.status == P.WITHDRAWN
    assert _messages(response) == ["The proposal is withdrawn."]


@pytest.mark.parametrize("confirm", ["", "1"])
def test_another_focal_point_cannot_withdraw_a_proposal(
    confirm, client, make_proposal, focal_point_senegal
):
    proposal = make_proposal(status=P.SUBMITTED)
    client.force_login(focal_point_senegal)

    response = client.post(_detail(proposal), {"action": "withdraw", "confirm": confirm})

    proposal.refresh_from_db()
    assert response.status_code == 403
    assert proposal.status == P.SUBMITTED


def test_a_focal_point_cannot_start_the_review(client, make_proposal, focal_point_france):
    proposal = make_proposal(status=P.SUBMITTED)
    client.force_login(focal_point_france)

    response = client.post(_detail(proposal), {"action": "start_review"})

    proposal.refresh_from_db()
    assert proposal.status == P.SUBMITTED
    assert _messages(response) == ["You cannot take this step on this proposal."]


def test_unknown_action_is_refused(client, make_proposal, focal_point_france):
    proposal = make_proposal()
    client.force_login(focal_point_france)

    response = client.post(_detail(proposal), {"action": "delete"})

    assert _messages(response) == ["Unknown action."]


def test_request_changes_without_a_comment_shows_the_error(
    client, make_proposal, secretariat_officer
):
    proposal = make_proposal(status=P.UNDER_REVIEW)
    client.force_login(secretariat_officer)

    response = client.post(_detail(proposal), {"action": "request_changes"})

    assert response.status_code == 400
    assert parse(response).select_one("#action-request_changes").texts("#form-errors li") == [
        "What should change: This field is required."
    ]
    proposal.refresh_from_db()
    assert proposal.status == P.UNDER_REVIEW


def test_secretariat_reviews_recommends_decides_and_creates_the_meeting(
    client, make_proposal, secretariat_officer
):
    proposal = make_proposal(status=P.SUBMITTED)
    client.force_login(secretariat_officer)
    url = _detail(proposal)

    steps = [
        {"action": "start_review"},
        {
            "action": "checklist",
            "checklist-check_alignment": "on",
            "checklist-check_partner_led": "on",
            "checklist-check_relevance": "on",
            "checklist-check_feasibility": "on",
        },
        {"action": "recommend", "recommend-note": ""},
        {
            "action": "decide",
            "decide-outcome": "labelled",
            "decide-decided_by": "steering_committee",
            "decide-decided_on": "2026-02-10",
            "decide-decision_reference": "SC-2026-01",
        },
        {"action": "create_meeting", "create_meeting-slug": "lisbon-2026"},
    ]
    said = []
    for step in steps:
        response = client.post(url, step)
        assert response.status_code == 302, step
        said.append(_messages(response)[-1])

    proposal.refresh_from_db()
    assert (proposal.status, proposal.decision_reference, proposal.meeting.slug) == (
        P.LABELLED,
        "SC-2026-01",
        "lisbon-2026",
    )
    assert said == [
        "The review has started.",
        "The checklist is saved.",
        "The proposal is recommended for the label.",
        "The decision is recorded.",
        "The meeting is created as a draft: complete it and publish it.",
    ]
    page = parse(client.get(url))
    assert page.select("#action-create_meeting") == []
    assert page.texts("#decision dd") == ["Steering Committee", "10 February 2026", "SC-2026-01"]


def test_create_meeting_with_a_bad_address_shows_the_error(
    client, make_proposal, secretariat_officer
):
    proposal = make_proposal(
        status=P.LABELLED, decided_by=DecidingBody.CHAIR, decided_on=datetime.date(2026, 1, 5)
    )
    client.force_login(secretariat_officer)

    response = client.post(
        _detail(proposal), {"action": "create_meeting", "create_meeting-slug": "Not a slug!"}
    )

    assert response.status_code == 400
    assert parse(response).select_one("#action-create_meeting").texts("#form-errors li") == [
        "Address of the meeting page: Enter a valid “slug” consisting of letters, numbers, "
        "underscores or hyphens."
    ]
    assert Meeting.objects.count() == 0


def test_concept_note_downloads_for_the_proposer_only(
    client, make_proposal, focal_point_france, focal_point_senegal, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    proposal = make_proposal(
        status=P.LABELLED, decided_by=DecidingBody.CHAIR, decided_on=datetime.date(2026, 1, 5)
    )
    proposal.concept_note = SimpleUploadedFile("note.pdf", PDF)
    proposal.save()
    client.force_login(focal_point_france)

    response = client.get(_detail(proposal) + "?document=concept_note")

    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"] == (
        f'attachment; filename="{proposal.reference}-concept_note.pdf"'
    )
    client.force_login(focal_point_senegal)
    assert client.get(_detail(proposal) + "?document=concept_note").status_code == 404


def test_concept_note_missing_from_the_disk_answers_404(
    client, make_proposal, focal_point_france, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    proposal = make_proposal()
    proposal.concept_note = SimpleUploadedFile("note.pdf", PDF)
    proposal.save()
    (tmp_path / proposal.concept_note.name).unlink()
    client.force_login(focal_point_france)

    response = client.get(_detail(proposal) + "?document=concept_note")

    assert response.status_code == 404


# --- the page title after a refused submit (WCAG 3.3.1) ---------------------------------------


@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("en", "Error: Propose an activity for the label"),
        ("fr", "Erreur\u00a0: Proposer une activité pour le label"),
    ],
)
def test_create_proposal_refused_title_starts_with_error(
    client, senegal, focal_point_france, language, title
):
    client.force_login(focal_point_france)

    response = client.post(f"/{language}/proposals/new/", proposal_form_data(lead_partner=senegal))

    assert response.status_code == 400
    assert page_title(response) == title


def test_proposal_form_not_yet_sent_title_has_no_error(client, reference_data, focal_point_france):
    client.force_login(focal_point_france)

    response = client.get("/en/proposals/new/")

    assert page_title(response) == "Propose an activity for the label"


@pytest.mark.parametrize(
    ("language", "suffix"),
    [("en", " · Proposal for the label"), ("fr", " · Proposition pour le label")],
)
def test_proposal_detail_refused_action_title_starts_with_error(
    client, make_proposal, secretariat_officer, language, suffix
):
    proposal = make_proposal(status=P.UNDER_REVIEW)
    client.force_login(secretariat_officer)

    refused = client.post(_detail(proposal, language), {"action": "request_changes"})
    shown = client.get(_detail(proposal, language))

    prefix = {"en": "Error: ", "fr": "Erreur\u00a0: "}[language]
    title = getattr(proposal, f"title_{language}") + suffix
    assert refused.status_code == 400
    assert (page_title(refused), page_title(shown)) == (prefix + title, title)
