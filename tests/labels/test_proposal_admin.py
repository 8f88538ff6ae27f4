"""The proposals in the back-office: the Secretariat reads them (changes go through the
services), filters them, and starts reviews with an action."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from convene.labels.enums import DecidingBody, ProposalStatus
from convene.labels.models import LabelProposal
from tests.html import parse
from tests.labels.proposal_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db

P = ProposalStatus
CHANGELIST = "/en/admin/labels/labelproposal/"


def test_secretariat_lists_proposals_with_filters(
    client, make_proposal, senegal, secretariat_officer
):
    make_proposal(title_en="French workshop", starts_on=datetime.date(2026, 10, 1), ends_on=None)
    make_proposal(
        title_en="Senegalese workshop",
        lead_partner=senegal,
        starts_on=datetime.date(2027, 3, 1),
        ends_on=None,
    )
    client.force_login(secretariat_officer)

    everything = parse(client.get(CHANGELIST))
    in_2027 = parse(client.get(CHANGELIST + "?year=2027"))
    west_africa = parse(client.get(CHANGELIST + "?lead_partner__region=west_africa"))

    assert sorted(everything.texts("td.field-title_en")) == [
        "French workshop",
        "Senegalese workshop",
    ]
    assert in_2027.texts("td.field-title_en") == ["Senegalese workshop"]
    assert west_africa.texts("td.field-title_en") == ["Senegalese workshop"]
    assert [
        node.attrs["data-filter-title"] for node in everything.select("details[data-filter-title]")
    ] == [
        "status",
        "type of activity",
        "lead partner",
        "region",
        "year",
    ]


def test_the_proposal_is_read_only_in_the_back_office(client, make_proposal, secretariat_officer):
    proposal = make_proposal(title_en="Workshop A")
    client.force_login(secretariat_officer)
    url = f"{CHANGELIST}{proposal.pk}/change/"

    page = parse(client.get(url))
    response = client.post(url, {"title_en": "Changed", "status": "labelled"})

    assert page.select("input[name=title_en]") == []
    assert page.select("select[name=status]") == []
    assert response.status_code == 403
    proposal.refresh_from_db()
    assert (proposal.title_en, proposal.status) == ("Workshop A", P.DRAFT)
    assert client.get(f"{CHANGELIST}add/").status_code == 403
    assert client.get(f"{CHANGELIST}{proposal.pk}/delete/").status_code == 403


def test_proposals_are_not_in_the_back_office_of_a_focal_point(
    client, make_proposal, focal_point_france
):
    proposal = make_proposal()
    client.force_login(focal_point_france)

    assert client.get(CHANGELIST).status_code == 403
    assert client.get(f"{CHANGELIST}{proposal.pk}/change/").status_code == 403


def test_an_outsider_is_sent_to_the_back_office_sign_in(client, make_proposal, outsider):
    client.force_login(outsider)

    response = client.get(CHANGELIST)

    assert (response.status_code, response["Location"]) == (
        302,
        f"/en/admin/login/?next={CHANGELIST}",
    )


def test_start_review_action_goes_through_the_state_machine(
    client, make_proposal, secretariat_officer
):
    submitted = make_proposal(status=P.SUBMITTED)
    draft = make_proposal(status=P.DRAFT)
    client.force_login(secretariat_officer)

    response = client.post(
        CHANGELIST,
        {"action": "start_review", "_selected_action": [submitted.pk, draft.pk]},
        follow=True,
    )

    assert dict(LabelProposal.objects.values_list("pk", "status")) == {
        submitted.pk: P.UNDER_REVIEW,
        draft.pk: P.DRAFT,
    }
    assert parse(response).texts("ul.messagelist li") == ["1 proposal under review."]


def test_comments_show_read_only_on_the_proposal(client, make_proposal, secretariat_officer):
    from convene.labels import services

    proposal = make_proposal(
        status=P.LABELLED, decided_by=DecidingBody.CHAIR, decided_on=datetime.date(2026, 1, 5)
    )
    services.add_comment(proposal, body="Well done", actor=secretariat_officer)
    client.force_login(secretariat_officer)

    page = parse(client.get(f"{CHANGELIST}{proposal.pk}/change/"))

    assert page.texts("td.field-body") == ["Well done"]
    assert page.select("textarea") == []


def test_the_concept_note_link_downloads_it(
    client, make_proposal, secretariat_officer, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    proposal = make_proposal()
    proposal.concept_note = SimpleUploadedFile("note.pdf", b"%PDF-1.4\n%%EOF\n")
    proposal.save()
    client.force_login(secretariat_officer)

    page = parse(client.get(f"{CHANGELIST}{proposal.pk}/change/"))
    link = page.select_one(".field-concept_note_link a")
    download = client.get(link.attrs["href"])

    assert link.attrs["href"] == f"/en/proposals/{proposal.reference}/?document=concept_note"
    assert link.text == "Download"
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4\n%%EOF\n"
    assert page.select_one(".field-draft_agenda_link .readonly").text == "-"
