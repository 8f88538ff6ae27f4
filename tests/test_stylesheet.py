"""The focus ring of static/convene/site.css reaches 3:1 against every background the
stylesheet paints (WCAG 1.4.11 Non-text Contrast), so a colour change that breaks it fails."""

import re
from pathlib import Path

import pytest

STYLESHEET = Path(__file__).resolve().parent.parent / "static/convene/site.css"
COLOUR = re.compile(r"#[0-9a-fA-F]{6}\b")


def _css() -> str:
    return re.sub(r"/\*.*?\*/", "", STYLESHEET.read_text(), flags=re.DOTALL)


def _custom_properties(css: str) -> dict[str, str]:
    root = re.search(r":root\s*\{(.*?)\}", css, re.DOTALL).group(1)
    return dict(re.findall(r"(--[\w-]+)\s*:\s*([^;]+);", root))


def _rule(css: str, selector: str) -> dict[str, str]:
    body = re.search(rf"(?:^|\}})\s*{re.escape(selector)}\s*\{{(.*?)\}}", css, re.DOTALL).group(1)
    return {
        name.strip(): value.strip() for name, value in re.findall(r"([\w-]+)\s*:\s*([^;]+)", body)
    }


def _resolved(value: str, properties: dict[str, str]) -> str:
    return re.sub(r"var\((--[\w-]+)\)", lambda m: properties[m.group(1)].strip(), value)


def _backgrounds(css: str, properties: dict[str, str]) -> set[str]:
    """Every colour painted as a background by a rule of the stylesheet."""
    values = re.findall(r"(?:^|[;{\s])background(?:-color)?\s*:\s*([^;}]+)", css)
    return {
        colour.lower()
        for value in values
        for colour in COLOUR.findall(_resolved(value, properties))
    }


def relative_luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2 contrast ratio, from 1 (same colour) to 21 (black on white)."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@pytest.mark.parametrize(
    ("first", "second", "ratio"),
    [("#000000", "#ffffff", 21.0), ("#767676", "#ffffff", 4.54), ("#ffffff", "#ffffff", 1.0)],
)
def test_contrast_ratio_matches_the_wcag_reference_values(first, second, ratio):
    assert round(contrast_ratio(first, second), 2) == ratio


def test_focus_ring_is_the_two_tone_outline_and_halo():
    css = _css()

    focus = _rule(css, ":focus-visible")

    assert (focus["outline"], focus["box-shadow"]) == (
        "3px solid var(--focus-ring)",
        "0 0 0 3px var(--focus-halo)",
    )
    # No rule draws another ring or removes it for the focus-visible state.
    selectors = [s.strip() for s in re.findall(r"([^{}]*:focus-visible[^{}]*)\{", css)]
    assert selectors == [":focus-visible"]


def test_stylesheet_backgrounds_are_the_ones_checked_below():
    # A new background must join this list, and so be checked against the focus ring.
    css = _css()

    assert _backgrounds(css, _custom_properties(css)) == {
        "#ffffff",  # page, footer, secondary buttons, inputs, skip link
        "#eef4fa",  # tint: notices, label marks, hovered secondary buttons
        "#083b68",  # brand-dark: header, hovered buttons
        "#0b4f8a",  # brand: main menu, buttons
        "#9c4d00",  # accent: gap marks
        "#fff4e0",  # warning notices
        "#fdecea",  # error notices and the error summary
        "#e8f5e9",  # success notices
        "#b3261e",  # danger buttons
        "#8c1d18",  # hovered danger buttons
    }


def test_focus_ring_reaches_3_to_1_against_every_background():
    css = _css()
    properties = _custom_properties(css)
    ring, halo = properties["--focus-ring"].strip(), properties["--focus-halo"].strip()

    # The ring is seen where one of its tones stands out from the background next to it.
    ratios = {
        background: round(
            max(contrast_ratio(ring, background), contrast_ratio(halo, background)), 2
        )
        for background in _backgrounds(css, properties)
    }

    assert {background: ratio for background, ratio in ratios.items() if ratio < 3} == {}
    assert ratios == {
        "#ffffff": 16.56,
        "#eef4fa": 14.95,
        "#083b68": 11.44,
        "#0b4f8a": 8.4,
        "#9c4d00": 6.04,
        "#fff4e0": 15.2,
        "#fdecea": 14.48,
        "#e8f5e9": 14.72,
        "#b3261e": 6.54,
        "#8c1d18": 9.11,
    }
    # The two tones stand out from each other, so the ring reads as one on any background.
    assert round(contrast_ratio(ring, halo), 2) == 16.56
