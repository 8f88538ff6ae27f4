"""Audit entries read as sentences in the reader's language, never as stored codes.

An entry stores codes (its action, the states it went from and to, sometimes a field
name or a system reason kept in English). Each app knows what its codes mean, and core
imports no app: so each app registers its actions once (`register_audit_actions`, from
its AppConfig.ready), as a TextChoices whose labels name the change (lists and filters)
with one function that writes an entry of them as a sentence (histories). An action
nobody registered still reads as a generic sentence, never as its code.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext, gettext_lazy, ngettext

from .enums import AuditAction

# An entry is a core.models.AuditEntry; not imported, as models.py imports this module
# (AuditEntry.__str__ names the action).
AuditEntry = models.Model


@dataclass(frozen=True)
class RegisteredAction:
    code: str
    label: str
    describe: Callable[[AuditEntry], str]


_actions: dict[str, RegisteredAction] = {}

UNKNOWN_ACTION = gettext_lazy("Other change")


def register_audit_actions(
    actions: type[models.TextChoices], *, describe: Callable[[AuditEntry], str]
) -> None:
    """Make each of `actions` known: its label names it, `describe(entry)` tells an entry
    of it as whole sentences in the active language."""
    for action in actions:
        _actions[action.value] = RegisteredAction(action.value, action.label, describe)


def registered_audit_actions() -> dict[str, RegisteredAction]:
    return dict(_actions)


def audit_action_label(code: str) -> str:
    """What kind of change `code` is, in the active language."""
    registered = _actions.get(code)
    return str(registered.label) if registered else str(UNKNOWN_ACTION)


def describe_audit_entry(entry: AuditEntry) -> str:
    """The entry as one or two sentences in the active language (who acted is not in
    them: the history shows the actor beside)."""
    registered = _actions.get(entry.action)
    if registered is None:
        return gettext("A change was recorded.")
    return registered.describe(entry)


def with_reason(sentence: str, reason: str) -> str:
    """`sentence` followed by the entry's reason, if any. System reasons are stored in
    English (gettext_noop) and translated here; a person's reason is shown as written."""
    if not reason:
        return sentence
    return f"{sentence} " + gettext("Reason: %(reason)s") % {"reason": gettext(reason)}


def choice_label(choices: type[models.TextChoices], code: str) -> str:
    """The translated label of a stored choice; a code no longer among the choices reads
    as "unknown" rather than as itself."""
    try:
        return str(choices(code).label)
    except ValueError:
        return gettext("unknown")


def status_change(choices: type[models.TextChoices], entry) -> str:
    """The sentence of a status change, the states of `choices` as their labels."""
    return gettext("Status changed from “%(old)s” to “%(new)s”.") % {
        "old": choice_label(choices, entry.from_state),
        "new": choice_label(choices, entry.to_state),
    }


def field_names(model: type[models.Model], names: list[str]) -> str:
    """Field names as the model's verbose names in the active language, comma-separated;
    a name the model no longer has is left out rather than shown as a code."""
    known = {
        field.name: field for field in model._meta.get_fields() if hasattr(field, "verbose_name")
    }
    return ", ".join(str(known[name].verbose_name) for name in names if name in known)


def describe_core_entry(entry: AuditEntry) -> str:
    if entry.action == AuditAction.SIGN_IN_LOCK_LIFTED:
        count = int(entry.from_state) if entry.from_state.isdigit() else 0
        return ngettext(
            "Sign-in lock lifted for %(account)s, after %(count)s failed attempt.",
            "Sign-in lock lifted for %(account)s, after %(count)s failed attempts.",
            count,
        ) % {"account": entry.reason, "count": count}
    if entry.action == AuditAction.EMAIL_RESENT:
        if entry.from_state == "failed":
            sentence = gettext("Email queued to be sent again after it failed.")
        else:
            sentence = gettext("Email queued to be sent again while it was waiting.")
        if entry.reason:
            sentence += " " + gettext("Last error: %(error)s") % {"error": entry.reason}
        return sentence
    return gettext("A change was recorded.")
