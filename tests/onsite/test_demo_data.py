"""load_demo_data gives the demo workshop visa letters (with their settings) and one
funded place per delegation, once, and never undoes what staff changed since."""

import io

import pytest
from django.core.management import call_command

from convene.core.models import AuditEntry
from convene.meetings.models import Meeting
from convene.onsite.enums import OnsiteAuditAction
from convene.onsite.models import VisaLetterSettings

pytestmark = pytest.mark.django_db


def _load(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    out = io.StringIO()
    call_command("load_demo_data", stdout=out)
    return out.getvalue().splitlines()


def _workshop():
    return Meeting.objects.get(slug="example-workshop")


def test_demo_workshop_offers_letters_and_funded_places_after_the_first_load(
    reference_data, settings, tmp_path
):
    output = _load(settings, tmp_path)

    workshop = _workshop()
    assert (
        workshop.offers_visa_letters,
        workshop.funded_places_per_delegation,
        workshop.delegates_may_request_funding,
    ) == (True, 1, True)
    letter_settings = VisaLetterSettings.objects.get(meeting=workshop)
    assert (
        letter_settings.signatory_name,
        letter_settings.institution_fr,
        letter_settings.contact_email,
        bool(letter_settings.letterhead),
    ) == (
        "Claire Martin (demo)",
        "Secrétariat du Processus de Rabat (démonstration)",
        "letters@demo.convene.test",
        False,
    )
    assert "Visa letters and funded places of the demo workshop: example-workshop." in output
    assert list(
        AuditEntry.objects.filter(
            action=OnsiteAuditAction.VISA_LETTER_SETTINGS_CHANGED
        ).values_list("actor__email", flat=True)
    ) == ["secretariat@demo.convene.test"]


def test_demo_paris_meeting_offers_no_letters(reference_data, settings, tmp_path):
    _load(settings, tmp_path)

    paris = Meeting.objects.get(slug="paris-2021")
    assert (paris.offers_visa_letters, paris.funded_places_per_delegation) == (False, None)
    assert VisaLetterSettings.objects.filter(meeting=paris).exists() is False


def test_demo_second_load_adds_nothing(reference_data, settings, tmp_path):
    _load(settings, tmp_path)

    output = _load(settings, tmp_path)

    assert VisaLetterSettings.objects.count() == 1
    assert (
        AuditEntry.objects.filter(action=OnsiteAuditAction.VISA_LETTER_SETTINGS_CHANGED).count()
        == 1
    )
    assert "Visa letters and funded places of the demo workshop: none (already there)." in output


def test_demo_load_keeps_what_staff_changed_in_letters_and_funding(
    reference_data, settings, tmp_path
):
    _load(settings, tmp_path)
    Meeting.objects.filter(slug="example-workshop").update(
        offers_visa_letters=False,
        funded_places_per_delegation=3,
        delegates_may_request_funding=False,
    )
    VisaLetterSettings.objects.update(signatory_name="Jean Dupont")

    _load(settings, tmp_path)

    workshop = _workshop()
    assert (
        workshop.offers_visa_letters,
        workshop.funded_places_per_delegation,
        workshop.delegates_may_request_funding,
    ) == (False, 3, False)
    assert VisaLetterSettings.objects.get(meeting=workshop).signatory_name == "Jean Dupont"


# --- check-in ---------------------------------------------------------------------------------


def test_demo_check_in_staff_account_checks_in_at_the_workshop(reference_data, settings, tmp_path):
    from convene.core.models import User
    from convene.onsite.permissions import can_register_walk_in, can_use_checkin

    output = _load(settings, tmp_path)

    door = User.objects.get(email="door@demo.convene.test")
    workshop, paris = _workshop(), Meeting.objects.get(slug="paris-2021")
    assert (can_use_checkin(door, workshop), can_use_checkin(door, paris)) == (True, False)
    assert can_register_walk_in(door, workshop) is False
    line = next(
        line
        for line in (tmp_path / "demo-accounts.txt").read_text().splitlines()
        if line.startswith("door@demo.convene.test ")
    )
    assert line.endswith("(Check-in staff)")
    assert door.check_password(line.split()[1])
    assert f"  {line}" in output


def test_demo_workshop_has_the_door_phone_and_no_attendance(reference_data, settings, tmp_path):
    from convene.onsite.models import Attendance, CheckinDevice

    output = _load(settings, tmp_path)

    device = CheckinDevice.objects.get()
    assert (device.meeting, device.name, device.user.email, device.token_hash) == (
        _workshop(),
        "Door phone (demo)",
        "door@demo.convene.test",
        None,
    )
    assert Attendance.objects.count() == 0
    assert "Check-in device of the demo workshop: Door phone (demo)." in output


def test_demo_second_load_adds_no_check_in(reference_data, settings, tmp_path):
    from convene.core.models import User
    from convene.onsite.models import CheckinDevice

    _load(settings, tmp_path)
    password_file = (tmp_path / "demo-accounts.txt").read_text()

    output = _load(settings, tmp_path)

    assert CheckinDevice.objects.count() == 1
    assert User.objects.filter(email="door@demo.convene.test").count() == 1
    assert (tmp_path / "demo-accounts.txt").read_text() == password_file
    assert (
        "Check-in staff account of the demo workshop: door@demo.convene.test (already there)."
        in output
    )
