"""Onsite: a delegate's passport data and a meeting's visa letter settings.

PassportDetails are those of an adult with a passport valid for years; the letter
settings name a signatory in both languages (issuing needs one) and no letterhead.
"""

import datetime

import factory
from factory.django import DjangoModelFactory

from convene.onsite.models import PassportDetails, VisaLetterSettings


class PassportDetailsFactory(DjangoModelFactory):
    class Meta:
        model = PassportDetails

    registration = None  # always given: passport data belongs to one registration
    date_of_birth = datetime.date(1980, 5, 17)
    nationality = "Senegalese"
    passport_number = factory.Sequence(lambda n: f"A{n:08d}")
    issue_date = datetime.date(2024, 1, 10)
    expiry_date = datetime.date(2034, 1, 9)


class VisaLetterSettingsFactory(DjangoModelFactory):
    class Meta:
        model = VisaLetterSettings

    meeting = None  # always given
    institution_en = "Secretariat of the Rabat Process"
    institution_fr = "Secrétariat du Processus de Rabat"
    signatory_name = "Claire Martin"
    signatory_function_en = "Head of the Secretariat"
    signatory_function_fr = "Cheffe du Secrétariat"
    signature_place_en = "Brussels"
    signature_place_fr = "Bruxelles"
    contact_email = "letters@example.org"
    contact_phone = "+32 2 555 01 23"
