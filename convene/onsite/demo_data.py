"""What the demo workshop shows of the papers before the meeting: visa support letters
with their settings, and one funded place per delegation that delegates may ask for."""

from django.db import transaction

from convene.meetings.models import Meeting

from .models import VisaLetterSettings
from .services import save_visa_letter_settings

DEMO_MEETING = "example-workshop"

DEMO_LETTER_SETTINGS = {
    "institution_en": "Secretariat of the Rabat Process (demo)",
    "institution_fr": "Secrétariat du Processus de Rabat (démonstration)",
    "signatory_name": "Claire Martin (demo)",
    "signatory_function_en": "Head of the Secretariat",
    "signatory_function_fr": "Cheffe du Secrétariat",
    "signature_place_en": "Brussels",
    "signature_place_fr": "Bruxelles",
    "contact_email": "letters@demo.convene.test",
    "contact_phone": "+32 2 555 01 23",
}


def load_demo_visa_letters_and_funding(sender, *, dialogue, actor, report, **kwargs):
    """Give the demo workshop its letter settings and funded places, once; receiver of
    demo_meetings_loaded.

    The letter settings mark that this was done: while they exist nothing is touched
    again, so what staff changed since (letters switched off, another number of funded
    places, another signatory) stays as they left it."""
    meeting = Meeting.objects.filter(dialogue=dialogue, slug=DEMO_MEETING).first()
    if meeting is None or VisaLetterSettings.objects.filter(meeting=meeting).exists():
        report("Visa letters and funded places of the demo workshop: none (already there).")
        return
    with transaction.atomic():
        meeting.offers_visa_letters = True
        meeting.funded_places_per_delegation = 1
        meeting.delegates_may_request_funding = True
        meeting.save(
            update_fields=[
                "offers_visa_letters",
                "funded_places_per_delegation",
                "delegates_may_request_funding",
                "updated_at",
            ]
        )
        save_visa_letter_settings(
            VisaLetterSettings(meeting=meeting, **DEMO_LETTER_SETTINGS), actor=actor
        )
    report(f"Visa letters and funded places of the demo workshop: {meeting.slug}.")


# --- check-in -------------------------------------------------------------------------
# Imported here so that this part merges as one block with the other parts of check-in.
import datetime  # noqa: E402
import os  # noqa: E402
import secrets  # noqa: E402
import unicodedata  # noqa: E402
import uuid  # noqa: E402
from pathlib import Path  # noqa: E402

from django.conf import settings  # noqa: E402

from convene.core.enums import Language, Role  # noqa: E402
from convene.core.services import create_staff_user  # noqa: E402
from convene.dialogues.models import Partner  # noqa: E402
from convene.meetings.enums import Category  # noqa: E402
from convene.registrations.enums import (  # noqa: E402
    DelegationRole,
    LevelOfGovernment,
    Participation,
    RegistrationStatus,
    Source,
)
from convene.registrations.models import Registration  # noqa: E402
from convene.registrations.services import (  # noqa: E402
    approve_registration,
    submit_registration,
)

from .models import CheckinDevice  # noqa: E402
from .services import add_checkin_device, record_checkin  # noqa: E402

DEMO_CHECKIN_ACCOUNT = ("door@demo.convene.test", "Check-in staff of the workshop (demo)")
DEMO_HELD_MEETING = "paris-2021"
DEMO_DESK = "Entrance desk (demo)"
# Who came to Paris 2021 in the demo, and on which of its two days (1: the first).
DEMO_ATTENDEES = (
    ("FR", "Camille", "Lefèvre", "head", (1, 2)),
    ("FR", "Julien", "Moreau", "member", (1,)),
    ("SN", "Aminata", "Fall", "head", (1, 2)),
    ("SN", "Ibrahima", "Ndiaye", "expert", (2,)),
    ("MA", "Yasmine", "El Amrani", "head", (1, 2)),
    ("ES", "Lucía", "García", "member", (1,)),
)
# The ids the desk gave its scans: the same on every load, so a second load replays them.
DEMO_SCAN_NAMESPACE = uuid.UUID("6f1d3c52-7a8e-4b0e-9a55-0c2f6d1e9b31")


def load_demo_checkin(sender, *, dialogue, actor, report, **kwargs):
    """A check-in staff account for the demo workshop, and at Paris 2021 (held) a desk
    device, a few approved delegates and their attendance, so that the live figures and
    the certificates show something. Receiver of demo_meetings_loaded; idempotent: the
    desk device marks that the attendance was loaded, and the account is created once
    (its password printed once and kept in var/demo-accounts.txt like the others)."""
    workshop = Meeting.objects.filter(dialogue=dialogue, slug=DEMO_MEETING).first()
    if workshop is not None:
        _load_checkin_account(workshop, report)
    held = Meeting.objects.filter(dialogue=dialogue, slug=DEMO_HELD_MEETING).first()
    if held is None or CheckinDevice.objects.filter(meeting=held, name=DEMO_DESK).exists():
        report("Check-in at the demo's past meeting: none (already there).")
        return
    with transaction.atomic():
        desk = add_checkin_device(held, actor=actor, name=DEMO_DESK)
        count = 0
        for number, (code, first, last, role, days) in enumerate(DEMO_ATTENDEES):
            registration = _demo_registration(
                held, actor=actor, code=code, names=(first, last), role=role
            )
            for day_number in days:
                day = held.starts_on + datetime.timedelta(days=day_number - 1)
                scanned_at = datetime.datetime.combine(
                    day, datetime.time(8, 40 + 3 * number), tzinfo=held.tzinfo
                )
                record_checkin(
                    desk,
                    client_id=uuid.uuid5(DEMO_SCAN_NAMESPACE, f"{registration.reference}:{day}"),
                    scanned_at=scanned_at,
                    reference=registration.reference,
                    actor=actor,
                )
                count += 1
    report(f"Check-in at the demo's past meeting: {count} attendances at {held.slug}.")


def _demo_registration(meeting, *, actor, code, names, role) -> Registration:
    first, last = names
    partner = Partner.objects.get(dialogue=meeting.dialogue, code=code)
    data = {
        "category": Category.PARTNER_COUNTRY,
        "delegation": partner,
        "first_name": first,
        "last_name": last,
        "email": _ascii(f"{first}.{last}.{code}@demo.convene.test").lower().replace(" ", "-"),
        "institution": "Ministry of the Interior (demo)",
        "function": "Migration officer",
        "level_of_government": LevelOfGovernment.NATIONAL,
        "role": DelegationRole(role),
        "participation": Participation.IN_PERSON,
        "days": [day.isoformat() for day in meeting.days],
        "language": Language.FR if code in ("FR", "SN", "MA") else Language.EN,
        "consent_processing": True,
    }
    registration = submit_registration(
        meeting, data=data, source=Source.SECRETARIAT, actor=actor, note="Demo data."
    )
    if registration.status != RegistrationStatus.APPROVED:
        registration = approve_registration(registration, actor=actor, override_reason="Demo data.")
    return registration


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _load_checkin_account(workshop, report) -> None:
    email, full_name = DEMO_CHECKIN_ACCOUNT
    password = secrets.token_urlsafe(12)
    _user, created = create_staff_user(
        email,
        full_name=full_name,
        language=Language.EN,
        password=password,
        role=Role.CHECKIN,
        meeting=workshop,
    )
    if not created:
        report(f"Check-in staff account of the demo workshop: {email} (already there).")
        return
    line = f"{email}  {password}  ({Role.CHECKIN.label})"
    _remember_demo_password(email, line)
    report(f"Check-in staff account of the demo workshop (shown once): {line}")


def _remember_demo_password(email: str, line: str) -> None:
    """Keep the line in var/demo-accounts.txt, the file load_demo_data writes the other
    demo passwords to, in its format: one line per account, owner-only."""
    path = Path(settings.VAR_DIR) / "demo-accounts.txt"
    known = {}
    if path.exists():
        for existing in path.read_text(encoding="utf-8").splitlines():
            if existing.strip():
                known[existing.split()[0]] = existing
    known[email] = line
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write("\n".join(known.values()) + "\n")
    path.chmod(0o600)
