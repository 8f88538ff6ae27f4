"""The approval email carries the confirmation PDF, in the delegate's language; no other does."""

import io

import pypdf
import pytest
from django.core import mail

from convene.registrations import delivery, services
from convene.registrations.enums import RegistrationStatus
from convene.registrations.models import Notification

pytestmark = pytest.mark.django_db

S = RegistrationStatus


def _pdf_lines(content: bytes) -> list[str]:
    (page,) = pypdf.PdfReader(io.BytesIO(content)).pages
    return [line.strip() for line in page.extract_text().splitlines()]


@pytest.mark.parametrize(
    ("language", "subject", "expected"),
    [
        (
            "en",
            "Registration approved: Dakar workshop",
            [
                "Registration confirmation",
                "Name Awa Ndiaye",
                "Represents Senegal",
                "Reference AWA2031X",
            ],
        ),
        (
            "fr",
            "Inscription approuvée\u00a0: Atelier de Dakar",
            [
                "Confirmation d\u2019inscription",
                "Nom Awa Ndiaye",
                "Représente Sénégal",
                "Référence AWA2031X",
            ],
        ),
    ],
)
def test_approval_email_carries_the_confirmation_pdf(
    make_registration, secretariat_officer, sent, language, subject, expected
):
    registration = make_registration(status=S.AWAITING_SECRETARIAT, language=language)

    with sent():
        services.approve_registration(registration, actor=secretariat_officer)

    (message,) = mail.outbox
    assert (message.to, message.subject) == (["awa@example.org"], subject)
    ((filename, content, mimetype),) = message.attachments
    assert (filename, mimetype) == ("confirmation-AWA2031X.pdf", "application/pdf")
    lines = _pdf_lines(content)
    assert [line for line in lines if line in expected] == expected


def test_emails_other_than_the_approval_carry_nothing(make_registration, sent):
    registration = make_registration(status=S.APPROVED)

    with sent():
        services.cancel_registration(registration)

    assert [message.to for message in mail.outbox] == [["awa@example.org"]]
    assert mail.outbox[0].attachments == []


def test_approval_email_rendered_after_a_cancellation_carries_no_pdf(make_registration):
    # Queued at the approval, sent by the worker after the delegate cancelled.
    registration = make_registration(status=S.CANCELLED)
    notification = Notification(registration=registration, event="approved", language="en")

    _subject, _body, attachments = delivery.render_notification(notification)

    assert attachments == []
