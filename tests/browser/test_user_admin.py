"""A user's page in the back-office fits 1,280 pixels: the roles table (role, partner,
meeting, dates) does not push the page sideways, whatever the length of a meeting's
title among the choices."""

import re

import pytest

from convene.core.models import User
from tests.browser.pages import DESKTOP, horizontal_scroll_width

pytestmark = pytest.mark.browser

PASSWORD = "user-admin-password-1234"
SECRETARIAT = "secretariat@demo.convene.test"


@pytest.fixture
def officer(demo_data):
    officer = User.objects.get(email=SECRETARIAT)
    officer.set_password(PASSWORD)
    officer.save()
    return officer


@pytest.mark.parametrize("language", ["en", "fr"])
def test_user_page_with_a_role_fits_1280_pixels(open_context, officer, language):
    focal_point = User.objects.get(email="focal.point.fr@demo.convene.test")
    page = open_context(viewport=DESKTOP).new_page()
    page.goto(f"/{language}/admin/login/")
    page.locator("#id_username").fill(SECRETARIAT)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_url(re.compile(rf"/{language}/admin/$"))

    page.goto(f"/{language}/admin/core/user/{focal_point.pk}/change/")

    assert page.locator(".inline-group tbody tr.has_original").count() == 1
    assert horizontal_scroll_width(page) == DESKTOP["width"]
