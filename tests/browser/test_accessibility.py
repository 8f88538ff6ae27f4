"""WCAG 2.1 A and AA on every public page, in both languages, on a desktop and on a phone."""

import pytest

from tests.browser.axe import assert_no_axe_violations, axe_violations, describe_violations
from tests.browser.pages import (
    DESKTOP,
    LANGUAGES,
    PHONE,
    PUBLIC_PAGES,
    expected_status,
    horizontal_scroll_width,
    public_path,
)

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_page_passes_axe_at_1280_and_360_px_and_needs_no_sideways_scroll(
    open_context, name, language
):
    # One page load for both widths: the pages have no script, so a resize lays
    # them out as a fresh load at that width would.
    page = open_context(viewport=DESKTOP, bypass_csp=True).new_page()
    response = page.goto(public_path(name, language))
    assert response.status == expected_status(name)
    assert page.locator("html").get_attribute("lang") == language

    desktop_violations = axe_violations(page)
    page.set_viewport_size(PHONE)
    phone_violations = axe_violations(page)

    if desktop_violations or phone_violations:
        pytest.fail(
            f"axe-core on {page.url}\n"
            f"at 1280 px:\n{describe_violations(desktop_violations) or '  none'}\n"
            f"at 360 px:\n{describe_violations(phone_violations) or '  none'}"
        )
    # WCAG 1.4.10 Reflow, which axe-core cannot check.
    assert horizontal_scroll_width(page) <= PHONE["width"]


def test_axe_check_names_the_rule_and_the_element_that_fail(chromium):
    # Guards the helper itself: a wrong tag list or a failed injection would let
    # every page above pass.
    with chromium.new_context(bypass_csp=True) as context:
        page = context.new_page()
        page.set_content(
            '<html lang="en"><head><title>Broken</title></head>'
            '<body><main><img id="logo" src="data:,"></main></body></html>'
        )

        violations = axe_violations(page)
        with pytest.raises(pytest.fail.Exception) as failure:
            assert_no_axe_violations(page)

    assert [(v["id"], v["impact"], v["targets"]) for v in violations] == [
        ("image-alt", "critical", ["#logo"])
    ]
    assert "- image-alt (critical): Images must have alternative text\n    #logo" in str(
        failure.value
    )
