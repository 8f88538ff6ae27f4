"""The GET filter form of the good-practice library."""

from django import forms
from django.utils.translation import gettext_lazy as _

from convene.labels.filters import ALL, PublicFilterForm
from convene.registrations.enums import LevelOfGovernment

from . import selectors


class PracticeFilterForm(PublicFilterForm):
    """Search and filters of the good-practice library."""

    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    level = forms.ChoiceField(
        label=_("Level of government"),
        choices=ALL + LevelOfGovernment.choices,
        required=False,
    )

    field_order = ["q", "domain", "objective", "partner", "region", "year", "level"]

    def __init__(self, data, *, dialogue):
        super().__init__(data, dialogue=dialogue, years=selectors.practice_years(dialogue))
        self.fields["partner"].label = _("Partner")
        self.fields["year"].label = _("Year of the meeting")

    def query(self) -> str:
        return self.filters().get("q", "")
