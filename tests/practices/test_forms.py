"""The good-practice submission form: its selects say what their empty choice means."""

import pytest
from django.utils import translation

from convene.dialogues.models import Partner
from convene.practices.forms import GoodPracticeForm
from tests.factories.meetings import MeetingFactory

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


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["Choose a partner", "Côte d'Ivoire", "Denmark", "Germany", "Spain"]),
        ("fr", ["Choisissez un partenaire", "Allemagne", "Côte d'Ivoire", "Danemark", "Espagne"]),
    ],
)
def test_partner_options_by_name_in_the_page_language(reference_data, language, expected):
    partners = Partner.objects.filter(dialogue=reference_data, code__in=["ES", "DE", "DK", "CI"])
    meeting = MeetingFactory(dialogue=reference_data)

    with translation.override(language):
        form = GoodPracticeForm(meeting=meeting, partners=partners)
        labels = [str(label) for _value, label in form.fields["partner"].choices]

    assert labels == expected
