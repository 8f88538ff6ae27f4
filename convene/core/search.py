"""Text as search compares it: a leaf module, so selectors and services of every app can
read it without importing each other."""

import unicodedata


def normalise_for_search(text: str) -> str:
    """Lower case without accents: "Réintégration" → "reintegration"."""
    decomposed = unicodedata.normalize("NFKD", (text or "").casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))
