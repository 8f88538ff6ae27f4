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
