"""Travel details: the rules of the follow-up form (each refusal in English and French),
the service that saves them (audited, refused unless approved and in person), the
funded-place read and how the audit entries read."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from convene.core.audit import describe_audit_entry
from convene.core.models import AuditEntry
from convene.meetings.enums import MeetingStatus
from convene.onsite.enums import FundingStatus, MeansOfTravel, OnsiteAuditAction
from convene.onsite.errors import TravelError
from convene.onsite.forms import TravelForm
from convene.onsite.models import TravelDetails
from convene.onsite.selectors import is_funded
from convene.onsite.services import save_travel_details
from convene.registrations.enums import Participation, RegistrationStatus
from tests.factories.onsite import FundingRequestFactory, TravelDetailsFactory

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


@pytest.fixture
def meeting(meeting):
    """The Dakar workshop with a venue two hours ahead of UTC in September, so that a
    moment read in the wrong time zone shows."""
    meeting.time_zone = "Europe/Paris"
    meeting.save(update_fields=["time_zone"])
    return meeting


def _form_data(**changes) -> dict:
    """A valid form for the Dakar workshop (1-2 September 2031, venue time Europe/Paris)."""
    data = {
        "arrival_date": "2031-08-31",
        "arrival_time": "14:30",
        "departure_date": "2031-09-02",
        "departure_time": "20:00",
        "means": "flight",
        "travel_number": "af 718",
        "arriving_at": "Blaise Diagne",
        "hotel_needed": "on",
        "hotel_check_in": "2031-08-31",
        "hotel_check_out": "2031-09-02",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def _form(meeting, funded=False, **changes):
    return TravelForm(_form_data(**changes), meeting=meeting, funded=funded)


def _values(meeting, **changes) -> dict:
    return {
        "arrival_at": datetime.datetime(2031, 8, 31, 12, 30, tzinfo=UTC),
        "departure_at": datetime.datetime(2031, 9, 2, 18, 0, tzinfo=UTC),
        "means": MeansOfTravel.FLIGHT,
        "travel_number": "AF 718",
        "arriving_at": "Blaise Diagne",
        "hotel_needed": True,
        "hotel_check_in": datetime.date(2031, 8, 31),
        "hotel_check_out": datetime.date(2031, 9, 2),
        "departure_city": "",
        **changes,
    }


def test_travel_form_valid_gives_moments_at_the_venue(meeting):
    form = _form(meeting)

    assert form.is_valid(), form.errors
    values = form.travel_values()
    # 14:30 in Paris in summer is 12:30 UTC.
    assert values["arrival_at"] == datetime.datetime(2031, 8, 31, 12, 30, tzinfo=UTC)
    assert values["departure_at"] == datetime.datetime(2031, 9, 2, 18, 0, tzinfo=UTC)
    assert values["travel_number"] == "AF 718"
    assert (values["hotel_check_in"], values["hotel_check_out"]) == (
        datetime.date(2031, 8, 31),
        datetime.date(2031, 9, 2),
    )
    assert "departure_city" not in form.fields


@pytest.mark.parametrize(
    ("changes", "field", "english", "french"),
    [
        (
            {
                "departure_date": "2031-09-01",
                "departure_time": "09:00",
                "arrival_date": "2031-09-01",
                "arrival_time": "10:00",
                "hotel_needed": None,
            },
            "departure_date",
            "The departure must come after the arrival.",
            "Le départ doit suivre l\u2019arrivée.",
        ),
        (
            {"arrival_date": "2031-09-03", "departure_date": "2031-09-04", "hotel_needed": None},
            "arrival_date",
            "The arrival cannot be after the meeting's last day (2 September 2031).",
            "L\u2019arrivée ne peut pas être postérieure au dernier jour de la "
            "réunion (2 septembre 2031).",
        ),
        (
            {"arrival_date": "2031-08-20", "hotel_needed": None},
            "arrival_date",
            "The arrival is more than a week before the meeting (1 September "
            "2031): check the date.",
            "L\u2019arrivée est plus d\u2019une semaine avant la réunion (1er "
            "septembre 2031)\u00a0: vérifiez la date.",
        ),
        (
            {"arrival_date": "2031-08-29", "departure_date": "2031-08-31", "hotel_needed": None},
            "departure_date",
            "The departure cannot be before the meeting's first day (1 September 2031).",
            "Le départ ne peut pas être antérieur au premier jour de la réunion "
            "(1er septembre 2031).",
        ),
        (
            {"departure_date": "2031-09-12", "hotel_needed": None},
            "departure_date",
            "The departure is more than a week after the meeting (2 September "
            "2031): check the date.",
            "Le départ est plus d\u2019une semaine après la réunion (2 septembre "
            "2031)\u00a0: vérifiez la date.",
        ),
        (
            {"hotel_check_in": ""},
            "hotel_check_in",
            "Give the night you check in to the hotel.",
            "Indiquez la date d\u2019arrivée à l\u2019hôtel.",
        ),
        (
            {"hotel_check_out": "2031-08-31"},
            "hotel_check_out",
            "The check-out must be at least one day after the check-in.",
            "Le départ de l\u2019hôtel doit avoir lieu au moins un jour après l\u2019arrivée.",
        ),
        (
            {"hotel_check_in": "2031-08-29"},
            "hotel_check_in",
            "The check-in is before your arrival (31 August 2031).",
            "L\u2019arrivée à l\u2019hôtel précède votre arrivée (31 août 2031).",
        ),
        (
            {"hotel_check_out": "2031-09-03"},
            "hotel_check_out",
            "The check-out is after your departure (2 September 2031).",
            "Le départ de l\u2019hôtel suit votre départ (2 septembre 2031).",
        ),
        (
            {"travel_number": "=HYPERLINK(1)"},
            "travel_number",
            "Write the number as on the ticket: letters and digits, with a space or a hyphen "
            "between groups (for example AF 718).",
            "Écrivez le numéro comme sur le billet\u00a0: lettres et chiffres, "
            "avec une espace ou un trait d\u2019union entre les groupes (par exemple AF 718).",
        ),
    ],
)
def test_travel_form_refuses_each_rule_in_both_languages(meeting, changes, field, english, french):
    for language, message in (("en", english), ("fr", french)):
        with translation.override(language):
            form = _form(meeting, **changes)

            assert form.is_valid() is False
            assert form.errors == {field: [message]}


def test_travel_form_of_a_funded_delegate_requires_the_departure_city(meeting):
    form = _form(meeting, funded=True)

    assert form.is_valid() is False
    assert form.errors == {"departure_city": ["This field is required."]}


def test_travel_form_of_a_funded_delegate_keeps_the_departure_city(meeting):
    form = _form(meeting, funded=True, departure_city="Bamako")

    assert form.is_valid(), form.errors
    assert form.travel_values()["departure_city"] == "Bamako"


def test_travel_form_without_hotel_drops_the_hotel_dates(meeting):
    form = _form(meeting, hotel_needed=None, hotel_check_in="2031-08-01")

    assert form.is_valid(), form.errors
    assert (form.travel_values()["hotel_check_in"], form.travel_values()["hotel_check_out"]) == (
        None,
        None,
    )


def test_travel_form_shows_saved_details_at_the_venue(meeting, approved):
    details = TravelDetailsFactory(registration=approved)

    form = TravelForm(meeting=meeting, funded=False, details=details)

    assert (form.initial["arrival_date"], form.initial["arrival_time"]) == (
        datetime.date(2031, 8, 31),
        datetime.time(14, 30),
    )


def test_is_funded_reads_a_granted_request_only(make_registration):
    none = make_registration(email="none@example.org", reference="NONE2031")
    requested = make_registration(email="req@example.org", reference="REQ20311")
    granted = make_registration(email="granted@example.org", reference="GRANT203")
    FundingRequestFactory(registration=requested, status=FundingStatus.REQUESTED)
    FundingRequestFactory(registration=granted, status=FundingStatus.GRANTED)

    assert [is_funded(r) for r in (none, requested, granted)] == [False, False, True]


def test_save_travel_details_creates_them_with_an_audit_entry(approved, meeting):
    details = save_travel_details(approved, data=_values(meeting), actor=None)

    saved = TravelDetails.objects.get(registration=approved)
    assert saved.pk == details.pk
    assert (saved.arrival_at, saved.nights, saved.travel_number) == (
        datetime.datetime(2031, 8, 31, 12, 30, tzinfo=UTC),
        2,
        "AF 718",
    )
    entry = AuditEntry.objects.get(action=OnsiteAuditAction.TRAVEL_SAVED)
    assert (entry.object_id, entry.actor, entry.from_state) == (str(approved.pk), None, "")
    assert entry.reason.split(", ") == [
        "arrival_at",
        "departure_at",
        "means",
        "travel_number",
        "arriving_at",
        "hotel_needed",
        "hotel_check_in",
        "hotel_check_out",
        "departure_city",
    ]


def test_save_travel_details_audits_only_the_fields_changed(approved, meeting):
    save_travel_details(approved, data=_values(meeting), actor=None)

    save_travel_details(
        approved, data=_values(meeting, travel_number="AF 720", hotel_needed=False), actor=None
    )

    latest = AuditEntry.objects.filter(action=OnsiteAuditAction.TRAVEL_SAVED).latest("pk")
    assert latest.reason == "travel_number, hotel_needed, hotel_check_in, hotel_check_out"
    saved = TravelDetails.objects.get(registration=approved)
    assert (saved.hotel_check_in, saved.hotel_check_out, saved.nights) == (None, None, 0)


def test_save_travel_details_unchanged_writes_no_audit_entry(approved, meeting):
    save_travel_details(approved, data=_values(meeting), actor=None)

    save_travel_details(approved, data=_values(meeting), actor=None)

    assert AuditEntry.objects.filter(action=OnsiteAuditAction.TRAVEL_SAVED).count() == 1


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"status": RegistrationStatus.AWAITING_SECRETARIAT}, "not_approved"),
        ({"status": RegistrationStatus.WAITLISTED}, "not_approved"),
        ({"status": RegistrationStatus.CANCELLED}, "not_approved"),
        ({"participation": Participation.ONLINE}, "not_in_person"),
    ],
)
def test_save_travel_details_refused_unless_approved_in_person(
    make_registration, meeting, fields, code
):
    registration = make_registration(**fields)

    with pytest.raises(TravelError) as refused:
        save_travel_details(registration, data=_values(meeting), actor=None)

    assert refused.value.code == code
    assert TravelDetails.objects.count() == 0
    assert AuditEntry.objects.filter(action=OnsiteAuditAction.TRAVEL_SAVED).count() == 0


def test_save_travel_details_checks_the_rules_again(approved, meeting):
    with pytest.raises(TravelError) as refused:
        save_travel_details(
            approved,
            data=_values(meeting, departure_at=datetime.datetime(2031, 8, 31, 10, tzinfo=UTC)),
            actor=None,
        )

    assert (refused.value.code, refused.value.field) == ("invalid", "departure_at")
    assert TravelDetails.objects.count() == 0


def test_save_travel_details_of_a_funded_delegate_requires_the_city(approved, meeting):
    FundingRequestFactory(registration=approved)

    with pytest.raises(TravelError) as refused:
        save_travel_details(approved, data=_values(meeting), actor=None)

    assert (refused.value.code, refused.value.field) == ("invalid", "departure_city")


def test_save_travel_details_refuses_an_invalid_travel_number(approved, meeting):
    with pytest.raises(TravelError) as refused:
        save_travel_details(approved, data=_values(meeting, travel_number="@x"), actor=None)

    assert (refused.value.code, refused.value.field) == ("invalid", "travel_number")


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("secretariat_officer", True),
        ("focal_point_senegal", False),
        ("outsider", False),
    ],
)
def test_save_travel_details_by_staff_needs_the_right(request, approved, meeting, persona, allowed):
    user = request.getfixturevalue(persona)

    if allowed:
        save_travel_details(approved, data=_values(meeting), actor=user)
        entry = AuditEntry.objects.get(action=OnsiteAuditAction.TRAVEL_SAVED)
        assert entry.actor == user
    else:
        with pytest.raises(TravelError) as refused:
            save_travel_details(approved, data=_values(meeting), actor=user)
        assert refused.value.code == "forbidden"
        assert TravelDetails.objects.count() == 0


def test_travel_details_database_refuses_a_departure_before_the_arrival(approved):
    with pytest.raises(IntegrityError), transaction.atomic():
        TravelDetailsFactory(
            registration=approved,
            departure_at=datetime.datetime(2031, 8, 1, tzinfo=UTC),
        )


def test_travel_details_database_refuses_a_hotel_without_nights(approved):
    with pytest.raises(IntegrityError), transaction.atomic():
        TravelDetailsFactory(
            registration=approved,
            hotel_needed=True,
            hotel_check_in=datetime.date(2031, 9, 1),
            hotel_check_out=datetime.date(2031, 9, 1),
        )


def test_travel_audit_entry_reads_in_both_languages(approved, meeting):
    save_travel_details(approved, data=_values(meeting), actor=None)
    save_travel_details(approved, data=_values(meeting, travel_number="AF 720"), actor=None)
    first, second = AuditEntry.objects.filter(action=OnsiteAuditAction.TRAVEL_SAVED).order_by("pk")

    with translation.override("en"):
        assert describe_audit_entry(second) == "Travel details changed: flight or train number."
    with translation.override("fr"):
        assert describe_audit_entry(second) == (
            "Informations de voyage modifiées\u00a0: numéro de vol ou de train."
        )
        assert describe_audit_entry(first).startswith(
            "Informations de voyage données\u00a0: arrivée, départ,"
        )


def test_save_travel_details_refused_once_the_meeting_is_cancelled(approved, meeting):
    meeting.status = MeetingStatus.CANCELLED
    meeting.save(update_fields=["status"])

    with pytest.raises(TravelError) as refused:
        save_travel_details(approved, data=_values(meeting), actor=None)

    assert (refused.value.code, refused.value.message) == (
        "meeting_cancelled",
        "This meeting is cancelled: no travel details are needed.",
    )
    assert TravelDetails.objects.count() == 0
