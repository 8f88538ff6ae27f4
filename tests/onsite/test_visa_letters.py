"""Visa support letters: issuing and withdrawing (services), the PDF in French and
English (its text, its look, its QR code read back), and the public verification page."""

import datetime
import io
import re

import pypdf
import pytest
from django.utils import timezone, translation

from convene.core.formatting import format_date
from convene.core.models import AuditEntry
from convene.onsite import services
from convene.onsite.enums import FundingStatus, OnsiteAuditAction, VisaLetterStatus
from convene.onsite.errors import VisaLetterError
from convene.onsite.letters import visa_letter_filename, visa_letter_pdf
from convene.onsite.models import (
    FundingRequest,
    PassportDetails,
    VisaLetter,
    VisaLetterSequence,
    VisaLetterSettings,
)
from convene.registrations import services as registration_services
from convene.registrations.enums import RegistrationStatus
from tests.factories.onsite import PassportDetailsFactory
from tests.html import parse

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year


def pdf_pages(content: bytes) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(content))
    # pypdf reads a kerned "r," as two words ("Dakar , Senegal"): the space is its guess.
    return [re.sub(r" +,", ",", page.extract_text().replace("\xa0", " ")) for page in reader.pages]


def pdf_image(content: bytes, dpi: int = 150):
    pdfium = pytest.importorskip(
        "pypdfium2", reason="pypdfium2 (the test extra) renders the PDF to an image"
    )
    return pdfium.PdfDocument(content)[0].render(scale=dpi / 72).to_pil()


def qr_text(content: bytes) -> str:
    zxingcpp = pytest.importorskip(
        "zxingcpp", reason="zxing-cpp (the test extra) decodes the QR code"
    )
    (barcode,) = zxingcpp.read_barcodes(pdf_image(content), formats=zxingcpp.BarcodeFormat.QRCode)
    return barcode.text


# --- issuing -----------------------------------------------------------------------------


def test_issue_visa_letter_numbers_it_and_snapshots_what_the_page_shows(
    delegate, secretariat_officer
):
    letter = services.issue_visa_letter(delegate, actor=secretariat_officer, language="fr")

    assert letter.number == f"RP-{YEAR}-0001"
    assert (letter.status, letter.language, letter.issued_by) == (
        VisaLetterStatus.VALID,
        "fr",
        secretariat_officer,
    )
    assert (
        letter.holder_name,
        letter.meeting_title_en,
        letter.meeting_title_fr,
        letter.meeting_starts_on,
        letter.meeting_ends_on,
    ) == (
        "Awa Ndiaye",
        "Dakar workshop",
        "Atelier de Dakar",
        datetime.date(2031, 9, 1),
        datetime.date(2031, 9, 2),
    )
    assert len(letter.verification_code) == 32
    entry = AuditEntry.objects.get(action=OnsiteAuditAction.VISA_LETTER_ISSUED)
    assert (entry.object_id, entry.actor, entry.from_state, entry.to_state) == (
        str(delegate.pk),
        secretariat_officer,
        "fr",
        letter.number,
    )
    assert str(entry) != ""


def test_issue_visa_letter_numbers_follow_each_other_across_registrations(
    delegate, make_registration, secretariat_officer
):
    other = make_registration(email="ines@example.org", reference="INES2031")
    PassportDetailsFactory(registration=other)

    numbers = [
        services.issue_visa_letter(registration, actor=secretariat_officer, language="en").number
        for registration in (delegate, other, delegate)
    ]

    assert numbers == [f"RP-{YEAR}-0001", f"RP-{YEAR}-0002", f"RP-{YEAR}-0003"]
    assert VisaLetterSequence.objects.get(year=YEAR).last_number == 3


def test_issue_visa_letter_again_withdraws_the_previous_one(delegate, secretariat_officer):
    first = services.issue_visa_letter(delegate, actor=secretariat_officer, language="en")

    second = services.issue_visa_letter(delegate, actor=secretariat_officer, language="fr")

    first.refresh_from_db()
    assert (first.status, first.withdrawal_reason, first.withdrawn_by) == (
        VisaLetterStatus.WITHDRAWN,
        "Replaced by a new letter.",
        secretariat_officer,
    )
    assert second.status == VisaLetterStatus.VALID
    assert set(
        VisaLetter.objects.filter(status=VisaLetterStatus.VALID).values_list("pk", flat=True)
    ) == {second.pk}
    assert list(
        AuditEntry.objects.filter(object_id=str(delegate.pk))
        .order_by("id")
        .values_list("action", flat=True)
    ) == [
        OnsiteAuditAction.VISA_LETTER_ISSUED,
        OnsiteAuditAction.VISA_LETTER_WITHDRAWN,
        OnsiteAuditAction.VISA_LETTER_ISSUED,
    ]


def test_withdrawn_numbers_are_never_given_again(delegate, secretariat_officer):
    first = services.issue_visa_letter(delegate, actor=secretariat_officer, language="en")
    services.withdraw_visa_letter(first, actor=secretariat_officer, reason="Wrong passport.")

    second = services.issue_visa_letter(delegate, actor=secretariat_officer, language="en")

    assert (first.number, second.number) == (f"RP-{YEAR}-0001", f"RP-{YEAR}-0002")


@pytest.mark.parametrize(
    "status",
    [
        RegistrationStatus.AWAITING_SECRETARIAT,
        RegistrationStatus.WAITLISTED,
        RegistrationStatus.CANCELLED,
        RegistrationStatus.REJECTED,
    ],
)
def test_issue_visa_letter_refused_unless_approved(delegate, secretariat_officer, status):
    delegate.status = status
    delegate.save(update_fields=["status"])

    with pytest.raises(VisaLetterError) as refused:
        services.issue_visa_letter(delegate, actor=secretariat_officer, language="en")

    assert (refused.value.code, refused.value.message) == (
        "not_approved",
        "Letters are issued for approved registrations only.",
    )
    assert VisaLetter.objects.count() == 0


def test_issue_visa_letter_refused_without_passport_data(delegate, secretariat_officer):
    PassportDetails.objects.filter(registration=delegate).delete()
    delegate.refresh_from_db()

    with pytest.raises(VisaLetterError) as refused:
        services.issue_visa_letter(delegate, actor=secretariat_officer, language="en")

    assert refused.value.code == "no_passport"
    assert VisaLetter.objects.count() == 0


def test_issue_visa_letter_refused_when_the_meeting_offers_none(delegate, secretariat_officer):
    delegate.meeting.offers_visa_letters = False
    delegate.meeting.save(update_fields=["offers_visa_letters"])

    with pytest.raises(VisaLetterError) as refused:
        services.issue_visa_letter(delegate, actor=secretariat_officer, language="en")

    assert refused.value.code == "not_offered"


@pytest.mark.parametrize("missing", ["signatory_name", "signatory_function_fr"])
def test_issue_visa_letter_refused_while_the_settings_lack_a_signatory(
    delegate, secretariat_officer, missing
):
    VisaLetterSettings.objects.filter(meeting=delegate.meeting).update(**{missing: ""})

    with pytest.raises(VisaLetterError) as refused:
        services.issue_visa_letter(delegate, actor=secretariat_officer, language="en")

    assert (refused.value.code, refused.value.message) == (
        "no_signatory",
        "Name the signatory and their function in French and English in the meeting's "
        "letter settings before issuing a letter.",
    )


def test_issue_visa_letter_refused_without_settings_in_french(delegate, secretariat_officer):
    VisaLetterSettings.objects.filter(meeting=delegate.meeting).delete()

    with translation.override("fr"), pytest.raises(VisaLetterError) as refused:
        services.issue_visa_letter(delegate, actor=secretariat_officer, language="en")

    assert refused.value.message == (
        "Indiquez le signataire et sa fonction en français et en anglais dans les paramètres "
        "des lettres de la réunion avant d\u2019émettre une lettre."
    )


def test_issue_visa_letter_refused_in_another_language(delegate, secretariat_officer):
    with pytest.raises(VisaLetterError) as refused:
        services.issue_visa_letter(delegate, actor=secretariat_officer, language="es")

    assert refused.value.code == "language"


@pytest.mark.parametrize(
    "persona", ["checkin_staff", "focal_point_senegal", "focal_point_france", "outsider"]
)
def test_issue_visa_letter_refused_to_those_who_do_not_issue(delegate, persona, request):
    actor = request.getfixturevalue(persona)

    with pytest.raises(VisaLetterError) as refused:
        services.issue_visa_letter(delegate, actor=actor, language="en")

    assert refused.value.code == "forbidden"
    assert VisaLetter.objects.count() == 0


def test_issue_visa_letter_by_the_meetings_organiser(delegate):
    from tests.factories.core import OrganiserRoleFactory

    organiser = OrganiserRoleFactory(meeting=delegate.meeting).user

    letter = services.issue_visa_letter(delegate, actor=organiser, language="en")

    assert letter.issued_by == organiser


def test_withdraw_visa_letter_needs_a_reason(delegate, secretariat_officer):
    letter = services.issue_visa_letter(delegate, actor=secretariat_officer, language="en")

    with pytest.raises(VisaLetterError) as refused:
        services.withdraw_visa_letter(letter, actor=secretariat_officer, reason="  ")

    assert refused.value.code == "reason_required"
    letter.refresh_from_db()
    assert letter.status == VisaLetterStatus.VALID


def test_withdraw_visa_letter_twice_is_refused(delegate, secretariat_officer):
    letter = services.issue_visa_letter(delegate, actor=secretariat_officer, language="en")
    services.withdraw_visa_letter(letter, actor=secretariat_officer, reason="Trip cancelled.")

    with pytest.raises(VisaLetterError) as refused:
        services.withdraw_visa_letter(letter, actor=secretariat_officer, reason="Again.")

    assert refused.value.code == "transition"
    entry = AuditEntry.objects.get(action=OnsiteAuditAction.VISA_LETTER_WITHDRAWN)
    assert (entry.from_state, entry.to_state, entry.reason) == (
        letter.number,
        "withdrawn",
        "Trip cancelled.",
    )


def test_withdraw_visa_letter_refused_to_checkin_staff(delegate, secretariat_officer, request):
    letter = services.issue_visa_letter(delegate, actor=secretariat_officer, language="en")
    checkin = request.getfixturevalue("checkin_staff")

    with pytest.raises(VisaLetterError) as refused:
        services.withdraw_visa_letter(letter, actor=checkin, reason="No.")

    assert refused.value.code == "forbidden"


def test_cancelling_the_registration_withdraws_its_letter(delegate, secretariat_officer):
    letter = services.issue_visa_letter(delegate, actor=secretariat_officer, language="en")

    registration_services.cancel_registration(delegate, actor=None)

    letter.refresh_from_db()
    assert (letter.status, letter.withdrawn_by, letter.withdrawal_reason) == (
        VisaLetterStatus.WITHDRAWN,
        None,
        "The registration is no longer approved.",
    )
    entry = AuditEntry.objects.get(action=OnsiteAuditAction.VISA_LETTER_WITHDRAWN)
    assert (entry.actor, entry.from_state, entry.reason) == (
        None,
        letter.number,
        "The registration is no longer approved.",
    )


def test_rejecting_the_registration_withdraws_its_letter(delegate, secretariat_officer):
    letter = services.issue_visa_letter(delegate, actor=secretariat_officer, language="fr")

    registration_services.reject_registration(
        delegate, actor=secretariat_officer, reason="Not a delegate."
    )

    letter.refresh_from_db()
    assert (letter.status, letter.withdrawn_by) == (
        VisaLetterStatus.WITHDRAWN,
        secretariat_officer,
    )


def test_a_change_that_keeps_the_registration_approved_keeps_its_letter(
    delegate, secretariat_officer
):
    letter = services.issue_visa_letter(delegate, actor=secretariat_officer, language="fr")

    registration_services.update_registration(
        delegate, data={"function": "Deputy director"}, actor=secretariat_officer
    )

    letter.refresh_from_db()
    assert letter.status == VisaLetterStatus.VALID
    assert not AuditEntry.objects.filter(action=OnsiteAuditAction.VISA_LETTER_WITHDRAWN).exists()


# --- the PDF -----------------------------------------------------------------------------


def test_visa_letter_pdf_in_english(delegate, secretariat_officer):
    letter = services.issue_visa_letter(delegate, actor=secretariat_officer, language="en")

    # The page's language does not matter: the consulate's does.
    with translation.override("fr"):
        (text,) = pdf_pages(visa_letter_pdf(letter))

    lines = text.splitlines()
    for expected in [
        f"Letter no. {letter.number} Brussels, {format_date(timezone.localdate(), 'j F Y')}",
        "To the Embassy / Consulate of Senegal",
        "Subject: visa support letter for the meeting “Dakar workshop”",
        "Full name (as in the passport) Ms Awa Ndiaye",
        "Date of birth 17 May 1980",
        "Nationality Senegalese",
        "Passport number A01234567",
        "Passport issued on 10 January 2024",
        "Passport valid until 9 January 2034",
        "Function Director of migration",
        "Institution Ministry of Foreign Affairs",
        "Delegation Senegal",
        "This letter does not commit the organisers to cover any cost of the journey or of "
        "the stay.",
        "Claire Martin",
        "Head of the Secretariat",
    ]:
        assert expected in lines
    flat = " ".join(text.split())
    assert (
        "invited to take part in the meeting “Dakar workshop”, held on 1-2 September 2031 at "
        "King Fahd Palace, Dakar, Senegal, hosted by Senegal." in flat
    )
    # The address may wrap anywhere (after a "/" or a "-" of the code): read without spaces.
    assert f"Checkthisletterat{letter.get_verification_url()}" in "".join(text.split())


def test_visa_letter_pdf_in_french(delegate, secretariat_officer):
    letter = services.issue_visa_letter(delegate, actor=secretariat_officer, language="fr")

    (text,) = pdf_pages(visa_letter_pdf(letter))

    lines = text.splitlines()
    for expected in [
        "À l\u2019attention de l\u2019Ambassade / du Consulat \u2013 Sénégal",
        "Objet : lettre d\u2019appui à la demande de visa pour la réunion « Atelier de Dakar »",
        "Madame, Monsieur,",
        "Mme Awa Ndiaye",
        "Date de naissance 17 mai 1980",
        "Numéro de passeport A01234567",
        "Passeport valable jusqu\u2019au 9 janvier 2034",
        "Délégation Sénégal",
        "Cheffe du Secrétariat",
    ]:
        assert expected in lines
    flat = " ".join(text.split())
    assert "réunion « Atelier de Dakar » (dates : 1er-2 septembre 2031" in flat
    assert "Palais du roi Fahd, Dakar, Sénégal ; pays hôte : Sénégal)" in flat
    assert f"Vérifiezcettelettresur{letter.get_verification_url()}" in "".join(text.split())


def test_visa_letter_pdf_says_travel_is_covered_when_funding_is_granted(
    delegate, secretariat_officer
):
    FundingRequest.objects.create(
        registration=delegate,
        status=FundingStatus.GRANTED,
        decided_by=secretariat_officer,
        decided_at=timezone.now(),
    )
    letter = services.issue_visa_letter(delegate, actor=secretariat_officer, language="en")

    flat = " ".join(pdf_pages(visa_letter_pdf(letter))[0].split())

    assert "their travel and accommodation for the meeting are covered by the organisers." in flat
    assert "does not commit the organisers" not in flat


def test_visa_letter_pdf_without_host_country_is_addressed_to_whom_it_may_concern(
    delegate, secretariat_officer
):
    delegate.meeting.host_country = None
    delegate.meeting.save(update_fields=["host_country"])
    letter = services.issue_visa_letter(delegate, actor=secretariat_officer, language="en")

    lines = pdf_pages(visa_letter_pdf(letter))[0].splitlines()

    assert "To whom it may concern" in lines
    assert not any("Consulate" in line for line in lines)


def test_visa_letter_pdf_looks_like_one_page_with_ink_on_white(delegate, secretariat_officer):
    letter = services.issue_visa_letter(delegate, actor=secretariat_officer, language="en")
    content = visa_letter_pdf(letter)

    image = pdf_image(content, dpi=60).convert("L")

    (page,) = pypdf.PdfReader(io.BytesIO(content)).pages
    assert (round(page.mediabox.width), round(page.mediabox.height)) == (595, 842)  # A4
    # Mostly white paper, with dark text: not blank, not a black box.
    histogram = image.histogram()
    pixels = image.size[0] * image.size[1]
    assert sum(histogram[240:]) / pixels > 0.85
    assert sum(histogram[:80]) > 2000


def test_visa_letter_pdf_prints_the_uploaded_letterhead(delegate, secretariat_officer):
    from django.core.files.base import ContentFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (800, 120), (11, 79, 138)).save(buffer, format="PNG")
    letter_settings = VisaLetterSettings.objects.get(meeting=delegate.meeting)
    letter_settings.letterhead.save("head.png", ContentFile(buffer.getvalue()))
    letter = services.issue_visa_letter(delegate, actor=secretariat_officer, language="en")

    image = pdf_image(visa_letter_pdf(letter), dpi=60).convert("RGB")

    # The blue band across the top, where the typographic header would be otherwise.
    assert image.getpixel((248, 60)) == (11, 79, 138)


def test_visa_letter_qr_code_opens_its_verification_page(delegate, secretariat_officer, client):
    letter = services.issue_visa_letter(delegate, actor=secretariat_officer, language="en")

    url = qr_text(visa_letter_pdf(letter))

    assert url == f"http://127.0.0.1:8000/en/letters/verify/{letter.verification_code}/"
    page = parse(client.get(url.removeprefix("http://127.0.0.1:8000")))
    assert page.select_one("#verification-section-en .status").text == "Valid"


def test_visa_letter_filename_names_the_number(delegate, secretariat_officer):
    letter = services.issue_visa_letter(delegate, actor=secretariat_officer, language="en")

    assert visa_letter_filename(letter) == f"visa-letter-RP-{YEAR}-0001.pdf"


# --- the public verification page --------------------------------------------------------


def _verify(client, letter, language="en"):
    return client.get(f"/{language}/letters/verify/{letter.verification_code}/")


def _rows(page, language):
    section = page.select_one(f"#verification-section-{language}")
    return list(
        zip(
            [dt.text for dt in section.select("dt")],
            [dd.text for dd in section.select("dd")],
            strict=True,
        )
    )


def test_verification_page_shows_the_letter_in_both_languages_and_nothing_more(
    delegate, secretariat_officer, client
):
    letter = services.issue_visa_letter(delegate, actor=secretariat_officer, language="fr")

    response = _verify(client, letter)

    page = parse(response)
    assert _rows(page, "en") == [
        ("Number", letter.number),
        ("Name", "Awa Ndiaye"),
        ("Meeting", "Dakar workshop"),
        ("Dates", "1-2 September 2031"),
        ("Status", "Valid"),
    ]
    assert _rows(page, "fr") == [
        ("Numéro", letter.number),
        ("Nom", "Awa Ndiaye"),
        ("Réunion", "Atelier de Dakar"),
        ("Dates", "1er-2 septembre 2031"),
        ("Statut", "Valide"),
    ]
    html = response.content.decode()
    for private in ("A01234567", "Senegalese", "1980", "awa@example.org", "Director of migration"):
        assert private not in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_verification_page_in_french_puts_french_first(delegate, secretariat_officer, client):
    letter = services.issue_visa_letter(delegate, actor=secretariat_officer, language="fr")

    page = parse(_verify(client, letter, "fr"))

    assert [section.attrs["lang"] for section in page.select("section.letter-status")] == [
        "fr",
        "en",
    ]
    assert page.select_one("h1").text == "Vérifier une lettre d\u2019appui à la demande de visa"


def test_verification_page_of_a_withdrawn_letter_says_withdrawn_with_its_date(
    delegate, secretariat_officer, client
):
    letter = services.issue_visa_letter(delegate, actor=secretariat_officer, language="en")
    services.withdraw_visa_letter(letter, actor=secretariat_officer, reason="Trip cancelled.")
    VisaLetter.objects.filter(pk=letter.pk).update(
        withdrawn_at=datetime.datetime(2031, 8, 1, 10, tzinfo=datetime.UTC)
    )

    page = parse(_verify(client, letter))

    assert _rows(page, "en")[-1] == ("Status", "Withdrawn on 1 August 2031")
    assert _rows(page, "fr")[-1] == ("Statut", "Retirée le 1er août 2031")
    assert "Trip cancelled." not in str(_verify(client, letter).content)


def test_verification_page_answers_after_the_passport_data_is_erased(
    delegate, secretariat_officer, client
):
    letter = services.issue_visa_letter(delegate, actor=secretariat_officer, language="en")
    PassportDetails.objects.filter(registration=delegate).delete()
    delegate.meeting.title_en = "Renamed workshop"
    delegate.meeting.save(update_fields=["title_en"])

    page = parse(_verify(client, letter))

    assert _rows(page, "en")[1:3] == [("Name", "Awa Ndiaye"), ("Meeting", "Dakar workshop")]
    assert _rows(page, "en")[-1] == ("Status", "Valid")


@pytest.mark.parametrize("code", ["unknownunknownunknownunknown00000", "short", "a" * 65])
def test_verification_page_of_an_unknown_code_is_404_with_a_sentence(client, db, code):
    response = client.get(f"/en/letters/verify/{code}/")

    assert response.status_code == 404
    assert parse(response).select_one("main p").text == (
        "No visa support letter matches this address. Check that it was typed exactly as "
        "printed under the letter's QR code."
    )


def test_verification_page_is_rate_limited_per_client(
    delegate, secretariat_officer, client, settings
):
    settings.VISA_LETTER_VERIFICATION_RATE_LIMIT = "2/m"
    letter = services.issue_visa_letter(delegate, actor=secretariat_officer, language="en")

    statuses = [_verify(client, letter).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
