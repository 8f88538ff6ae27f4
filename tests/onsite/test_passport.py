"""Passport data for visa support letters: the delegate enters it on their personal
page, the rules it must meet, and the service that saves it (audited without values)."""

import datetime

import pytest
from django.utils import timezone

from convene.core.models import AuditEntry
from convene.onsite import services
from convene.onsite.errors import PassportError
from convene.onsite.forms import PassportForm
from convene.onsite.models import PassportDetails
from convene.onsite.passport_rules import passport_errors
from convene.registrations.enums import RegistrationStatus
from convene.registrations.tokens import make_token, registration_from_token
from tests.factories.onsite import PassportDetailsFactory
from tests.html import parse

pytestmark = pytest.mark.django_db

S = RegistrationStatus
TODAY = datetime.date(2031, 6, 1)


@pytest.fixture
def letters_meeting(meeting):
    """The Dakar workshop (1-2 September 2031), offering visa support letters."""
    meeting.offers_visa_letters = True
    meeting.save(update_fields=["offers_visa_letters"])
    return meeting


@pytest.fixture
def asking(letters_meeting, make_registration):
    """An approved delegate of Senegal who asked for a letter."""
    return make_registration(needs_visa_letter=True)


def _data(**overrides):
    data = {
        "date_of_birth": datetime.date(1985, 3, 14),
        "nationality": "Senegalese",
        "passport_number": "A01234567",
        "issue_date": datetime.date(2024, 6, 1),
        "expiry_date": datetime.date(2034, 5, 31),
    }
    data.update(overrides)
    return data


def _post_data(**overrides):
    return {
        key: value.isoformat() if isinstance(value, datetime.date) else value
        for key, value in _data(**overrides).items()
    }


def _passport_url(registration, language="en"):
    return f"/{language}/registration/{make_token(registration)}/passport/"


# --- the rules ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({}, {}),
        (
            {"date_of_birth": datetime.date(2031, 6, 2)},
            {"date_of_birth": "The date of birth cannot be in the future."},
        ),
        (
            {"date_of_birth": datetime.date(1899, 12, 31)},
            {"date_of_birth": "This date of birth is not plausible: check the year."},
        ),
        (
            {"issue_date": datetime.date(2031, 6, 2), "expiry_date": datetime.date(2041, 6, 1)},
            {"issue_date": "The date of issue cannot be in the future."},
        ),
        (
            {"issue_date": datetime.date(1984, 1, 1)},
            {"issue_date": "The date of issue is before the date of birth."},
        ),
        (
            {"issue_date": datetime.date(2031, 5, 31), "expiry_date": datetime.date(2031, 5, 31)},
            {
                "issue_date": "The date of issue must be before the date of expiry.",
                "expiry_date": "This passport expires before the meeting's last day "
                "(2 September 2031): a visa needs a passport valid for the whole stay. Enter "
                "another passport, or renew this one.",
            },
        ),
        (
            {"expiry_date": datetime.date(2031, 9, 1)},
            {
                "expiry_date": "This passport expires before the meeting's last day "
                "(2 September 2031): a visa needs a passport valid for the whole stay. Enter "
                "another passport, or renew this one."
            },
        ),
        ({"expiry_date": datetime.date(2031, 9, 2)}, {}),
        (
            {"passport_number": "A0123-4567"},
            {
                "passport_number": "A passport number has only the letters A to Z and digits; "
                "spaces are removed. Check for other signs such as dashes, dots or accented "
                "letters."
            },
        ),
        (
            {"passport_number": "A123"},
            {"passport_number": "A passport number has 5 to 20 characters; this one has 4."},
        ),
        ({"passport_number": "A1234"}, {}),
        (
            {"nationality": "Senegalese 1"},
            {
                "nationality": "Write the nationality in letters on one line, as in the "
                "passport (spaces, hyphens and apostrophes are allowed)."
            },
        ),
        ({"nationality": "Bissau-Guinean"}, {}),
    ],
)
def test_passport_errors_name_each_fault(letters_meeting, overrides, expected):
    assert passport_errors(_data(**overrides), meeting=letters_meeting, today=TODAY) == expected


def test_passport_form_normalises_the_number_and_refuses_a_line_break(letters_meeting):
    form = PassportForm(
        _post_data(passport_number=" a01 234 567 ", nationality="Senegalese\nFrench"),
        meeting=letters_meeting,
    )

    assert form.is_valid() is False
    assert form.cleaned_data["passport_number"] == "A01234567"
    assert list(form.errors) == ["nationality"]


def test_passport_form_refuses_a_date_that_is_not_one(letters_meeting):
    form = PassportForm(_post_data(date_of_birth="14/03/1985"), meeting=letters_meeting)

    assert form.errors == {"date_of_birth": ["Enter a date, for example 2030-01-31."]}


# --- the service --------------------------------------------------------------------------


def test_save_passport_details_stores_the_data_and_audits_without_values(asking):
    details = services.save_passport_details(
        asking, data=_data(passport_number="a01 234 567"), actor=None
    )

    stored = PassportDetails.objects.get(registration=asking)
    assert stored.pk == details.pk
    assert (stored.passport_number, stored.nationality, stored.expiry_date) == (
        "A01234567",
        "Senegalese",
        datetime.date(2034, 5, 31),
    )
    entry = AuditEntry.objects.get(action="onsite.passport_saved")
    assert (entry.object_id, entry.actor, entry.from_state, entry.to_state, entry.reason) == (
        str(asking.pk),
        None,
        "",
        "received",
        "",
    )


def test_save_passport_details_twice_corrects_the_one_record(asking):
    services.save_passport_details(asking, data=_data(), actor=None)

    services.save_passport_details(asking, data=_data(passport_number="B7654321"), actor=None)

    assert list(PassportDetails.objects.values_list("registration_id", flat=True)) == [asking.pk]
    assert PassportDetails.objects.get().passport_number == "B7654321"
    assert list(
        AuditEntry.objects.filter(action="onsite.passport_saved")
        .order_by("id")
        .values_list("to_state", flat=True)
    ) == ["received", "corrected"]


@pytest.mark.parametrize(
    ("offers", "asked", "status", "code", "message"),
    [
        (
            False,
            True,
            S.APPROVED,
            "not_offered",
            "This meeting does not offer visa support letters.",
        ),
        (
            True,
            False,
            S.APPROVED,
            "not_asked",
            "This registration did not ask for a visa support letter.",
        ),
        (True, True, S.CANCELLED, "cancelled", "This registration has been cancelled."),
        (True, True, S.REJECTED, "rejected", "This registration was rejected."),
        (
            True,
            True,
            S.AWAITING_SECRETARIAT,
            "not_approved",
            "Passport data is asked for once the registration is approved.",
        ),
    ],
)
def test_save_passport_details_refused_for_a_registration_not_concerned(
    meeting, make_registration, offers, asked, status, code, message
):
    meeting.offers_visa_letters = offers
    meeting.save(update_fields=["offers_visa_letters"])
    registration = make_registration(needs_visa_letter=asked, status=status)

    with pytest.raises(PassportError) as refused:
        services.save_passport_details(registration, data=_data(), actor=None)

    assert (refused.value.code, refused.value.message) == (code, message)
    assert PassportDetails.objects.count() == 0
    assert AuditEntry.objects.filter(action="onsite.passport_saved").count() == 0


def test_save_passport_details_refuses_invalid_data_on_its_field(asking):
    with pytest.raises(PassportError) as refused:
        services.save_passport_details(
            asking, data=_data(expiry_date=datetime.date(2031, 8, 31)), actor=None
        )

    assert (refused.value.code, refused.value.field) == ("invalid", "expiry_date")
    assert PassportDetails.objects.count() == 0


def test_save_passport_details_refuses_a_missing_field(asking):
    with pytest.raises(PassportError) as refused:
        services.save_passport_details(asking, data=_data(nationality=" "), actor=None)

    assert (refused.value.code, refused.value.field, refused.value.message) == (
        "invalid",
        "nationality",
        "This field is required.",
    )


# --- the delegate's pages -----------------------------------------------------------------


def test_personal_page_of_a_delegate_asked_links_to_the_passport_form(asking, client):
    page = parse(client.get(f"/en/registration/{make_token(asking)}/"))

    section = page.select_one("#passport")
    assert section.select_one("h2").text == "Passport data for your visa support letter"
    link = section.select_one("#passport-link")
    assert link.text == "Enter your passport data"
    # The personal link's token (signed with the second it was made) opens the form.
    language, segment, token, page_name = link.attrs["href"].strip("/").split("/")
    assert (language, segment, page_name) == ("en", "registration", "passport")
    assert registration_from_token(token) == asking


@pytest.mark.parametrize(
    ("asked", "status"), [(False, S.APPROVED), (True, S.AWAITING_SECRETARIAT), (True, S.CANCELLED)]
)
def test_personal_page_of_a_delegate_not_asked_has_no_passport_section(
    letters_meeting, make_registration, client, asked, status
):
    registration = make_registration(needs_visa_letter=asked, status=status)

    page = parse(client.get(f"/en/registration/{make_token(registration)}/"))

    assert page.select("#passport") == []


def test_personal_page_in_french_shows_what_was_received_without_the_number(asking, client):
    PassportDetailsFactory(registration=asking, passport_number="A01234547")
    PassportDetails.objects.filter(registration=asking).update(
        updated_at=datetime.datetime(2031, 6, 1, 10, 0, tzinfo=datetime.UTC)
    )

    response = client.get(f"/fr/registration/{make_token(asking)}/")

    section = parse(response).select_one("#passport")
    assert (
        section.select_one("h2").text
        == "Données de passeport pour votre lettre d'appui à la demande de visa"
    )
    assert section.select_one("#passport-status").text == (
        "Reçues le 1er juin 2031, numéro de passeport se terminant par …47."
    )
    assert "A01234547" not in response.content.decode()


def test_passport_page_shows_the_form(asking, client):
    response = client.get(_passport_url(asking))

    page = parse(response)
    assert response.status_code == 200
    assert page.select_one("h1").text == "Passport data for your visa support letter"
    assert [node.attrs["name"] for node in page.select("#passport-form input[type=date]")] == [
        "date_of_birth",
        "issue_date",
        "expiry_date",
    ]
    assert response["Cache-Control"] == "private, no-store"


def test_passport_page_saves_then_shows_the_receipt_never_the_number(asking, client):
    url = _passport_url(asking)

    response = client.post(url, _post_data(passport_number="a0 1234 5647"))

    assert (response.status_code, response["Location"]) == (302, url)
    assert PassportDetails.objects.get(registration=asking).passport_number == "A012345647"
    page = client.get(url)
    text = page.content.decode()
    receipt = parse(page).select_one("#passport-receipt").text
    today = timezone.localdate().strftime("%-d %B %Y")
    assert receipt == f"Received on {today}, passport number ending …47."
    assert parse(page).texts(".messages p") == [
        "Thank you: your passport data is received for your letter."
    ]
    assert "A012345647" not in text
    assert 'value="A0' not in text


def test_passport_page_with_an_expiry_before_the_meeting_ends_saves_nothing(asking, client):
    response = client.post(_passport_url(asking), _post_data(expiry_date=datetime.date(2031, 9, 1)))

    page = parse(response)
    assert response.status_code == 400
    assert page.texts("#id_expiry_date_error li") == [
        "This passport expires before the meeting's last day (2 September 2031): a visa "
        "needs a passport valid for the whole stay. Enter another passport, or renew this one."
    ]
    assert PassportDetails.objects.count() == 0


def test_passport_page_in_french_says_the_fault_in_french(asking, client):
    response = client.post(
        _passport_url(asking, "fr"), _post_data(passport_number="A-1", nationality="Sénégalaise")
    )

    page = parse(response)
    assert page.texts("#id_passport_number_error li") == [
        "Un numéro de passeport ne contient que les lettres A à Z et des chiffres ; les "
        "espaces sont retirés. Vérifiez qu'il n'y a pas d'autres signes, comme des tirets, "
        "des points ou des lettres accentuées."
    ]
    assert (
        page.select_one("h1").text
        == "Données de passeport pour votre lettre d'appui à la demande de visa"
    )


def test_passport_page_with_a_bad_token_is_the_invalid_link_page(client):
    response = client.get("/en/registration/not-a-token/passport/")

    assert response.status_code == 404
    assert "registrations/invalid_link.html" in [t.name for t in response.templates]


def test_passport_page_of_a_registration_not_concerned_says_why(
    letters_meeting, make_registration, client
):
    registration = make_registration(needs_visa_letter=False)

    response = client.post(_passport_url(registration), _post_data())

    assert response.status_code == 404
    assert parse(response).select_one("#passport-refused").text == (
        "This registration did not ask for a visa support letter."
    )
    assert PassportDetails.objects.count() == 0
