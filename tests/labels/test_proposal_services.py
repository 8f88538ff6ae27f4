"""Proposal services: the state machine by role, edits, alignment, review, decision, the
meeting made from a labelled activity, and the demo labelling record."""

import datetime
import os

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from convene.core.models import AuditEntry
from convene.labels import services
from convene.labels.enums import ActivityType, DecidingBody, ProposalStatus
from convene.labels.errors import LabelError
from convene.labels.models import LabelProposal, ProposalComment
from convene.meetings.enums import MeetingFormat, MeetingKind, MeetingStatus
from convene.meetings.errors import MeetingError
from convene.meetings.models import Meeting
from convene.meetings.services import set_meeting_status
from tests.factories.labels import proposal_data
from tests.factories.meetings import SessionFactory
from tests.html import parse
from tests.labels.proposal_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db

P = ProposalStatus


def _audit(proposal):
    return list(
        AuditEntry.objects.filter(object_id=str(proposal.pk), action__startswith="proposal.")
        .order_by("id")
        .values_list("action", "from_state", "to_state", "actor__email", "reason")
    )


# --- creating and editing ---------------------------------------------------------------------


def test_create_proposal_by_the_lead_partners_focal_point_saves_a_draft(
    reference_data, france, focal_point_france, cadiz_objective
):
    proposal = services.create_proposal(
        dialogue=reference_data,
        lead_partner=france,
        data=proposal_data(objectives=[cadiz_objective]),
        actor=focal_point_france,
    )

    proposal = LabelProposal.objects.get(pk=proposal.pk)
    assert (proposal.status, proposal.lead_partner, proposal.proposed_by) == (
        P.DRAFT,
        france,
        focal_point_france,
    )
    assert proposal.title_fr == "Atelier sur le retour et la réintégration"
    assert list(proposal.objectives.all()) == [cadiz_objective]
    assert _audit(proposal) == [("proposal.created", "", "draft", focal_point_france.email, "")]


def test_create_proposal_for_another_partner_is_refused_and_saves_nothing(
    reference_data, senegal, focal_point_france
):
    with pytest.raises(LabelError) as refused:
        services.create_proposal(
            dialogue=reference_data,
            lead_partner=senegal,
            data=proposal_data(),
            actor=focal_point_france,
        )

    assert refused.value.code == "forbidden"
    assert LabelProposal.objects.count() == 0


def test_create_proposal_by_the_secretariat_on_a_partners_behalf(
    reference_data, senegal, secretariat_officer
):
    proposal = services.create_proposal(
        dialogue=reference_data,
        lead_partner=senegal,
        data=proposal_data(),
        actor=secretariat_officer,
    )

    assert (proposal.lead_partner, proposal.proposed_by) == (senegal, secretariat_officer)


def test_create_proposal_by_an_outsider_is_refused(reference_data, france, outsider):
    with pytest.raises(LabelError) as refused:
        services.create_proposal(
            dialogue=reference_data, lead_partner=france, data=proposal_data(), actor=outsider
        )

    assert refused.value.code == "forbidden"


def test_create_proposal_with_marrakesh_alignment_for_2021_dates(
    reference_data, france, focal_point_france, marrakesh_objective
):
    proposal = services.create_proposal(
        dialogue=reference_data,
        lead_partner=france,
        data=proposal_data(
            objectives=[marrakesh_objective],
            starts_on=datetime.date(2021, 9, 14),
            ends_on=datetime.date(2021, 9, 15),
        ),
        actor=focal_point_france,
    )

    assert list(proposal.objectives.all()) == [marrakesh_objective]


@pytest.mark.parametrize(
    ("starts_on", "plan"),
    [
        (datetime.date(2021, 9, 14), "cadiz"),  # 2018-2022: Marrakesh only
        (None, "marrakesh"),  # no date: the current plan, Cadiz
        (datetime.date(2026, 3, 1), "marrakesh"),
    ],
)
def test_create_proposal_with_a_plan_not_in_force_is_refused(
    reference_data,
    france,
    focal_point_france,
    cadiz_objective,
    marrakesh_objective,
    starts_on,
    plan,
):
    objective = cadiz_objective if plan == "cadiz" else marrakesh_objective

    with pytest.raises(LabelError) as refused:
        services.create_proposal(
            dialogue=reference_data,
            lead_partner=france,
            data=proposal_data(objectives=[objective], starts_on=starts_on, ends_on=None),
            actor=focal_point_france,
        )

    assert (refused.value.code, refused.value.field) == ("alignment", "objectives")
    assert LabelProposal.objects.count() == 0


def test_changing_the_dates_out_of_the_plan_of_the_alignment_is_refused(
    make_proposal, focal_point_france
):
    proposal = make_proposal()  # aligned with Cadiz

    with pytest.raises(LabelError) as refused:
        services.update_proposal(
            proposal,
            data={"starts_on": datetime.date(2020, 5, 4), "ends_on": datetime.date(2020, 5, 4)},
            actor=focal_point_france,
        )

    assert refused.value.code == "alignment"
    proposal.refresh_from_db()
    assert proposal.starts_on.year > 2022


@pytest.mark.parametrize("status", [P.DRAFT, P.CHANGES_REQUESTED])
def test_update_proposal_by_the_proposer_while_editable(make_proposal, focal_point_france, status):
    proposal = make_proposal(status=status)

    services.update_proposal(proposal, data={"title_en": "New title"}, actor=focal_point_france)

    proposal.refresh_from_db()
    assert proposal.title_en == "New title"
    assert _audit(proposal) == [("proposal.updated", "", "", focal_point_france.email, "")]


@pytest.mark.parametrize(
    "status",
    [P.SUBMITTED, P.UNDER_REVIEW, P.RECOMMENDED, P.LABELLED, P.NOT_LABELLED, P.WITHDRAWN],
)
def test_update_proposal_once_out_of_the_proposers_hands_is_refused(
    make_proposal, focal_point_france, secretariat_officer, status
):
    proposal = make_proposal(
        status=status, decided_by=DecidingBody.STEERING_COMMITTEE, decided_on=datetime.date.today()
    )

    for actor in (focal_point_france, secretariat_officer):
        with pytest.raises(LabelError) as refused:
            services.update_proposal(proposal, data={"title_en": "New title"}, actor=actor)
        assert refused.value.code == "forbidden"
    proposal.refresh_from_db()
    assert proposal.title_en != "New title"


def test_update_proposal_by_another_partners_focal_point_is_refused(
    make_proposal, focal_point_senegal
):
    proposal = make_proposal()

    with pytest.raises(LabelError) as refused:
        services.update_proposal(
            proposal, data={"title_en": "New title"}, actor=focal_point_senegal
        )

    assert refused.value.code == "forbidden"


def test_update_proposal_by_the_secretariat_on_the_partners_behalf(
    make_proposal, secretariat_officer
):
    proposal = make_proposal()

    services.update_proposal(proposal, data={"place": "Porto"}, actor=secretariat_officer)

    proposal.refresh_from_db()
    assert proposal.place == "Porto"


# --- the state machine ------------------------------------------------------------------------


def _outcomes(make_proposal, actor):
    """{(from, to): "ok" or the refusal's code} for every pair of statuses."""
    outcomes = {}
    for old in P:
        for new in P:
            proposal = make_proposal(
                status=old,
                # A decided status needs its decision (a database constraint).
                decided_by=DecidingBody.STEERING_COMMITTEE,
                decided_on=datetime.date(2026, 1, 15),
            )
            try:
                services.set_proposal_status(proposal, new, actor=actor)
            except LabelError as error:
                outcomes[old.value, new.value] = error.code
                proposal.refresh_from_db()
                assert proposal.status == old
            else:
                outcomes[old.value, new.value] = "ok"
                assert LabelProposal.objects.get(pk=proposal.pk).status == new
    return outcomes


def _expected(allowed_roles):
    return {
        (old.value, new.value): (
            "transition"
            if (old, new) not in services.TRANSITIONS
            else "ok"
            if services.TRANSITIONS[old, new] in allowed_roles
            else "forbidden"
        )
        for old in P
        for new in P
    }


def test_every_transition_for_the_secretariat(make_proposal, secretariat_officer):
    # The Secretariat also acts as proposer on a partner's behalf.
    assert _outcomes(make_proposal, secretariat_officer) == _expected(
        {services.SECRETARIAT, services.PROPOSER}
    )


def test_every_transition_for_the_lead_partners_focal_point(make_proposal, focal_point_france):
    assert _outcomes(make_proposal, focal_point_france) == _expected({services.PROPOSER})


def test_every_transition_for_another_partners_focal_point(make_proposal, focal_point_senegal):
    assert _outcomes(make_proposal, focal_point_senegal) == _expected(set())


def test_the_transition_table_is_the_documented_workflow():
    assert {(old.value, new.value): who for (old, new), who in services.TRANSITIONS.items()} == {
        ("draft", "submitted"): "proposer",
        ("draft", "withdrawn"): "proposer",
        ("submitted", "under_review"): "secretariat",
        ("submitted", "withdrawn"): "proposer",
        ("under_review", "changes_requested"): "secretariat",
        ("under_review", "recommended"): "secretariat",
        ("under_review", "not_labelled"): "secretariat",
        ("changes_requested", "submitted"): "proposer",
        ("changes_requested", "withdrawn"): "proposer",
        ("recommended", "labelled"): "secretariat",
        ("recommended", "not_labelled"): "secretariat",
        ("recommended", "changes_requested"): "secretariat",
    }


def test_set_proposal_status_audits_who_when_from_to_and_why(make_proposal, secretariat_officer):
    proposal = make_proposal(status=P.SUBMITTED)

    services.set_proposal_status(
        proposal, P.UNDER_REVIEW, actor=secretariat_officer, reason="Started"
    )

    assert _audit(proposal) == [
        ("proposal.status", "submitted", "under_review", secretariat_officer.email, "Started")
    ]


def test_submit_an_incomplete_proposal_is_refused_with_what_is_missing(
    make_proposal, focal_point_france
):
    proposal = make_proposal(title_fr="", starts_on=None, ends_on=None, objectives=[])

    with pytest.raises(LabelError) as refused:
        services.set_proposal_status(proposal, P.SUBMITTED, actor=focal_point_france)

    assert refused.value.code == "incomplete"
    assert refused.value.message == (
        "Fill in both languages: title (French). "
        "Choose at least one domain or objective of the action plan. "
        "Give the proposed dates."
    )
    proposal.refresh_from_db()
    assert proposal.status == P.DRAFT


# --- review, changes, decision ----------------------------------------------------------------


def test_review_proposal_records_the_checklist(make_proposal, secretariat_officer):
    proposal = make_proposal(status=P.UNDER_REVIEW)

    services.review_proposal(
        proposal,
        checklist={"check_alignment": True, "check_partner_led": True, "check_relevance": False},
        actor=secretariat_officer,
    )

    proposal.refresh_from_db()
    assert (
        proposal.check_alignment,
        proposal.check_partner_led,
        proposal.check_relevance,
        proposal.check_feasibility,
    ) == (True, True, False, False)
    assert _audit(proposal) == [
        (
            "proposal.checklist",
            "",
            "",
            secretariat_officer.email,
            "check_alignment, check_partner_led",
        )
    ]


def test_review_proposal_by_a_focal_point_is_refused(make_proposal, focal_point_france):
    proposal = make_proposal(status=P.UNDER_REVIEW)

    with pytest.raises(LabelError) as refused:
        services.review_proposal(
            proposal, checklist={"check_alignment": True}, actor=focal_point_france
        )

    assert refused.value.code == "forbidden"


def test_request_changes_sends_the_proposal_back_with_the_comment(
    make_proposal, secretariat_officer
):
    proposal = make_proposal(status=P.UNDER_REVIEW)

    services.request_changes(proposal, comment=" Add the agenda. ", actor=secretariat_officer)

    proposal.refresh_from_db()
    assert proposal.status == P.CHANGES_REQUESTED
    assert list(proposal.comments.values_list("author__email", "body")) == [
        (secretariat_officer.email, "Add the agenda.")
    ]


def test_request_changes_without_a_comment_is_refused(make_proposal, secretariat_officer):
    proposal = make_proposal(status=P.UNDER_REVIEW)

    with pytest.raises(LabelError) as refused:
        services.request_changes(proposal, comment="  ", actor=secretariat_officer)

    assert refused.value.code == "empty"
    proposal.refresh_from_db()
    assert (proposal.status, proposal.comments.count()) == (P.UNDER_REVIEW, 0)


def test_recommend_proposal_needs_the_complete_checklist(make_proposal, secretariat_officer):
    proposal = make_proposal(status=P.UNDER_REVIEW, check_alignment=True)

    with pytest.raises(LabelError) as refused:
        services.recommend_proposal(proposal, actor=secretariat_officer)

    assert refused.value.code == "checklist"
    proposal.refresh_from_db()
    assert proposal.status == P.UNDER_REVIEW


def test_recommend_proposal_with_the_checklist_complete(make_proposal, secretariat_officer):
    proposal = make_proposal(
        status=P.UNDER_REVIEW,
        check_alignment=True,
        check_partner_led=True,
        check_relevance=True,
        check_feasibility=True,
    )

    services.recommend_proposal(proposal, actor=secretariat_officer, note="Good")

    proposal.refresh_from_db()
    assert proposal.status == P.RECOMMENDED


def test_record_label_decision_labelled_keeps_body_date_and_reference(
    make_proposal, secretariat_officer
):
    proposal = make_proposal(status=P.RECOMMENDED)

    services.record_label_decision(
        proposal,
        labelled=True,
        decided_by=DecidingBody.STEERING_COMMITTEE,
        decided_on=datetime.date(2026, 2, 10),
        decision_reference="SC-2026-01",
        actor=secretariat_officer,
    )

    proposal.refresh_from_db()
    assert (
        proposal.status,
        proposal.decided_by,
        proposal.decided_on,
        proposal.decision_reference,
    ) == (P.LABELLED, "steering_committee", datetime.date(2026, 2, 10), "SC-2026-01")


def test_record_label_decision_not_labelled_from_review(make_proposal, secretariat_officer):
    proposal = make_proposal(status=P.UNDER_REVIEW)

    services.record_label_decision(
        proposal,
        labelled=False,
        decided_by=DecidingBody.CHAIR,
        decided_on=datetime.date(2026, 2, 10),
        actor=secretariat_officer,
    )

    proposal.refresh_from_db()
    assert (proposal.status, proposal.decided_by) == (P.NOT_LABELLED, "chair")


def test_record_label_decision_without_a_body_is_refused(make_proposal, secretariat_officer):
    proposal = make_proposal(status=P.RECOMMENDED)

    with pytest.raises(LabelError) as refused:
        services.record_label_decision(
            proposal,
            labelled=True,
            decided_by="",
            decided_on=datetime.date(2026, 2, 10),
            actor=secretariat_officer,
        )

    assert refused.value.code == "decision"
    proposal.refresh_from_db()
    assert proposal.status == P.RECOMMENDED


def test_record_label_decision_by_a_focal_point_is_refused_and_keeps_no_decision(
    make_proposal, focal_point_france
):
    proposal = make_proposal(status=P.RECOMMENDED)

    with pytest.raises(LabelError) as refused:
        services.record_label_decision(
            proposal,
            labelled=True,
            decided_by=DecidingBody.STEERING_COMMITTEE,
            decided_on=datetime.date(2026, 2, 10),
            actor=focal_point_france,
        )

    assert refused.value.code == "forbidden"
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decided_by, proposal.decided_on) == (P.RECOMMENDED, "", None)


def test_add_comment_by_proposer_and_refusals(
    make_proposal, focal_point_france, focal_point_senegal
):
    proposal = make_proposal(status=P.SUBMITTED)

    services.add_comment(proposal, body="When do you decide?", actor=focal_point_france)
    with pytest.raises(LabelError) as empty:
        services.add_comment(proposal, body=" ", actor=focal_point_france)
    with pytest.raises(LabelError) as forbidden:
        services.add_comment(proposal, body="Hello", actor=focal_point_senegal)

    assert (empty.value.code, forbidden.value.code) == ("empty", "forbidden")
    assert list(ProposalComment.objects.values_list("author__email", "body")) == [
        (focal_point_france.email, "When do you decide?")
    ]


# --- from a labelled activity to its meeting -----------------------------------------------------


def _labelled(make_proposal, senegal, **fields):
    proposal = make_proposal(
        status=P.LABELLED,
        decided_by=DecidingBody.STEERING_COMMITTEE,
        decided_on=datetime.date(2026, 1, 15),
        activity_type=ActivityType.WORKSHOP,
        format="hybrid",
        place="Lyon, France",
        support_logistics=True,
        **fields,
    )
    proposal.co_organisers.set([senegal])
    return proposal


def test_create_meeting_from_proposal_carries_label_partners_and_alignment(
    make_proposal, senegal, france, cadiz_objective, secretariat_officer
):
    proposal = _labelled(make_proposal, senegal, domains=[cadiz_objective.domain])

    meeting = services.create_meeting_from_proposal(
        proposal, slug="lyon-workshop", actor=secretariat_officer
    )

    proposal.refresh_from_db()
    assert proposal.meeting == meeting
    assert (
        meeting.slug,
        meeting.status,
        meeting.kind,
        meeting.format,
        meeting.is_labelled,
        meeting.secretariat_support,
        meeting.title_en,
        meeting.title_fr,
        meeting.starts_on,
        meeting.ends_on,
        meeting.city_en,
        meeting.host_country,
    ) == (
        "lyon-workshop",
        MeetingStatus.DRAFT,
        MeetingKind.WORKSHOP,
        MeetingFormat.HYBRID,
        True,
        True,
        proposal.title_en,
        proposal.title_fr,
        proposal.starts_on,
        proposal.ends_on,
        "Lyon, France",
        france,
    )
    assert list(meeting.lead_partners.all()) == [france]
    assert meeting.organisers_en.splitlines() == ["France", "Senegal"]
    assert meeting.organisers_fr.splitlines() == ["France", "Sénégal"]
    assert list(meeting.objectives.all()) == [cadiz_objective]
    assert list(meeting.domains.all()) == [cadiz_objective.domain]
    assert _audit(proposal)[-1] == (
        "proposal.meeting_created",
        "",
        "",
        secretariat_officer.email,
        "lyon-workshop",
    )


def _complete(meeting):
    """What the Secretariat adds to a meeting made from a proposal before publishing it."""
    now = timezone.now()
    Meeting.objects.filter(pk=meeting.pk).update(
        venue_en="Lyon congress centre",
        venue_fr="Centre de congrès de Lyon",
        registration_opens_at=now,
        registration_closes_at=now + datetime.timedelta(days=10),
    )
    SessionFactory(meeting=meeting)
    meeting.refresh_from_db()


@pytest.mark.parametrize(
    "language, message",
    [
        (
            "en",
            "This labelled meeting cannot be published before it has its venue (or an "
            "online format), its registration dates and a programme of at least one session.",
        ),
        (
            "fr",
            "Cette réunion labellisée ne peut être publiée avant d'avoir son lieu (ou un "
            "format en ligne), ses dates d'inscription et un programme d'au moins une séance.",
        ),
    ],
)
def test_meeting_from_proposal_cannot_be_published_until_complete(
    language, message, make_proposal, senegal, secretariat_officer
):
    proposal = _labelled(make_proposal, senegal)
    meeting = services.create_meeting_from_proposal(
        proposal, slug="lyon-workshop", actor=secretariat_officer
    )

    with translation.override(language), pytest.raises(MeetingError) as caught:
        set_meeting_status(meeting, MeetingStatus.PUBLISHED, actor=secretariat_officer)

    assert (caught.value.code, caught.value.message) == ("incomplete", message)
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.DRAFT


def test_meeting_from_proposal_shows_the_labelled_mark_once_published(
    make_proposal, senegal, secretariat_officer, client
):
    proposal = _labelled(make_proposal, senegal)
    meeting = services.create_meeting_from_proposal(
        proposal, slug="lyon-workshop", actor=secretariat_officer
    )
    assert client.get("/en/meetings/lyon-workshop/").status_code == 404

    _complete(meeting)
    set_meeting_status(meeting, MeetingStatus.PUBLISHED, actor=secretariat_officer)
    english = parse(client.get("/en/meetings/lyon-workshop/"))
    french = parse(client.get("/fr/meetings/lyon-workshop/"))

    assert english.texts("aside.label-mark h2") == ["Rabat Process labelled meeting"]
    assert french.texts("aside.label-mark h2") == ["Réunion labellisée Processus de Rabat"]


@pytest.mark.parametrize("status", [P.DRAFT, P.RECOMMENDED, P.NOT_LABELLED])
def test_create_meeting_from_a_proposal_not_labelled_is_refused(
    make_proposal, secretariat_officer, status
):
    proposal = make_proposal(
        status=status, decided_by=DecidingBody.CHAIR, decided_on=datetime.date(2026, 1, 15)
    )

    with pytest.raises(LabelError) as refused:
        services.create_meeting_from_proposal(proposal, slug="new-one", actor=secretariat_officer)

    assert refused.value.code == "transition"


def test_create_meeting_twice_or_on_a_taken_address_is_refused(
    make_proposal, senegal, secretariat_officer, focal_point_france
):
    proposal = _labelled(make_proposal, senegal)
    other = _labelled(make_proposal, senegal)
    services.create_meeting_from_proposal(proposal, slug="lyon-workshop", actor=secretariat_officer)

    with pytest.raises(LabelError) as twice:
        services.create_meeting_from_proposal(proposal, slug="again", actor=secretariat_officer)
    with pytest.raises(LabelError) as taken:
        services.create_meeting_from_proposal(
            other, slug="lyon-workshop", actor=secretariat_officer
        )
    with pytest.raises(LabelError) as forbidden:
        services.create_meeting_from_proposal(other, slug="mine", actor=focal_point_france)

    assert (twice.value.code, taken.value.code, forbidden.value.code) == (
        "exists",
        "slug",
        "forbidden",
    )


# --- the demo labelling record --------------------------------------------------------------------


def test_demo_data_holds_the_paris_2021_labelling_record(demo_data, france, marrakesh_objective):
    proposal = LabelProposal.objects.get(meeting=demo_data)

    assert (
        proposal.status,
        proposal.lead_partner,
        proposal.decided_by,
        proposal.decided_on,
        proposal.decision_reference,
        proposal.starts_on,
        proposal.title_en,
        proposal.proposed_by.email,
    ) == (
        P.LABELLED,
        france,
        "steering_committee",
        datetime.date(2021, 6, 15),
        "SC-2021-02 (illustrative)",
        datetime.date(2021, 9, 14),
        "National authorities, local authorities and migration",
        "focal.point.fr@demo.convene.test",
    )
    assert [str(domain) for domain in proposal.domains.all()] == [str(marrakesh_objective.domain)]
    assert list(proposal.objectives.all()) == [marrakesh_objective]
    assert _audit(proposal) == [
        (
            "proposal.imported",
            "",
            "labelled",
            "secretariat@demo.convene.test",
            "SC-2021-02 (illustrative)",
        )
    ]


def test_demo_data_second_run_adds_no_labelling_record(demo_data):
    before = list(LabelProposal.objects.values_list("pk", flat=True))

    call_command("load_demo_data", stdout=open(os.devnull, "w"))  # noqa: SIM115

    assert list(LabelProposal.objects.values_list("pk", flat=True)) == before
    assert len(before) == 1
