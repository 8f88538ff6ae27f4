from types import SimpleNamespace

from django.utils import translation

from convene.core.bilingual import (
    Translated,
    active_language,
    localized,
    missing_translations,
    paired_field_names,
)


class Item:
    title = Translated()

    def __init__(self, title_en="", title_fr=""):
        self.title_en, self.title_fr = title_en, title_fr


def test_active_language_follows_the_override():
    with translation.override("fr"):
        assert active_language() == "fr"
    with translation.override("en"):
        assert active_language() == "en"


def test_active_language_keeps_two_letters_of_a_regional_code():
    with translation.override("fr-ca"):
        assert active_language() == "fr"


def test_active_language_defaults_when_translation_is_deactivated(settings):
    with translation.override(None):
        assert active_language() == settings.LANGUAGE_CODE == "en"


def test_localized_picks_the_active_language():
    item = SimpleNamespace(title_en="Paris meeting", title_fr="Réunion de Paris")

    with translation.override("fr"):
        french = localized(item, "title")
    with translation.override("en"):
        english = localized(item, "title")

    assert (english, french) == ("Paris meeting", "Réunion de Paris")


def test_localized_explicit_language_wins_over_the_active_one():
    item = SimpleNamespace(title_en="Paris meeting", title_fr="Réunion de Paris")

    with translation.override("en"):
        assert localized(item, "title", "fr") == "Réunion de Paris"


def test_localized_falls_back_to_the_other_language_when_empty():
    item = SimpleNamespace(title_en="Paris meeting", title_fr="")

    with translation.override("fr"):
        assert localized(item, "title") == "Paris meeting"


def test_localized_empty_in_both_languages_gives_empty_string():
    item = SimpleNamespace(title_en="", title_fr="")

    assert localized(item, "title", "fr") == ""


def test_localized_missing_attribute_gives_empty_string():
    assert localized(SimpleNamespace(), "title", "en") == ""


def test_translated_reads_the_active_language():
    item = Item("Opening session", "Séance d'ouverture")

    with translation.override("fr"):
        assert item.title == "Séance d'ouverture"
    with translation.override("en"):
        assert item.title == "Opening session"


def test_translated_on_the_class_returns_the_descriptor():
    assert isinstance(Item.title, Translated)
    assert Item.title.name == "title"


def test_paired_field_names_follow_settings_languages():
    assert paired_field_names("title") == ("title_en", "title_fr")


def test_missing_translations_lists_empty_and_blank_fields_in_order():
    item = SimpleNamespace(
        title_en="Title", title_fr="   ", city_en="", city_fr="Paris", venue_en=None, venue_fr="x"
    )

    assert missing_translations(item, ("title", "city", "venue")) == [
        "title_fr",
        "city_en",
        "venue_en",
    ]


def test_missing_translations_empty_when_complete():
    item = SimpleNamespace(title_en="Title", title_fr="Titre")

    assert missing_translations(item, ("title",)) == []
