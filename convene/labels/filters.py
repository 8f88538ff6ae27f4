"""The GET filter forms of the public catalogue (and the base of the good-practice library's)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from convene.dialogues.enums import Region
from convene.dialogues.selectors import partner_choices

from . import selectors
from .enums import ActivityType

ALL = [("", _("All"))]


def _grouped(choices) -> list:
    return [(label, [(str(value), text) for value, text in options]) for label, options in choices]


class PublicFilterForm(forms.Form):
    """Filters shared by the catalogue and the good-practice library; every field is
    optional and unknown values are ignored.

    An invalid value (a stale link, a typed address) leaves that filter out rather than
    showing an error: the page still lists everything else that matches.
    """

    domain = forms.TypedChoiceField(label=_("Action-plan domain"), coerce=int, required=False)
    objective = forms.TypedChoiceField(label=_("Action-plan objective"), coerce=int, required=False)
    partner = forms.TypedChoiceField(coerce=int, required=False)
    region = forms.ChoiceField(label=_("Region"), choices=ALL + Region.choices, required=False)
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False)

    def __init__(self, data, *, dialogue, years):
        super().__init__(data)
        self._filters = None
        domains, objectives = selectors.plan_item_choices(dialogue)
        self.fields["domain"].choices = ALL + _grouped(domains)
        self.fields["objective"].choices = ALL + _grouped(objectives)
        self.fields["partner"].choices = ALL + _grouped(partner_choices(dialogue))
        self.fields["year"].choices = ALL + [(str(year), str(year)) for year in years]

    def filters(self) -> dict:
        """The filters given with a valid value, cleaned, for the selectors."""
        if self._filters is None:
            self._filters = {}
            for name, field in self.fields.items():
                try:
                    value = field.clean(field.widget.value_from_datadict(self.data, {}, name))
                except forms.ValidationError:
                    continue
                if value not in ("", None):
                    self._filters[name] = value
        return self._filters

    @property
    def is_filtered(self) -> bool:
        return bool(self.filters())


class ActivityFilterForm(PublicFilterForm):
    """Filters of the labelled-activity catalogue."""

    type = forms.ChoiceField(
        label=_("Type of activity"), choices=ALL + ActivityType.choices, required=False
    )

    def __init__(self, data, *, dialogue):
        super().__init__(data, dialogue=dialogue, years=selectors.activity_years(dialogue))
        self.fields["partner"].label = _("Lead partner")
