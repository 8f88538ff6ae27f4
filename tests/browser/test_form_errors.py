"""After a refused submit the error summary has the focus and the title says "Error:",
on any page of the shared summary (templates/registrations/_form_errors.html), even
without JavaScript: autofocus is HTML."""

import pytest
from playwright.sync_api import expect

from tests.browser.pages import PHONE

pytestmark = pytest.mark.browser

# Page -> (path, submit button per language, title per language)
FORM_PAGES = {
    "register": (
        "/{language}/meetings/example-workshop/register/",
        {"en": "Register", "fr": "S'inscrire"},
        {
            "en": "Register · Example workshop: labour migration data (demo meeting)",
            "fr": "S'inscrire · Atelier d'exemple\u00a0: données sur la migration de travail "
            "(réunion de démonstration)",
        },
    ),
    "sign-in": (
        "/{language}/accounts/login/",
        {"en": "Sign in", "fr": "Se connecter"},
        {"en": "Sign in", "fr": "Se connecter"},
    ),
}
ERROR = {"en": "Error: ", "fr": "Erreur\u00a0: "}


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("name", FORM_PAGES)
def test_refused_submit_focuses_the_summary_without_javascript(
    open_context, demo_data, name, language
):
    path, button, title = FORM_PAGES[name]
    page = open_context(viewport=PHONE, java_script_enabled=False).new_page()
    page.goto(path.format(language=language))
    expect(page).to_have_title(title[language])
    expect(page.locator("#form-errors")).to_have_count(0)

    page.locator("main form").get_by_role("button", name=button[language], exact=True).click()

    expect(page).to_have_title(ERROR[language] + title[language])
    expect(page.locator("#form-errors")).to_be_focused()
