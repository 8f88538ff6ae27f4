"""Who reaches which page of issue 11, asked of the server rather than of the predicates
(tests/test_access_matrix.py asks the predicates): every back-office page of passport
data, visa letters, funding, logistics and badges, and every POST that changes them,
against each persona.

The expected answers are written out cell by cell in PAGES and ACTIONS, not derived from
the rules they check. Columns, in PERSONAS' order: the Secretariat officer, the organiser
of the Dakar meeting, the organiser of another meeting, the focal points of Senegal and
of France, the check-in staff of the Dakar meeting, a delegate's account without
back-office access, and an anonymous visitor. A cell is the status of the answer; "login"
is a redirect to the back-office's sign-in page.

The delegate of every row is Awa Ndiaye of Senegal: she asked for a visa letter, entered
her passport data, has a letter, travel details and a funded place requested.
"""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from convene.onsite import services
from convene.onsite.enums import FundingStatus, VisaLetterStatus
from convene.onsite.models import BadgePrint, FundingRequest, OnsiteEmail, VisaLetter
from convene.registrations.tokens import make_token
from tests.factories.core import CheckinRoleFactory, OrganiserRoleFactory, UserFactory
from tests.factories.onsite import (
    FundingRequestFactory,
    PassportDetailsFactory,
    TravelDetailsFactory,
)

pytestmark = pytest.mark.django_db

PASSPORT_NUMBER = "A01234567"

PERSONAS = ("sec", "org", "org_other", "fp_sn", "fp_fr", "chk", "del", "anon")

# Page -> status per persona. {registration}, {letter}, {meeting} are filled per test.
PAGES = """
page (under /en/admin/)                          sec org org_other fp_sn fp_fr chk del   anon
onsite/passport/{registration}/                  200 200 403       403   403   403 login login
registrations/registration/{registration}/change/ 200 200 302      403   403   403 login login
onsite/visaletter/                               200 200 200       403   403   403 login login
onsite/visaletter/{letter}/download/             200 200 403       403   403   403 login login
onsite/visaletter/{letter}/change/               200 200 302       403   403   403 login login
onsite/visaletter/meeting/{meeting}/waiting/     200 200 403       403   403   403 login login
onsite/visalettersettings/                       200 200 200       403   403   403 login login
onsite/fundingrequest/                           200 200 200       403   403   403 login login
onsite/traveldetails/                            200 200 200       403   403   403 login login
onsite/traveldetails/meeting/{meeting}/          200 200 403       403   403   403 login login
onsite/traveldetails/meeting/{meeting}/export/csv/ 200 200 403     403   403   403 login login
onsite/badgeprint/meeting/{meeting}/             200 200 403       403   403   403 login login
"""


def _table(text: str) -> list[tuple[str, dict[str, str]]]:
    header, *lines = [line for line in text.strip().splitlines() if line.strip()]
    assert tuple(header.split()[-len(PERSONAS) :]) == PERSONAS
    rows = []
    for line in lines:
        first, *cells = line.split()
        assert len(cells) == len(PERSONAS), line
        rows.append((first, dict(zip(PERSONAS, cells, strict=True))))
    return rows


PAGE_ROWS = _table(PAGES)


# --- the world the tables speak of -----------------------------------------------------


@pytest.fixture
def awa(letter_meeting, make_registration):
    letter_meeting.funded_places_per_delegation = 1
    letter_meeting.save(update_fields=["funded_places_per_delegation"])
    registration = make_registration(needs_visa_letter=True)
    PassportDetailsFactory(
        registration=registration,
        passport_number=PASSPORT_NUMBER,
        date_of_birth=datetime.date(1980, 5, 17),
    )
    TravelDetailsFactory(registration=registration, travel_number="SN 207")
    FundingRequestFactory(
        registration=registration, status=FundingStatus.REQUESTED, decided_at=None
    )
    return registration


@pytest.fixture
def people(
    letter_meeting,
    other_meeting,
    secretariat_officer,
    focal_point_senegal,
    focal_point_france,
):
    return {
        "sec": secretariat_officer,
        "org": OrganiserRoleFactory(meeting=letter_meeting, user__email="org@example.org").user,
        "org_other": OrganiserRoleFactory(
            meeting=other_meeting, user__email="org.paris@example.org"
        ).user,
        "fp_sn": focal_point_senegal,
        "fp_fr": focal_point_france,
        "chk": CheckinRoleFactory(meeting=letter_meeting, user__email="door@example.org").user,
        "del": UserFactory(email="awa.account@example.org", is_staff=False),
        "anon": AnonymousUser(),
    }


@pytest.fixture
def letter(awa, secretariat_officer):
    return services.issue_visa_letter(awa, actor=secretariat_officer, language="fr")


def _client_of(client, person):
    if person.is_authenticated:
        client.force_login(person)
    return client


def _url(path, registration, letter) -> str:
    return "/en/admin/" + path.format(
        registration=registration.pk, letter=letter.pk, meeting=registration.meeting_id
    )


def _answer(response) -> str:
    if response.status_code == 302 and response["Location"].startswith("/en/admin/login/"):
        return "login"
    return str(response.status_code)


# --- pages -----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("path", "expected"), PAGE_ROWS, ids=[row[0] for row in PAGE_ROWS])
def test_onsite_page_answers_each_persona_as_written(
    client, people, awa, letter, persona, path, expected
):
    url = _url(path, awa, letter)

    response = _client_of(client, people[persona]).get(url)

    assert _answer(response) == expected[persona]


@pytest.mark.parametrize("persona", ["org_other", "fp_sn", "fp_fr", "chk", "del", "anon"])
def test_passport_number_reaches_no_refused_persona_on_any_page(
    client, people, awa, letter, persona
):
    _client_of(client, people[persona])

    bodies = []
    for path, _expected in PAGE_ROWS:
        response = client.get(_url(path, awa, letter))
        bodies.append(b"".join(response) if response.streaming else response.content)

    assert [body for body in bodies if PASSPORT_NUMBER.encode() in body] == []


def test_focal_point_of_senegal_reads_the_delegation_page_without_passport_data(
    client, people, awa, letter
):
    client.force_login(people["fp_sn"])

    response = client.get(f"/en/focal-point/meetings/{awa.meeting.slug}/")

    assert response.status_code == 200
    assert awa.reference.encode() in response.content
    assert PASSPORT_NUMBER.encode() not in response.content
    assert f"/en/admin/onsite/passport/{awa.pk}/".encode() not in response.content
    assert f"/en/admin/onsite/visaletter/{letter.pk}/download/".encode() not in response.content


def test_secretariat_reads_the_passport_data_on_its_page(client, people, awa):
    client.force_login(people["sec"])

    response = client.get(f"/en/admin/onsite/passport/{awa.pk}/")

    assert PASSPORT_NUMBER.encode() in response.content


# --- actions: the refused change nothing -------------------------------------------------


def _letters(status):
    return set(VisaLetter.objects.filter(status=status).values_list("pk", flat=True))


def _issue(client, awa, letter_, meeting):
    return client.post(
        f"/en/admin/onsite/visaletter/registration/{awa.pk}/issue/", {"language": "fr"}
    )


def _withdraw(client, awa, letter_, meeting):
    return client.post(
        f"/en/admin/onsite/visaletter/{letter_.pk}/withdraw/", {"reason": "Issued by mistake."}
    )


def _grant(client, awa, letter_, meeting):
    funding = FundingRequest.objects.get(registration=awa)
    return client.post(f"/en/admin/onsite/fundingrequest/{funding.pk}/decide/grant/")


def _refuse(client, awa, letter_, meeting):
    funding = FundingRequest.objects.get(registration=awa)
    return client.post(
        f"/en/admin/onsite/fundingrequest/{funding.pk}/decide/refuse/",
        {"reason": "The budget is spent."},
    )


def _remind(client, awa, letter_, meeting):
    return client.post(f"/en/admin/onsite/traveldetails/meeting/{meeting.pk}/")


def _print(client, awa, letter_, meeting):
    return client.post(
        f"/en/admin/onsite/badgeprint/meeting/{meeting.pk}/",
        {"delegation": "", "category": "", "arrival": "", "layout": "a4", "reason": ""},
    )


def _state():
    """What the actions below could change, read the same way before and after."""
    return {
        "valid letters": _letters(VisaLetterStatus.VALID),
        "withdrawn letters": _letters(VisaLetterStatus.WITHDRAWN),
        "funding": set(FundingRequest.objects.values_list("pk", "status")),
        "onsite emails": OnsiteEmail.objects.count(),
        "badge prints": BadgePrint.objects.count(),
    }


ACTIONS = {
    "issue": _issue,
    "withdraw": _withdraw,
    "grant": _grant,
    "refuse": _refuse,
    "remind": _remind,
    "print": _print,
}

# Action -> answer per persona. Each refused answer must leave _state() as it was.
ACTION_ANSWERS = """
action    sec org org_other fp_sn fp_fr chk del   anon
issue     302 302 403       403   403   403 login login
withdraw  302 302 403       403   403   403 login login
grant     302 403 403       403   403   403 login login
refuse    302 403 403       403   403   403 login login
remind    302 302 403       403   403   403 login login
print     200 200 403       403   403   403 login login
"""

ACTION_ROWS = _table(ACTION_ANSWERS)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("action", "expected"), ACTION_ROWS, ids=[row[0] for row in ACTION_ROWS])
def test_onsite_action_answers_each_persona_and_refusals_change_nothing(
    client, people, awa, persona, action, expected, secretariat_officer
):
    # Issuing needs no valid letter; the others act on one.
    existing = None
    if action != "issue":
        existing = services.issue_visa_letter(awa, actor=secretariat_officer, language="fr")
    before = _state()

    response = ACTIONS[action](_client_of(client, people[persona]), awa, existing, awa.meeting)

    assert _answer(response) == expected[persona]
    if expected[persona] in {"403", "login"}:
        assert _state() == before


def test_secretariat_issue_adds_one_letter(client, people, awa):
    client.force_login(people["sec"])

    _issue(client, awa, None, awa.meeting)

    assert VisaLetter.objects.filter(registration=awa).values_list("language", "status").get() == (
        "fr",
        VisaLetterStatus.VALID,
    )


def test_check_in_staff_cannot_issue_a_letter(client, people, awa):
    client.force_login(people["chk"])

    response = _issue(client, awa, None, awa.meeting)

    assert response.status_code == 403
    assert VisaLetter.objects.count() == 0


def test_secretariat_grant_grants_the_funded_place(client, people, awa):
    client.force_login(people["sec"])

    _grant(client, awa, None, awa.meeting)

    assert FundingRequest.objects.get(registration=awa).status == FundingStatus.GRANTED


# --- the personal link: the token is the key, for one registration only -------------------


@pytest.fixture
def moussa(make_registration, awa):
    return make_registration(
        first_name="Moussa", last_name="Ba", email="moussa@example.org", reference="MOUSSA31"
    )


@pytest.mark.parametrize("page", ["", "passport/", "travel/", "confirmation.pdf"])
def test_personal_page_with_a_changed_token_answers_not_found(client, awa, page):
    token = make_token(awa)
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")

    response = client.get(f"/en/registration/{forged}/{page}")

    assert response.status_code == 404
    assert b"Ndiaye" not in response.content


@pytest.mark.parametrize(("page", "status"), [("", 200), ("passport/", 404), ("travel/", 200)])
def test_token_of_another_registration_shows_that_registration_only(
    client, awa, moussa, page, status
):
    # Moussa asked for no visa letter: his passport page is refused, not Awa's shown.
    response = client.get(f"/en/registration/{make_token(moussa)}/{page}")

    assert response.status_code == status
    assert b"Ndiaye" not in response.content
    assert PASSPORT_NUMBER.encode() not in response.content
    assert b"SN 207" not in response.content


def test_passport_page_of_a_delegate_who_entered_it_never_shows_the_number(client, awa):
    response = client.get(f"/en/registration/{make_token(awa)}/passport/")

    assert PASSPORT_NUMBER.encode() not in response.content
    assert "passport number ending …67.".encode() in response.content


# --- check-in: the devices, the door's log, walk-ins (issue 12) ------------------------
# The roster is a JSON answer: 403 (never a sign-in page) to anyone whose session names
# no device of the meeting, those who may check in included (tests/onsite/
# test_checkin_views.py reads it with a device).

CHECKIN_PAGES = """
page                                      sec org org_other fp_sn fp_fr chk del   anon
/en/admin/onsite/checkindevice/           200 403 403       403   403   403 login login
/en/admin/onsite/checkindevice/{device}/change/ 200 403 403 403   403   403 login login
/en/admin/onsite/checkindevice/{device}/revoke/ 200 403 403 403   403   403 login login
/en/admin/onsite/checkindevice/token/     200 403 403       403   403   403 login login
/en/admin/onsite/checkinscan/             200 403 403       403   403   403 login login
/en/meetings/{slug}/check-in/walk-in/     200 403 403       403   403   403 403   login
/en/meetings/{slug}/check-in/             200 200 403       403   403   200 403   login
/en/meetings/{slug}/check-in/roster.json  403 403 403       403   403   403 403   403
/en/meetings/{slug}/attendance/           200 200 403       403   403   403 403   login
/en/meetings/{slug}/attendance/{day}/figures/ 200 200 403   403   403   403 403   403
/en/meetings/{slug}/attendance/{day}/sheet.pdf 200 200 403  403   403   403 403   login
"""
CHECKIN_PAGE_ROWS = _table(CHECKIN_PAGES)


@pytest.fixture
def door_device(letter_meeting, people):
    from tests.factories.onsite import CheckinDeviceFactory

    return CheckinDeviceFactory(meeting=letter_meeting, name="Desk 1", user=people["chk"])


def _checkin_answer(response) -> str:
    location = response.get("Location", "")
    if response.status_code == 302 and location.startswith(
        ("/en/admin/login/", "/en/accounts/login/")
    ):
        return "login"
    return str(response.status_code)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    ("path", "expected"), CHECKIN_PAGE_ROWS, ids=[row[0] for row in CHECKIN_PAGE_ROWS]
)
def test_checkin_page_answers_each_persona_as_written(
    client, people, door_device, persona, path, expected
):
    meeting = door_device.meeting
    url = path.format(device=door_device.pk, slug=meeting.slug, day=meeting.starts_on.isoformat())

    response = _client_of(client, people[persona]).get(url)

    assert _checkin_answer(response) == expected[persona]


def _revoke(client, device):
    return client.post(f"/en/admin/onsite/checkindevice/{device.pk}/revoke/")


def _issue_token(client, device):
    return client.post(
        "/en/admin/onsite/checkindevice/token/",
        {"meeting": device.meeting_id, "name": "Gate scanner"},
    )


def _register_walk_in(client, device):
    senegal = device.meeting.dialogue.partners.get(code="SN")
    return client.post(
        f"/en/meetings/{device.meeting.slug}/check-in/walk-in/",
        {
            "category": "partner_country",
            "delegation": str(senegal.pk),
            "first_name": "Moussa",
            "last_name": "Sow",
            "email": "moussa.sow@example.org",
            "phone": "+221 77 765 43 21",
            "institution": "Ministry of the Interior",
            "function": "Border police officer",
            "level_of_government": "national",
            "role": "member",
            "language": "fr",
            "participation": "in_person",
            "days": [device.meeting.starts_on.isoformat()],
            "check_in_now": "on",
        },
    )


def _checkin_state():
    from convene.onsite.models import Attendance, CheckinDevice
    from convene.registrations.models import Registration

    return {
        "revoked": set(
            CheckinDevice.objects.filter(revoked_at__isnull=False).values_list("pk", flat=True)
        ),
        "devices": CheckinDevice.objects.count(),
        "registrations": Registration.objects.count(),
        "attendance": Attendance.objects.count(),
    }


CHECKIN_ACTIONS = {"revoke": _revoke, "token": _issue_token, "walk_in": _register_walk_in}

CHECKIN_ACTION_ANSWERS = """
action    sec org org_other fp_sn fp_fr chk del   anon
revoke    302 403 403       403   403   403 login login
token     200 403 403       403   403   403 login login
walk_in   302 403 403       403   403   403 403   login
"""
CHECKIN_ACTION_ROWS = _table(CHECKIN_ACTION_ANSWERS)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    ("action", "expected"), CHECKIN_ACTION_ROWS, ids=[row[0] for row in CHECKIN_ACTION_ROWS]
)
def test_checkin_action_answers_each_persona_and_the_refused_change_nothing(
    client, people, door_device, awa, persona, action, expected
):
    before = _checkin_state()

    response = CHECKIN_ACTIONS[action](_client_of(client, people[persona]), door_device)

    assert _checkin_answer(response) == expected[persona]
    if expected[persona] != expected["sec"]:
        assert _checkin_state() == before
    else:
        assert _checkin_state() != before
