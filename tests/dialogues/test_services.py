import io
import json
import shutil

import pytest
from django.core.management import call_command

from convene.dialogues.enums import PartnerKind, PartnerStatus
from convene.dialogues.models import ActionPlan, Dialogue, Domain, Objective, Partner
from convene.dialogues.services import REFERENCE_DIR, import_reference_data

pytestmark = pytest.mark.django_db


def test_import_reference_data_creates_the_dialogue_partners_and_plans():
    summary = import_reference_data()

    assert summary.created == {
        "dialogues": 1,
        "partners": 63,
        "action plans": 2,
        "domains": 10,
        "objectives": 17,
    }
    dialogue = Dialogue.objects.get()
    assert (dialogue.slug, dialogue.name_en, dialogue.name_fr, dialogue.since_year) == (
        "rabat-process",
        "Rabat Process",
        "Processus de Rabat",
        2006,
    )


def test_import_reference_data_partner_kinds_and_statuses():
    import_reference_data()

    partners = Partner.objects.all()
    assert partners.count() == 63
    assert partners.filter(kind=PartnerKind.COUNTRY).count() == 57
    assert set(
        partners.filter(kind=PartnerKind.ORGANISATION, status=PartnerStatus.PARTNER).values_list(
            "code", flat=True
        )
    ) == {"EU", "ECOWAS"}
    assert set(
        partners.filter(kind=PartnerKind.ORGANISATION, status=PartnerStatus.OBSERVER).values_list(
            "code", flat=True
        )
    ) == {"IOM", "UNHCR", "ICRC", "UNODC"}
    assert set(
        partners.filter(kind=PartnerKind.COUNTRY, status=PartnerStatus.OBSERVER).values_list(
            "code", flat=True
        )
    ) == {"DZ", "LY"}


def test_import_reference_data_reads_partner_columns():
    import_reference_data()

    senegal = Partner.objects.get(code="SN")
    eu = Partner.objects.get(code="EU")
    assert (senegal.name_en, senegal.name_fr, senegal.region, senegal.steering_committee) == (
        "Senegal",
        "Sénégal",
        "west_africa",
        True,
    )
    assert (eu.region, eu.steering_committee, eu.left_on) == ("", True, None)
    assert set(Partner.objects.filter(steering_committee=True).values_list("code", flat=True)) == {
        "MA", "GQ", "BF", "ML", "NE", "NG", "SN", "BE", "FR", "IT", "NL", "PT", "ES", "CH",
        "EU", "ECOWAS",
    }  # fmt: skip


def test_import_reference_data_action_plans_domains_and_objectives():
    import_reference_data()

    marrakesh = ActionPlan.objects.get(code="MAP")
    cadiz = ActionPlan.objects.get(code="CAP")
    assert (marrakesh.name_en, marrakesh.start_year) == ("Marrakesh Action Plan 2018-2020", 2018)
    assert (cadiz.name_fr, cadiz.start_year, cadiz.end_year) == (
        "Plan d'action de Cadix 2023-2027",
        2023,
        2027,
    )
    assert list(marrakesh.domains.order_by("number").values_list("number", flat=True)) == [
        1, 2, 3, 4, 5
    ]  # fmt: skip
    assert Objective.objects.filter(domain__action_plan=marrakesh).count() == 10
    assert list(
        Objective.objects.filter(domain__action_plan=cadiz)
        .order_by("domain__number", "position")
        .values_list("domain__number", "number", "position")
    ) == [
        (1, "1", 1),
        (1, "2", 2),
        (2, "3", 1),
        (2, "4", 2),
        (3, "5a", 1),
        (3, "5b", 2),
        (3, "6", 3),
    ]
    assert list(cadiz.domains.filter(objectives__isnull=True).values_list("number", flat=True)) == [
        4,
        5,
    ]


def test_import_reference_data_marks_working_french_titles():
    import_reference_data()

    assert Domain.objects.get(action_plan__code="MAP", number=1).title_fr_is_official is True
    assert Domain.objects.get(action_plan__code="CAP", number=1).title_fr_is_official is False
    assert set(
        Objective.objects.filter(
            domain__action_plan__code="MAP", title_fr_is_official=False
        ).values_list("number", flat=True)
    ) == {"7", "8", "9", "10"}


def test_import_reference_data_second_run_creates_nothing():
    import_reference_data()
    counts = [model.objects.count() for model in (Dialogue, Partner, ActionPlan, Domain, Objective)]

    summary = import_reference_data()

    assert summary.created == {
        "dialogues": 0,
        "partners": 0,
        "action plans": 0,
        "domains": 0,
        "objectives": 0,
    }
    assert (
        [model.objects.count() for model in (Dialogue, Partner, ActionPlan, Domain, Objective)]
        == counts
        == [1, 63, 2, 10, 17]
    )


def test_import_reference_data_keeps_corrections_made_in_the_back_office():
    import_reference_data()
    Domain.objects.filter(action_plan__code="CAP", number=2).update(
        title_fr="Migration régulière et mobilité (titre officiel)", title_fr_is_official=True
    )
    Objective.objects.filter(domain__action_plan__code="CAP", number="5a").update(
        title_fr="Titre corrigé"
    )
    Partner.objects.filter(code="NO").update(name_fr="Norvège (corrigé)")

    import_reference_data()

    domain = Domain.objects.get(action_plan__code="CAP", number=2)
    assert (domain.title_fr, domain.title_fr_is_official) == (
        "Migration régulière et mobilité (titre officiel)",
        True,
    )
    assert Objective.objects.get(domain__action_plan__code="CAP", number="5a").title_fr == (
        "Titre corrigé"
    )
    assert Partner.objects.get(code="NO").name_fr == "Norvège (corrigé)"


def test_import_reference_data_adds_what_a_new_file_brings(tmp_path):
    directory = tmp_path / "reference"
    shutil.copytree(REFERENCE_DIR, directory)
    import_reference_data(directory)
    with (directory / "partners.csv").open("a", encoding="utf-8") as handle:
        handle.write("UK,country,partner,europe,United Kingdom,Royaume-Uni,no\n")
    plans = json.loads((directory / "action-plans.json").read_text(encoding="utf-8"))
    plans["frameworks"][1]["domains"][3]["objectives"] = [
        {"number": "7", "title_en": "Objective seven", "official_fr": False}
    ]
    (directory / "action-plans.json").write_text(json.dumps(plans), encoding="utf-8")

    summary = import_reference_data(directory)

    assert summary.created == {
        "dialogues": 0,
        "partners": 1,
        "action plans": 0,
        "domains": 0,
        "objectives": 1,
    }
    objective = Objective.objects.get(domain__action_plan__code="CAP", number="7")
    assert (objective.domain.number, objective.title_fr, objective.title_fr_is_official) == (
        4,
        "",
        False,
    )


def test_load_reference_data_command_reports_what_it_created():
    out = io.StringIO()

    call_command("load_reference_data", stdout=out)
    call_command("load_reference_data", stdout=out)

    assert out.getvalue().splitlines() == [
        "Reference data loaded (created: 1 dialogues, 63 partners, 2 action plans, 10 domains, "
        "17 objectives).",
        "Reference data loaded (created: 0 dialogues, 0 partners, 0 action plans, 0 domains, "
        "0 objectives).",
    ]
