"""prompt_empty_choice: a select's empty choice says what it means."""

import pytest
from django import forms

from convene.core.forms import prompt_empty_choice
from convene.core.models import User


def test_prompt_replaces_the_dashes_of_a_choice_field():
    field = forms.ChoiceField(choices=[("", "---------"), ("a", "A"), ("b", "B")])

    prompt_empty_choice(field, "Choose a letter")

    assert field.choices == [("", "Choose a letter"), ("a", "A"), ("b", "B")]


def test_prompt_leaves_a_field_without_empty_choice_alone():
    field = forms.ChoiceField(choices=[("a", "A"), ("b", "B")])

    prompt_empty_choice(field, "Choose a letter")

    assert field.choices == [("a", "A"), ("b", "B")]


@pytest.mark.django_db
def test_prompt_sets_a_model_choice_fields_empty_label():
    field = forms.ModelChoiceField(queryset=User.objects.none())

    prompt_empty_choice(field, "Choose a person")

    assert list(field.widget.choices) == [("", "Choose a person")]


@pytest.mark.django_db
def test_prompt_adds_no_empty_choice_to_a_model_choice_field_without_one():
    field = forms.ModelChoiceField(queryset=User.objects.none(), empty_label=None)

    prompt_empty_choice(field, "Choose a person")

    assert list(field.widget.choices) == []
