"""Good practices."""

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from convene.core.search import normalise_for_search
from convene.practices.enums import PracticeStatus
from convene.practices.models import GoodPractice
from convene.registrations.enums import LevelOfGovernment

from .dialogues import PartnerFactory


class GoodPracticeFactory(DjangoModelFactory):
    """A good practice awaiting moderation, from a fresh partner of the meeting's dialogue,
    on the domain given (none by default: pass `domain=`). `search_text` follows the title
    and summary, as `submit_good_practice` makes it; pass `status=PracticeStatus.PUBLISHED`
    with `published_at` for published data."""

    class Meta:
        model = GoodPractice

    meeting = None  # always given
    status = PracticeStatus.SUBMITTED
    title = factory.Sequence(lambda n: f"Practice {n}")
    summary = "A summary of the practice."
    language = "en"
    partner = factory.SubFactory(
        PartnerFactory, dialogue=factory.SelfAttribute("..meeting.dialogue")
    )
    level_of_government = LevelOfGovernment.LOCAL
    domain = None  # always given
    contact_name = "Awa Diop"
    contact_email = "awa.diop@example.org"
    search_text = factory.LazyAttribute(
        lambda practice: normalise_for_search(f"{practice.title} {practice.summary}")
    )

    class Params:
        published = factory.Trait(
            status=PracticeStatus.PUBLISHED, published_at=factory.LazyFunction(timezone.now)
        )
