"""The validator of one-line fields (its refusals on forms, API and admin are tested there)."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from convene.core.validators import validate_changed_fields, validate_single_line
from tests.factories.core import UserFactory

LINE_BREAKS = ["\r", "\n", "\r\n", "\u2028", "\u2029", "\x85"]
INVISIBLE = [
    *(chr(code) for code in range(0x200B, 0x2010)),
    *(chr(code) for code in range(0x202A, 0x202F)),
    *(chr(code) for code in range(0x2066, 0x206A)),
    "\ufeff",
]
LINE_BREAK_MESSAGE = "Write this on one line: remove the line break."
# Text of one line: any script, accents, marks and the harmless format characters (the
# soft hyphen, the word joiner), without control characters or the refused ones.
ONE_LINE = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")).filter(
        lambda character: character not in INVISIBLE
    )
)


def _messages(value) -> list[str]:
    try:
        validate_single_line(value)
    except ValidationError as error:
        return list(error.messages)
    return []


@settings(max_examples=200, deadline=None)
@given(text=ONE_LINE)
def test_validate_single_line_accepts_any_one_line_text(text):
    assert _messages(text) == []


@settings(max_examples=200, deadline=None)
@given(before=ONE_LINE, after=ONE_LINE, line_break=st.sampled_from(LINE_BREAKS))
def test_validate_single_line_refuses_a_line_break_anywhere(before, after, line_break):
    assert _messages(before + line_break + after) == [LINE_BREAK_MESSAGE]


@settings(max_examples=200, deadline=None)
@given(before=ONE_LINE, after=ONE_LINE, character=st.sampled_from(INVISIBLE))
def test_validate_single_line_refuses_an_invisible_format_character(before, after, character):
    expected = (
        f"Remove the invisible formatting character (U+{ord(character):04X}): "
        "it can change how the text reads."
    )

    assert _messages(before + character + after) == [expected]


def test_validate_single_line_message_in_french():
    with translation.override("fr"):
        assert _messages("Awa\u202eDiop") == [
            "Retirez le caractère de mise en forme invisible (U+202E)\xa0: "
            "il peut changer la lecture du texte."
        ]
        assert _messages("Awa\nDiop") == [
            "Écrivez ceci sur une seule ligne\xa0: retirez le saut de ligne."
        ]


@pytest.mark.django_db
def test_validate_changed_fields_checks_only_the_fields_changed():
    account = UserFactory(full_name="Awa Diop")
    # A value stored before a validator existed is not the change's business.
    account.full_name = "Awa\nDiop"
    account.language = "xx"

    with pytest.raises(ValidationError) as caught:
        validate_changed_fields(account, ["language"])

    assert set(caught.value.message_dict) == {"language"}
    validate_changed_fields(account, [])


@pytest.mark.django_db
def test_validate_changed_fields_checks_the_constraints_of_the_whole_row():
    UserFactory(email="taken@example.org")
    account = UserFactory(email="free@example.org")
    # Only the model's constraint (emails alike whatever their case) sees this one.
    account.email = "TAKEN@example.org"

    with pytest.raises(ValidationError) as caught:
        validate_changed_fields(account, ["email"])

    assert set(caught.value.message_dict) == {"__all__"}
