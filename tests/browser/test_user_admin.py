"""A user's page in the back-office fits 1,280 pixels: the roles table (role, partner,
meeting, dates) does not push the page sideways, whatever the length of a meeting's
title among the choices."""

import pytest

from convene.core.models import User
from tests.browser.pages import DESKTOP, horizontal_scroll_width

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", ["en", "fr"])
def test_user_page_with_a_role_fits_1280_pixels(back_office, language):
    focal_point = User.objects.get(email="focal.point.fr@demo.convene.test")
    page = back_office(language)

    page.goto(f"/{language}/admin/core/user/{focal_point.pk}/change/")

    assert page.locator(".inline-group tbody tr.has_original").count() == 1
    assert horizontal_scroll_width(page) == DESKTOP["width"]
