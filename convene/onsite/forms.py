import datetime

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from convene.dialogues.models import Partner
from convene.registrations.enums import RegistrationStatus

from .enums import BadgeCategory, BadgeLayout
from .passport_rules import (
    NATIONALITY_MAX_LENGTH,
    normalise_nationality,
    normalise_passport_number,
    passport_errors,
)


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
