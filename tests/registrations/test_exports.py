"""The export files: their columns in each language, the CSV and the workbook alike, and
no cell a spreadsheet would run as a formula."""

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from convene.meetings.enums import Category
from convene.registrations import exports, selectors
from convene.registrations.enums import (
    DelegationRole,
    ExportFormat,
    Participation,
    RegistrationStatus,
    Source,
)
from convene.registrations.models import Registration
from tests.factories.meetings import MeetingFactory
from tests.factories.registrations import RegistrationFactory
from tests.spreadsheets import csv_rows, xlsx_rows, xlsx_workbook

pytestmark = pytest.mark.django_db

S = RegistrationStatus
UTC = datetime.UTC

HEADER_EN = [
    "Reference",
    "Status",
    "Place on the waiting list",
    "Meeting",
    "Represents",
    "Delegation",
    "Title",
    "First name(s)",
    "Last name",
    "Email",
    "Phone",
    "Institution",
    "Function",
    "Level of government",
    "Role in the delegation",
    "Participation",
    "Days attended",
    "Language for emails and documents",
    "Dietary needs",
    "Accessibility needs",
    "Visa support letter",
    "On the participant list",
    "Entered through",
    "Registered (venue time)",
    "Waiting since (venue time)",
    "Decided (venue time)",
    "Reason for the decision",
]
ROWS_EN = [
    [
        "SNAPPR01",
        "Approved",
        "",
        "Paris meeting",
        "A partner country",
        "Senegal",
        "Ms",
        "Aïssatou",
        "Traoré",
        "aissatou@example.org",
        "'+221771234567",
        "Ministère de l'Intérieur",
        "Director",
        "National authority",
        "Head of delegation",
        "In person",
        "15 March 2027; 16 March 2027",
        "French",
        "Halal",
        "",
        "Yes",
        "Yes",
        "Nominated by the focal point",
        "2027-01-10 10:30",
        "",
        "2027-01-11 15:00",
        "",
    ],
    [
        "FRWAIT02",
        "On the waiting list",
        "1",
        "Paris meeting",
        "A partner country",
        "France",
        "",
        "Jean",
        "Martin",
        "jean@example.org",
        "0601020304",
        "'=1+1",
        "'-Adviser",
        "National authority",
        "Member",
        "Online",
        "15 March 2027",
        "English",
        "",
        "'@wheelchair",
        "No",
        "No",
        "Registration form",
        "2027-01-12 08:59",
        "2027-01-12 09:00",
        "",
        "",
    ],
]
HEADER_FR = [
    "Référence",
    "Statut",
    "Rang sur la liste d'attente",
    "Réunion",
    "Représente",
    "Délégation",
    "Civilité",
    "Prénom(s)",
    "Nom",
    "Courriel",
    "Téléphone",
    "Institution",
    "Fonction",
    "Niveau de gouvernement",
    "Rôle dans la délégation",
    "Participation",
    "Jours de présence",
    "Langue des courriels et des documents",
    "Besoins alimentaires",
    "Besoins en matière d'accessibilité",
    "Lettre d'appui à la demande de visa",
    "Sur la liste des participants",
    "Canal de saisie",
    "Date d'inscription (heure du lieu)",
    "En attente depuis (heure du lieu)",
    "Date de la décision (heure du lieu)",
    "Motif de la décision",
]
ROW_FR = [
    "SNAPPR01",
    "Approuvée",
    "",
    "Réunion de Paris",
    "Un pays partenaire",
    "Sénégal",
    "Mme",
    "Aïssatou",
    "Traoré",
    "aissatou@example.org",
    "'+221771234567",
    "Ministère de l'Intérieur",
    "Director",
    "Autorité nationale",
    "Chef de délégation",
    "En présentiel",
    "15 mars 2027; 16 mars 2027",
    "Français",
    "Halal",
    "",
    "Oui",
    "Oui",
    "Désignation par le point focal",
    "2027-01-10 10:30",
    "",
    "2027-01-11 15:00",
    "",
]


@pytest.fixture
def paris(reference_data):
    """In Paris (UTC+1 in winter): moments read an hour later than in UTC."""
    return MeetingFactory(
        dialogue=reference_data,
        slug="paris-2027",
        title_en="Paris meeting",
        title_fr="Réunion de Paris",
        starts_on=datetime.date(2027, 3, 15),
        ends_on=datetime.date(2027, 3, 16),
        time_zone="Europe/Paris",
        published=True,
    )


@pytest.fixture
def exported(paris, senegal, france):
    """An approved Senegalese head of delegation and a waitlisted French member whose
    details start with formula characters, oldest first."""
    approved = RegistrationFactory(
        meeting=paris,
        delegation=senegal,
        reference="SNAPPR01",
        status=S.APPROVED,
        title="ms",
        first_name="Aïssatou",
        last_name="Traoré",
        email="aissatou@example.org",
        phone="+221771234567",
        institution="Ministère de l'Intérieur",
        role=DelegationRole.HEAD,
        days=["2027-03-15", "2027-03-16"],
        language="fr",
        dietary_needs="Halal",
        needs_visa_letter=True,
        consent_participant_list=True,
        source=Source.FOCAL_POINT,
        decided_at=datetime.datetime(2027, 1, 11, 14, 0, tzinfo=UTC),
    )
    waiting = RegistrationFactory(
        meeting=paris,
        delegation=france,
        reference="FRWAIT02",
        status=S.WAITLISTED,
        first_name="Jean",
        last_name="Martin",
        email="jean@example.org",
        phone="0601020304",
        institution="=1+1",
        function="-Adviser",
        participation=Participation.ONLINE,
        days=["2027-03-15"],
        accessibility_needs="@wheelchair",
        waitlisted_at=datetime.datetime(2027, 1, 12, 8, 0, tzinfo=UTC),
    )
    Registration.objects.filter(pk=approved.pk).update(
        created_at=datetime.datetime(2027, 1, 10, 9, 30, tzinfo=UTC)
    )
    Registration.objects.filter(pk=waiting.pk).update(
        created_at=datetime.datetime(2027, 1, 12, 7, 59, tzinfo=UTC)
    )
    # As the back-office exports them: with each row's place on its waiting list.
    return selectors.registrations_for_export(Registration.objects.order_by("pk"))


def _response(registrations, file_format, language="en"):
    return exports.registrations_response(
        registrations, file_format=file_format, filename="registrations", language=language
    )


# --- neutralising ------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r"])
def test_neutralise_cell_prefixes_a_formula_character_with_an_apostrophe(prefix):
    assert exports.neutralise_cell(f"{prefix}SUM(A1:A9)") == f"'{prefix}SUM(A1:A9)"


@pytest.mark.parametrize("value", ["", "Traoré", "1+1", "a=b", " =1", "'quoted"])
def test_neutralise_cell_leaves_other_text_as_it_is(value):
    assert exports.neutralise_cell(value) == value


# --- the CSV ----------------------------------------------------------------------------


def test_csv_in_english_has_the_labels_and_venue_times(exported):
    response = _response(exported, ExportFormat.CSV)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="registrations.csv"'
    assert csv_rows(response) == [HEADER_EN, *ROWS_EN]


def test_csv_in_french_has_french_headers_and_labels(exported):
    response = _response(exported[:1], ExportFormat.CSV, language="fr")

    assert csv_rows(response) == [HEADER_FR, ROW_FR]


def test_csv_lines_end_with_crlf_as_spreadsheets_expect(exported):
    body = b"".join(_response(exported[:1], ExportFormat.CSV).streaming_content).decode("utf-8")

    assert body.count("\r\n") == 2
    assert body.endswith(
        ",Yes,Yes,Nominated by the focal point,2027-01-10 10:30,,2027-01-11 15:00,\r\n"
    )


def test_csv_of_no_registration_is_the_header_alone(db):
    assert csv_rows(_response([], ExportFormat.CSV)) == [HEADER_EN]


# --- the workbook -----------------------------------------------------------------------


def test_xlsx_holds_the_same_rows_as_the_csv(exported):
    response = _response(exported, ExportFormat.XLSX)

    assert response["Content-Type"] == exports.XLSX_CONTENT_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="registrations.xlsx"'
    assert xlsx_rows(response) == [HEADER_EN, *ROWS_EN]


def test_xlsx_in_french_names_its_sheet_in_french(exported):
    response = _response(exported[:1], ExportFormat.XLSX, language="fr")
    workbook = xlsx_workbook(response)

    assert workbook.sheetnames == ["Inscriptions"]
    assert [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)][1][1] == (
        "Approuvée"
    )


def test_export_drops_control_characters_a_workbook_cannot_hold(paris, senegal):
    registration = RegistrationFactory(
        meeting=paris, delegation=senegal, reference="CTRL0001", institution="Min\x08istry\x0b"
    )

    rows = xlsx_rows(_response([registration], ExportFormat.XLSX))

    assert rows[1][HEADER_EN.index("Institution")] == "Ministry"


# --- no formula in any cell -------------------------------------------------------------

DANGEROUS = tuple(exports.DANGEROUS_PREFIXES)
free_text = st.text(
    alphabet=st.one_of(st.sampled_from(DANGEROUS), st.characters(codec="utf-8")), max_size=12
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    first_name=free_text,
    last_name=free_text,
    institution=free_text,
    function=free_text,
    dietary_needs=free_text,
    decision_reason=free_text,
)
def test_no_exported_cell_starts_with_a_formula_character(
    paris, senegal, first_name, last_name, institution, function, dietary_needs, decision_reason
):
    # Built in memory: the export reads the fields, and the hypothesis examples share one
    # database transaction.
    registration = Registration(
        meeting=paris,
        delegation=senegal,
        category=Category.PARTNER_COUNTRY,
        reference="HYPO0001",
        first_name=first_name,
        last_name=last_name,
        email="h@example.org",
        phone="+221771234567",
        institution=institution,
        function=function,
        dietary_needs=dietary_needs,
        decision_reason=decision_reason,
        created_at=datetime.datetime(2027, 1, 10, 9, 30, tzinfo=UTC),
    )

    for rows in (
        csv_rows(_response([registration], ExportFormat.CSV)),
        xlsx_rows(_response([registration], ExportFormat.XLSX)),
    ):
        cells = [cell for row in rows for cell in row]
        assert [cell for cell in cells if cell.startswith(DANGEROUS)] == []


def test_export_neutralises_a_formula_behind_a_dropped_control_character(paris, senegal):
    registration = RegistrationFactory(
        meeting=paris, delegation=senegal, reference="CTRL0002", institution="\x08=1+1"
    )

    for rows in (
        csv_rows(_response([registration], ExportFormat.CSV)),
        xlsx_rows(_response([registration], ExportFormat.XLSX)),
    ):
        assert rows[1][HEADER_EN.index("Institution")] == "'=1+1"
