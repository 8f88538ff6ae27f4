"""The confirmation PDF: one page in the delegate's language, its text, its fonts, and the
QR code read back from the rendered page."""

import io
import re

import pypdf
import pytest
from django.utils import translation

from convene.onsite.confirmation import (
    confirmation_filename,
    confirmation_pdf,
    confirmation_qr_svg,
)
from convene.onsite.tokens import TokenRefused, read_confirmation_token
from convene.registrations.enums import RegistrationStatus
from tests.factories.registrations import RegistrationFactory

pytestmark = pytest.mark.django_db


def pdf_lines(content: bytes) -> list[str]:
    """The text of a one-page PDF, line by line (fails on any other page count)."""
    (page,) = pypdf.PdfReader(io.BytesIO(content)).pages
    # pypdf reads a kerned "r," as two words ("Dakar , Senegal"): the space is its guess.
    return [re.sub(r" +,", ",", line.strip()) for line in page.extract_text().splitlines()]


def pdf_fonts(content: bytes) -> set[str]:
    """The embedded fonts' names without their subset prefix ("Convene-Latin-Bold")."""
    (page,) = pypdf.PdfReader(io.BytesIO(content)).pages
    fonts = page["/Resources"]["/Font"]
    return {str(font.get_object()["/BaseFont"]).split("+", 1)[1] for font in fonts.values()}


def qr_text(content: bytes) -> str:
    """The text of the one QR code on the PDF's page, rendered at 150 dpi and decoded."""
    pdfium = pytest.importorskip(
        "pypdfium2", reason="pypdfium2 (the test extra) renders the PDF to read its QR code"
    )
    zxingcpp = pytest.importorskip(
        "zxingcpp", reason="zxing-cpp (the test extra) decodes the QR code"
    )
    document = pdfium.PdfDocument(content)
    image = document[0].render(scale=150 / 72).to_pil()
    (barcode,) = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    return barcode.text


EN_LINES = [
    "RABAT PROCESS",
    "Registration confirmation",
    "Dakar workshop",
    "1-2 September 2031",
    "Name Awa Ndiaye",
    "Represents Senegal",
    "Participation In person",
    "Venue King Fahd Palace, Dakar, Senegal",
    "Reference AWA2031X",
    "Show this code when you arrive. It holds no personal data.",
]
FR_LINES = [
    "PROCESSUS DE RABAT",
    "Confirmation d\u2019inscription",
    "Atelier de Dakar",
    "1er-2 septembre 2031",
    "Nom Awa Ndiaye",
    "Représente Sénégal",
    "Participation En présentiel",
    "Lieu Palais du roi Fahd, Dakar, Sénégal",
    "Référence AWA2031X",
    "Présentez ce code à votre arrivée. Il ne contient aucune donnée personnelle.",
]


@pytest.mark.parametrize(("language", "lines"), [("en", EN_LINES), ("fr", FR_LINES)])
def test_confirmation_pdf_is_one_page_in_the_delegates_language(make_registration, language, lines):
    registration = make_registration(language=language)

    # The page's language does not matter: the delegate's does.
    with translation.override("fr" if language == "en" else "en"):
        content = confirmation_pdf(registration)

    assert pdf_lines(content) == lines


def test_confirmation_pdf_draws_with_the_vendored_fonts(make_registration):
    content = confirmation_pdf(make_registration(first_name="Ngozi", last_name="Şahin"))

    assert pdf_fonts(content) == {
        "Convene-Latin",
        "Convene-Latin-Bold",
        "Convene-Latin-Extended-Bold",
    }


def test_confirmation_pdf_draws_an_arabic_name_with_the_arabic_font(make_registration):
    content = confirmation_pdf(make_registration(first_name="محمد", last_name="الأمين"))

    assert "Convene-Arabic-Bold" in pdf_fonts(content)
    assert "Reference AWA2031X" in pdf_lines(content)


def test_qr_code_of_the_pdf_reads_back_as_its_registration(approved, meeting):
    token = qr_text(confirmation_pdf(approved))

    assert read_confirmation_token(token, meeting=meeting) == approved


def test_qr_code_of_the_pdf_altered_by_one_character_is_refused(approved):
    token = qr_text(confirmation_pdf(approved))
    altered = token[:-1] + ("A" if token[-1] != "A" else "B")

    with pytest.raises(TokenRefused) as refused:
        read_confirmation_token(altered)
    assert refused.value.code == "tampered"


def test_qr_code_of_the_pdf_is_refused_at_another_meeting(approved, other_meeting):
    token = qr_text(confirmation_pdf(approved))

    with pytest.raises(TokenRefused) as refused:
        read_confirmation_token(token, meeting=other_meeting)
    assert refused.value.code == "other_meeting"


def test_qr_code_of_the_pdf_is_refused_once_the_registration_is_cancelled(approved, meeting):
    token = qr_text(confirmation_pdf(approved))
    approved.status = RegistrationStatus.CANCELLED
    approved.save(update_fields=["status"])

    with pytest.raises(TokenRefused) as refused:
        read_confirmation_token(token, meeting=meeting)
    assert refused.value.code == "cancelled"


@pytest.mark.parametrize(
    "status",
    [
        RegistrationStatus.AWAITING_SECRETARIAT,
        RegistrationStatus.WAITLISTED,
        RegistrationStatus.CANCELLED,
        RegistrationStatus.REJECTED,
    ],
)
def test_no_confirmation_pdf_for_a_registration_not_approved(make_registration, status):
    with pytest.raises(TokenRefused):
        confirmation_pdf(make_registration(status=status))


def test_confirmation_filename_names_the_reference(approved):
    assert confirmation_filename(approved) == "confirmation-AWA2031X.pdf"


def test_confirmation_qr_svg_is_sized_by_the_page(approved):
    svg = confirmation_qr_svg(approved)

    # No width or height: the stylesheet's .qr rule sizes it for a phone.
    assert svg.startswith(
        '<svg viewBox="0 0 41 41" class="qr"><title>QR code of your registration</title><path '
    )


def test_other_registrations_do_not_share_a_qr_code(approved, meeting):
    other = RegistrationFactory(
        meeting=meeting, status=RegistrationStatus.APPROVED, reference="BOB2031Y"
    )

    assert confirmation_qr_svg(other) != confirmation_qr_svg(approved)
