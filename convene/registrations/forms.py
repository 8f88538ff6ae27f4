from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.forms.models import construct_instance
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from convene.core.bilingual import active_language
from convene.core.formatting import format_date
from convene.core.forms import prompt_empty_choice
from convene.dialogues.models import Partner
from convene.dialogues.selectors import partner_choices
from convene.meetings.enums import INVITED_CATEGORIES, Category, MeetingFormat
from convene.meetings.models import Meeting

from .enums import Participation
from .errors import RegistrationError
from .models import Registration
from .selectors import meetings_open_to_entry
from .services import EDITABLE_BY_DELEGATE, category_for_partner, check_eligibility
from .validators import normalise_phone, validate_attachment, validate_no_control_characters

TEXT_FIELDS = (
    "first_name",
    "last_name",
    "institution",
    "function",
    "dietary_needs",
    "accessibility_needs",
)


class PartnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, partner):
        return partner.name

    def to_python(self, value):
        # The API has already read the partner by its code, with the same filter as this
        # field's queryset: take it as it is rather than read it a second time.
        if isinstance(value, Partner):
            if value.dialogue_id == self.dialogue_id and value.left_on is None:
                return value
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


def _day_choices(meeting):
    return [(day.isoformat(), format_date(day, "l j F Y")) for day in meeting.days]


def only_participation(meeting) -> str | None:
    """The one way to attend, or None when delegates choose (hybrid with places both ways)."""
    if meeting.format == MeetingFormat.ONLINE or meeting.in_person_capacity == 0:
        return Participation.ONLINE
    if meeting.format == MeetingFormat.IN_PERSON or meeting.online_capacity == 0:
        return Participation.IN_PERSON
    return None


class RegistrationDetailsMixin:
    """Validation shared by the registration form and the delegate's edit form."""

    def _setup_details(self, meeting, *, nominated=False):
        """`nominated`: a focal point fills the form about someone else, so the labels
        speak of the delegate; otherwise the delegate answers in the first person."""
        self.meeting = meeting
        labels = NOMINATION_LABELS if nominated else FIRST_PERSON_LABELS
        for name, label in labels.items():
            if name in self.fields:
                self.fields[name].label = label
        if nominated and "email" in self.fields:
            self.fields["email"].help_text = _(
                "The delegate receives the emails, with a link to their registration, at this "
                "address."
            )
        if "level_of_government" in self.fields:
            prompt_empty_choice(self.fields["level_of_government"], _("Choose a level"))
        for name in TEXT_FIELDS:
            if name in self.fields:
                self.fields[name].validators.append(validate_no_control_characters)
        if "days" in self.fields:
            self.fields["days"] = forms.MultipleChoiceField(
                label=_("Days you will attend"),
                choices=_day_choices(meeting),
                widget=forms.CheckboxSelectMultiple,
                initial=[day.isoformat() for day in meeting.days],
                required=True,
            )
        for name, field in self.fields.items():
            if isinstance(field.widget, forms.TextInput | forms.EmailInput | forms.Select):
                field.widget.attrs.setdefault("autocomplete", AUTOCOMPLETE.get(name, "off"))

    def clean_phone(self):
        return normalise_phone(self.cleaned_data.get("phone", ""))

    def clean_email(self):
        return (self.cleaned_data.get("email") or "").strip().lower()


# The model's verbose names describe the delegate for the back-office; the forms ask the
# person who fills them.
FIRST_PERSON_LABELS = {
    "needs_visa_letter": _("I need a visa support letter"),
    "consent_participant_list": _("I agree to appear on the participant list"),
}
# The focal point ticks these for the delegate, having asked them: the delegate can
# still change the participant-list consent on their personal page.
NOMINATION_LABELS = {
    "needs_visa_letter": _("The delegate needs a visa support letter"),
    "consent_participant_list": _("The delegate agrees to appear on the participant list"),
}

AUTOCOMPLETE = {
    "first_name": "given-name",
    "last_name": "family-name",
    "email": "email",
    "phone": "tel",
    "institution": "organization",
    "function": "organization-title",
    "title": "honorific-prefix",
}


class RegistrationForm(RegistrationDetailsMixin, forms.ModelForm):
    """The public registration form (and the focal point's nomination form)."""

    category = forms.ChoiceField(label=_("You represent"), choices=Category.choices)
    delegation = PartnerChoiceField(
        label=_("Country or organisation"),
        queryset=Partner.objects.none(),
        required=False,
        empty_label=_("Choose a delegation"),
    )
    consent_processing = forms.BooleanField(
        label=_("I agree to the processing of my personal data as described above."),
        required=True,
        error_messages={"required": _("Your consent is needed to register.")},
    )

    class Meta:
        model = Registration
        fields = (
            "category",
            "delegation",
            "title",
            "first_name",
            "last_name",
            "email",
            "phone",
            "institution",
            "function",
            "level_of_government",
            "role",
            "participation",
            "days",
            "language",
            "dietary_needs",
            "accessibility_needs",
            "needs_visa_letter",
            "consent_processing",
            "consent_participant_list",
            "attachment",
        )
        widgets = {"participation": forms.RadioSelect, "role": forms.RadioSelect}
        help_texts = {
            "phone": _("International format, e.g. +221 77 123 45 67."),
            "email": _("We send a link to confirm it and to reach your registration."),
        }

    def __init__(self, *args, meeting, fixed_delegation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_details(meeting, nominated=fixed_delegation is not None)
        delegation = self.fields["delegation"]
        delegation.queryset = Partner.objects.filter(
            dialogue_id=meeting.dialogue_id, left_on__isnull=True
        )
        delegation.dialogue_id = meeting.dialogue_id
        # Grouped and sorted without regard to accents; the queryset still validates.
        # A callable, so built only when the form is shown (never for a POST or the API),
        # in the language of the request.
        language = translation.get_language()

        def grouped_partners():
            with translation.override(language):
                return [("", delegation.empty_label), *partner_choices(meeting.dialogue)]

        delegation.widget.choices = grouped_partners
        self.fields["language"].initial = active_language()
        self.fixed_delegation = fixed_delegation
        if fixed_delegation is not None:
            # A focal point nominates for their own delegation only.
            for name in ("category", "delegation"):
                self.fields[name].required = False
                self.fields[name].disabled = True
            self.fields["delegation"].initial = fixed_delegation.pk
            self.fields["category"].initial = category_for_partner(fixed_delegation)
            self.fields.pop("consent_processing")
        only_way = only_participation(meeting)
        if only_way is None:
            self.fields["participation"].required = True
        else:
            # Only one way to attend: nothing to ask.
            participation = self.fields["participation"]
            participation.disabled = True
            participation.widget = forms.HiddenInput()
            participation.initial = only_way
        if meeting.attachment_required and fixed_delegation is None:
            self.fields["attachment"].required = True
            self.fields["attachment"].label = meeting.attachment_label or _("Attachment")
            self.fields["attachment"].help_text = _("PDF, PNG or JPEG, at most %(size)d MB.") % {
                "size": settings.REGISTRATION_ATTACHMENT_MAX_MB
            }
        else:
            self.fields.pop("attachment")

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload:
            validate_attachment(upload)
        return upload

    def clean(self):
        cleaned = super().clean()
        if self.fixed_delegation is not None:
            cleaned["delegation"] = self.fixed_delegation
            cleaned["category"] = category_for_partner(self.fixed_delegation)
        category = cleaned.get("category")
        if category in INVITED_CATEGORIES:
            cleaned["delegation"] = None
        if category and "category" not in self.errors and "delegation" not in self.errors:
            try:
                check_eligibility(
                    self.meeting, category=category, delegation=cleaned.get("delegation")
                )
            except RegistrationError as error:
                self.add_error(error.field, error.message)
        if "days" in cleaned and not cleaned["days"]:
            raise ValidationError({"days": _("Choose at least one day.")})
        return cleaned

    def _post_clean(self):
        # ModelForm's, minus the model's constraint and foreign-key checks: the fields
        # above have checked the delegation (a current partner), the category and the
        # consent, and the database enforces the rest (foreign key, check constraints,
        # and the unique index on active emails, which submit_registration turns into a
        # message with a way back to the existing registration). Checking them here too
        # would cost queries on every submission, and the unique check would still race.
        try:
            self.instance = construct_instance(
                self, self.instance, self._meta.fields, self._meta.exclude
            )
        except ValidationError as error:
            self._update_errors(error)
        try:
            self.instance.full_clean(
                exclude=self._get_validation_exclusions() | {"delegation"},
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as error:
            self._update_errors(error)

    def registration_data(self) -> dict:
        """Cleaned values as model fields, for submit_registration()."""
        data = {
            name: value
            for name, value in self.cleaned_data.items()
            if name in {field.name for field in Registration._meta.get_fields()}
        }
        data.setdefault("consent_processing", True)
        return data


class RegistrationEditForm(RegistrationDetailsMixin, forms.ModelForm):
    """What a delegate may change on their personal page."""

    class Meta:
        model = Registration
        fields = EDITABLE_BY_DELEGATE

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_details(meeting)
        self.initial["days"] = self.instance.days


class LostLinkForm(forms.Form):
    email = forms.EmailField(label=_("Email address used to register"), max_length=254)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class OptionalNoteForm(forms.Form):
    reason = forms.CharField(
        label=_("Note (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class EntryMeetingForm(forms.Form):
    """The first step of a back-office entry: the meeting, among those the user may enter for."""

    meeting = forms.ModelChoiceField(label=_("Meeting"), queryset=Meeting.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings_open_to_entry(user)
        prompt_empty_choice(self.fields["meeting"], _("Choose a meeting"))


class StaffEntryForm(RegistrationForm):
    """A registration entered in the back-office for someone else (a speaker, a guest, staff).

    The person's fields as the public form asks them, without the consents, which only
    the person gives: the participant list stays off until they tick it on their personal
    page, and consent_processing is recorded True (registration_data) as for a focal
    point's nomination, the entry being made on the Secretariat's or organisers' word that
    the person is taking part (the database accepts no registration without it).
    Attachments are the public form's proof of nomination, which staff do not need.
    """

    send_verification = forms.BooleanField(
        label=_("Send the person an email to verify their address"),
        required=False,
        help_text=_(
            "Ticked, the registration waits until the person follows the link in that "
            "email, like a registration through the form. Unticked, it is placed at once "
            "and the person is told its status."
        ),
    )
    note = forms.CharField(
        label=_("Why entered (optional)"),
        max_length=300,
        required=False,
        help_text=_("For example: speaker, VIP, staff. Kept in the registration's history."),
        validators=[validate_no_control_characters],
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, meeting=meeting, **kwargs)
        for name in ("consent_processing", "consent_participant_list", "attachment"):
            self.fields.pop(name, None)
        # Shown so that staff see which meeting they enter for; chosen at the first step.
        self.fields["meeting"] = forms.ModelChoiceField(
            label=_("Meeting"),
            queryset=Meeting.objects.filter(pk=meeting.pk),
            initial=meeting.pk,
            disabled=True,
        )
        self.fields["category"].label = _("Represents")
        self.fields["days"].label = _("Days attended")
        self.fields["needs_visa_letter"].label = _("The person needs a visa support letter")
        self.fields["email"].help_text = _("The person's own address: their emails go there.")
        for name in ("role", "participation"):
            if not self.fields[name].widget.is_hidden:
                self.fields[name].widget = forms.Select(choices=self.fields[name].choices)

    def registration_data(self) -> dict:
        data = super().registration_data()
        data.pop("meeting", None)
        return data
