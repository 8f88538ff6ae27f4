import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from convene.core.formatting import format_date, format_time_zone
from convene.core.forms import prompt_empty_choice
from convene.core.validators import validate_single_line
from convene.dialogues.models import Partner
from convene.meetings.models import Meeting
from convene.registrations.enums import RegistrationStatus
from convene.registrations.forms import StaffEntryForm

from .enums import BadgeCategory, BadgeLayout, MeansOfTravel
from .passport_rules import (
    NATIONALITY_MAX_LENGTH,
    normalise_nationality,
    normalise_passport_number,
    passport_errors,
)
from .selectors import managed_by
from .travel import at_venue, travel_problems, venue_day
from .validators import validate_travel_number


class BadgePrintForm(forms.Form):
    """Which of a meeting's approved registrations to print, how, and why when reprinted."""

    delegation = forms.ModelChoiceField(
        label=_("Delegation"),
        queryset=Partner.objects.none(),
        required=False,
        empty_label=pgettext_lazy("delegation filter", "All delegations"),
    )
    category = forms.ChoiceField(label=_("Category"), required=False)
    arrival = forms.ChoiceField(label=_("Day of arrival"), required=False)
    layout = forms.ChoiceField(
        label=_("Layout"), choices=BadgeLayout.choices, initial=BadgeLayout.A6
    )
    reason = forms.CharField(
        label=_("Reason for the reprint"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when any of these badges was printed before."),
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delegation"].queryset = (
            Partner.objects.filter(
                registrations__meeting=meeting,
                registrations__status=RegistrationStatus.APPROVED,
            )
            .distinct()
            .order_by("name_en")
        )
        self.fields["delegation"].label_from_instance = lambda partner: partner.name
        self.fields["category"].choices = [
            ("", pgettext_lazy("badge category filter", "All categories")),
            *BadgeCategory.choices,
        ]
        self.fields["arrival"].choices = [
            ("", pgettext_lazy("arrival filter", "Any day")),
            *((day.isoformat(), date_format(day, "l j F Y")) for day in meeting.days),
        ]

    def clean_arrival(self):
        value = self.cleaned_data["arrival"]
        return datetime.date.fromisoformat(value) if value else None


class FundingDecisionForm(forms.Form):
    """The reason of a refusal or withdrawal (required by the service), or a grant's note."""

    reason = forms.CharField(label=_("Reason"), required=False, max_length=1000)


def _date_field(label, help_text=""):
    # The browser's date picker sends ISO dates whatever the page's language.
    return forms.DateField(
        label=label,
        help_text=help_text,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter a date, for example 2030-01-31.")},
    )


class PassportForm(forms.Form):
    """The passport data a delegate enters for a visa support letter. Every rule is
    passport_rules' (save_passport_details checks them again); each fault is shown on
    its field."""

    # The order of the passport's data page.
    field_order = ("date_of_birth", "nationality", "passport_number", "issue_date", "expiry_date")

    nationality = forms.CharField(
        label=_("Nationality"),
        max_length=NATIONALITY_MAX_LENGTH,
        help_text=_("As written in the passport, for example Senegalese."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    passport_number = forms.CharField(
        label=_("Passport number"),
        # Room for the spaces some type between groups; they are removed.
        max_length=40,
        help_text=_("Letters and digits, as printed in the passport; spaces are removed."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
    date_of_birth = _date_field(_("Date of birth"))
    issue_date = _date_field(_("Date of issue"))
    expiry_date = _date_field(
        _("Date of expiry"), _("The passport must be valid until the meeting's last day.")
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting

    def clean_passport_number(self):
        return normalise_passport_number(self.cleaned_data["passport_number"])

    def clean_nationality(self):
        return normalise_nationality(self.cleaned_data["nationality"])

    def clean(self):
        cleaned = super().clean()
        for field, message in passport_errors(
            cleaned, meeting=self.meeting, today=timezone.localdate()
        ).items():
            if field in cleaned:
                self.add_error(field, message)
        return cleaned


class _DateInput(forms.DateInput):
    # The phone's own date picker; the value travels as ISO whatever the language.
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class _TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


class TravelForm(forms.Form):
    """The delegate's follow-up form: arrival and departure at the venue, how they come,
    the hotel nights, and for a funded place the city they leave from. Its rules are
    travel.travel_problems, which save_travel_details checks again."""

    arrival_date = forms.DateField(label=_("Arrival date"), widget=_DateInput())
    arrival_time = forms.TimeField(label=_("Arrival time"), widget=_TimeInput())
    departure_date = forms.DateField(label=_("Departure date"), widget=_DateInput())
    departure_time = forms.TimeField(label=_("Departure time"), widget=_TimeInput())
    means = forms.ChoiceField(
        label=_("How you travel"), choices=MeansOfTravel.choices, widget=forms.RadioSelect
    )
    travel_number = forms.CharField(
        label=_("Flight or train number"),
        required=False,
        max_length=20,
        validators=[validate_single_line, validate_travel_number],
        help_text=_(
            "As on your ticket, for example AF 718. Leave empty if you do not know it yet."
        ),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
    )
    arriving_at = forms.CharField(
        label=_("Arriving at (airport or station)"),
        required=False,
        max_length=120,
        validators=[validate_single_line],
        help_text=_("For example Blaise Diagne airport, or Paris Gare de Lyon."),
    )
    hotel_needed = forms.BooleanField(label=_("I need a hotel room"), required=False)
    hotel_check_in = forms.DateField(
        label=_("Hotel check-in"),
        required=False,
        widget=_DateInput(),
        help_text=_("The first night you need the room."),
    )
    hotel_check_out = forms.DateField(
        label=_("Hotel check-out"),
        required=False,
        widget=_DateInput(),
        help_text=_("The day you leave the room, after the last night."),
    )
    departure_city = forms.CharField(
        label=_("City you leave from"),
        max_length=120,
        validators=[validate_single_line],
        help_text=_("Your travel is funded: the ticket is booked from this city."),
    )

    # Which form field shows a problem travel_problems finds in a model field.
    PROBLEM_FIELDS = {
        "arrival_at": "arrival_date",
        "departure_at": "departure_date",
        "hotel_check_in": "hotel_check_in",
        "hotel_check_out": "hotel_check_out",
        "departure_city": "departure_city",
    }

    def __init__(self, *args, meeting, funded: bool, details=None, **kwargs):
        self.meeting = meeting
        self.funded = funded
        if details is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(details, meeting)
        super().__init__(*args, **kwargs)
        if not funded:
            del self.fields["departure_city"]
        zone = format_time_zone(meeting.tzinfo, meeting.starts_on)
        days = {
            "first": format_date(meeting.starts_on, "j F Y"),
            "last": format_date(meeting.ends_on, "j F Y"),
        }
        local_time = gettext("Local time at the venue: %(zone)s.") % {"zone": zone}
        self.fields["arrival_time"].help_text = local_time
        self.fields["departure_time"].help_text = local_time
        self.fields["arrival_date"].help_text = (
            gettext("The meeting runs from %(first)s to %(last)s.") % days
        )

    @staticmethod
    def initial_from(details, meeting) -> dict:
        arrival = timezone.localtime(details.arrival_at, meeting.tzinfo)
        departure = timezone.localtime(details.departure_at, meeting.tzinfo)
        return {
            "arrival_date": arrival.date(),
            "arrival_time": arrival.time().replace(second=0, microsecond=0),
            "departure_date": departure.date(),
            "departure_time": departure.time().replace(second=0, microsecond=0),
            "means": details.means,
            "travel_number": details.travel_number,
            "arriving_at": details.arriving_at,
            "hotel_needed": details.hotel_needed,
            "hotel_check_in": details.hotel_check_in,
            "hotel_check_out": details.hotel_check_out,
            "departure_city": details.departure_city,
        }

    def field_for_problem(self, model_field: str | None) -> str | None:
        """The form field that shows a problem with `model_field`; None for the form."""
        shown = self.PROBLEM_FIELDS.get(model_field, model_field)
        return shown if shown in self.fields else None

    def clean_travel_number(self):
        return self.cleaned_data["travel_number"].strip().upper()

    def clean(self):
        cleaned = super().clean()
        values = self.travel_values()
        for field, message in travel_problems(
            values, meeting=self.meeting, funded=self.funded
        ).items():
            shown = self.field_for_problem(field)
            if shown is not None and shown not in self.errors:
                self.add_error(shown, ValidationError(message))
        return cleaned

    def travel_values(self) -> dict:
        """The cleaned data as TravelDetails field values (moments at the venue); a
        moment is None while its date or time is missing or invalid."""
        data = self.cleaned_data

        def moment(prefix):
            day, time = data.get(f"{prefix}_date"), data.get(f"{prefix}_time")
            return at_venue(day, time, self.meeting) if day and time else None

        hotel = bool(data.get("hotel_needed"))
        return {
            "arrival_at": moment("arrival"),
            "departure_at": moment("departure"),
            "means": data.get("means", ""),
            "travel_number": data.get("travel_number", ""),
            "arriving_at": data.get("arriving_at", ""),
            "hotel_needed": hotel,
            "hotel_check_in": data.get("hotel_check_in") if hotel else None,
            "hotel_check_out": data.get("hotel_check_out") if hotel else None,
            "departure_city": data.get("departure_city", ""),
        }


# --- walk-ins -----------------------------------------------------------------------
# Imported here so that this part merges as one block with the other parts of check-in.


class WalkInForm(StaffEntryForm):
    """A person registered and approved at the desk (services.register_walk_in): the
    back-office entry's fields, without its verification email and note, with "Check
    them in now" and the reason to approve over a full quota.

    The days default to today when the meeting is on, else to all its days."""

    check_in_now = forms.BooleanField(
        label=_("Check them in now"),
        required=False,
        initial=True,
        help_text=_("Records their attendance for today."),
    )
    override_reason = forms.CharField(
        label=_("Reason to approve over the quota (only if no place is free)"),
        max_length=300,
        required=False,
        validators=[validate_single_line],
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, meeting=meeting, **kwargs)
        for name in ("send_verification", "note", "meeting"):
            self.fields.pop(name, None)
        today = venue_day(timezone.now(), meeting)
        held_today = meeting.is_held_on(today)
        choices = [value for value, _label in self.fields["days"].choices]
        self.fields["days"].initial = [today.isoformat()] if held_today else choices
        # Ticked only while the meeting is on: on another day the check-in would be refused.
        self.fields["check_in_now"].initial = held_today


# --- check-in API tokens ------------------------------------------------------------


class CheckinTokenForm(forms.Form):
    """A scanner's device: its meeting, among those the user manages, and its name."""

    meeting = forms.ModelChoiceField(label=_("Meeting"), queryset=Meeting.objects.none())
    name = forms.CharField(
        label=_("Device name"),
        max_length=80,
        help_text=_("As the staff at the door will know it, for example: Scanner 2, main gate."),
        validators=[validate_single_line],
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = managed_by(
            user, Meeting.objects.order_by("-starts_on", "-id"), meeting="pk"
        )
        prompt_empty_choice(self.fields["meeting"], _("Choose a meeting"))
