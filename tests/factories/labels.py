"""Label proposals. A proposal is a draft, complete in both languages, of a workshop with
no alignment (pass `domains=` or `objectives=`), led by a fresh partner country of the
dialogue unless given, starting ninety days from today; pass `status=` for others (data
only: tests of transitions go through the services).

`proposal_data` gives what `create_proposal` takes, `proposal_form_data` what the HTML
form posts.
"""

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from convene.labels.enums import ActivityFormat, ActivityType, ProposalStatus
from convene.labels.models import LabelProposal

from .dialogues import DialogueFactory, PartnerFactory


def _in_ninety_days():
    return timezone.localdate() + datetime.timedelta(days=90)


class LabelProposalFactory(DjangoModelFactory):
    class Meta:
        model = LabelProposal
        skip_postgeneration_save = True

    dialogue = factory.SubFactory(DialogueFactory)
    status = ProposalStatus.DRAFT
    title_en = factory.Sequence(lambda n: f"Workshop {n}")
    title_fr = factory.Sequence(lambda n: f"Atelier {n}")
    description_en = "A description."
    description_fr = "Une description."
    activity_type = ActivityType.WORKSHOP
    lead_partner = factory.SubFactory(PartnerFactory, dialogue=factory.SelfAttribute("..dialogue"))
    starts_on = factory.LazyFunction(_in_ninety_days)
    ends_on = factory.LazyAttribute(
        lambda proposal: proposal.starts_on + datetime.timedelta(days=1)
    )
    format = ActivityFormat.IN_PERSON
    place = "Lisbon, Portugal"

    @factory.post_generation
    def domains(self, create, extracted, **kwargs):
        if create and extracted:
            self.domains.set(extracted)

    @factory.post_generation
    def objectives(self, create, extracted, **kwargs):
        if create and extracted:
            self.objectives.set(extracted)


def proposal_data(*, objectives=(), domains=(), **changes) -> dict:
    """The data of a complete workshop proposal as `create_proposal` takes it."""
    starts_on = _in_ninety_days()
    data = {
        "title_en": "Return and reintegration workshop",
        "title_fr": "Atelier sur le retour et la réintégration",
        "description_en": "Two days on reintegration.",
        "description_fr": "Deux jours sur la réintégration.",
        "activity_type": ActivityType.WORKSHOP,
        "starts_on": starts_on,
        "ends_on": starts_on + datetime.timedelta(days=1),
        "format": ActivityFormat.IN_PERSON,
        "place": "Lisbon, Portugal",
        "expected_participants": 40,
        "domains": list(domains),
        "objectives": list(objectives),
        "co_organisers": [],
    }
    data.update(changes)
    return data


def proposal_form_data(*, lead_partner=None, objectives=(), domains=(), **changes) -> dict:
    """What the proposal form posts for a complete workshop proposal."""
    starts_on = _in_ninety_days()
    data = {
        "title_en": "Return and reintegration workshop",
        "title_fr": "Atelier sur le retour et la réintégration",
        "description_en": "Two days on reintegration.",
        "description_fr": "Deux jours sur la réintégration.",
        "activity_type": ActivityType.WORKSHOP,
        "starts_on": starts_on.isoformat(),
        "ends_on": (starts_on + datetime.timedelta(days=1)).isoformat(),
        "format": ActivityFormat.IN_PERSON,
        "place": "Lisbon, Portugal",
        "expected_participants": "40",
        "participant_profile": "",
        "objectives_and_results": "",
        "funded_by_lead_partner": "on",
        "support_details": "",
        "objectives": [str(objective.pk) for objective in objectives],
        "domains": [str(domain.pk) for domain in domains],
    }
    if lead_partner is not None:
        data["lead_partner"] = str(lead_partner.pk)
    data.update(changes)
    return data
