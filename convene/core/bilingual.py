"""Paired `_en`/`_fr` content fields and the one helper that picks between them."""

from django.conf import settings
from django.utils.translation import get_language

LANGUAGE_CODES = tuple(code for code, _name in settings.LANGUAGES)


def active_language() -> str:
    return (get_language() or settings.LANGUAGE_CODE)[:2]


def localized(obj, name: str, language: str | None = None) -> str:
    """Value of `<name>_<language>`, else the other language's, else "".

    The fallback only shows on drafts and on reference data still being completed:
    publication requires both languages.
    """
    language = language or active_language()
    order = (language, *(code for code in LANGUAGE_CODES if code != language))
    for code in order:
        value = getattr(obj, f"{name}_{code}", "")
        if value:
            return value
    return ""


def paired_field_names(name: str) -> tuple[str, ...]:
    return tuple(f"{name}_{code}" for code in LANGUAGE_CODES)


def missing_translations(obj, names) -> list[str]:
    """Names of the paired fields left empty, e.g. ["title_fr"]."""
    return [
        field
        for name in names
        for field in paired_field_names(name)
        if not str(getattr(obj, field, "") or "").strip()
    ]


class Translated:
    """Class attribute reading a paired field in the active language.

    `title = Translated()` on a model with `title_en` and `title_fr` makes
    `meeting.title` the right one for the current request or override.
    """

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        return localized(obj, self.name)
