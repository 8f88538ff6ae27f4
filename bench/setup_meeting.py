"""Create the rush meeting through the application's own services (no raw SQL).

Run from the project root once the database is migrated and the reference data
loaded: `python -m bench.setup_meeting SLUG`. Prints the meeting as JSON.
"""

import json
import os
import secrets
import sys


def main(slug: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()

    from convene.core.enums import Language, Role
    from convene.core.services import create_staff_user
    from convene.dialogues.selectors import current_dialogue
    from convene.meetings.services import import_meeting

    dialogue = current_dialogue()
    if dialogue is None:
        sys.exit("Load the reference data first: manage.py load_reference_data")
    secretariat, _created = create_staff_user(
        "secretariat@bench.convene.test",
        full_name="Secretariat officer (benchmark)",
        language=Language.EN,
        password=secrets.token_urlsafe(16),
        role=Role.SECRETARIAT,
    )
    meeting, created = import_meeting(meeting_spec(slug), dialogue=dialogue, actor=secretariat)
    if not created:
        sys.exit(f"Meeting {slug} already exists: the benchmark needs a fresh database.")
    print(
        json.dumps(
            {
                "slug": meeting.slug,
                "status": meeting.status,
                "window": meeting.registration_window().value,
                "in_person_capacity": meeting.in_person_capacity,
                "delegation_size": meeting.delegation_size,
                "delegation_heads": meeting.delegation_heads,
                "approval_mode": meeting.approval_mode,
                "email_verification_required": meeting.email_verification_required,
                "format": meeting.format,
            }
        )
    )


def _session(day, start, end, title_en, title_fr, speakers=()):
    return {
        "day_offset": day,
        "start": start,
        "end": end,
        "title_en": title_en,
        "title_fr": title_fr,
        "description_en": f"{title_en}: presentations by partners, then open discussion.",
        "description_fr": f"{title_fr} : présentations des partenaires, puis discussion ouverte.",
        "room_en": "Plenary room",
        "room_fr": "Salle plénière",
        "speakers": [
            {
                "name": name,
                "affiliation_en": "Ministry of Foreign Affairs",
                "affiliation_fr": "Ministère des Affaires étrangères",
                "role_en": "Speaker",
                "role_fr": "Intervenant",
            }
            for name in speakers
        ],
    }


def meeting_spec(slug: str) -> dict:
    """An open, published, in-person meeting with a two-day programme (like a real page)."""
    return {
        "slug": slug,
        "kind": "thematic",
        "title_en": "Registration rush (benchmark meeting)",
        "title_fr": "Ruée sur les inscriptions (réunion de banc d'essai)",
        "summary_en": "A meeting created by the benchmark: 150 seats, 3 per delegation.",
        "summary_fr": "Une réunion créée par le banc d'essai : 150 places, 3 par délégation.",
        "description_en": (
            "A thematic meeting of the Dialogue.\n\n## Objectives\n\n"
            "- Exchange good practices.\n- Agree on recommendations."
        ),
        "description_fr": (
            "Une réunion thématique du Dialogue.\n\n## Objectifs\n\n"
            "- Échanger des bonnes pratiques.\n- Adopter des recommandations."
        ),
        "starts_in_days": 60,
        "duration_days": 2,
        "time_zone": "Africa/Dakar",
        "format": "in_person",
        "city_en": "Dakar",
        "city_fr": "Dakar",
        "venue_en": "Conference centre",
        "venue_fr": "Centre de conférences",
        "host_country": "SN",
        "lead_partners": ["SN"],
        "in_person_capacity": 150,
        "online_capacity": None,
        "delegation_size": 3,
        "delegation_heads": None,
        "approval_mode": "first_come",
        "focal_point_endorsement_required": False,
        "email_verification_required": False,
        "is_labelled": True,
        "secretariat_support": True,
        "organisers_en": "Ministry of Foreign Affairs (Senegal)",
        "organisers_fr": "Ministère des Affaires étrangères (Sénégal)",
        "alignment": [{"plan": "MAP", "domain": 1, "objectives": ["1"]}],
        "registration_opens_in_days": -1,
        "registration_closes_before_start_days": 7,
        "staff_note": "Created by make bench.",
        "sessions": [
            _session(0, "09:00", "09:30", "Arrival and registration", "Accueil et inscription"),
            _session(0, "09:30", "10:00", "Opening session", "Séance d'ouverture", ["Senegal"]),
            _session(
                0, "10:00", "12:30", "Governance", "Gouvernance", ["France", "Morocco", "ICMPD"]
            ),
            _session(0, "14:00", "17:00", "Working groups", "Groupes de travail", ["Mali"]),
            _session(1, "09:30", "12:30", "Inclusion", "Inclusion", ["Spain", "Niger"]),
            _session(1, "14:00", "16:00", "Recommendations", "Recommandations"),
            _session(1, "16:00", "16:30", "Closing session", "Séance de clôture", ["Senegal"]),
        ],
    }


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "bench-rush")
