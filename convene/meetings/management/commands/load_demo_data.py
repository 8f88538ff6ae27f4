import json
import os
import secrets
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from convene.core.enums import Language, Role
from convene.core.models import RoleAssignment, User
from convene.core.services import create_staff_user
from convene.dialogues.models import Partner
from convene.dialogues.selectors import current_dialogue
from convene.meetings.services import import_meeting
from convene.meetings.signals import demo_meetings_loaded

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"

DEMO_ACCOUNTS = [
    # email, full name, language, role, partner code
    (
        "secretariat@demo.convene.test",
        "Secretariat officer (demo)",
        Language.EN,
        Role.SECRETARIAT,
        None,
    ),
    (
        "focal.point.fr@demo.convene.test",
        "Focal point of France (demo)",
        Language.FR,
        Role.FOCAL_POINT,
        "FR",
    ),
    (
        "focal.point.sn@demo.convene.test",
        "Focal point of Senegal (demo)",
        Language.FR,
        Role.FOCAL_POINT,
        "SN",
    ),
]


class Command(BaseCommand):
    help = (
        "Create the demo accounts and the demo meetings, with what other apps add to them "
        "(labelling records, good practices), idempotently. "
        "Passwords of new accounts are printed once and kept in var/demo-accounts.txt."
    )

    def handle(self, *args, **options):
        dialogue = current_dialogue()
        if dialogue is None:
            raise CommandError("Load the reference data first: manage.py load_reference_data")
        new_accounts = []
        users = {}
        for email, full_name, language, role, code in DEMO_ACCOUNTS:
            password = secrets.token_urlsafe(12)
            partner = Partner.objects.get(dialogue=dialogue, code=code) if code else None
            if partner and self._has_other_focal_point(email, partner):
                self.stdout.write(f"Skipped {email}: {partner.name_en} already has a focal point.")
                continue
            user, created = create_staff_user(
                email,
                full_name=full_name,
                language=language,
                password=password,
                role=role,
                partner=partner,
            )
            users[role, code] = user
            if created:
                new_accounts.append((email, password, role.label))
        spec = json.loads((DEMO_DIR / "meetings.json").read_text(encoding="utf-8"))
        secretariat = users[Role.SECRETARIAT, None]
        created_meetings = [
            meeting.slug
            for meeting, created in (
                import_meeting(item, dialogue=dialogue, actor=secretariat)
                for item in spec["meetings"]
            )
            if created
        ]
        self.stdout.write(
            f"Demo meetings created: {', '.join(created_meetings) or 'none (already there)'}."
        )
        demo_meetings_loaded.send(
            sender=self.__class__, dialogue=dialogue, actor=secretariat, report=self.stdout.write
        )
        if new_accounts:
            self._announce(new_accounts)
        else:
            self.stdout.write("Demo accounts already exist (passwords in var/demo-accounts.txt).")

    @staticmethod
    def _has_other_focal_point(email, partner) -> bool:
        # One current focal point per partner: a real one recorded by the Secretariat wins.
        # Read as the unique constraint reads it (no end date), not as current(): a focal
        # point appointed from a future date would still make a second open-ended one fail.
        return (
            not User.objects.filter(email__iexact=email).exists()
            and RoleAssignment.objects.filter(
                role=Role.FOCAL_POINT, partner=partner, ends_on__isnull=True
            ).exists()
        )

    def _announce(self, accounts):
        # One line per account: a password replaces the stale one of a re-created account.
        path = Path(settings.VAR_DIR) / "demo-accounts.txt"
        known = {}
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    known[line.split()[0]] = line
        for email, password, role in accounts:
            known[email] = f"{email}  {password}  ({role})"
        # Created owner-only from the start: the file holds passwords.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write("\n".join(known.values()) + "\n")
        path.chmod(0o600)
        self.stdout.write(
            self.style.WARNING(
                "Demo back-office accounts (shown once; also in var/demo-accounts.txt):"
            )
        )
        for email, _password, _role in accounts:
            self.stdout.write(f"  {known[email]}")
