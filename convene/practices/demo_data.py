"""The demo library of good practices, loaded when the demo meetings are."""

import json
from pathlib import Path

from .services import import_good_practice

DEMO_DIR = Path(__file__).resolve().parent / "demo"


def load_demo_practices(sender, *, dialogue, actor, report, **kwargs):
    """Publish the demo good practices (idempotent); receiver of demo_meetings_loaded."""
    spec = json.loads((DEMO_DIR / "good_practices.json").read_text(encoding="utf-8"))
    created = [
        practice.meeting.slug
        for practice, was_created in (
            import_good_practice(item, dialogue=dialogue, actor=actor) for item in spec["practices"]
        )
        if was_created
    ]
    report(f"Good practices published: {', '.join(created) or 'none (already there)'}.")
