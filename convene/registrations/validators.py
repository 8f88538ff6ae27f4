import re

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")

# Magic numbers of the formats accepted for attachments.
SIGNATURES = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
}


def validate_no_control_characters(value: str) -> None:
    if CONTROL_CHARACTERS.search(value or ""):
        raise ValidationError(_("Remove the invisible control characters."), code="control")


def normalise_phone(value: str) -> str:
    """An international number in E.164 form ("+221771234567"), or a ValidationError."""
    raw = (value or "").strip()
    if not raw.startswith(("+", "00")):
        raise ValidationError(
            _("Give the number in international format, starting with + and the country code."),
            code="phone_format",
        )
    if raw.startswith("00"):
        raw = "+" + raw[2:]
    try:
        number = phonenumbers.parse(raw, None)
    except phonenumbers.NumberParseException as error:
        raise ValidationError(_("This phone number is not valid."), code="phone_invalid") from error
    if not phonenumbers.is_possible_number(number) or not phonenumbers.is_valid_number(number):
        raise ValidationError(_("This phone number is not valid."), code="phone_invalid")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def validate_upload(upload, *, signatures: dict, wrong_type_message: str) -> None:
    """Under the size limit, of an accepted type, and really what its name says.

    `signatures` maps each accepted extension to the magic number(s) its content starts
    with; the extension alone is never trusted.
    """
    limit = settings.REGISTRATION_ATTACHMENT_MAX_MB * 1024 * 1024
    if upload.size > limit:
        raise ValidationError(
            _("The file is too large (at most %(size)d MB).")
            % {"size": settings.REGISTRATION_ATTACHMENT_MAX_MB},
            code="too_large",
        )
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    if extension not in signatures:
        raise ValidationError(wrong_type_message, code="file_type")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not head.startswith(signatures[extension]):
        raise ValidationError(
            _("The file's content is not a valid %(type)s file.") % {"type": extension.upper()},
            code="file_content",
        )


def validate_attachment(upload) -> None:
    """Notes verbales and badges photos: PDF, PNG or JPEG."""
    validate_upload(
        upload, signatures=SIGNATURES, wrong_type_message=_("Attach a PDF, PNG or JPEG file.")
    )
