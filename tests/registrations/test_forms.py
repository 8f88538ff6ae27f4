"""The registration form (public and nomination), the delegate's edit form, the small forms."""

import datetime

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from convene.meetings.enums import Category, MeetingFormat
from convene.registrations.enums import Participation
from convene.registrations.forms import (
    LostLinkForm,
    ReasonForm,
    RegistrationEditForm,
    RegistrationForm,
    StaffEntryForm,
)
from convene.registrations.services import EDITABLE_BY_DELEGATE
from tests.factories.dialogues import DialogueFactory, PartnerFactory
from tests.factories.documents import image_bytes, pdf_bytes
from tests.factories.registrations import RegistrationFactory, form_data

pytestmark = pytest.mark.django_db

PDF = pdf_bytes()
PNG = image_bytes("PNG")
INELIGIBLE = (
    "This meeting is not open to this category. Those who may register: A partner country; "
    "A partner organisation; An observer country or organisation. If you think you should "
    "take part, please contact the Secretariat or your country's focal point."
)


def _form(meeting, data, files=None, **kwargs) -> RegistrationForm:
    return RegistrationForm(data, files, meeting=meeting, **kwargs)


def _errors(form) -> dict:
    return {name: list(messages) for name, messages in form.errors.items()}


def test_registration_form_valid_input_gives_the_registrations_data(meeting, senegal):
    form = _form(meeting, form_data(meeting, senegal, email=" Awa.Diop@Example.ORG "))

    assert form.is_valid(), form.errors
    assert form.registration_data() == {
        "category": Category.PARTNER_COUNTRY,
        "delegation": senegal,
        "title": "ms",
        "first_name": "Awa",
        "last_name": "Diop",
        "email": "awa.diop@example.org",
        "phone": "+221771234567",
        "institution": "Ministry of Foreign Affairs",
        "function": "Director of migration",
        "level_of_government": "national",
        "role": "member",
        "participation": Participation.IN_PERSON,
        "days": [day.isoformat() for day in meeting.days],
        "language": "en",
        "dietary_needs": "",
        "accessibility_needs": "",
        "needs_visa_letter": False,
        "consent_processing": True,
        "consent_participant_list": False,
    }


def test_registration_form_empty_says_what_is_required(meeting):
    form = _form(meeting, {})

    assert _errors(form) == {
        "category": ["This field is required."],
        "first_name": ["This field is required."],
        "last_name": ["This field is required."],
        "email": ["This field is required."],
        "phone": ["This field is required."],
        "institution": ["This field is required."],
        "function": ["This field is required."],
        "level_of_government": ["This field is required."],
        "role": ["This field is required."],
        "days": ["This field is required."],
        "language": ["This field is required."],
        "consent_processing": ["Your consent is needed to register."],
    }


def test_registration_form_empty_in_french(meeting):
    with translation.override("fr"):
        form = _form(meeting, {})
        errors = _errors(form)

    assert errors["first_name"] == ["Ce champ est obligatoire."]
    assert errors["consent_processing"] == ["Votre consentement est nécessaire pour vous inscrire."]


def test_registration_form_offers_the_current_partners_of_the_dialogue_by_name(
    meeting, reference_data, senegal
):
    senegal.left_on = datetime.date(2020, 1, 31)
    senegal.save()

    with translation.override("fr"):
        form = _form(meeting, None)
        groups = form.fields["delegation"].widget.choices[1:]

    names = {len(options): [label for _value, label in options] for _group, options in groups}
    assert sorted(names) == [2, 6, 54]
    assert "Sénégal" not in names[54]
    # Accents do not push a name to the end: Bénin sorts between Belgique and Bulgarie.
    assert names[54][:5] == ["Allemagne", "Autriche", "Belgique", "Bénin", "Bulgarie"]
    assert names[2] == ["Commission de la CEDEAO", "Union européenne (Commission européenne)"]
    assert names[6][:2] == ["Algérie", "Comité international de la Croix-Rouge (CICR)"]


def test_registration_form_partner_that_left_is_not_a_choice(meeting, senegal):
    senegal.left_on = datetime.date(2020, 1, 31)
    senegal.save()

    form = _form(meeting, form_data(meeting, senegal))

    assert _errors(form) == {
        "delegation": ["Select a valid choice. That choice is not one of the available choices."]
    }


def test_registration_form_takes_a_partner_already_read_without_reading_it_again(
    meeting, senegal, django_assert_num_queries
):
    data = {**form_data(meeting, senegal), "delegation": senegal}
    form = _form(meeting, data)

    with django_assert_num_queries(0):
        assert form.is_valid(), form.errors
    assert form.cleaned_data["delegation"] == senegal


def test_registration_form_partner_already_read_that_left_is_refused(meeting, senegal):
    senegal.left_on = datetime.date(2020, 1, 31)

    form = _form(meeting, {**form_data(meeting, senegal), "delegation": senegal})

    assert _errors(form) == {
        "delegation": ["Select a valid choice. That choice is not one of the available choices."]
    }


def test_registration_form_partner_already_read_of_another_dialogue_is_refused(meeting, senegal):
    other_dialogue = DialogueFactory(slug="khartoum-process", name_en="Khartoum Process")
    stranger = PartnerFactory(dialogue=other_dialogue, code="SN")

    form = _form(meeting, {**form_data(meeting, senegal), "delegation": stranger})

    assert _errors(form) == {
        "delegation": ["Select a valid choice. That choice is not one of the available choices."]
    }


def test_registration_form_partner_category_without_delegation_asks_for_it(meeting):
    form = _form(meeting, form_data(meeting, None))

    assert _errors(form) == {"delegation": ["Choose the country or organisation you represent."]}


def test_registration_form_ineligible_category_is_explained(meeting, senegal):
    form = _form(meeting, form_data(meeting, senegal, category=Category.CIVIL_SOCIETY))

    assert _errors(form) == {"category": [INELIGIBLE]}


def test_registration_form_partner_in_the_wrong_category_is_explained(meeting, reference_data):
    algeria = reference_data.partners.get(code="DZ")

    form = _form(meeting, form_data(meeting, algeria))

    assert _errors(form) == {"delegation": ["Algeria is not in the category you chose."]}


def test_registration_form_invited_category_drops_the_delegation(make_meeting, senegal):
    meeting = make_meeting(eligible_categories=[Category.LOCAL_AUTHORITY])

    form = _form(meeting, form_data(meeting, senegal, category=Category.LOCAL_AUTHORITY))

    assert form.is_valid(), form.errors
    assert form.registration_data()["delegation"] is None


def test_registration_form_hybrid_meeting_asks_how_to_attend(make_meeting, senegal):
    meeting = make_meeting(format=MeetingFormat.HYBRID)

    missing = _form(meeting, form_data(meeting, senegal, participation=None))
    online = _form(meeting, form_data(meeting, senegal, participation="online"))

    assert _errors(missing) == {"participation": ["This field is required."]}
    assert online.is_valid()
    assert online.registration_data()["participation"] == Participation.ONLINE


@pytest.mark.parametrize(
    ("meeting_format", "participation"),
    [
        (MeetingFormat.IN_PERSON, Participation.IN_PERSON),
        (MeetingFormat.ONLINE, Participation.ONLINE),
    ],
)
def test_registration_form_single_format_meeting_fixes_the_participation(
    meeting_format, participation, make_meeting, senegal
):
    meeting = make_meeting(format=meeting_format)

    form = _form(meeting, form_data(meeting, senegal, participation="sneaky"))

    assert form.is_valid(), form.errors
    assert form.registration_data()["participation"] == participation


def test_registration_form_days_are_the_meetings_days(meeting, senegal):
    first_day = meeting.starts_on.isoformat()

    form = _form(meeting, form_data(meeting, senegal, days=[first_day]))
    outside = _form(meeting, form_data(meeting, senegal, days=["2000-01-01"]))

    assert [value for value, _label in form.fields["days"].choices] == [
        day.isoformat() for day in meeting.days
    ]
    assert form.is_valid()
    assert form.registration_data()["days"] == [first_day]
    assert _errors(outside) == {
        "days": ["Select a valid choice. 2000-01-01 is not one of the available choices."]
    }


@pytest.mark.parametrize(
    ("phone", "message"),
    [
        (
            "771234567",
            "Give the number in international format, starting with + and the country code.",
        ),
        ("+221 12", "This phone number is not valid."),
        ("+221 77 123 45 67 89 01 23", "Ensure this value has at most 20 characters (it has 26)."),
    ],
)
def test_registration_form_bad_phone_is_refused(phone, message, meeting, senegal):
    form = _form(meeting, form_data(meeting, senegal, phone=phone))

    assert _errors(form) == {"phone": [message]}


@pytest.mark.parametrize("field", ["first_name", "last_name", "institution", "function"])
def test_registration_form_control_characters_are_refused(field, meeting, senegal):
    form = _form(meeting, form_data(meeting, senegal, **{field: "Awa\x1b[2J"}))

    assert _errors(form) == {field: ["Remove the invisible control characters."]}


def test_registration_form_null_character_is_refused(meeting, senegal):
    form = _form(meeting, form_data(meeting, senegal, first_name="Awa\x00"))

    assert _errors(form) == {
        "first_name": [
            "Null characters are not allowed.",
            "Remove the invisible control characters.",
        ]
    }


def test_registration_form_over_long_name_is_refused(meeting, senegal):
    form = _form(meeting, form_data(meeting, senegal, last_name="D" * 101))

    assert _errors(form) == {
        "last_name": ["Ensure this value has at most 100 characters (it has 101)."]
    }


def test_registration_form_html_in_names_is_accepted_as_typed(meeting, senegal):
    form = _form(
        meeting,
        form_data(
            meeting, senegal, first_name="<script>alert(1)</script>", last_name="O'Neil & <b>"
        ),
    )

    assert form.is_valid(), form.errors
    assert form.registration_data()["first_name"] == "<script>alert(1)</script>"
    assert form.registration_data()["last_name"] == "O'Neil & <b>"


def test_registration_form_invalid_email_is_refused(meeting, senegal):
    form = _form(meeting, form_data(meeting, senegal, email="awa@"))

    assert _errors(form) == {"email": ["Enter a valid email address."]}


def test_registration_form_without_attachment_requirement_has_no_attachment_field(meeting):
    assert "attachment" not in _form(meeting, None).fields


def test_registration_form_required_attachment_is_labelled_by_the_meeting(make_meeting):
    meeting = make_meeting(attachment_required=True, attachment_label_fr="Note verbale signée")

    with translation.override("fr"):
        field = _form(meeting, None).fields["attachment"]
        label, help_text = str(field.label), str(field.help_text)

    assert field.required is True
    assert (label, help_text) == ("Note verbale signée", "PDF, PNG ou JPEG, 5 Mo au maximum.")


@pytest.mark.parametrize(
    ("upload", "errors"),
    [
        (None, {"attachment": ["This field is required."]}),
        (
            SimpleUploadedFile("note.pdf", PNG, "application/pdf"),
            {"attachment": ["“note.pdf” is not a valid PDF file: it cannot be opened."]},
        ),
        (
            SimpleUploadedFile("note.html", b"<html>", "text/html"),
            {"attachment": ["Attach a PDF, PNG or JPEG file."]},
        ),
    ],
    ids=["missing", "wrong-content", "wrong-type"],
)
def test_registration_form_bad_attachment_is_refused(upload, errors, make_meeting, senegal):
    meeting = make_meeting(attachment_required=True)
    files = {"attachment": upload} if upload else None

    form = _form(meeting, form_data(meeting, senegal), files)

    assert _errors(form) == errors


def test_registration_form_oversized_attachment_is_refused(make_meeting, senegal, settings):
    settings.REGISTRATION_ATTACHMENT_MAX_MB = 1
    meeting = make_meeting(attachment_required=True)
    upload = SimpleUploadedFile("note.pdf", PDF + b"0" * (1024 * 1024))

    form = _form(meeting, form_data(meeting, senegal), {"attachment": upload})

    assert _errors(form) == {"attachment": ["The file is too large (at most 1 MB)."]}


def test_registration_form_valid_attachment_is_kept(make_meeting, senegal):
    meeting = make_meeting(attachment_required=True)
    upload = SimpleUploadedFile("note.pdf", PDF, "application/pdf")

    form = _form(meeting, form_data(meeting, senegal), {"attachment": upload})

    assert form.is_valid(), form.errors
    assert form.registration_data()["attachment"] is upload


def test_nomination_form_fixes_the_delegation_and_skips_consent_and_attachment(
    make_meeting, senegal, france
):
    meeting = make_meeting(attachment_required=True)
    data = form_data(meeting, france, category=Category.OBSERVER, consent_processing=None)

    form = _form(meeting, data, fixed_delegation=senegal)

    assert form.is_valid(), form.errors
    assert "consent_processing" not in form.fields
    assert "attachment" not in form.fields
    assert form.fields["category"].disabled and form.fields["delegation"].disabled
    assert form.registration_data()["delegation"] == senegal
    assert form.registration_data()["category"] == Category.PARTNER_COUNTRY
    assert form.registration_data()["consent_processing"] is True


def test_edit_form_has_the_editable_fields_only(meeting):
    registration = RegistrationFactory(meeting=meeting, days=[meeting.starts_on.isoformat()])

    form = RegistrationEditForm(None, instance=registration, meeting=meeting)

    assert tuple(form.fields) == EDITABLE_BY_DELEGATE
    assert form.initial["days"] == [meeting.starts_on.isoformat()]


def test_edit_form_validates_like_the_registration_form(meeting):
    registration = RegistrationFactory(meeting=meeting)
    data = {
        "first_name": "Awa\x07",
        "last_name": "Diop",
        "phone": "771234567",
        "institution": "Ministry",
        "function": "Director",
        "level_of_government": "national",
        "days": [],
        "language": "fr",
    }

    form = RegistrationEditForm(data, instance=registration, meeting=meeting)

    assert _errors(form) == {
        "first_name": ["Remove the invisible control characters."],
        "phone": ["Give the number in international format, starting with + and the country code."],
        "days": ["This field is required."],
    }


def test_lost_link_form_needs_an_email_address():
    form = LostLinkForm({"email": "not an address"})

    assert _errors(form) == {"email": ["Enter a valid email address."]}


def test_reason_form_needs_a_reason():
    assert _errors(ReasonForm({"reason": ""})) == {"reason": ["This field is required."]}
    assert _errors(ReasonForm({"reason": "x" * 1001})) == {
        "reason": ["Ensure this value has at most 1000 characters (it has 1001)."]
    }


def test_registration_form_hybrid_without_online_places_asks_no_participation(make_meeting):
    meeting = make_meeting(format=MeetingFormat.HYBRID, online_capacity=0)

    form = _form(meeting, None)

    participation = form.fields["participation"]
    assert (participation.disabled, participation.initial) == (True, Participation.IN_PERSON)


LINE_BREAK_MESSAGE = "Write this on one line: remove the line break."
RLO_MESSAGE = (
    "Remove the invisible formatting character (U+202E): it can change how the text reads."
)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("first_name", "Awa\nDiop", LINE_BREAK_MESSAGE),
        ("last_name", "Diop\u2028Approved", LINE_BREAK_MESSAGE),
        ("institution", "Ministry\u202eyrtsiniM", RLO_MESSAGE),
        ("function", "Director\x85of migration", LINE_BREAK_MESSAGE),
        ("dietary_needs", "None\u2029Approved", LINE_BREAK_MESSAGE),
    ],
)
def test_registration_form_refuses_a_second_line_or_hidden_character(
    field, value, message, meeting, senegal
):
    form = RegistrationForm(form_data(meeting, senegal, **{field: value}), meeting=meeting)

    assert form.is_valid() is False
    assert form.errors == {field: [message]}


# --- words: one name per idea, the delegate's voice, no "---------" ---------------------


def _labels(form, names) -> dict:
    return {name: str(form.fields[name].label) for name in names}


WORDED = ("language", "needs_visa_letter", "consent_participant_list")


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            {
                "language": "Language for emails and documents",
                "needs_visa_letter": "I need a visa support letter",
                "consent_participant_list": "I agree to appear on the participant list",
            },
        ),
        (
            "fr",
            {
                "language": "Langue des courriels et des documents",
                "needs_visa_letter": "J'ai besoin d'une lettre d'appui à la demande de visa",
                "consent_participant_list": "J'accepte de figurer sur la liste des participants",
            },
        ),
    ],
)
def test_registration_form_asks_the_delegate_in_the_first_person(meeting, language, expected):
    with translation.override(language):
        labels = _labels(RegistrationForm(meeting=meeting), WORDED)

    assert labels == expected


def test_edit_form_asks_the_delegate_in_the_first_person(meeting, senegal):
    registration = RegistrationFactory(meeting=meeting, delegation=senegal)

    with translation.override("en"):
        labels = _labels(RegistrationEditForm(instance=registration, meeting=meeting), WORDED)

    assert labels == {
        "language": "Language for emails and documents",
        "needs_visa_letter": "I need a visa support letter",
        "consent_participant_list": "I agree to appear on the participant list",
    }


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            {
                "language": "Language for emails and documents",
                "needs_visa_letter": "The delegate needs a visa support letter",
                "consent_participant_list": (
                    "The delegate agrees to appear on the participant list"
                ),
            },
        ),
        (
            "fr",
            {
                "language": "Langue des courriels et des documents",
                "needs_visa_letter": (
                    "La personne désignée a besoin d'une lettre d'appui à la demande de visa"
                ),
                "consent_participant_list": (
                    "La personne désignée accepte de figurer sur la liste des participants"
                ),
            },
        ),
    ],
)
def test_nomination_form_speaks_of_the_delegate(meeting, senegal, language, expected):
    with translation.override(language):
        labels = _labels(RegistrationForm(meeting=meeting, fixed_delegation=senegal), WORDED)

    assert labels == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "The person needs a visa support letter"),
        ("fr", "La personne a besoin d'une lettre d'appui à la demande de visa"),
    ],
)
def test_staff_entry_form_speaks_of_the_person_entered(meeting, language, expected):
    # Staff tick it for the speaker or guest they enter, not for themselves.
    with translation.override(language):
        label = str(StaffEntryForm(meeting=meeting).fields["needs_visa_letter"].label)

    assert label == expected


def test_nomination_form_says_where_the_delegate_is_emailed(meeting, senegal):
    with translation.override("fr"):
        nomination = str(
            RegistrationForm(meeting=meeting, fixed_delegation=senegal).fields["email"].help_text
        )
        public = str(RegistrationForm(meeting=meeting).fields["email"].help_text)

    assert (nomination, public) == (
        "La personne désignée reçoit à cette adresse les courriels et le lien vers son "
        "inscription.",
        "Nous y enverrons un lien pour la confirmer et pour accéder à votre inscription.",
    )


def _empty_choices(form) -> dict:
    """The label of each select's empty choice, by field name."""
    return {
        name: str(label)
        for name, field in form.fields.items()
        if isinstance(field.widget, forms.Select)
        for value, label in field.widget.choices
        if value == ""
    }


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            {
                "delegation": "Choose a delegation",
                "title": "(none)",
                "level_of_government": "Choose a level",
            },
        ),
        (
            "fr",
            {
                "delegation": "Choisissez une délégation",
                "title": "(aucune)",
                "level_of_government": "Choisissez un niveau",
            },
        ),
    ],
)
def test_registration_form_selects_prompt_instead_of_dashes(meeting, language, expected):
    with translation.override(language):
        empty = _empty_choices(RegistrationForm(meeting=meeting))

    assert empty == expected


def test_edit_form_selects_prompt_instead_of_dashes(meeting, senegal):
    registration = RegistrationFactory(meeting=meeting, delegation=senegal)

    with translation.override("en"):
        empty = _empty_choices(RegistrationEditForm(instance=registration, meeting=meeting))

    assert empty == {"title": "(none)", "level_of_government": "Choose a level"}


def test_register_page_shows_no_dashes(meeting, client):
    html = client.get(f"/fr/meetings/{meeting.slug}/register/").content.decode()

    assert "---------" not in html
    assert '<option value="" selected>Choisissez un niveau</option>' in html
