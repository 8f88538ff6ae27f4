"""Run the vendored axe-core (see vendor/README.md) on a page and report its violations."""

from pathlib import Path

import pytest

AXE_PATH = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
WCAG_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

_RUN_AXE = """
async (tags) => {
  const results = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return results.violations.map((violation) => ({
    id: violation.id,
    impact: violation.impact,
    help: violation.help,
    targets: violation.nodes.map((node) => node.target.join(" ")),
  }));
}
"""


def axe_violations(page) -> list[dict]:
    """WCAG 2.1 A and AA violations on the page as it is now.

    The page's context must be created with `bypass_csp=True`: the site's
    Content-Security-Policy forbids the injected script otherwise.
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=AXE_PATH)
    return page.evaluate(_RUN_AXE, WCAG_AA_TAGS)


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.extend(f"    {target}" for target in violation["targets"])
    return "\n".join(lines)


def assert_no_axe_violations(page) -> None:
    """Fail with one line per rule and one per offending element."""
    violations = axe_violations(page)
    size = page.viewport_size
    where = f"{page.url} at {size['width']}x{size['height']}"
    if violations:
        pytest.fail(
            f"axe-core found {len(violations)} violation(s) on {where}:\n"
            + describe_violations(violations)
        )
