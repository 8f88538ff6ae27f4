"""The dialogue, its partners and action plans."""

import factory
from django.conf import settings
from factory.django import DjangoModelFactory

from convene.dialogues.enums import PartnerKind, PartnerStatus, Region
from convene.dialogues.models import ActionPlan, Dialogue, Domain, Objective, Partner


class DialogueFactory(DjangoModelFactory):
    """The deployment's dialogue (settings.DIALOGUE_SLUG), reused when it exists."""

    class Meta:
        model = Dialogue
        django_get_or_create = ("slug",)

    slug = factory.LazyFunction(lambda: settings.DIALOGUE_SLUG)
    name_en = "Rabat Process"
    name_fr = "Processus de Rabat"


class PartnerFactory(DjangoModelFactory):
    """A current European partner country, not on the Steering Committee."""

    class Meta:
        model = Partner

    dialogue = factory.SubFactory(DialogueFactory)
    code = factory.Sequence(lambda n: f"Q{n}")
    kind = PartnerKind.COUNTRY
    status = PartnerStatus.PARTNER
    region = Region.EUROPE
    name_en = factory.Sequence(lambda n: f"Country {n}")
    name_fr = factory.Sequence(lambda n: f"Pays {n}")
    steering_committee = False

    class Params:
        organisation = factory.Trait(kind=PartnerKind.ORGANISATION, region="")


class ActionPlanFactory(DjangoModelFactory):
    class Meta:
        model = ActionPlan

    dialogue = factory.SubFactory(DialogueFactory)
    code = factory.Sequence(lambda n: f"AP{n}")
    name_en = factory.Sequence(lambda n: f"Action plan {n}")
    name_fr = factory.Sequence(lambda n: f"Plan d'action {n}")
    start_year = 2030
    end_year = 2034


class DomainFactory(DjangoModelFactory):
    class Meta:
        model = Domain

    action_plan = factory.SubFactory(ActionPlanFactory)
    number = factory.Sequence(lambda n: n + 1)
    title_en = factory.Sequence(lambda n: f"Domain {n}")
    title_fr = factory.Sequence(lambda n: f"Domaine {n}")


class ObjectiveFactory(DjangoModelFactory):
    class Meta:
        model = Objective

    domain = factory.SubFactory(DomainFactory)
    number = factory.Sequence(lambda n: str(n + 1))
    title_en = factory.Sequence(lambda n: f"Objective {n}")
    title_fr = factory.Sequence(lambda n: f"Objectif {n}")
