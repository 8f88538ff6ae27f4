"""Validators of the onsite models."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# A carrier's or railway's code and a number, as tickets print them: "AF 718", "TGV 6203",
# "ET908". Letters and digits, one space or hyphen between groups, starting with a
# letter or digit (never a formula character in an export).
TRAVEL_NUMBER = re.compile(r"^[A-Za-z0-9]+(?:[ -][A-Za-z0-9]+)*$")


def validate_travel_number(value) -> None:
    if value and not TRAVEL_NUMBER.fullmatch(value):
        raise ValidationError(
            _(
                "Write the number as on the ticket: letters and digits, with a space "
                "or a hyphen between groups (for example AF 718)."
            ),
            code="travel_number",
        )
