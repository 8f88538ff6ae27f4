from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.forms.models import ModelChoiceIterator

from .search import normalise_for_search
from .tasks import send_password_reset_email_task


class ByLabelIterator(ModelChoiceIterator):
    """A model select's options sorted by their label when rendered (so in the page's
    language), accents and case ignored: the key of dialogues' partners_by_name, for
    the partner select of core's role inline, which may not import dialogues."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        choices = [self.choice(obj) for obj in self.queryset]
        yield from sorted(choices, key=lambda choice: normalise_for_search(str(choice[1])))


class StaffPasswordResetForm(PasswordResetForm):
    """Django's reset form, whose email leaves through a task, in the account's language.

    The request only queues the task (see convene/core/password_reset.py), so the answer
    takes the same time whether the address has an account or not.
    """

    def save(self, **kwargs):
        for user in self.get_users(self.cleaned_data["email"]):
            send_password_reset_email_task.enqueue(user.pk)


def prompt_empty_choice(field: forms.Field, prompt) -> None:
    """Show `prompt` ("Choose a level", "No host country") as the select's
    empty choice instead of Django's "---------", which says nothing to a reader or a
    screen reader. A field with no empty choice (required, with a default) is left alone.
    """
    if isinstance(field, forms.ModelChoiceField):
        if field.empty_label is not None:
            field.empty_label = prompt
        return
    choices = list(field.choices)
    if any(value == "" for value, _label in choices):
        field.choices = [(value, prompt if value == "" else label) for value, label in choices]
