"""The form a delegate or a focal point fills in to share a good practice."""

from django import forms
from django.utils.translation import gettext_lazy as _

from convene.core.forms import prompt_empty_choice
from convene.dialogues.forms import sort_partners_by_name
from convene.dialogues.models import Domain, Objective, Partner
from convene.registrations.validators import validate_attachment, validate_no_control_characters

from .models import GoodPractice

TEXT_FIELDS = ("title", "summary", "contact_name")


class _LabelledChoiceField(forms.ModelChoiceField):
    def __init__(self, *args, label_from, **kwargs):
        self._label_from = label_from
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        return self._label_from(obj)


class GoodPracticeForm(forms.ModelForm):
    """Fields of a good practice; `partners` are those the person may speak for."""

    class Meta:
        model = GoodPractice
        fields = (
            "title",
            "summary",
            "language",
            "partner",
            "level_of_government",
            "domain",
            "objective",
            "session",
            "contact_name",
            "contact_email",
            "attachment",
        )
        widgets = {"summary": forms.Textarea(attrs={"rows": 8})}
        help_texts = {
            "summary": _("What was done, by whom, with what results, and what others can reuse."),
            "objective": _("It must belong to the domain chosen above."),
            "attachment": _("Optional: a PDF, PNG or JPEG file."),
            "session": _("Optional: the session of the meeting where it was presented."),
        }

    def __init__(self, *args, meeting, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        partners = list(partners)
        self.fields["partner"] = sort_partners_by_name(
            _LabelledChoiceField(
                label=_("Partner"),
                queryset=Partner.objects.filter(pk__in=[partner.pk for partner in partners]),
                label_from=lambda partner: partner.name,
                empty_label=None if len(partners) == 1 else _("Choose a partner"),
            )
        )
        self.fields["domain"] = _LabelledChoiceField(
            label=_("Action-plan domain"),
            queryset=Domain.objects.filter(action_plan__dialogue=meeting.dialogue)
            .select_related("action_plan")
            .order_by("-action_plan__start_year", "number"),
            label_from=lambda domain: (
                f"{domain.action_plan.name} · {domain.number}. {domain.title}"
            ),
            empty_label=_("Choose a domain"),
        )
        self.fields["objective"] = _LabelledChoiceField(
            label=_("Action-plan objective"),
            queryset=Objective.objects.filter(domain__action_plan__dialogue=meeting.dialogue)
            .select_related("domain__action_plan")
            .order_by("-domain__action_plan__start_year", "domain__number", "position", "number"),
            label_from=lambda objective: (
                f"{objective.domain.action_plan.name} · "
                f"{objective.domain.number}.{objective.number} {objective.title}"
            ),
            required=False,
            empty_label=_("No particular objective"),
            help_text=self.Meta.help_texts["objective"],
        )
        self.fields["session"] = _LabelledChoiceField(
            label=_("Session"),
            queryset=meeting.sessions.order_by("day", "start_time", "id"),
            label_from=lambda session: (
                f"{session.day:%d/%m} {session.start_time:%H:%M} · {session.title}"
            ),
            required=False,
            empty_label=_("No particular session"),
            help_text=self.Meta.help_texts["session"],
        )
        prompt_empty_choice(self.fields["level_of_government"], _("Choose a level"))
        self._partners = partners
        for name in TEXT_FIELDS:
            self.fields[name].validators.append(validate_no_control_characters)
        self.fields["attachment"].validators.append(validate_attachment)
        self.fields["attachment"].widget = forms.ClearableFileInput(
            attrs={"accept": ".pdf,.png,.jpg,.jpeg"}
        )
        self.fields["contact_email"].widget.attrs["autocomplete"] = "email"
        self.fields["contact_name"].widget.attrs["autocomplete"] = "name"

    def clean(self):
        cleaned = super().clean()
        domain, objective = cleaned.get("domain"), cleaned.get("objective")
        if domain and objective and objective.domain_id != domain.pk:
            self.add_error("objective", _("Choose an objective of the domain chosen above."))
        return cleaned

    def practice_data(self) -> dict:
        """Cleaned data as `submit_good_practice(data=...)` takes it."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}
