"""The QR code's token: what it holds, its keys, and every reason it is refused (EN and FR)."""

import re

import pytest
import segno
from django.core import signing
from django.utils import translation

from convene.onsite.tokens import TokenRefused, make_confirmation_token, read_confirmation_token
from convene.registrations.enums import RegistrationStatus
from convene.registrations.tokens import make_token

pytestmark = pytest.mark.django_db

S = RegistrationStatus


def _refusal(token, *, language="en", meeting=None) -> tuple[str, str]:
    with translation.override(language), pytest.raises(TokenRefused) as refused:
        read_confirmation_token(token, meeting=meeting)
    return refused.value.code, refused.value.message


def test_read_confirmation_token_gives_back_the_approved_registration(approved, meeting):
    token = make_confirmation_token(approved)

    assert read_confirmation_token(token) == approved
    assert read_confirmation_token(token, meeting=meeting) == approved


def test_token_holds_version_reference_and_meeting_only(approved, meeting):
    token = make_confirmation_token(approved)

    value, signature = token.split(":")
    assert value == f"1.AWA2031X.{meeting.pk}"
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", signature)


def test_token_fits_a_small_qr_code(approved):
    # Version 4 (33 modules) at medium error correction: readable from a phone screen.
    assert segno.make_qr(make_confirmation_token(approved), error="m").version == 4


def test_token_signed_with_a_previous_key_is_read_while_that_key_is_listed(approved, settings):
    settings.CONFIRMATION_TOKEN_KEYS = ["old-key"]
    token = make_confirmation_token(approved)
    settings.CONFIRMATION_TOKEN_KEYS = ["new-key", "old-key"]

    assert read_confirmation_token(token) == approved
    assert make_confirmation_token(approved) != token


def test_token_signed_with_a_retired_key_is_refused_as_tampered(approved, settings):
    settings.CONFIRMATION_TOKEN_KEYS = ["old-key"]
    token = make_confirmation_token(approved)
    settings.CONFIRMATION_TOKEN_KEYS = ["new-key"]

    assert _refusal(token)[0] == "tampered"


TAMPERED_EN = "This code is not valid: it was altered or not issued by this site."
TAMPERED_FR = (
    "Ce code n\u2019est pas valide\u00a0: il a été modifié ou n\u2019a pas été émis par ce site."
)


@pytest.mark.parametrize(("language", "message"), [("en", TAMPERED_EN), ("fr", TAMPERED_FR)])
def test_token_with_another_reference_is_refused_as_tampered(
    approved, make_registration, language, message
):
    other = make_registration(email="other@example.org", reference="OTHER123")
    forged = make_confirmation_token(approved).replace("AWA2031X", other.reference)

    assert _refusal(forged, language=language) == ("tampered", message)


@pytest.mark.parametrize(
    "token",
    ["", "garbage", "1.AWA2031X.1", "1.AWA2031X.1:" + "A" * 43, "not:a:token"],
)
def test_malformed_token_is_refused_as_tampered(approved, token):
    assert _refusal(token) == ("tampered", TAMPERED_EN)


def test_personal_link_token_is_not_a_confirmation_token(approved):
    # Another salt: what opens the personal page does not open the door.
    assert _refusal(make_token(approved)) == ("tampered", TAMPERED_EN)


def test_token_of_an_unknown_layout_version_is_refused_as_tampered(approved, meeting, settings):
    signer = signing.Signer(
        key=settings.CONFIRMATION_TOKEN_KEYS[0],
        salt="convene.onsite.confirmation",
        algorithm="sha256",
    )
    token = signer.sign(f"2.AWA2031X.{meeting.pk}")

    assert _refusal(token) == ("tampered", TAMPERED_EN)


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "This code matches no registration."),
        ("fr", "Ce code ne correspond à aucune inscription."),
    ],
)
def test_token_of_a_registration_no_longer_there_is_refused_as_unknown(approved, language, message):
    token = make_confirmation_token(approved)
    approved.delete()

    assert _refusal(token, language=language) == ("unknown", message)


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "This code is for another meeting: Dakar workshop."),
        ("fr", "Ce code est celui d\u2019une autre réunion\u00a0: Atelier de Dakar."),
    ],
)
def test_token_read_at_another_meeting_is_refused(approved, other_meeting, language, message):
    token = make_confirmation_token(approved)

    assert _refusal(token, language=language, meeting=other_meeting) == ("other_meeting", message)


@pytest.mark.parametrize(
    ("status", "code", "message_en", "message_fr"),
    [
        (
            S.CANCELLED,
            "cancelled",
            "This registration has been cancelled.",
            "Cette inscription a été annulée.",
        ),
        (
            S.REJECTED,
            "rejected",
            "This registration was rejected.",
            "Cette inscription a été rejetée.",
        ),
        *(
            (
                status,
                "not_approved",
                "This registration is not approved.",
                "Cette inscription n\u2019est pas approuvée.",
            )
            for status in (
                S.AWAITING_VERIFICATION,
                S.AWAITING_FOCAL_POINT,
                S.AWAITING_SECRETARIAT,
                S.WAITLISTED,
                S.DECLINED,
            )
        ),
    ],
)
def test_token_of_a_registration_not_approved_is_refused_with_its_reason(
    approved, status, code, message_en, message_fr
):
    # Signed while approved, read after the status changed: the status is read at each scan.
    token = make_confirmation_token(approved)
    approved.status = status
    approved.save(update_fields=["status"])

    assert _refusal(token, language="en") == (code, message_en)
    assert _refusal(token, language="fr") == (code, message_fr)
