import re
import zipfile

import phonenumbers
import pypdf
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")

# A photo or scan larger than this is refused before its pixels are decoded (Pillow's own
# guard, against decompression bombs, is at 89 million pixels).
MAX_IMAGE_PIXELS = 40_000_000
# An Office document whose parts would unpack to more than this is a zip bomb.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024


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


def _is_pdf(upload) -> bool:
    """Opens as a PDF with at least one page: a PDF header followed by garbage, or a
    truncated file, does not."""
    if upload.read(5) != b"%PDF-":
        return False
    upload.seek(0)
    try:
        reader = pypdf.PdfReader(upload, strict=False)
        if reader.is_encrypted:
            reader.decrypt("")  # protected against editing only: still readable
        return len(reader.pages) > 0 and all(page.mediabox for page in reader.pages)
    except Exception:  # a malformed PDF can raise almost anything in pypdf
        return False


def _image_checker(image_format: str):
    def is_image(upload) -> bool:
        """Decodes as an image of `image_format`, every pixel of it."""
        try:
            with Image.open(upload, formats=[image_format]) as image:
                if image.width * image.height > MAX_IMAGE_PIXELS:
                    return False
                image.verify()
            upload.seek(0)
            with Image.open(upload, formats=[image_format]) as image:
                image.load()  # verify() does not notice a truncated image
        except Exception:  # Pillow raises many kinds of error on bad input
            return False
        return True

    return is_image


def _office_checker(*, required_parts: tuple[str, ...], main_type: str, mimetype: str = ""):
    def is_office_document(upload) -> bool:
        """A zip with the parts of its format, the main one of the declared type."""
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
                unpacked = sum(entry.file_size for entry in archive.infolist())
                if unpacked > MAX_UNPACKED_BYTES or not set(required_parts) <= names:
                    return False
                if mimetype:
                    # OpenDocument: a "mimetype" entry that names the format.
                    return archive.read("mimetype").decode("ascii").strip() == mimetype
                # Office Open XML: [Content_Types].xml declares the main part's type.
                return main_type.encode() in archive.read("[Content_Types].xml")
        except Exception:  # corrupt archives raise zipfile, zlib and OS errors
            return False

    return is_office_document


# What each accepted extension must open as.
PDF = {"pdf": _is_pdf}
IMAGES = {
    "png": _image_checker("PNG"),
    "jpg": _image_checker("JPEG"),
    "jpeg": _image_checker("JPEG"),
}
DOCX = _office_checker(
    required_parts=("[Content_Types].xml", "word/document.xml"),
    main_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
)
ODT = _office_checker(
    required_parts=("mimetype", "content.xml"),
    main_type="",
    mimetype="application/vnd.oasis.opendocument.text",
)
ATTACHMENT_FORMATS = {**PDF, **IMAGES}
DOCUMENT_FORMATS = {**PDF, "docx": DOCX, "odt": ODT}


def validate_upload(upload, *, formats: dict, wrong_type_message: str) -> None:
    """Under the size limit, of an accepted type, and really what its name says.

    `formats` maps each accepted extension to a check that the content opens as that
    format (its first bytes alone prove nothing); the extension alone is never trusted.
    """
    limit = settings.REGISTRATION_ATTACHMENT_MAX_MB * 1024 * 1024
    if upload.size > limit:
        raise ValidationError(
            _("The file is too large (at most %(size)d MB).")
            % {"size": settings.REGISTRATION_ATTACHMENT_MAX_MB},
            code="too_large",
        )
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    if extension not in formats:
        raise ValidationError(wrong_type_message, code="file_type")
    upload.seek(0)
    try:
        opens = formats[extension](upload)
    finally:
        upload.seek(0)
    if not opens:
        raise ValidationError(
            _("“%(name)s” is not a valid %(type)s file: it cannot be opened.")
            % {"name": upload.name, "type": extension.upper()},
            code="file_content",
        )


def validate_attachment(upload) -> None:
    """Notes verbales and badges photos: PDF, PNG or JPEG."""
    validate_upload(
        upload, formats=ATTACHMENT_FORMATS, wrong_type_message=_("Attach a PDF, PNG or JPEG file.")
    )
