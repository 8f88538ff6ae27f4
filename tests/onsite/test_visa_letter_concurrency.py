"""Two people issuing a letter for the same delegate at once on PostgreSQL: one letter
stays valid, the other is withdrawn as replaced, and their numbers differ. The control
test removes the registration's lock: both read "no valid letter" and the second insert
breaks the one-valid-letter constraint (an error a person would see as a failure)."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import IntegrityError, connection

from convene.onsite import services
from convene.onsite.enums import VisaLetterStatus
from convene.onsite.models import VisaLetter
from convene.registrations.models import Registration

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def slow_read(monkeypatch):
    """Widen the window between reading the valid letter and writing the new one."""
    read = services._valid_letter

    def read_slowly(registration):
        found = read(registration)
        time.sleep(0.3)
        return found

    monkeypatch.setattr(services, "_valid_letter", read_slowly)


def _issue_twice_at_once(registration, actor) -> list[str]:
    barrier = threading.Barrier(2)

    def issue_once(language):
        try:
            barrier.wait(timeout=30)
            services.issue_visa_letter(registration, actor=actor, language=language)
            return "issued"
        except IntegrityError:
            return "integrity_error"
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        return sorted(pool.map(issue_once, ["fr", "en"]))


def test_simultaneous_issues_leave_one_valid_letter_and_distinct_numbers(
    delegate, secretariat_officer, slow_read
):
    results = _issue_twice_at_once(delegate, secretariat_officer)

    assert results == ["issued", "issued"]
    letters = list(VisaLetter.objects.order_by("id").values_list("number", "status"))
    assert len({number for number, _status in letters}) == 2
    assert [status for _number, status in letters] == [
        VisaLetterStatus.WITHDRAWN,
        VisaLetterStatus.VALID,
    ]


def test_control_without_the_registrations_lock_two_valid_letters_collide(
    delegate, secretariat_officer, slow_read, monkeypatch
):
    monkeypatch.setattr(
        services,
        "_lock_registration",
        lambda registration: Registration.objects.select_related("meeting").get(pk=registration.pk),
    )

    results = _issue_twice_at_once(delegate, secretariat_officer)

    assert results == ["integrity_error", "issued"]
    assert list(VisaLetter.objects.values_list("status", flat=True)) == [VisaLetterStatus.VALID]
