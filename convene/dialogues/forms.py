"""Form helpers for choosing partners: options in the order of their names in the
language the form is shown in (dialogues.selectors.partners_by_name)."""

from django.forms.models import ModelChoiceIterator

from .selectors import partners_by_name


class PartnersByNameIterator(ModelChoiceIterator):
    """The options of a partner field, sorted by name when rendered (so in the page's
    language), whatever the queryset's database order."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for partner in partners_by_name(self.queryset):
            yield self.choice(partner)


def sort_partners_by_name(field):
    """Make a ModelChoiceField (or multiple) of partners list them by name; the queryset
    still decides what is valid. Returns the field."""
    field.iterator = PartnersByNameIterator
    field.widget.choices = field.choices
    return field
