"""The confirmation on the personal page and its PDF download, behind the personal link."""

import io

import pypdf
import pytest

from convene.onsite.tokens import make_confirmation_token
from convene.registrations.enums import RegistrationStatus
from convene.registrations.tokens import make_token
from tests.html import parse

pytestmark = pytest.mark.django_db

S = RegistrationStatus


def _personal_url(registration, language="en"):
    return f"/{language}/registration/{make_token(registration)}/"


def _download_url(registration, language="en"):
    return f"{_personal_url(registration, language)}confirmation.pdf"


def test_personal_page_of_an_approved_registration_shows_its_qr_code_and_pdf_link(approved, client):
    url = _personal_url(approved)

    page = parse(client.get(url))

    section = page.select_one("#confirmation")
    assert section.select_one("h2").text == "Your confirmation"
    assert section.select_one("svg.qr title").text == "QR code of your registration"
    link = section.select_one("#confirmation-download")
    assert link.text == "Download the confirmation (PDF)"
    # Opened by the same personal link (tokens carry the second they were signed).
    assert link.attrs["href"] == f"{url}confirmation.pdf"


def test_personal_page_qr_code_encodes_the_confirmation_token(approved, client):
    import segno

    page = client.get(_personal_url(approved)).content.decode()

    # The same drawing as the token's own code: the page encodes the token and nothing else.
    expected = segno.make_qr(make_confirmation_token(approved), error="m").svg_inline(
        scale=1, border=4, omitsize=True, svgclass="qr", title="QR code of your registration"
    )
    assert expected in page


def test_personal_page_in_french_names_the_confirmation(approved, client):
    page = parse(client.get(_personal_url(approved, "fr")))

    assert page.select_one("#confirmation h2").text == "Votre confirmation"
    assert page.select_one("#confirmation-download").text == "Télécharger la confirmation (PDF)"
    assert page.select_one("#confirmation svg.qr title").text == "Code QR de votre inscription"


@pytest.mark.parametrize(
    "status", [S.AWAITING_SECRETARIAT, S.WAITLISTED, S.CANCELLED, S.REJECTED, S.DECLINED]
)
def test_personal_page_of_a_registration_not_approved_has_no_qr_code(
    make_registration, client, status
):
    registration = make_registration(status=status)

    page = parse(client.get(_personal_url(registration)))

    assert page.select("#confirmation") == []
    assert page.select("svg.qr") == []


def test_download_gives_the_pdf_as_an_attachment_named_by_the_reference(approved, client):
    response = client.get(_download_url(approved, "fr"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="confirmation-AWA2031X.pdf"'
    (page,) = pypdf.PdfReader(io.BytesIO(response.content)).pages
    # In the delegate's language (English), whatever the page's.
    assert "Registration confirmation" in page.extract_text().splitlines()


@pytest.mark.parametrize(
    ("status", "language", "message"),
    [
        (S.CANCELLED, "en", "This registration has been cancelled."),
        (S.CANCELLED, "fr", "Cette inscription a été annulée."),
        (S.REJECTED, "en", "This registration was rejected."),
        (S.AWAITING_SECRETARIAT, "fr", "Cette inscription n\u2019est pas approuvée."),
    ],
)
def test_download_of_a_registration_not_approved_says_why(
    make_registration, client, status, language, message
):
    personal_url = _personal_url(make_registration(status=status), language)

    response = client.get(f"{personal_url}confirmation.pdf")

    page = parse(response)
    assert response.status_code == 404
    assert page.select_one("#confirmation-refused").text == message
    assert page.select_one("main a[href]").attrs["href"] == personal_url


def test_download_in_french_titles_the_refusal(make_registration, client):
    response = client.get(_download_url(make_registration(status=S.CANCELLED), "fr"))

    assert (
        parse(response).select_one("main h1").text == "Pas de confirmation pour cette inscription"
    )


def test_download_with_a_tampered_personal_link_is_not_found(approved, client):
    url = _download_url(approved)
    token_end = url.index("/confirmation.pdf") - 1
    tampered = url[:token_end] + ("A" if url[token_end] != "A" else "B") + url[token_end + 1 :]

    response = client.get(tampered)

    assert response.status_code == 404
    assert parse(response).select_one("main h1").text == "This link is not valid"


def test_download_with_a_confirmation_token_instead_of_the_personal_link_is_not_found(
    approved, client
):
    # The QR code is shown at the door: it must not open the delegate's papers.
    response = client.get(f"/en/registration/{make_confirmation_token(approved)}/confirmation.pdf")

    assert response.status_code == 404
    assert parse(response).select_one("main h1").text == "This link is not valid"
