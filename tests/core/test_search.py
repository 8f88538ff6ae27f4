import pytest

from convene.core.search import normalise_for_search


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Réintégration", "reintegration"),
        ("Traoré", "traore"),
        ("SÉNÉGAL", "senegal"),
        ("Straße", "strasse"),
        ("", ""),
        (None, ""),
    ],
)
def test_normalise_for_search_drops_case_and_accents(text, expected):
    assert normalise_for_search(text) == expected
