"""The `by_name` filter (convene.dialogues.templatetags.partners)."""

import pytest
from django.template import Context, Template
from django.utils import translation

from tests.factories.meetings import MeetingFactory

pytestmark = pytest.mark.django_db


# The names are escaped as HTML, the apostrophe too.
@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Côte d&#x27;Ivoire, Germany, Spain"),
        ("fr", "Allemagne, Côte d&#x27;Ivoire, Espagne"),
    ],
)
def test_lead_partners_listed_by_name_in_the_page_language(reference_data, language, expected):
    meeting = MeetingFactory(dialogue=reference_data)
    meeting.lead_partners.set(reference_data.partners.filter(code__in=["ES", "DE", "CI"]))
    template = Template('{% load partners %}{{ meeting.lead_partners.all|by_name|join:", " }}')

    with translation.override(language):
        rendered = template.render(Context({"meeting": meeting}))

    assert rendered == expected
