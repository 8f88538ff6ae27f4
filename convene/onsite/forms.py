import datetime

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from convene.dialogues.models import Partner
from convene.registrations.enums import RegistrationStatus

from .enums import BadgeCategory, BadgeLayout


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
