"""How the audit entries of onsite read (see core.audit): one sentence per action."""

from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from convene.core.audit import choice_label, with_reason
from convene.core.models import AuditEntry

from .enums import BadgeLayout, OnsiteAuditAction

# One sentence per language of the letter: a language's name is capitalised in English
# and not in French, which one sentence with a placeholder cannot say.
LETTER_ISSUED = {
    "fr": _("Visa support letter %(number)s issued in French."),
    "en": _("Visa support letter %(number)s issued in English."),
}


def describe_onsite_entry(entry: AuditEntry) -> str:
    if entry.action == OnsiteAuditAction.BADGES_PRINTED:
        count = int(entry.to_state) if entry.to_state.isdigit() else 0
        sentence = ngettext(
            "%(count)d badge printed (%(layout)s).",
            "%(count)d badges printed (%(layout)s).",
            count,
        ) % {"count": count, "layout": choice_label(BadgeLayout, entry.from_state)}
        return with_reason(sentence, entry.reason)
    if entry.action == OnsiteAuditAction.VISA_LETTER_ISSUED:
        sentence = LETTER_ISSUED.get(entry.from_state)
        if sentence is None:
            return gettext("Visa support letter %(number)s issued.") % {"number": entry.to_state}
        return str(sentence) % {"number": entry.to_state}
    if entry.action == OnsiteAuditAction.VISA_LETTER_WITHDRAWN:
        sentence = gettext("Visa support letter %(number)s withdrawn.") % {
            "number": entry.from_state
        }
        return with_reason(sentence, entry.reason)
    if entry.action == OnsiteAuditAction.VISA_LETTER_DOWNLOADED:
        return gettext(
            "Visa support letter %(number)s downloaded (it shows the passport data)."
        ) % {"number": entry.to_state}
    if entry.action == OnsiteAuditAction.VISA_LETTER_SETTINGS_CHANGED:
        return gettext("The settings of the meeting's visa support letters were changed.")
    return gettext("A change was recorded.")
