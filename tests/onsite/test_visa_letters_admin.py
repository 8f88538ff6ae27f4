"""The back-office side of visa letters: the registration page's panel (issue in French or
English, download, withdraw), the letters list, the delegates waiting for one, the
meeting's letter settings, and who may reach each."""

import io

import pypdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from convene.core.models import AuditEntry
from convene.onsite import services
from convene.onsite.enums import OnsiteAuditAction, VisaLetterStatus
from convene.onsite.models import PassportDetails, VisaLetter, VisaLetterSettings
from convene.registrations.enums import RegistrationStatus
from tests.factories.core import CheckinRoleFactory, OrganiserRoleFactory
from tests.factories.onsite import PassportDetailsFactory
from tests.html import parse

pytestmark = pytest.mark.django_db

LIST = "/en/admin/onsite/visaletter/"


def _issue_url(registration):
    return f"{LIST}registration/{registration.pk}/issue/"


def _download_url(letter):
    return f"{LIST}{letter.pk}/download/"


def _withdraw_url(letter):
    return f"{LIST}{letter.pk}/withdraw/"


def _waiting_url(meeting):
    return f"{LIST}meeting/{meeting.pk}/waiting/"


@pytest.fixture
def meeting_organiser(letter_meeting):
    return OrganiserRoleFactory(meeting=letter_meeting, user__email="org@example.org").user


@pytest.fixture
def meeting_checkin(letter_meeting):
    return CheckinRoleFactory(meeting=letter_meeting, user__email="door@example.org").user


@pytest.fixture
def letter(delegate, secretariat_officer):
    return services.issue_visa_letter(delegate, actor=secretariat_officer, language="en")


# --- the registration page's panel ---------------------------------------------------------


def test_registration_page_offers_to_issue_in_french_or_english(
    delegate, secretariat_officer, client
):
    client.force_login(secretariat_officer)

    page = parse(client.get(delegate.get_admin_url()))

    panel = page.select_one("#visa-letters")
    assert panel.select_one("h2").text == "Visa support letter"
    assert panel.select_one("#visa-letter-issue").attrs["action"] == _issue_url(delegate)
    assert [button.text for button in panel.select("#visa-letter-issue button")] == [
        "Issue in French",
        "Issue in English",
    ]


def test_registration_page_in_french_names_the_panel(delegate, secretariat_officer, client):
    client.force_login(secretariat_officer)

    page = parse(client.get(delegate.get_admin_url().replace("/en/", "/fr/")))

    assert page.select_one("#visa-letters h2").text == "Lettre d'appui à la demande de visa"
    assert page.select_one("#visa-letter-issue-fr").text == "Émettre en français"


def test_registration_page_says_why_no_letter_without_passport_data(
    delegate, secretariat_officer, client
):
    PassportDetails.objects.filter(registration=delegate).delete()
    client.force_login(secretariat_officer)

    page = parse(client.get(delegate.get_admin_url()))

    assert page.select_one("#visa-letter-refusal").text == (
        "The delegate has not entered their passport data yet."
    )
    assert page.select("#visa-letter-issue") == []


def test_registration_page_has_no_panel_when_the_meeting_offers_no_letters(
    approved, secretariat_officer, client
):
    client.force_login(secretariat_officer)

    page = parse(client.get(approved.get_admin_url()))

    assert page.select("#visa-letters") == []


def test_issue_from_the_registration_page_redirects_with_the_number(
    delegate, secretariat_officer, client
):
    client.force_login(secretariat_officer)

    response = client.post(_issue_url(delegate), {"language": "fr"}, follow=True)

    letter = VisaLetter.objects.get()
    assert (letter.language, letter.status, letter.issued_by) == (
        "fr",
        VisaLetterStatus.VALID,
        secretariat_officer,
    )
    page = parse(response)
    assert page.texts(".messagelist li") == [f"Letter {letter.number} issued in French."]
    assert page.texts(f"#visa-letter-{letter.pk} td")[:3] == [letter.number, "French", "Valid"]


def test_issue_refused_shows_the_reason_and_saves_nothing(delegate, secretariat_officer, client):
    VisaLetterSettings.objects.filter(meeting=delegate.meeting).update(signatory_name="")
    client.force_login(secretariat_officer)

    response = client.post(_issue_url(delegate), {"language": "en"}, follow=True)

    assert parse(response).texts(".messagelist li") == [
        "Name the signatory and their function in French and English in the meeting's "
        "letter settings before issuing a letter."
    ]
    assert VisaLetter.objects.count() == 0


def test_issue_by_get_is_not_allowed(delegate, secretariat_officer, client):
    client.force_login(secretariat_officer)

    assert client.get(_issue_url(delegate)).status_code == 405
    assert VisaLetter.objects.count() == 0


def test_download_gives_the_pdf_and_audits_the_reading(letter, secretariat_officer, client):
    client.force_login(secretariat_officer)

    response = client.get(_download_url(letter))

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="visa-letter-{letter.number}.pdf"'
    )
    assert response["Cache-Control"] == "private, no-store"
    (page,) = pypdf.PdfReader(io.BytesIO(response.content)).pages
    assert "Passport number A01234567" in page.extract_text().splitlines()
    entry = AuditEntry.objects.get(action=OnsiteAuditAction.VISA_LETTER_DOWNLOADED)
    assert (entry.actor, entry.to_state, entry.object_id) == (
        secretariat_officer,
        letter.number,
        str(letter.registration_id),
    )


def test_download_after_the_passport_data_is_erased_says_so(letter, secretariat_officer, client):
    PassportDetails.objects.filter(registration=letter.registration).delete()
    client.force_login(secretariat_officer)

    response = client.get(_download_url(letter), follow=True)

    assert parse(response).texts(".messagelist li") == [
        "The passport data of this delegate is no longer kept: the letter cannot be printed "
        "again. Its verification page still answers."
    ]
    assert not AuditEntry.objects.filter(action=OnsiteAuditAction.VISA_LETTER_DOWNLOADED).exists()


def test_withdraw_from_the_registration_page(letter, secretariat_officer, client):
    client.force_login(secretariat_officer)

    response = client.post(_withdraw_url(letter), {"reason": "Trip cancelled."}, follow=True)

    letter.refresh_from_db()
    assert (letter.status, letter.withdrawal_reason) == (
        VisaLetterStatus.WITHDRAWN,
        "Trip cancelled.",
    )
    assert parse(response).texts(".messagelist li") == [f"Letter {letter.number} withdrawn."]


def test_withdraw_without_a_reason_keeps_the_letter_valid(letter, secretariat_officer, client):
    client.force_login(secretariat_officer)

    response = client.post(_withdraw_url(letter), {"reason": ""}, follow=True)

    letter.refresh_from_db()
    assert letter.status == VisaLetterStatus.VALID
    assert parse(response).texts(".messagelist li") == ["Say why the letter is withdrawn."]


# --- the lists -----------------------------------------------------------------------------


def test_letters_list_shows_letters_but_never_passport_data(letter, secretariat_officer, client):
    client.force_login(secretariat_officer)

    response = client.get(LIST)

    page = parse(response)
    assert page.texts("#result_list tbody th.field-number") == [letter.number]
    assert page.texts("#result_list tbody td.field-holder_name") == ["Awa Ndiaye"]
    assert page.texts("#result_list tbody td.field-delegation") == ["Senegal"]
    assert page.texts("#result_list tbody td.field-status") == ["Valid"]
    assert page.texts("#result_list tbody td.field-issuer") == ["Secretariat officer"]
    html = response.content.decode()
    assert "A01234567" not in html
    assert "Senegalese" not in html


def test_letters_list_filters_by_meeting(
    letter, letter_meeting, other_meeting, secretariat_officer, client
):
    other_meeting.offers_visa_letters = True
    other_meeting.save(update_fields=["offers_visa_letters"])
    client.force_login(secretariat_officer)

    this_one = parse(client.get(f"{LIST}?meeting={letter_meeting.pk}"))
    other = parse(client.get(f"{LIST}?meeting={other_meeting.pk}"))

    assert this_one.texts("#result_list tbody th.field-number") == [letter.number]
    assert other.select("#result_list") == []


def test_letters_list_of_an_organiser_holds_only_their_meetings_letters(
    letter, reference_data, client
):
    elsewhere = OrganiserRoleFactory(
        meeting__dialogue=reference_data,
        meeting__offers_visa_letters=True,
        user__email="elsewhere@example.org",
    ).user
    client.force_login(elsewhere)

    page = parse(client.get(LIST))

    assert page.select("#result_list") == []
    assert page.texts("#letter-meetings a") == [elsewhere.role_assignments.get().meeting.title]


def test_letter_page_shows_no_passport_data(letter, secretariat_officer, client):
    client.force_login(secretariat_officer)

    response = client.get(f"{LIST}{letter.pk}/change/")

    assert response.status_code == 200
    assert "A01234567" not in response.content.decode()


def test_waiting_list_names_those_who_asked_without_a_valid_letter(
    delegate, make_registration, secretariat_officer, client
):
    no_passport = make_registration(
        email="ines@example.org", reference="INES2031", first_name="Inès", needs_visa_letter=True
    )
    served = make_registration(
        email="luc@example.org", reference="LUC20311", first_name="Luc", needs_visa_letter=True
    )
    PassportDetailsFactory(registration=served)
    services.issue_visa_letter(served, actor=secretariat_officer, language="en")
    make_registration(email="no@example.org", reference="NOLETTER", first_name="Omar")
    make_registration(
        email="p@example.org",
        reference="PEND2031",
        first_name="Paul",
        needs_visa_letter=True,
        status=RegistrationStatus.AWAITING_SECRETARIAT,
    )
    client.force_login(secretariat_officer)

    page = parse(client.get(_waiting_url(delegate.meeting)))

    rows = [row.texts("td") for row in page.select("#waiting-letters tbody tr")]
    assert rows == [
        ["Awa Ndiaye", "Senegal", "AWA2031X", "Entered"],
        [f"{no_passport.full_name}", "Senegal", "INES2031", "Not entered yet"],
    ]


def test_letters_list_links_the_waiting_page_of_each_meeting(
    letter_meeting, secretariat_officer, client
):
    client.force_login(secretariat_officer)

    page = parse(client.get(LIST))

    link = page.select_one("#letter-meetings a")
    assert (link.text, link.attrs["href"]) == ("Dakar workshop", _waiting_url(letter_meeting))


# --- settings ------------------------------------------------------------------------------


def _png(size=(600, 100)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (255, 255, 255)).save(buffer, format="PNG")
    return buffer.getvalue()


def _settings_post(**overrides):
    data = {
        "institution_en": "Secretariat",
        "institution_fr": "Secrétariat",
        "signatory_name": "Jean Dupont",
        "signatory_function_en": "Director",
        "signatory_function_fr": "Directeur",
        "signature_place_en": "Paris",
        "signature_place_fr": "Paris",
        "contact_email": "contact@example.org",
        "contact_phone": "+33 1 23 45 67 89",
    }
    data.update(overrides)
    return data


def test_settings_change_saves_and_audits(letter_meeting, secretariat_officer, client):
    letter_settings = VisaLetterSettings.objects.get(meeting=letter_meeting)
    client.force_login(secretariat_officer)

    response = client.post(
        f"/en/admin/onsite/visalettersettings/{letter_settings.pk}/change/",
        _settings_post(letterhead=SimpleUploadedFile("head.png", _png(), "image/png")),
    )

    assert response.status_code == 302
    letter_settings.refresh_from_db()
    assert letter_settings.signatory_name == "Jean Dupont"
    assert letter_settings.letterhead.name.endswith(".png")
    entry = AuditEntry.objects.get(action=OnsiteAuditAction.VISA_LETTER_SETTINGS_CHANGED)
    assert (entry.actor, entry.object_id) == (secretariat_officer, str(letter_meeting.pk))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"%PDF-1.7 not an image", "The letterhead must be a PNG or JPEG image."),
        (b"GIF89a" + b"\x00" * 20, "The letterhead must be a PNG or JPEG image."),
        (
            b"\x89PNG" + b"\x00" * (2 * 1024 * 1024),
            "The letterhead is larger than 2 MB: save a smaller image.",
        ),
    ],
)
def test_settings_refuse_a_letterhead_that_is_not_a_small_image(
    letter_meeting, secretariat_officer, client, content, message
):
    letter_settings = VisaLetterSettings.objects.get(meeting=letter_meeting)
    client.force_login(secretariat_officer)

    response = client.post(
        f"/en/admin/onsite/visalettersettings/{letter_settings.pk}/change/",
        _settings_post(letterhead=SimpleUploadedFile("head.png", content, "image/png")),
    )

    assert response.status_code == 200
    assert parse(response).texts(".field-letterhead .errorlist li") == [message]
    letter_settings.refresh_from_db()
    assert (letter_settings.letterhead.name, letter_settings.signatory_name) == (
        "",
        "Claire Martin",
    )


# --- who may -------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["secretariat_officer", "meeting_organiser"])
def test_those_who_issue_reach_every_letter_page(persona, letter, request, client):
    client.force_login(request.getfixturevalue(persona))

    statuses = [
        client.get(url).status_code
        for url in (
            LIST,
            f"{LIST}{letter.pk}/change/",
            _download_url(letter),
            _waiting_url(letter.registration.meeting),
        )
    ]

    assert statuses == [200, 200, 200, 200]


@pytest.mark.parametrize(
    ("persona", "refused"),
    [
        ("meeting_checkin", 403),
        ("focal_point_senegal", 403),
        ("focal_point_france", 403),
        # No role: the back-office itself sends them to its sign-in page.
        ("outsider", 302),
    ],
)
def test_others_reach_no_letter_page(persona, refused, letter, request, client):
    client.force_login(request.getfixturevalue(persona))

    statuses = [
        client.get(_download_url(letter)).status_code,
        client.get(_waiting_url(letter.registration.meeting)).status_code,
        client.get(f"{LIST}{letter.pk}/change/").status_code,
        client.post(_issue_url(letter.registration), {"language": "fr"}).status_code,
        client.post(_withdraw_url(letter), {"reason": "No."}).status_code,
    ]

    assert statuses == [refused] * 5
    assert list(VisaLetter.objects.values_list("pk", "status")) == [
        (letter.pk, VisaLetterStatus.VALID)
    ]
    assert not AuditEntry.objects.filter(action=OnsiteAuditAction.VISA_LETTER_DOWNLOADED).exists()


def test_focal_point_of_france_cannot_see_a_senegalese_delegates_panel(
    letter, focal_point_france, client
):
    client.force_login(focal_point_france)

    response = client.get(letter.registration.get_admin_url())

    assert response.status_code == 403
    assert "visa-letters" not in response.content.decode()


def test_organiser_of_another_meeting_cannot_download(letter, client, reference_data):
    other_organiser = OrganiserRoleFactory(
        meeting__dialogue=reference_data, user__email="elsewhere@example.org"
    ).user
    client.force_login(other_organiser)

    assert client.get(_download_url(letter)).status_code == 403
    assert client.post(_issue_url(letter.registration), {"language": "fr"}).status_code == 403


def test_checkin_staff_see_no_panel_on_the_registration_page(delegate, meeting_checkin, client):
    client.force_login(meeting_checkin)

    response = client.get(delegate.get_admin_url())

    assert "visa-letter-issue" not in response.content.decode()


def test_download_of_a_withdrawn_letter_is_refused(letter, secretariat_officer, client):
    services.withdraw_visa_letter(letter, actor=secretariat_officer, reason="Trip cancelled.")
    client.force_login(secretariat_officer)

    response = client.get(_download_url(letter), follow=True)

    assert parse(response).texts(".messagelist li") == [
        f"Letter {letter.number} was withdrawn: its PDF is no longer given."
    ]
    assert not AuditEntry.objects.filter(action=OnsiteAuditAction.VISA_LETTER_DOWNLOADED).exists()


def test_letters_list_reads_in_as_many_queries_for_one_letter_as_for_five(
    delegate, make_registration, secretariat_officer, client
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    services.issue_visa_letter(delegate, actor=secretariat_officer, language="en")
    client.force_login(secretariat_officer)
    client.get(LIST)  # the session and the roles read once
    with CaptureQueriesContext(connection) as one:
        client.get(LIST)
    for n in range(4):
        registration = make_registration(email=f"d{n}@example.org", reference=f"REF{n}2031")
        PassportDetailsFactory(registration=registration)
        services.issue_visa_letter(registration, actor=secretariat_officer, language="fr")

    with CaptureQueriesContext(connection) as five:
        response = client.get(LIST)

    assert len(parse(response).select("#result_list tbody tr")) == 5
    assert len(five.captured_queries) == len(one.captured_queries)


def test_organiser_creates_the_settings_of_their_meeting_only(
    letter_meeting, meeting_organiser, other_meeting, reference_data, client
):
    VisaLetterSettings.objects.filter(meeting=letter_meeting).delete()
    client.force_login(meeting_organiser)
    add = "/en/admin/onsite/visalettersettings/add/"

    form_page = parse(client.get(add))
    refused = client.post(add, _settings_post(meeting=str(other_meeting.pk)))
    created = client.post(add, _settings_post(meeting=str(letter_meeting.pk)))

    assert form_page.texts("#id_meeting option")[1:] == ["Dakar workshop"]
    assert refused.status_code == 200
    assert created.status_code == 302
    assert list(VisaLetterSettings.objects.values_list("meeting_id", "signatory_name")) == [
        (letter_meeting.pk, "Jean Dupont")
    ]


def test_organiser_of_another_meeting_cannot_open_these_settings(
    letter_meeting, reference_data, client
):
    elsewhere = OrganiserRoleFactory(
        meeting__dialogue=reference_data, user__email="elsewhere@example.org"
    ).user
    letter_settings = VisaLetterSettings.objects.get(meeting=letter_meeting)
    client.force_login(elsewhere)

    response = client.get(f"/en/admin/onsite/visalettersettings/{letter_settings.pk}/change/")

    # Outside their queryset: the admin answers as for a missing object.
    assert response.status_code == 302
    assert VisaLetterSettings.objects.get(pk=letter_settings.pk).signatory_name == "Claire Martin"
    listing = parse(client.get("/en/admin/onsite/visalettersettings/"))
    assert listing.select("#result_list") == []
