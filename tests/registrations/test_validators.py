"""Phone numbers, control characters and attachments."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from convene.registrations.validators import (
    normalise_phone,
    validate_attachment,
    validate_no_control_characters,
)

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"


def _error(validate, value) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        validate(value)
    return caught.value


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("+221771234567", "+221771234567"),
        ("+221 77 123 45 67", "+221771234567"),
        ("00221 77 123 45 67", "+221771234567"),
        (" +33 1 23 45 67 89 ", "+33123456789"),
        ("+33 (0)6 12 34 56 78", "+33612345678"),
        ("+32-2-287-11-11", "+3222871111"),
        ("+41 44 668 18 00", "+41446681800"),
    ],
)
def test_normalise_phone_valid_international_number_in_e164(typed, stored):
    assert normalise_phone(typed) == stored


@pytest.mark.parametrize("typed", ["771234567", "0612345678", "", "phone", "221 77 123 45 67"])
def test_normalise_phone_without_country_code_asks_for_the_international_format(typed):
    error = _error(normalise_phone, typed)

    assert error.code == "phone_format"
    assert error.messages == [
        "Give the number in international format, starting with + and the country code."
    ]


@pytest.mark.parametrize("typed", ["+221 12", "+999 1234567", "+abc", "+", "+33 1 23", "00"])
def test_normalise_phone_impossible_number_is_invalid(typed):
    error = _error(normalise_phone, typed)

    assert error.code == "phone_invalid"
    assert error.messages == ["This phone number is not valid."]


def test_normalise_phone_message_in_french():
    with translation.override("fr"):
        error = _error(normalise_phone, "0612345678")

    assert error.messages == [
        "Indiquez le numéro au format international, en commençant par + et l'indicatif du pays."
    ]


@pytest.mark.parametrize("value", ["Awa\x00", "A\x08wa", "Awa\x1b[31m", "Awa\x7f", "\x0bAwa"])
def test_validate_no_control_characters_refuses_them(value):
    error = _error(validate_no_control_characters, value)

    assert error.code == "control"
    assert error.messages == ["Remove the invisible control characters."]


@pytest.mark.parametrize(
    "value", ["Awa", "N'Diaye-Sène", "<b>Awa</b>", "Ольга", "محمد", "李", "", "Line\tTab"]
)
def test_validate_no_control_characters_accepts_text(value):
    assert validate_no_control_characters(value) is None


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("note.pdf", PDF),
        ("NOTE.PDF", PDF),
        ("scan.png", PNG),
        ("scan.jpg", JPEG),
        ("scan.jpeg", JPEG),
    ],
)
def test_validate_attachment_accepts_pdf_png_jpeg(name, content):
    upload = SimpleUploadedFile(name, content)

    validate_attachment(upload)

    assert upload.read() == content  # left at the start for saving


@pytest.mark.parametrize("name", ["note.exe", "note.docx", "note", "note.pdf.html"])
def test_validate_attachment_refuses_other_types(name):
    error = _error(validate_attachment, SimpleUploadedFile(name, PDF))

    assert error.code == "file_type"
    assert error.messages == ["Attach a PDF, PNG or JPEG file."]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("note.pdf", PNG, "The file's content is not a valid PDF file."),
        (
            "note.pdf",
            b"<html><script>alert(1)</script>",
            "The file's content is not a valid PDF file.",
        ),
        ("scan.png", JPEG, "The file's content is not a valid PNG file."),
        ("scan.jpg", b"", "The file's content is not a valid JPG file."),
    ],
)
def test_validate_attachment_refuses_content_that_is_not_what_the_name_says(name, content, message):
    error = _error(validate_attachment, SimpleUploadedFile(name, content))

    assert error.code == "file_content"
    assert error.messages == [message]


def test_validate_attachment_refuses_files_over_the_limit(settings):
    settings.REGISTRATION_ATTACHMENT_MAX_MB = 1
    too_large = SimpleUploadedFile("note.pdf", PDF + b"0" * (1024 * 1024 - len(PDF) + 1))
    at_limit = SimpleUploadedFile("note.pdf", PDF + b"0" * (1024 * 1024 - len(PDF)))

    error = _error(validate_attachment, too_large)

    assert error.code == "too_large"
    assert error.messages == ["The file is too large (at most 1 MB)."]
    assert validate_attachment(at_limit) is None


def test_validate_attachment_message_in_french(settings):
    with translation.override("fr"):
        error = _error(validate_attachment, SimpleUploadedFile("note.pdf", PNG))

    assert error.messages == ["Le contenu du fichier n'est pas un fichier PDF valide."]
