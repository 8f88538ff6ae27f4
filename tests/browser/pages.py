"""The public pages under test and the viewports they are checked at."""

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
LANGUAGES = ["en", "fr"]

# Name -> (path, status): every page a visitor reaches without an account. Paris 2021
# is over, so its registration page only says so; the demo workshop, always upcoming,
# shows the registration form.
PUBLIC_PAGES = {
    "home": ("/{language}/", 200),
    "meeting": ("/{language}/meetings/paris-2021/", 200),
    "register": ("/{language}/meetings/paris-2021/register/", 200),
    "register-form": ("/{language}/meetings/example-workshop/register/", 200),
    "partners": ("/{language}/partners/", 200),
    "action-plans": ("/{language}/action-plans/", 200),
    "labels": ("/{language}/labels/", 200),
    "good-practices": ("/{language}/good-practices/?q=integration", 200),
    "partner": ("/{language}/partners/fr/", 200),
    "good-practice": ("/{language}/good-practices/{practice}/", 200),
    "not-found": ("/{language}/meetings/no-such-meeting/", 404),
}


def public_path(name: str, language: str) -> str:
    path = PUBLIC_PAGES[name][0]
    practice = ""
    if "{practice}" in path:
        # The demo data's published good practice; its id depends on the database.
        from convene.practices.models import GoodPractice

        practice = GoodPractice.objects.get(meeting__slug="paris-2021").pk
    return path.format(language=language, practice=practice)


def expected_status(name: str) -> int:
    return PUBLIC_PAGES[name][1]


def horizontal_scroll_width(page) -> int:
    """Width of the document; above the viewport's width the visitor must scroll sideways."""
    return page.evaluate("() => document.scrollingElement.scrollWidth")
