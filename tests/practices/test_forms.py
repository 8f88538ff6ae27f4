"""The good-practice submission form: its selects say what their empty choice means."""

import pytest
from django.utils import translation

from convene.practices.forms import GoodPracticeForm

pytestmark = pytest.mark.django_db


def _empty_labels(form) -> dict:
    return {
        name: str(label)
        for name, field in form.fields.items()
        if hasattr(field, "choices")
        for value, label in field.choices
        if value == ""
    }


def test_form_selects_prompt_in_french_for_several_partners(demo_data, reference_data):
    partners = list(reference_data.partners.filter(code__in=["SN", "FR"]))

    with translation.override("fr"):
        empty = _empty_labels(GoodPracticeForm(meeting=demo_data, partners=partners))

    assert empty == {
        "partner": "Choisissez un partenaire",
        "level_of_government": "Choisissez un niveau",
        "domain": "Choisissez un domaine",
        "objective": "Aucun objectif en particulier",
        "session": "Aucune séance en particulier",
    }


def test_form_for_one_partner_has_no_empty_partner_choice(demo_data, reference_data):
    partners = list(reference_data.partners.filter(code="SN"))

    with translation.override("en"):
        empty = _empty_labels(GoodPracticeForm(meeting=demo_data, partners=partners))

    assert "partner" not in empty
    assert empty["level_of_government"] == "Choose a level"
