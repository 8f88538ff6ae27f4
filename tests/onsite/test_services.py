"""record_badge_print: the print log, its audit entry, and the reason a reprint needs."""

import pytest
from django.db import IntegrityError

from convene.core.models import AuditEntry
from convene.core.selectors import audit_entries_for
from convene.onsite.enums import OnsiteAuditAction
from convene.onsite.errors import BadgeError
from convene.onsite.models import BadgePrint
from convene.onsite.services import record_badge_print
from convene.registrations.enums import RegistrationStatus
from tests.factories.core import OrganiserRoleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(make_registration):
    return [
        make_registration(),
        make_registration(email="ines@example.org", reference="INES2031", first_name="Inès"),
    ]


def _error(meeting, **kwargs) -> tuple[str, str, str | None]:
    with pytest.raises(BadgeError) as refused:
        record_badge_print(meeting, **kwargs)
    return refused.value.code, refused.value.message, refused.value.field


def test_record_badge_print_logs_who_what_and_how(meeting, two, secretariat_officer):
    badge_print = record_badge_print(
        meeting, registrations=two, actor=secretariat_officer, layout="a4"
    )

    badge_print.refresh_from_db()
    assert (
        badge_print.meeting,
        badge_print.printed_by,
        badge_print.layout,
        badge_print.badge_count,
        badge_print.is_reprint,
        badge_print.reason,
    ) == (meeting, secretariat_officer, "a4", 2, False, "")
    assert set(badge_print.registrations.all()) == set(two)
    (entry,) = audit_entries_for(meeting)
    assert (entry.actor, entry.action, entry.from_state, entry.to_state, entry.reason) == (
        secretariat_officer,
        OnsiteAuditAction.BADGES_PRINTED,
        "a4",
        "2",
        "",
    )


@pytest.mark.parametrize("reason", ["", "   "])
def test_reprint_without_a_reason_is_refused_and_not_logged(
    meeting, two, secretariat_officer, reason
):
    record_badge_print(meeting, registrations=two[:1], actor=secretariat_officer, layout="a6")

    assert _error(
        meeting, registrations=two, actor=secretariat_officer, layout="a4", reason=reason
    ) == (
        "reason_required",
        "Some of these badges were printed before: say why they are reprinted.",
        "reason",
    )
    assert BadgePrint.objects.count() == 1
    assert AuditEntry.objects.count() == 1


def test_reprint_with_a_reason_is_logged_as_a_reprint(meeting, two, secretariat_officer):
    record_badge_print(meeting, registrations=two[:1], actor=secretariat_officer, layout="a6")

    reprint = record_badge_print(
        meeting,
        registrations=two,
        actor=secretariat_officer,
        layout="a6",
        reason=" Name misspelt ",
    )

    assert (reprint.is_reprint, reprint.reason) == (True, "Name misspelt")
    assert [entry.reason for entry in audit_entries_for(meeting)] == ["Name misspelt", ""]


def test_first_print_drops_a_reason_given(meeting, two, secretariat_officer):
    badge_print = record_badge_print(
        meeting, registrations=two, actor=secretariat_officer, layout="a6", reason="Just because"
    )

    assert (badge_print.is_reprint, badge_print.reason) == (False, "")


def test_organiser_of_another_meeting_may_not_print(meeting, two):
    elsewhere = OrganiserRoleFactory(user__email="org@example.org").user

    assert _error(meeting, registrations=two, actor=elsewhere, layout="a6")[0] == "forbidden"
    assert BadgePrint.objects.count() == 0


def test_checkin_staff_may_not_print(meeting, two):
    from tests.factories.core import CheckinRoleFactory

    staff = CheckinRoleFactory(meeting=meeting, user__email="door@example.org").user

    assert _error(meeting, registrations=two, actor=staff, layout="a6")[0] == "forbidden"


def test_print_of_a_registration_not_approved_is_refused(
    meeting, make_registration, secretariat_officer
):
    pending = make_registration(status=RegistrationStatus.AWAITING_SECRETARIAT)

    assert _error(meeting, registrations=[pending], actor=secretariat_officer, layout="a6") == (
        "not_approved",
        "Badges are printed for approved registrations only.",
        None,
    )


def test_print_of_another_meetings_registration_is_refused(
    other_meeting, approved, secretariat_officer
):
    assert (
        _error(other_meeting, registrations=[approved], actor=secretariat_officer, layout="a6")[0]
        == "other_meeting"
    )


def test_print_of_nothing_is_refused(meeting, secretariat_officer):
    assert _error(meeting, registrations=[], actor=secretariat_officer, layout="a6")[0] == "empty"


def test_database_refuses_a_reprint_without_a_reason(meeting, secretariat_officer):
    with pytest.raises(IntegrityError):
        BadgePrint.objects.create(
            meeting=meeting,
            printed_by=secretariat_officer,
            layout="a6",
            badge_count=1,
            is_reprint=True,
            reason="",
        )
