"""{% personal_confirmation %}: the QR code and the PDF's link, only while approved."""

import pytest

from convene.onsite.confirmation import confirmation_qr_svg
from convene.onsite.templatetags.onsite import personal_confirmation
from convene.registrations.enums import RegistrationStatus

pytestmark = pytest.mark.django_db


def test_personal_confirmation_of_an_approved_registration_gives_its_qr_and_link_token(approved):
    assert personal_confirmation(approved, "personal-token") == {
        "qr": confirmation_qr_svg(approved),
        "personal_token": "personal-token",
    }


@pytest.mark.parametrize(
    "status",
    [
        RegistrationStatus.AWAITING_FOCAL_POINT,
        RegistrationStatus.WAITLISTED,
        RegistrationStatus.CANCELLED,
        RegistrationStatus.REJECTED,
    ],
)
def test_personal_confirmation_of_a_registration_not_approved_gives_nothing(
    make_registration, status
):
    assert personal_confirmation(make_registration(status=status), "personal-token") == {"qr": None}
