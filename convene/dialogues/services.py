import csv
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from .enums import PartnerKind
from .models import ActionPlan, Dialogue, Domain, Objective, Partner

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"


@dataclass
class ImportSummary:
    created: dict[str, int] = field(default_factory=dict)

    def count(self, label: str, created: bool) -> None:
        self.created[label] = self.created.get(label, 0) + int(created)


def _yes(value: str) -> bool:
    return value.strip().lower() in {"yes", "true", "1"}


@transaction.atomic
def import_reference_data(directory: Path = REFERENCE_DIR) -> ImportSummary:
    """Create the dialogue, its partners and action plans from the reference files.

    Idempotent and additive: a record that exists is left as it is, so what the
    Secretariat corrected in the back-office (a French title, a departure date) is
    never overwritten by a later run.
    """
    summary = ImportSummary()
    spec = json.loads((directory / "dialogue.json").read_text(encoding="utf-8"))
    slug = spec.pop("slug")
    dialogue, created = Dialogue.objects.get_or_create(slug=slug, defaults=spec)
    summary.count("dialogues", created)

    with (directory / "partners.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            _partner, created = Partner.objects.get_or_create(
                dialogue=dialogue,
                code=row["code"].strip(),
                defaults={
                    "kind": row["kind"],
                    "status": row["status"],
                    "region": row["region"] if row["kind"] == PartnerKind.COUNTRY else "",
                    "name_en": row["name_en"],
                    "name_fr": row["name_fr"],
                    "steering_committee": _yes(row["steering_committee"]),
                },
            )
            summary.count("partners", created)

    plans = json.loads((directory / "action-plans.json").read_text(encoding="utf-8"))
    for plan_spec in plans["frameworks"]:
        plan, created = ActionPlan.objects.get_or_create(
            dialogue=dialogue,
            code=plan_spec["code"],
            defaults={
                "name_en": plan_spec["name_en"],
                "name_fr": plan_spec["name_fr"],
                "start_year": plan_spec["start_year"],
                "end_year": plan_spec["end_year"],
            },
        )
        summary.count("action plans", created)
        for domain_spec in plan_spec["domains"]:
            domain, created = Domain.objects.get_or_create(
                action_plan=plan,
                number=int(domain_spec["number"]),
                defaults={
                    "title_en": domain_spec["title_en"],
                    "title_fr": domain_spec.get("title_fr") or "",
                    "title_fr_is_official": bool(domain_spec.get("official_fr", False)),
                },
            )
            summary.count("domains", created)
            for position, objective_spec in enumerate(domain_spec.get("objectives", []), start=1):
                _objective, created = Objective.objects.get_or_create(
                    domain=domain,
                    number=str(objective_spec["number"]),
                    defaults={
                        "position": position,
                        "title_en": objective_spec["title_en"],
                        "title_fr": objective_spec.get("title_fr") or "",
                        "title_fr_is_official": bool(objective_spec.get("official_fr", False)),
                    },
                )
                summary.count("objectives", created)
    return summary
