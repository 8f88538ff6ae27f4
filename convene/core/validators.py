"""Validators shared by the models of every app."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Characters that end a line for some reader: a mail client, a CSV export, a badge.
LINE_BREAKS = re.compile("[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
# Invisible characters that reorder or hide text (zero-width spaces and joiners, the
# direction marks, embeddings, overrides and isolates, the byte-order mark): a name can
# otherwise read differently on screen from what it is.
INVISIBLE_FORMAT = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def validate_single_line(value) -> None:
    """Refuse line breaks and invisible format characters in a one-line field."""
    text = "" if value is None else str(value)
    if LINE_BREAKS.search(text):
        raise ValidationError(
            _("Write this on one line: remove the line break."), code="line_break"
        )
    found = INVISIBLE_FORMAT.search(text)
    if found:
        raise ValidationError(
            _(
                "Remove the invisible formatting character (%(character)s): "
                "it can change how the text reads."
            ),
            code="invisible_character",
            params={"character": f"U+{ord(found.group()):04X}"},
        )


def validate_changed_fields(instance, changed) -> None:
    """Validate a partial change of a saved row as full_clean would: the fields named in
    `changed`, then the model's constraints (which read the row as a whole). Raises
    ValidationError."""
    instance.clean_fields(exclude=[f.name for f in instance._meta.fields if f.name not in changed])
    instance.validate_constraints()
