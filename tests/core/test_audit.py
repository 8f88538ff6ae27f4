"""Audit entries read as sentences (convene.core.audit): every action the services write
has its sentence in both languages, and no stored code shows through."""

import ast
import importlib
import pathlib

import pytest
from django.db import models
from django.utils import translation

from convene.core.audit import (
    audit_action_label,
    describe_audit_entry,
    registered_audit_actions,
    status_change,
    with_reason,
)
from convene.core.enums import AuditAction
from convene.core.models import AuditEntry

pytestmark = pytest.mark.django_db

SOURCE = pathlib.Path(__file__).resolve().parents[2] / "convene"
APPS = (
    "core",
    "dialogues",
    "meetings",
    "registrations",
    "onsite",
    "labels",
    "practices",
    "reports",
    "api",
)
GENERIC = "A change was recorded."


def _audit_action_enums() -> list[type[models.TextChoices]]:
    """Every TextChoices named …AuditAction in the apps' enums modules."""
    found = []
    for app in APPS:
        if not (SOURCE / app / "enums.py").exists():
            continue
        module = importlib.import_module(f"convene.{app}.enums")
        found += [
            value
            for name, value in vars(module).items()
            if name.endswith("AuditAction") and isinstance(value, type)
        ]
    return found


def _written_actions() -> list[tuple[str, ast.expr]]:
    """The `action=` of each record_audit_entry call, each `audit_action=` given and the
    default of each `audit_action` parameter in convene/, with the file it is in."""
    written = []
    for path in SOURCE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        where = str(path.relative_to(SOURCE))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", getattr(node.func, "attr", ""))
                written += [
                    (where, keyword.value)
                    for keyword in node.keywords
                    if (name == "record_audit_entry" and keyword.arg == "action")
                    or keyword.arg == "audit_action"
                ]
            elif isinstance(node, ast.arguments):
                # Positional defaults belong to the last parameters.
                positional = [*node.posonlyargs, *node.args]
                named = positional[len(positional) - len(node.defaults) :]
                pairs = [
                    *zip(named, node.defaults, strict=True),
                    *zip(node.kwonlyargs, node.kw_defaults, strict=True),
                ]
                written += [
                    (where, default)
                    for arg, default in pairs
                    if arg.arg == "audit_action" and default is not None
                ]
    return written


def test_every_audit_action_enum_is_registered():
    enums = _audit_action_enums()
    codes = {action.value for enum in enums for action in enum}

    assert len(enums) == 6
    assert codes == set(registered_audit_actions())


def test_services_write_every_registered_action_and_only_by_its_enum():
    enums = {enum.__name__: enum for enum in _audit_action_enums()}
    by_enum, other = set(), []
    for path, value in _written_actions():
        if (
            isinstance(value, ast.Attribute)
            and isinstance(value.value, ast.Name)
            and value.value.id in enums
            and value.attr in enums[value.value.id].__members__
        ):
            by_enum.add(enums[value.value.id][value.attr].value)
        else:
            other.append((path, ast.unparse(value)))

    # A literal would be a code no sentence was written for; only the one door of
    # registrations passes its `audit_action` parameter on.
    assert other == [("registrations/services.py", "audit_action")] * 2
    assert by_enum == set(registered_audit_actions())


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_registered_action_reads_as_a_sentence_without_its_code(language):
    unreadable = []
    with translation.override(language):
        for code in registered_audit_actions():
            entry = AuditEntry(action=code, from_state="", to_state="", reason="")
            sentence = describe_audit_entry(entry)
            label = audit_action_label(code)
            if sentence in (GENERIC, "Une modification a été enregistrée.") or code in sentence:
                unreadable.append((code, sentence))
            if label in ("Other change", "Autre modification") or code in label:
                unreadable.append((code, label))

    assert unreadable == []


def test_every_registered_action_has_its_french_label():
    english = {}
    with translation.override("en"):
        english = {code: audit_action_label(code) for code in registered_audit_actions()}
    with translation.override("fr"):
        untranslated = [
            code for code in registered_audit_actions() if audit_action_label(code) == english[code]
        ]

    assert untranslated == []


def test_unknown_action_reads_generically_in_both_languages():
    entry = AuditEntry(action="retired.code", from_state="x_y", to_state="z_w")

    with translation.override("en"):
        english = (describe_audit_entry(entry), audit_action_label(entry.action))
    with translation.override("fr"):
        french = (describe_audit_entry(entry), audit_action_label(entry.action))

    assert english == ("A change was recorded.", "Other change")
    assert french == ("Une modification a été enregistrée.", "Autre modification")


def test_with_reason_translates_a_system_reason_and_keeps_a_persons():
    with translation.override("fr"):
        system = with_reason("Fait.", "Email address verified.")
        person = with_reason("Fait.", "Doublon")

    assert system == "Fait. Motif\u00a0: Adresse électronique vérifiée."
    assert person == "Fait. Motif\u00a0: Doublon"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Sign-in lock lifted for awa@example.org, after 1 failed attempt."),
        ("fr", "Blocage de connexion levé pour awa@example.org, après 1 tentative échouée."),
    ],
)
def test_sign_in_lock_lifted_reads_with_the_account_and_count(language, expected):
    entry = AuditEntry(
        action=AuditAction.SIGN_IN_LOCK_LIFTED,
        from_state="1",
        to_state="0",
        reason="awa@example.org",
    )

    with translation.override(language):
        assert describe_audit_entry(entry) == expected


class _Colour(models.TextChoices):
    RED = "red", "Red"
    BLUE = "blue", "Blue"


@pytest.mark.parametrize(
    ("from_state", "to_state", "expected"),
    [
        ("red", "blue", "Status changed from “Red” to “Blue”."),
        ("", "gone", "Status changed from “unknown” to “unknown”."),
    ],
)
def test_status_change_reads_the_states_as_labels(from_state, to_state, expected):
    entry = AuditEntry(action="x.status", from_state=from_state, to_state=to_state)

    with translation.override("en"):
        assert status_change(_Colour, entry) == expected


def test_status_change_in_french():
    entry = AuditEntry(action="x.status", from_state="red", to_state="blue")

    with translation.override("fr"):
        assert status_change(_Colour, entry) == "Statut passé de «\xa0Red\xa0» à «\xa0Blue\xa0»."
