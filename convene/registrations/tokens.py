"""Signed, expiring links: delegates reach their registration without a password."""

from django.conf import settings
from django.core import signing

from .models import Registration

PERSONAL_SALT = "convene.registration.personal"
VERIFY_SALT = "convene.registration.verify"


def make_token(registration: Registration, *, salt: str = PERSONAL_SALT) -> str:
    return signing.dumps(
        {"r": registration.pk, "v": registration.link_version}, salt=salt, compress=True
    )


def registration_from_token(token: str, *, salt: str = PERSONAL_SALT) -> Registration | None:
    """The registration a token opens, or None if forged, tampered, expired or superseded."""
    max_age = (
        settings.REGISTRATION_VERIFY_MAX_AGE_DAYS
        if salt == VERIFY_SALT
        else settings.REGISTRATION_LINK_MAX_AGE_DAYS
    ) * 86400
    try:
        payload = signing.loads(token, salt=salt, max_age=max_age)
    except signing.BadSignature:  # SignatureExpired is a BadSignature
        return None
    if not isinstance(payload, dict):
        return None
    registration = (
        Registration.objects.select_related("meeting", "delegation")
        .filter(pk=payload.get("r"))
        .first()
    )
    if registration is None or registration.link_version != payload.get("v"):
        return None
    return registration
