"""The form sharing a good practice (convene.practices.forms)."""

import pytest
from django.utils import translation

from convene.dialogues.models import Partner
from convene.practices.forms import GoodPracticeForm
from tests.factories.meetings import MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["Choose…", "Côte d'Ivoire", "Denmark", "Germany", "Spain"]),
        ("fr", ["Choisir…", "Allemagne", "Côte d'Ivoire", "Danemark", "Espagne"]),
    ],
)
def test_partner_options_by_name_in_the_page_language(reference_data, language, expected):
    partners = Partner.objects.filter(dialogue=reference_data, code__in=["ES", "DE", "DK", "CI"])
    meeting = MeetingFactory(dialogue=reference_data)

    with translation.override(language):
        form = GoodPracticeForm(meeting=meeting, partners=partners)
        labels = [str(label) for _value, label in form.fields["partner"].choices]

    assert labels == expected
