"""Create the check-in meeting: held today, its approved delegates, its scanners' tokens.

Run from the project root once the database is migrated and the reference data loaded
(after bench.setup_meeting, whose Secretariat officer issues the tokens):
`python -m bench.setup_checkin SLUG OUTPUT --delegates 2000 --devices 8`. Writes to
OUTPUT, as JSON, the meeting's slug, the devices' API tokens and the text of each
delegate's QR code, for bench/run.py to send; prints a one-line summary.

The meeting and the tokens come from the application's services (import_meeting,
issue_checkin_api_token). The delegates are inserted in one bulk insert with the ORM:
registering and approving 2,000 people one by one would take minutes and is not what
is measured here; each row is what the approval leaves (approved, its search text).
"""

import argparse
import json
import os
import sys
from pathlib import Path

SECRETARIAT_EMAIL = "secretariat@bench.convene.test"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("slug")
    parser.add_argument("output")
    parser.add_argument("--delegates", type=int, default=2000)
    parser.add_argument("--devices", type=int, default=8)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()

    from django.contrib.auth import get_user_model

    from convene.dialogues.selectors import current_dialogue
    from convene.meetings.services import import_meeting
    from convene.onsite.services import issue_checkin_api_token
    from convene.onsite.tokens import make_confirmation_token

    dialogue = current_dialogue()
    secretariat = get_user_model().objects.filter(email=SECRETARIAT_EMAIL).first()
    if dialogue is None or secretariat is None:
        sys.exit("Run bench.setup_meeting first (reference data and the Secretariat officer).")
    meeting, created = import_meeting(meeting_spec(args.slug), dialogue=dialogue, actor=secretariat)
    if not created:
        sys.exit(f"Meeting {args.slug} already exists: the benchmark needs a fresh database.")
    registrations = create_approved_delegates(meeting, dialogue, count=args.delegates)
    tokens = [
        issue_checkin_api_token(meeting, actor=secretariat, name=f"Scanner {n + 1}")[1]
        for n in range(args.devices)
    ]
    Path(args.output).write_text(
        json.dumps(
            {
                "slug": meeting.slug,
                "days": [day.isoformat() for day in meeting.days],
                "tokens": tokens,
                "codes": [make_confirmation_token(r) for r in registrations],
            }
        ),
        encoding="utf-8",
    )
    print(
        json.dumps(
            {
                "slug": meeting.slug,
                "days": [day.isoformat() for day in meeting.days],
                "delegates": len(registrations),
                "devices": len(tokens),
            }
        )
    )


def create_approved_delegates(meeting, dialogue, *, count: int) -> list:
    from convene.meetings.enums import Category
    from convene.registrations.enums import (
        DelegationRole,
        LevelOfGovernment,
        Participation,
        RegistrationStatus,
    )
    from convene.registrations.models import Registration
    from convene.registrations.services import registration_search_text

    partners = list(dialogue.partners.order_by("code"))
    rows = []
    for n in range(count):
        partner = partners[n % len(partners)]
        registration = Registration(
            meeting=meeting,
            status=RegistrationStatus.APPROVED,
            category=Category.PARTNER_COUNTRY,
            delegation=partner,
            first_name=f"Delegate {n}",
            last_name="Door",
            email=f"door{n:05d}@bench.convene.test",
            phone="+221771234567",
            institution="Ministry of Foreign Affairs",
            function="Adviser",
            level_of_government=LevelOfGovernment.NATIONAL,
            role=DelegationRole.MEMBER,
            participation=Participation.IN_PERSON,
            language="fr" if n % 2 else "en",
            consent_processing=True,
            days=[day.isoformat() for day in meeting.days],
        )
        registration.search_text = registration_search_text(registration)
        rows.append(registration)
    return Registration.objects.bulk_create(rows, batch_size=500)


def meeting_spec(slug: str) -> dict:
    """A published, in-person meeting held yesterday, today and tomorrow (so that the
    venue's today is one of its days at any hour of the run)."""
    return {
        "slug": slug,
        "kind": "thematic",
        "title_en": "At the door (benchmark meeting)",
        "title_fr": "À l'entrée (réunion de banc d'essai)",
        "summary_en": "A meeting created by the benchmark: 2,000 delegates at the door.",
        "summary_fr": "Une réunion créée par le banc d'essai : 2 000 délégués à l'entrée.",
        "description_en": "A thematic meeting of the Dialogue.",
        "description_fr": "Une réunion thématique du Dialogue.",
        "starts_in_days": -1,
        "duration_days": 3,
        "time_zone": "Africa/Dakar",
        "format": "in_person",
        "city_en": "Dakar",
        "city_fr": "Dakar",
        "venue_en": "Conference centre",
        "venue_fr": "Centre de conférences",
        "host_country": "SN",
        "lead_partners": ["SN"],
        "in_person_capacity": None,
        "online_capacity": None,
        "delegation_size": None,
        "delegation_heads": None,
        "approval_mode": "manual",
        "focal_point_endorsement_required": False,
        "email_verification_required": False,
        "is_labelled": False,
        "secretariat_support": True,
        "organisers_en": "Ministry of Foreign Affairs (Senegal)",
        "organisers_fr": "Ministère des Affaires étrangères (Sénégal)",
        "alignment": [{"plan": "MAP", "domain": 1, "objectives": ["1"]}],
        "registration_opens_in_days": -60,
        "registration_closes_before_start_days": 7,
        "staff_note": "Created by make bench.",
        "sessions": [
            {
                "day_offset": offset,
                "start": "09:00",
                "end": "17:00",
                "title_en": "Plenary",
                "title_fr": "Plénière",
                "description_en": "",
                "description_fr": "",
                "room_en": "Plenary room",
                "room_fr": "Salle plénière",
                "speakers": [],
            }
            for offset in range(3)
        ],
    }


if __name__ == "__main__":
    main()
