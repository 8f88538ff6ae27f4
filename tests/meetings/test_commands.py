"""load_demo_data: the demo accounts and meetings, created once, passwords told once."""

import io
import re
import stat

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from convene.core.enums import Role
from convene.core.models import RoleAssignment, User
from convene.meetings.models import Meeting, Session, Speaker
from tests.factories.core import FocalPointRoleFactory

pytestmark = pytest.mark.django_db

DEMO_EMAILS = [
    "secretariat@demo.convene.test",
    "focal.point.fr@demo.convene.test",
    "focal.point.sn@demo.convene.test",
]
# Made by onsite's demo receiver, for the demo workshop: printed and kept the same way.
CHECKIN_EMAIL = "door@demo.convene.test"
ACCOUNT_LINE = re.compile(r"^  (\S+@\S+)  (\S+)  \((.+)\)$")


def _load(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    out = io.StringIO()
    call_command("load_demo_data", stdout=out)
    return out.getvalue()


def _counts():
    return (User.objects.count(), Meeting.objects.count(), Session.objects.count(),
            Speaker.objects.count(), RoleAssignment.objects.count())  # fmt: skip


def _printed_accounts(output):
    return [match.groups() for line in output.splitlines() if (match := ACCOUNT_LINE.match(line))]


def test_load_demo_data_first_run_creates_accounts_and_meetings(reference_data, settings, tmp_path):
    output = _load(settings, tmp_path)

    assert output.splitlines()[0] == "Demo meetings created: paris-2021, example-workshop."
    assert sorted(User.objects.values_list("email", flat=True)) == sorted(
        [*DEMO_EMAILS, CHECKIN_EMAIL]
    )
    assert set(RoleAssignment.objects.values_list("user__email", "role", "partner__code")) == {
        (CHECKIN_EMAIL, Role.CHECKIN, None),
        ("secretariat@demo.convene.test", Role.SECRETARIAT, None),
        ("focal.point.fr@demo.convene.test", Role.FOCAL_POINT, "FR"),
        ("focal.point.sn@demo.convene.test", Role.FOCAL_POINT, "SN"),
    }
    assert set(Meeting.objects.values_list("slug", "status")) == {
        ("paris-2021", "published"),
        ("example-workshop", "published"),
    }


def test_load_demo_data_prints_each_password_once_and_they_work(
    reference_data, settings, tmp_path, rf
):
    output = _load(settings, tmp_path)
    # The sign-in throttle counts attempts per request, so authenticate() needs one.
    request = rf.post("/en/accounts/login/")

    accounts = _printed_accounts(output)
    assert [email for email, _password, _role in accounts] == [CHECKIN_EMAIL, *DEMO_EMAILS]
    assert [role for _email, _password, role in accounts] == [
        "Check-in staff",
        "Secretariat officer",
        "National focal point",
        "National focal point",
    ]
    for email, password, _role in accounts:
        assert authenticate(request, username=email, password=password).email == email


def test_load_demo_data_writes_the_accounts_file_under_var_dir(reference_data, settings, tmp_path):
    output = _load(settings, tmp_path)

    path = tmp_path / "demo-accounts.txt"
    printed = [line.strip() for line in output.splitlines() if ACCOUNT_LINE.match(line)]
    assert path.read_text(encoding="utf-8").splitlines() == printed
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_load_demo_data_second_run_creates_nothing_and_prints_no_password(
    reference_data, settings, tmp_path
):
    _load(settings, tmp_path)
    counts = _counts()
    file_before = (tmp_path / "demo-accounts.txt").read_text(encoding="utf-8")

    output = _load(settings, tmp_path)

    assert _counts() == counts
    assert counts == (4, 2, 14, 5, 4)
    assert output.splitlines() == [
        "Demo meetings created: none (already there).",
        "Visa letters and funded places of the demo workshop: none (already there).",
        "Check-in staff account of the demo workshop: door@demo.convene.test (already there).",
        "Labelling records created: none (already there).",
        "Good practices published: none (already there).",
        "Demo accounts already exist (passwords in var/demo-accounts.txt).",
    ]
    assert (tmp_path / "demo-accounts.txt").read_text(encoding="utf-8") == file_before


def test_load_demo_data_keeps_what_staff_changed(reference_data, settings, tmp_path):
    _load(settings, tmp_path)
    Meeting.objects.filter(slug="paris-2021").update(title_en="Edited")
    User.objects.filter(email=DEMO_EMAILS[0]).update(full_name="Renamed officer")

    _load(settings, tmp_path)

    assert Meeting.objects.get(slug="paris-2021").title_en == "Edited"
    assert User.objects.get(email=DEMO_EMAILS[0]).full_name == "Renamed officer"


def test_load_demo_data_recreates_a_deleted_account_and_replaces_its_password_line(
    reference_data, settings, tmp_path
):
    _load(settings, tmp_path)
    User.objects.filter(email=DEMO_EMAILS[2]).delete()

    output = _load(settings, tmp_path)

    accounts = _printed_accounts(output)
    assert [email for email, _password, _role in accounts] == [DEMO_EMAILS[2]]
    lines = (tmp_path / "demo-accounts.txt").read_text(encoding="utf-8").splitlines()
    assert [line.split()[0] for line in lines] == [CHECKIN_EMAIL, *DEMO_EMAILS]
    assert lines[3].split()[1] == accounts[0][1]


def test_load_demo_data_without_reference_data_says_what_to_do(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path

    with pytest.raises(CommandError, match="Load the reference data first"):
        call_command("load_demo_data", stdout=io.StringIO())

    assert Meeting.objects.count() == 0


def test_load_demo_data_when_a_partner_already_has_its_focal_point(
    reference_data, settings, tmp_path
):
    # The Secretariat recorded France's real focal point (the demo one was deleted).
    real = FocalPointRoleFactory(partner=reference_data.partners.get(code="FR"))

    output = _load(settings, tmp_path)

    assert Meeting.objects.count() == 2
    assert list(
        RoleAssignment.objects.filter(partner__code="FR").values_list("user_id", flat=True)
    ) == [real.user_id]
    assert [email for email, _password, _role in _printed_accounts(output)] == [
        CHECKIN_EMAIL,
        DEMO_EMAILS[0],
        DEMO_EMAILS[2],
    ]
    assert "Skipped focal.point.fr@demo.convene.test: France already has a focal point." in (
        output.splitlines()
    )
