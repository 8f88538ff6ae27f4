"""Phone numbers, control characters and attachments."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from convene.registrations.validators import (
    DOCUMENT_FORMATS,
    normalise_phone,
    validate_attachment,
    validate_no_control_characters,
    validate_upload,
)
from tests.factories.documents import (
    docx_bytes,
    image_bytes,
    odt_bytes,
    pdf_bytes,
    zip_bytes,
)

PDF = pdf_bytes()
PNG = image_bytes("PNG")
JPEG = image_bytes("JPEG")


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


def _not_valid(name: str, kind: str) -> list[str]:
    return [f"“{name}” is not a valid {kind} file: it cannot be opened."]


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("note.pdf", PNG, "PDF"),
        ("note.pdf", b"<html><script>alert(1)</script>", "PDF"),
        ("note.pdf", b"%PDF-1.7\n" + b"garbage " * 200, "PDF"),
        ("note.pdf", PDF[: len(PDF) // 2], "PDF"),
        ("note.pdf", PDF[:-12], "PDF"),
        ("note.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n", "PDF"),
        ("scan.png", JPEG, "PNG"),
        ("scan.png", b"\x89PNG\r\n\x1a\n" + b"garbage" * 50, "PNG"),
        ("scan.png", PNG[:-40], "PNG"),
        ("scan.jpg", b"", "JPG"),
        ("scan.jpg", JPEG[: len(JPEG) // 2], "JPG"),
        ("scan.jpeg", zip_bytes(), "JPEG"),
    ],
    ids=[
        "png-named-pdf",
        "html-named-pdf",
        "pdf-header-then-garbage",
        "pdf-cut-in-half",
        "pdf-without-its-end",
        "pdf-without-pages",
        "jpeg-named-png",
        "png-header-then-garbage",
        "png-truncated",
        "empty-jpg",
        "jpeg-truncated",
        "zip-named-jpeg",
    ],
)
def test_validate_attachment_refuses_content_that_is_not_what_the_name_says(name, content, kind):
    error = _error(validate_attachment, SimpleUploadedFile(name, content))

    assert error.code == "file_content"
    assert error.messages == _not_valid(name, kind)


def _validate_document(upload) -> None:
    validate_upload(upload, formats=DOCUMENT_FORMATS, wrong_type_message="Wrong type.")


@pytest.mark.parametrize(
    ("name", "content"),
    [("note.pdf", PDF), ("note.docx", docx_bytes()), ("note.odt", odt_bytes())],
)
def test_validate_upload_accepts_real_documents(name, content):
    upload = SimpleUploadedFile(name, content)

    _validate_document(upload)

    assert upload.read() == content  # left at the start for saving


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("note.docx", zip_bytes(), "DOCX"),
        ("note.odt", zip_bytes(), "ODT"),
        ("note.docx", odt_bytes(), "DOCX"),
        ("note.odt", docx_bytes(), "ODT"),
        ("note.docx", b"PK\x03\x04" + b"garbage" * 50, "DOCX"),
        ("note.docx", docx_bytes()[:-60], "DOCX"),
        ("note.docx", PDF, "DOCX"),
    ],
    ids=[
        "renamed-zip-docx",
        "renamed-zip-odt",
        "odt-named-docx",
        "docx-named-odt",
        "zip-header-then-garbage",
        "docx-truncated",
        "pdf-named-docx",
    ],
)
def test_validate_upload_refuses_documents_that_do_not_open(name, content, kind):
    error = _error(_validate_document, SimpleUploadedFile(name, content))

    assert error.code == "file_content"
    assert error.messages == _not_valid(name, kind)


def test_validate_attachment_refuses_files_over_the_limit(settings):
    settings.REGISTRATION_ATTACHMENT_MAX_MB = 1
    # Padding after the end of a PDF is allowed; the size counts it.
    too_large = SimpleUploadedFile("note.pdf", PDF + b"\n" * (1024 * 1024 - len(PDF) + 1))
    at_limit = SimpleUploadedFile("note.pdf", PDF + b"\n" * (1024 * 1024 - len(PDF)))

    error = _error(validate_attachment, too_large)

    assert error.code == "too_large"
    assert error.messages == ["The file is too large (at most 1 MB)."]
    assert validate_attachment(at_limit) is None


def test_validate_attachment_message_in_french(settings):
    with translation.override("fr"):
        error = _error(validate_attachment, SimpleUploadedFile("note.pdf", PNG))

    assert error.messages == [
        "«\xa0note.pdf\xa0» n\u2019est pas un fichier PDF valide\xa0: il ne peut pas être ouvert."
    ]
