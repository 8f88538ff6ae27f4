"""The French catalogue is complete: every interface message translated, none fuzzy,
and each translation keeps the placeholders of its English message."""

import re
from pathlib import Path

from babel.messages.pofile import read_po

CATALOGUE = Path(__file__).resolve().parent.parent / "locale/fr/LC_MESSAGES/django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def _messages():
    with CATALOGUE.open("rb") as handle:
        return [message for message in read_po(handle, locale="fr") if message.id]


def _forms(value) -> tuple[str, ...]:
    return value if isinstance(value, tuple) else (value,)


def test_french_catalogue_has_every_message_translated():
    messages = _messages()

    untranslated = [m.id for m in messages if not all(_forms(m.string))]
    fuzzy = [m.id for m in messages if "fuzzy" in m.flags]

    assert len(messages) > 400
    assert (untranslated, fuzzy) == ([], [])


def test_french_translations_keep_the_placeholders():
    mismatched = [
        m.id
        for m in _messages()
        for translation in _forms(m.string)
        if sorted(set(PLACEHOLDER.findall(_forms(m.id)[-1])))
        != sorted(set(PLACEHOLDER.findall(translation)))
    ]

    assert mismatched == []
