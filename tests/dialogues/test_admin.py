"""The back-office list of partners: which delegations have no current focal point."""

import datetime

import pytest
from django.utils import timezone

from convene.dialogues.models import Partner
from tests.factories.core import FocalPointRoleFactory
from tests.html import parse

pytestmark = pytest.mark.django_db

LIST = "/en/admin/dialogues/partner/"


@pytest.fixture
def appointments(reference_data):
    """Senegal's focal point is current; France's ended, Mali's is yet to start, Niger's
    account is deactivated."""
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    partner = reference_data.partners.get
    FocalPointRoleFactory(partner=partner(code="SN"), starts_on=today - day)
    FocalPointRoleFactory(
        partner=partner(code="FR"), starts_on=today - 10 * day, ends_on=today - day
    )
    FocalPointRoleFactory(partner=partner(code="ML"), starts_on=today + day)
    FocalPointRoleFactory(partner=partner(code="NE"), user__is_active=False)


def _codes(response) -> set[str]:
    return set(parse(response).texts("#result_list tbody td.field-code"))


def test_partner_admin_filter_no_current_focal_point(
    appointments, reference_data, secretariat_officer, client
):
    client.force_login(secretariat_officer)

    response = client.get(LIST, {"focal_point": "none"})

    everyone = set(Partner.objects.values_list("code", flat=True))
    assert _codes(response) == everyone - {"SN"}


def test_partner_admin_filter_with_a_current_focal_point(
    appointments, reference_data, secretariat_officer, client
):
    client.force_login(secretariat_officer)

    response = client.get(LIST, {"focal_point": "current"})

    assert _codes(response) == {"SN"}


def test_partner_admin_filter_reads_in_french(appointments, secretariat_officer, client):
    client.force_login(secretariat_officer)

    response = client.get(LIST.replace("/en/", "/fr/"))

    page = parse(response)
    choices = page.texts("#changelist-filter li a")
    assert "Par point focal" in page.texts("#changelist-filter summary")
    assert "Aucun en fonction" in choices
    assert "Au moins un en fonction" in choices
