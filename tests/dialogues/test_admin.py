"""The back-office list of partners: which delegations have no current focal point."""

import datetime

import pytest
from django.utils import timezone

from convene.dialogues.models import Partner
from tests.factories.core import FocalPointRoleFactory
from tests.factories.meetings import MeetingFactory
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


# --- partner selects and filters by name in the staff member's language ---

SAMPLE_FR = ["Allemagne", "Côte d'Ivoire", "Danemark", "Espagne", "Guinée équatoriale"]


def _in_sample(texts, sample=SAMPLE_FR) -> list[str]:
    return [text for text in texts if text in sample]


def test_meeting_admin_host_country_select_by_french_name(
    client, secretariat_officer, reference_data
):
    meeting = MeetingFactory(dialogue=reference_data)
    client.force_login(secretariat_officer)

    page = parse(client.get(f"/fr/admin/meetings/meeting/{meeting.pk}/change/"))

    assert _in_sample(page.texts("#id_host_country option")) == SAMPLE_FR
    assert _in_sample(page.texts("#id_lead_partners option")) == SAMPLE_FR


def test_proposal_admin_lead_partner_filter_by_french_name(
    client, secretariat_officer, reference_data
):
    client.force_login(secretariat_officer)

    response = client.get("/fr/admin/labels/labelproposal/")
    spec = next(
        spec
        for spec in response.context["cl"].filter_specs
        if getattr(spec, "field_path", "") == "lead_partner"
    )
    names = [choice["display"] for choice in spec.choices(response.context["cl"])]

    assert _in_sample(names) == SAMPLE_FR
    assert names[0] == "Tous"
