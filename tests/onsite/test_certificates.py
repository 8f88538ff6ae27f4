"""Certificates of attendance: who has one, which days it lists, its PDF in the
registration's language, and its public verification page."""

import datetime
import io
import re

import pypdf
import pytest
from django.utils import timezone

from convene.onsite.certificates import (
    certificate_code,
    certificate_days,
    certificate_pdf,
    certificates_open,
)
from convene.registrations.enums import RegistrationStatus
from convene.registrations.tokens import make_token
from tests.factories.onsite import AttendanceFactory
from tests.html import parse

pytestmark = pytest.mark.django_db


def at_venue(meeting, day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=meeting.tzinfo)


def freeze(monkeypatch, moment):
    monkeypatch.setattr(timezone, "now", lambda: moment)


@pytest.fixture
def last_day(monkeypatch, meeting):
    """The server's clock at 08:00 venue time on the meeting's last day (2 September)."""
    moment = at_venue(meeting, meeting.ends_on, 8)
    freeze(monkeypatch, moment)
    return moment


@pytest.fixture
def attendee(make_registration, meeting):
    """Ms Awa Ndiaye of Senegal, checked in on both days."""
    registration = make_registration(title="ms", function="Director of migration")
    for day in meeting.days:
        AttendanceFactory(registration=registration, day=day)
    return registration


def personal_url(registration, language="en"):
    return f"/{language}/registration/{make_token(registration)}/"


def pdf_lines(content: bytes) -> list[str]:
    (page,) = pypdf.PdfReader(io.BytesIO(content)).pages
    # pypdf reads a kerned "r," as two words ("Dakar , Senegal"): the space is its guess.
    return [re.sub(r" +,", ",", line.strip()) for line in page.extract_text().splitlines()]


# --- who has one, which days ---------------------------------------------------------


def test_certificates_open_at_the_start_of_the_last_day_venue_time(meeting):
    last_midnight = at_venue(meeting, meeting.ends_on, 0)

    assert certificates_open(meeting, now=last_midnight) is True
    assert certificates_open(meeting, now=last_midnight - datetime.timedelta(seconds=1)) is False


def test_certificate_lists_every_day_checked_in(attendee, meeting, last_day):
    assert certificate_days(attendee) == [meeting.starts_on, meeting.ends_on]


def test_certificate_of_someone_in_on_day_two_only_lists_day_two(
    make_registration, meeting, last_day
):
    registration = make_registration()
    AttendanceFactory(registration=registration, day=meeting.ends_on)

    assert certificate_days(registration) == [meeting.ends_on]


def test_no_certificate_for_someone_never_checked_in(make_registration, last_day):
    assert certificate_days(make_registration()) == []


def test_no_certificate_before_the_last_day(attendee, monkeypatch, meeting):
    freeze(monkeypatch, at_venue(meeting, meeting.starts_on, 23, 59))

    assert certificate_days(attendee) == []


@pytest.mark.parametrize("status", [RegistrationStatus.CANCELLED, RegistrationStatus.REJECTED])
def test_no_certificate_for_a_registration_no_longer_approved(attendee, last_day, status):
    attendee.status = status
    attendee.save(update_fields=["status"])

    assert certificate_days(attendee) == []


# --- the personal page and the download ----------------------------------------------


def test_personal_page_offers_the_certificate_once_open(attendee, client, last_day):
    url = personal_url(attendee)

    page = parse(client.get(url))

    section = page.select_one("#certificate")
    assert section.select_one("h2").text == "Certificate of attendance"
    assert section.select_one("#certificate-days-text").text == (
        "Days you were checked in: Monday 1 September 2031, Tuesday 2 September 2031."
    )
    link = section.select_one("#certificate-download")
    assert link.text == "Download your certificate of attendance"
    assert link.attrs["href"] == f"{url}certificate.pdf"


def test_personal_page_in_french_offers_the_certificate(attendee, client, last_day):
    page = parse(client.get(personal_url(attendee, "fr")))

    assert page.select_one("#certificate-download").text == (
        "Télécharger votre attestation de participation"
    )
    assert page.select_one("#certificate-days-text").text == (
        "Jours où votre présence a été enregistrée : lundi 1er septembre 2031, "
        "mardi 2 septembre 2031."
    )


def test_personal_page_offers_no_certificate_before_the_last_day(attendee, client, monkeypatch):
    freeze(monkeypatch, at_venue(attendee.meeting, attendee.meeting.starts_on, 18))

    page = parse(client.get(personal_url(attendee)))

    assert page.select("#certificate") == []


def test_personal_page_offers_no_certificate_to_someone_never_checked_in(
    make_registration, client, last_day
):
    page = parse(client.get(personal_url(make_registration())))

    assert page.select("#certificate") == []


def test_download_gives_the_certificate_in_english(attendee, client, last_day):
    response = client.get(personal_url(attendee) + "certificate.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="certificate-AWA2031X.pdf"'
    assert response["Cache-Control"] == "private, no-store"
    code = certificate_code(attendee)
    lines = pdf_lines(response.content)
    # The address wraps where it may: read it whole.
    assert [*lines[:11], "".join(lines[11:])] == [
        "RABAT PROCESS",
        "Euro-African Dialogue on Migration and Development",
        "Certificate of attendance",
        "This is to certify that Ms Awa Ndiaye, Director of migration, Senegal, attended the",
        "meeting “Dakar workshop”, held in Dakar, 1-2 September 2031.",
        "DAYS ATTENDED",
        "Monday 1 September 2031",
        "Tuesday 2 September 2031",
        "Certificate number: ATT-AWA2031X",
        "Issued on 2 September 2031",
        "Check this certificate at",
        f"http://127.0.0.1:8000/en/certificates/verify/{code}/",
    ]


def test_certificate_is_written_in_the_registrations_language(make_registration, meeting, last_day):
    registration = make_registration(title="mr", first_name="Moussa", language="fr", function="")
    AttendanceFactory(registration=registration, day=meeting.ends_on)

    lines = pdf_lines(certificate_pdf(registration, certificate_days(registration)))

    code = certificate_code(registration)
    assert [*lines[:10], "".join(lines[10:])] == [
        "PROCESSUS DE RABAT",
        "Dialogue euro-africain sur la migration et le développement",
        "Attestation de participation",
        "Il est certifié que M. Moussa Ndiaye, Sénégal, a participé à la réunion «\u00a0Atelier de",
        "Dakar\u00a0», tenue à Dakar, 1er-2 septembre 2031.",
        "JOUR DE PRÉSENCE",
        "mardi 2 septembre 2031",
        "Numéro de l\u2019attestation\u00a0: ATT-AWA2031X",
        "Délivrée le 2 septembre 2031",
        "Vérifier cette attestation sur",
        f"http://127.0.0.1:8000/fr/certificates/verify/{code}/",
    ]


def test_certificate_qr_code_opens_the_verification_page(attendee, last_day):
    from tests.onsite.test_confirmation import qr_text

    content = certificate_pdf(attendee, certificate_days(attendee))

    assert qr_text(content) == (
        f"http://127.0.0.1:8000/en/certificates/verify/{certificate_code(attendee)}/"
    )


@pytest.mark.parametrize(
    ("case", "language", "message"),
    [
        (
            "never_in",
            "en",
            "There is no certificate of attendance: you were not checked in at the meeting.",
        ),
        (
            "early",
            "en",
            "Certificates of attendance can be downloaded from the last day of the meeting.",
        ),
        (
            "cancelled",
            "en",
            "A certificate of attendance is issued only for an approved registration.",
        ),
        (
            "never_in",
            "fr",
            "Il n\u2019y a pas d\u2019attestation de participation : votre présence "
            "n\u2019a pas été enregistrée à la réunion.",
        ),
    ],
)
def test_download_without_a_certificate_says_why(
    make_registration, meeting, client, monkeypatch, case, language, message
):
    registration = make_registration()
    freeze(monkeypatch, at_venue(meeting, meeting.ends_on, 9))
    if case != "never_in":
        AttendanceFactory(registration=registration, day=meeting.starts_on)
    if case == "early":
        freeze(monkeypatch, at_venue(meeting, meeting.starts_on, 17))
    if case == "cancelled":
        registration.status = RegistrationStatus.CANCELLED
        registration.save(update_fields=["status"])

    response = client.get(personal_url(registration, language) + "certificate.pdf")

    assert response.status_code == 404
    assert parse(response).select_one("#certificate-refused").text == message


def test_download_with_a_tampered_personal_link_is_not_found(attendee, client, last_day):
    response = client.get(personal_url(attendee)[:-2] + "x/certificate.pdf")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


# --- the verification page -----------------------------------------------------------


def verify_url(code, language="en"):
    return f"/{language}/certificates/verify/{code}/"


def test_verification_page_says_the_certificate_is_genuine(attendee, client, last_day):
    response = client.get(verify_url(certificate_code(attendee)))

    assert response.status_code == 200
    page = parse(response)
    assert page.select_one("#certificate-genuine").text == (
        "This certificate is genuine: it was issued through this site, and it says what the "
        "attendance records say today."
    )
    facts = [
        (item.select_one("dt").text, item.select_one("dd").text)
        for item in page.select("#certificate-facts div")
    ]
    assert page.texts("#certificate-days li") == [
        "Monday 1 September 2031",
        "Tuesday 2 September 2031",
    ]
    assert facts == [
        ("Certificate number", "ATT-AWA2031X"),
        ("Name", "Ms Awa Ndiaye"),
        ("Meeting", "Dakar workshop"),
        ("Dates", "1-2 September 2031"),
        ("Days attended", "Monday 1 September 2031Tuesday 2 September 2031"),
    ]
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Cache-Control"] == "private, no-store"


def test_verification_page_in_french(make_registration, meeting, client, last_day):
    registration = make_registration()
    AttendanceFactory(registration=registration, day=meeting.ends_on)

    page = parse(client.get(verify_url(certificate_code(registration), "fr")))

    assert page.select_one("h1").text == "Vérifier une attestation de participation"
    assert page.select_one("#certificate-days").text == "mardi 2 septembre 2031"


@pytest.mark.parametrize(
    "code",
    [
        "AWA2031X",
        "AWA2031X:forged",
        "nothing",
        "x" * 500,
    ],
)
def test_verification_page_of_an_unknown_code_is_404_with_a_sentence(
    attendee, client, last_day, code
):
    response = client.get(verify_url(code))

    assert response.status_code == 404
    assert parse(response).select_one("#certificate-unknown").text == (
        "No certificate of attendance matches this address. Check that it was typed exactly "
        "as printed beside the certificate's QR code."
    )


def test_verification_page_of_a_tampered_code_is_unknown(
    attendee, make_registration, client, last_day
):
    other = make_registration(email="moussa@example.org", reference="MOUSSA31")
    AttendanceFactory(registration=other, day=other.meeting.starts_on)
    genuine = certificate_code(attendee)
    # Another person's reference under Awa's signature.
    tampered = "MOUSSA31:" + genuine.split(":", 1)[1]

    response = client.get(verify_url(tampered))

    assert response.status_code == 404


def test_verification_page_of_a_cancelled_registration_is_unknown(attendee, client, last_day):
    code = certificate_code(attendee)
    attendee.status = RegistrationStatus.CANCELLED
    attendee.save(update_fields=["status"])

    assert client.get(verify_url(code)).status_code == 404


def test_code_of_a_confirmation_signature_is_not_a_certificate(attendee, client, last_day):
    from django.core import signing

    # Signed with the same key under another salt: not a certificate's code.
    code = signing.Signer(salt="convene.registrations.personal").sign(attendee.reference)

    assert client.get(verify_url(code)).status_code == 404


def test_code_printed_before_a_key_rotation_still_verifies(attendee, client, last_day, settings):
    settings.CONFIRMATION_TOKEN_KEYS = ["old-key"]
    printed = certificate_code(attendee)
    settings.CONFIRMATION_TOKEN_KEYS = ["new-key", "old-key"]

    assert (client.get(verify_url(printed)).status_code, certificate_code(attendee) != printed) == (
        200,
        True,
    )


def test_code_signed_by_a_key_no_longer_listed_is_unknown(attendee, client, last_day, settings):
    settings.CONFIRMATION_TOKEN_KEYS = ["retired-key"]
    printed = certificate_code(attendee)
    settings.CONFIRMATION_TOKEN_KEYS = ["new-key"]

    assert client.get(verify_url(printed)).status_code == 404


def test_verification_page_is_rate_limited_per_client(attendee, client, settings):
    settings.VISA_LETTER_VERIFICATION_RATE_LIMIT = "2/m"
    # Read at the real time: the rate's window is counted on the clock.
    url = verify_url(certificate_code(attendee))

    statuses = [client.get(url).status_code for _ in range(3)]

    # Before the last day the code answers as unknown; every read counts alike.
    assert statuses == [404, 404, 429]
    assert parse(client.get(url)).select_one("main p").text == (
        "Too many certificates were checked from your connection. Please wait a minute and "
        "try again."
    )


def test_certificate_names_the_institution_without_a_delegation(make_registration):
    from convene.meetings.enums import Category
    from convene.onsite.certificates import certificate_holder_details

    invited = make_registration(
        delegation=None,
        category=Category.LOCAL_AUTHORITY,
        function="",
        institution="Ville de Dakar",
    )
    bare = make_registration(
        email="bare@example.org",
        reference="BARE0031",
        delegation=None,
        category=Category.RESEARCH,
        function="",
        institution="",
    )

    assert certificate_holder_details(invited) == ", Ville de Dakar,"
    assert certificate_holder_details(bare) == ""
