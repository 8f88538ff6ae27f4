"""Passport data is erased PASSPORT_RETENTION_DAYS after its meeting ends: by the task
worker's daily job or by `manage.py erase_passport_data`, each erasure audited."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from convene.core.daily_jobs import registered_daily_jobs
from convene.core.models import AuditEntry
from convene.core.task_worker import TaskWorker
from convene.onsite.models import PassportDetails
from convene.onsite.services import ErasedPassport, erase_expired_passport_data
from convene.registrations.enums import RegistrationStatus
from tests.conftest import PASSPORT_OTHER_KEY
from tests.factories.meetings import MeetingFactory
from tests.factories.onsite import PassportDetailsFactory
from tests.factories.registrations import RegistrationFactory

pytestmark = pytest.mark.django_db

# 10 October 2031: with 30 days kept, meetings that ended before 10 September are due.
NOW = datetime.datetime(2031, 10, 10, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def kept_30_days(settings):
    settings.PASSPORT_RETENTION_DAYS = 30


def _with_passport(meeting, reference):
    registration = RegistrationFactory(
        meeting=meeting,
        reference=reference,
        status=RegistrationStatus.APPROVED,
        needs_visa_letter=True,
    )
    PassportDetailsFactory(registration=registration, passport_number=f"P{reference}")
    return registration


@pytest.fixture
def meetings(reference_data):
    def meeting(slug, title, ends_on):
        return MeetingFactory(
            dialogue=reference_data,
            slug=slug,
            title_en=title,
            starts_on=ends_on - datetime.timedelta(days=1),
            ends_on=ends_on,
        )

    return {
        "old": meeting("old", "Old workshop", datetime.date(2031, 9, 9)),
        "edge": meeting("edge", "Edge workshop", datetime.date(2031, 9, 10)),
        "coming": meeting("coming", "Coming workshop", datetime.date(2031, 11, 2)),
    }


@pytest.fixture
def stored(meetings):
    return {
        "old1": _with_passport(meetings["old"], "OLD00001"),
        "old2": _with_passport(meetings["old"], "OLD00002"),
        "edge": _with_passport(meetings["edge"], "EDGE0001"),
        "coming": _with_passport(meetings["coming"], "COMING01"),
    }


def _kept():
    return set(PassportDetails.objects.values_list("registration__reference", flat=True))


def _erasures():
    return list(
        AuditEntry.objects.filter(action="onsite.passport_erased")
        .order_by("id")
        .values_list("object_id", "actor__email", "reason")
    )


def test_erase_dry_run_lists_what_is_due_and_erases_nothing(stored, kept_30_days):
    listed = erase_expired_passport_data(now=NOW, dry_run=True)

    assert listed == [
        ErasedPassport(stored["old1"].pk, "OLD00001", "Old workshop", datetime.date(2031, 9, 9)),
        ErasedPassport(stored["old2"].pk, "OLD00002", "Old workshop", datetime.date(2031, 9, 9)),
    ]
    assert _kept() == {"OLD00001", "OLD00002", "EDGE0001", "COMING01"}
    assert _erasures() == []


def test_erase_deletes_what_is_due_and_audits_each_registration(stored, kept_30_days):
    erased = erase_expired_passport_data(now=NOW)

    assert [item.reference for item in erased] == ["OLD00001", "OLD00002"]
    assert _kept() == {"EDGE0001", "COMING01"}
    assert _erasures() == [
        (str(stored["old1"].pk), None, ""),
        (str(stored["old2"].pk), None, ""),
    ]


def test_erase_keeps_a_meeting_ended_exactly_the_retention_days_ago(stored, kept_30_days):
    erase_expired_passport_data(now=NOW)

    erased_next_day = erase_expired_passport_data(now=NOW + datetime.timedelta(days=1))

    assert [item.reference for item in erased_next_day] == ["EDGE0001"]
    assert _kept() == {"COMING01"}


def test_erase_follows_the_configured_retention_days(stored, settings):
    settings.PASSPORT_RETENTION_DAYS = 60

    assert erase_expired_passport_data(now=NOW) == []
    assert _kept() == {"OLD00001", "OLD00002", "EDGE0001", "COMING01"}


def test_erase_run_twice_erases_nothing_more(stored, kept_30_days):
    erase_expired_passport_data(now=NOW)

    assert erase_expired_passport_data(now=NOW) == []
    assert len(_erasures()) == 2


def test_erase_works_even_when_the_keys_no_longer_decrypt(stored, kept_30_days, settings):
    # Erasing reads no passport value: lost keys cannot keep data past its time.
    settings.PASSPORT_DATA_KEYS = [PASSPORT_OTHER_KEY]

    erased = erase_expired_passport_data(now=NOW)

    assert [item.reference for item in erased] == ["OLD00001", "OLD00002"]


def test_erased_data_leaves_the_delegates_history_readable(stored, kept_30_days, client):
    from convene.registrations.tokens import make_token

    erase_expired_passport_data(now=NOW)

    response = client.get(f"/en/registration/{make_token(stored['old1'])}/")

    assert "Passport data erased" in [line.split(" · ", 1)[1] for line in _history(response)]


def _history(response):
    from tests.html import parse

    return parse(response).texts("ol.history li")


def test_erase_command_dry_run_lists_references_and_meetings_only(
    stored, kept_30_days, time_machine_now
):
    out = io.StringIO()

    call_command("erase_passport_data", "--dry-run", stdout=out)

    assert out.getvalue() == (
        "OLD00001\tOld workshop\tended 2031-09-09\n"
        "OLD00002\tOld workshop\tended 2031-09-09\n"
        "2 passport data would be erased (meetings ended more than 30 days ago). Nothing was "
        "erased (dry run).\n"
    )
    assert "POLD00001" not in out.getvalue()
    assert _kept() == {"OLD00001", "OLD00002", "EDGE0001", "COMING01"}


def test_erase_command_erases_and_names_the_actor(
    stored, kept_30_days, time_machine_now, secretariat_officer
):
    out = io.StringIO()

    call_command("erase_passport_data", "--actor", secretariat_officer.email, stdout=out)

    assert out.getvalue().splitlines()[-1] == (
        "2 passport data erased (meetings ended more than 30 days ago)."
    )
    assert _kept() == {"EDGE0001", "COMING01"}
    assert [actor for _id, actor, _reason in _erasures()] == [secretariat_officer.email] * 2


def test_erase_command_refuses_an_unknown_actor(stored, kept_30_days, time_machine_now):
    with pytest.raises(CommandError, match="No account has the email"):
        call_command("erase_passport_data", "--actor", "nobody@example.org")

    assert len(_kept()) == 4


@pytest.fixture
def time_machine_now(monkeypatch):
    """The command's `now` at NOW (the command reads the clock itself)."""
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: NOW)


def test_erasure_is_a_daily_job_of_the_task_worker(stored, kept_30_days, time_machine_now):
    assert "onsite.erase_expired_passport_data" in registered_daily_jobs()
    clock = [0.0]
    worker = TaskWorker(worker_id="w", clock=lambda: clock[0], sleep=lambda seconds: None)

    worker.keep_house()

    assert _kept() == {"EDGE0001", "COMING01"}
    assert len(_erasures()) == 2
