"""Registrations. A registration is an in-person member of a delegation, awaiting the
Secretariat, entered through the form; pass `status=` for others (data only: tests of
transitions go through the services)."""

import factory
from factory.django import DjangoModelFactory

from convene.meetings.enums import Category
from convene.registrations.enums import (
    DelegationRole,
    LevelOfGovernment,
    Participation,
    RegistrationStatus,
)
from convene.registrations.models import Registration


class RegistrationFactory(DjangoModelFactory):
    class Meta:
        model = Registration

    meeting = None  # always given: a registration means nothing without its meeting
    status = RegistrationStatus.AWAITING_SECRETARIAT
    category = Category.PARTNER_COUNTRY
    delegation = None
    first_name = factory.Sequence(lambda n: f"Delegate{n}")
    last_name = "Diallo"
    email = factory.Sequence(lambda n: f"delegate{n}@example.org")
    phone = "+221771234567"
    institution = "Ministry of Foreign Affairs"
    function = "Director"
    level_of_government = LevelOfGovernment.NATIONAL
    role = DelegationRole.MEMBER
    participation = Participation.IN_PERSON
    language = "en"
    consent_processing = True
