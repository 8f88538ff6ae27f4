"""Checks on what staff upload for the papers of this app, and on what delegates type."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

LETTERHEAD_MOST_BYTES = 2 * 1024 * 1024
LETTERHEAD_FORMATS = {"PNG", "JPEG"}
# A letterhead wider than this many pixels only slows the PDF down.
LETTERHEAD_MOST_PIXELS = 6000 * 6000


def validate_letterhead(upload) -> None:
    """A PNG or JPEG image of at most 2 MB, judged by its content, never by its name."""
    if getattr(upload, "_committed", False):
        # Already stored: it was checked when it was uploaded.
        return
    if upload.size > LETTERHEAD_MOST_BYTES:
        raise ValidationError(
            _("The letterhead is larger than 2 MB: save a smaller image."), code="too_large"
        )
    position = upload.tell() if hasattr(upload, "tell") else 0
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image_format = image.format
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(
            _("The letterhead must be a PNG or JPEG image."), code="not_an_image"
        ) from None
    finally:
        upload.seek(position)
    if image_format not in LETTERHEAD_FORMATS:
        raise ValidationError(_("The letterhead must be a PNG or JPEG image."), code="not_an_image")
    if width * height > LETTERHEAD_MOST_PIXELS:
        raise ValidationError(
            _("The letterhead has too many pixels: save it at most 6,000 pixels wide."),
            code="too_many_pixels",
        )


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
