"""The labelling records of the demo meetings, loaded when the demo meetings are."""

import json
from pathlib import Path

from .services import import_label_record

DEMO_DIR = Path(__file__).resolve().parent / "demo"


def load_demo_label_records(sender, *, dialogue, actor, report, **kwargs):
    """Record the demo meetings' labels (idempotent); receiver of demo_meetings_loaded."""
    spec = json.loads((DEMO_DIR / "label_records.json").read_text(encoding="utf-8"))
    created = [
        proposal.meeting.slug
        for proposal, was_created in (
            import_label_record(item, dialogue=dialogue, actor=actor) for item in spec["records"]
        )
        if was_created
    ]
    report(f"Labelling records created: {', '.join(created) or 'none (already there)'}.")
