"""What the demo workshop shows of the papers before the meeting: visa support letters
with their settings, and one funded place per delegation that delegates may ask for."""

import os
import secrets
from pathlib import Path

from django.conf import settings
from django.db import transaction

from convene.core.enums import Language, Role
from convene.core.services import create_staff_user
from convene.meetings.models import Meeting

from .errors import CheckinError
from .models import CheckinDevice, VisaLetterSettings
from .services import add_checkin_device, save_visa_letter_settings

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


DEMO_CHECKIN_ACCOUNT = ("door@demo.convene.test", "Check-in staff of the workshop (demo)")
DEMO_DOOR_DEVICE = "Door phone (demo)"


def load_demo_checkin(sender, *, dialogue, actor, report, **kwargs):
    """A check-in staff account for the demo workshop and the browser device it named;
    receiver of demo_meetings_loaded. Idempotent: the account is created once (its
    password printed once and kept in var/demo-accounts.txt like the others), the
    device once while it exists.

    No attendance is made up: the workshop's days are ahead (check-in answers "not
    today" until then), and Paris 2021 is the real labelled meeting, whose public pages
    and partner reports would show invented delegates as having attended."""
    workshop = Meeting.objects.filter(dialogue=dialogue, slug=DEMO_MEETING).first()
    if workshop is None:
        return
    email, full_name = DEMO_CHECKIN_ACCOUNT
    password = secrets.token_urlsafe(12)
    door, created = create_staff_user(
        email,
        full_name=full_name,
        language=Language.EN,
        password=password,
        role=Role.CHECKIN,
        meeting=workshop,
    )
    if created:
        line = f"{email}  {password}  ({Role.CHECKIN.label})"
        _remember_demo_password(email, line)
        # As load_demo_data prints the other accounts: a heading, then the line.
        report("Check-in staff account of the demo workshop (shown once; also in var/):")
        report(f"  {line}")
    else:
        report(f"Check-in staff account of the demo workshop: {email} (already there).")
    devices = CheckinDevice.objects.filter(meeting=workshop, name=DEMO_DOOR_DEVICE)
    if devices.exists():
        return
    try:
        add_checkin_device(workshop, actor=door, name=DEMO_DOOR_DEVICE)
    except CheckinError:
        # An account of that address that staff gave other roles: no device made for it.
        report(f"Check-in device of the demo workshop: none ({email} does not check in there).")
        return
    report(f"Check-in device of the demo workshop: {DEMO_DOOR_DEVICE}.")


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
