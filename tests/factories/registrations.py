"""Registrations. A registration is an in-person member of a delegation (a fresh partner
country of the meeting's dialogue unless given), awaiting the Secretariat, entered through
the form; pass `status=` for others (data only: tests of transitions go through the
services). `search_text` follows the names, email, institution and reference, as the
services keep it.

`registration_data`, `form_data` and `api_body` give the input of a valid registration
as `submit_registration`, the HTML form and the JSON API take it.
"""

import factory
from factory.django import DjangoModelFactory

from convene.meetings.enums import Category
from convene.registrations.enums import (
    DelegationRole,
    LevelOfGovernment,
    Participation,
    RegistrationStatus,
)
from convene.registrations.models import Registration, new_reference
from convene.registrations.services import registration_search_text

from .dialogues import PartnerFactory


class RegistrationFactory(DjangoModelFactory):
    class Meta:
        model = Registration

    meeting = None  # always given: a registration means nothing without its meeting
    status = RegistrationStatus.AWAITING_SECRETARIAT
    category = Category.PARTNER_COUNTRY
    delegation = factory.SubFactory(
        PartnerFactory, dialogue=factory.SelfAttribute("..meeting.dialogue")
    )
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
    reference = factory.LazyFunction(new_reference)
    search_text = factory.LazyAttribute(registration_search_text)


def _days(meeting) -> list[str]:
    return [day.isoformat() for day in meeting.days]


def registration_data(meeting, delegation, **overrides) -> dict:
    """Cleaned data of a partner country's delegate, as `submit_registration(data=...)` takes it."""
    data = {
        "category": Category.PARTNER_COUNTRY,
        "delegation": delegation,
        "title": "ms",
        "first_name": "Awa",
        "last_name": "Diop",
        "email": "awa.diop@example.org",
        "phone": "+221771234567",
        "institution": "Ministry of Foreign Affairs",
        "function": "Director of migration",
        "level_of_government": LevelOfGovernment.NATIONAL,
        "role": DelegationRole.MEMBER,
        "participation": Participation.IN_PERSON,
        "days": _days(meeting),
        "language": "en",
        "consent_processing": True,
    }
    data.update(overrides)
    return data


def form_data(meeting, delegation, **overrides) -> dict:
    """POST data of the public registration form for a partner country's delegate."""
    data = {
        "category": Category.PARTNER_COUNTRY,
        "delegation": str(delegation.pk) if delegation else "",
        "title": "ms",
        "first_name": "Awa",
        "last_name": "Diop",
        "email": "awa.diop@example.org",
        "phone": "+221 77 123 45 67",
        "institution": "Ministry of Foreign Affairs",
        "function": "Director of migration",
        "level_of_government": LevelOfGovernment.NATIONAL,
        "role": DelegationRole.MEMBER,
        "participation": Participation.IN_PERSON,
        "days": _days(meeting),
        "language": "en",
        "consent_processing": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def api_body(**overrides) -> dict:
    """JSON body of POST /api/v1/meetings/<slug>/registrations/ for a Senegal delegate."""
    body = {
        "first_name": "Awa",
        "last_name": "Diop",
        "email": "awa.diop@example.org",
        "phone": "+221771234567",
        "delegation": "SN",
        "institution": "Ministry of Foreign Affairs",
        "function": "Director of migration",
        "level_of_government": "national",
        "role": "head",
        "participation": "in_person",
        "language": "fr",
        "consent": True,
    }
    body.update(overrides)
    return {key: value for key, value in body.items() if value is not None}
