import datetime

import factory
from factory.django import DjangoModelFactory

from convene.onsite.models import PassportDetails


class PassportDetailsFactory(DjangoModelFactory):
    class Meta:
        model = PassportDetails

    registration = None  # always given: passport data belongs to one registration
    date_of_birth = datetime.date(1980, 5, 17)
    nationality = "Senegalese"
    passport_number = factory.Sequence(lambda n: f"A{n:08d}")
    issue_date = datetime.date(2024, 1, 10)
    expiry_date = datetime.date(2034, 1, 9)
