"""How the audit entries of registrations read (see core.audit): one sentence per action,
states as their labels, field names as the model's verbose names."""

from urllib.parse import parse_qsl

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext, ngettext

from convene.core.audit import (
    audit_action_label,
    choice_label,
    field_names,
    status_change,
    with_reason,
)
from convene.core.models import AuditEntry
from convene.dialogues.models import Partner

from .enums import (
    SOURCE_REASONS,
    ExportFormat,
    Participation,
    RegistrationAuditAction,
    RegistrationStatus,
)
from .models import Registration

A = RegistrationAuditAction

# Query-string keys of the back-office list that say nothing about which rows were
# exported: the order, the page, the admin's own flags.
_NOT_FILTERS = {"o", "p", "e", "_changelist_filters", "all"}


def describe_registration_entry(entry: AuditEntry) -> str:
    if entry.action == A.CREATED:
        sentence = gettext("Registration created: “%(status)s”.") % {
            "status": choice_label(RegistrationStatus, entry.to_state)
        }
        # How it came (SOURCE_REASONS) is a sentence itself; a staff entry's note is a reason.
        if entry.reason in SOURCE_REASONS.values():
            return f"{sentence} {gettext(entry.reason)}"
        return with_reason(sentence, entry.reason)
    if entry.action == A.STATUS:
        return with_reason(_status_change(entry), entry.reason)
    if entry.action == A.ENDORSED_ON_BEHALF:
        sentence = gettext("Endorsed on the focal point's behalf: %(change)s") % {
            "change": _status_change(entry)
        }
        return with_reason(sentence, entry.reason)
    if entry.action == A.PARTICIPATION:
        return gettext("Way of attending changed from “%(old)s” to “%(new)s”.") % {
            "old": choice_label(Participation, entry.from_state),
            "new": choice_label(Participation, entry.to_state),
        }
    if entry.action == A.UPDATED:
        names = field_names(Registration, [name.strip() for name in entry.reason.split(",")])
        if not names:
            return gettext("Details changed.")
        return gettext("Details changed: %(fields)s.") % {"fields": names}
    if entry.action == A.EXPORTED:
        count = int(entry.to_state) if entry.to_state.isdigit() else 0
        sentence = ngettext(
            "%(count)s registration exported as %(format)s.",
            "%(count)s registrations exported as %(format)s.",
            count,
        ) % {"count": count, "format": choice_label(ExportFormat, entry.from_state)}
        filters = _filters_text(entry.reason)
        if filters:
            sentence += " " + gettext("Filters: %(filters)s.") % {"filters": filters}
        return sentence
    return gettext("A change was recorded.")


def delegate_history_line(entry: AuditEntry) -> str:
    """What the delegate's personal page shows of an entry: the status reached and why,
    or the change in a few words (not the back-office's export records)."""
    if entry.action in (A.CREATED, A.STATUS, A.ENDORSED_ON_BEHALF):
        status = choice_label(RegistrationStatus, entry.to_state)
        return f"{status} · {gettext(entry.reason)}" if entry.reason else status
    if entry.action == A.PARTICIPATION:
        return gettext("Way of attending: %(participation)s") % {
            "participation": choice_label(Participation, entry.to_state)
        }
    if entry.action == A.UPDATED:
        return gettext("Details changed")
    return audit_action_label(entry.action)


def _status_change(entry: AuditEntry) -> str:
    return status_change(RegistrationStatus, entry)


def _filters_text(query: str) -> str:
    """The filters of an export (the list's query string, or "delegation=<code>") as
    "field: value" pairs in the active language, " · " between them (a value may hold
    a comma or a semicolon)."""
    parts = []
    for key, value in parse_qsl(query):
        if key in _NOT_FILTERS:
            continue
        if key == "q":
            parts.append(gettext("search “%(text)s”") % {"text": value})
            continue
        label, shown = _filter_part(key, value)
        parts.append(
            gettext("%(field)s: %(value)s") % {"field": label, "value": shown} if label else shown
        )
    return " · ".join(parts)


def _filter_part(key: str, value: str) -> tuple[str, str]:
    if key == "delegation":
        # The focal point's export names the delegation by its code.
        partner = Partner.objects.filter(code=value).first()
        return str(Registration._meta.get_field("delegation").verbose_name), str(partner or value)
    model, field, relation = Registration, None, None
    for name in key.split("__"):
        try:
            found = model._meta.get_field(name)
        except FieldDoesNotExist:
            break  # a lookup ("exact", "gte"…)
        if relation is not None and found.primary_key:
            break  # "meeting__id": the meeting itself
        field = found
        if not found.is_relation or found.related_model is None:
            break
        relation, model = found, found.related_model
    if field is None:
        return "", value
    label = str(getattr(field, "verbose_name", field.name))
    if field.choices:
        labels = {str(code): str(text) for code, text in field.flatchoices}
        return label, labels.get(value, value)
    if field.is_relation and field.related_model is not None:
        related = field.related_model.objects.filter(pk=value).first() if value.isdigit() else None
        return label, str(related or value)
    if isinstance(field, models.BooleanField):
        return label, gettext("yes") if value in ("1", "True", "true") else gettext("no")
    return label, value
