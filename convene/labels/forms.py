from django import forms
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from convene.core import permissions
from convene.dialogues.forms import sort_partners_by_name
from convene.dialogues.models import Domain, Objective, Partner
from convene.dialogues.selectors import partner_choices, partners_by_name
from convene.registrations.validators import (
    DOCUMENT_FORMATS,
    validate_no_control_characters,
    validate_upload,
)

from .enums import DecidingBody, ProposalStatus
from .models import LabelProposal
from .proposal_selectors import action_plans_open_to

TEXT_FIELDS = (
    "title_en",
    "title_fr",
    "description_en",
    "description_fr",
    "place",
    "participant_profile",
    "objectives_and_results",
    "support_details",
)


def validate_document(upload) -> None:
    """Concept notes and agendas: PDF, DOCX or ODT."""
    validate_upload(
        upload,
        formats=DOCUMENT_FORMATS,
        wrong_type_message=gettext("Attach a PDF, DOCX or ODT file."),
    )


class PartnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, partner):
        return partner.name


class ProposalForm(forms.ModelForm):
    """A proposal's details. The lead partner is chosen on creation only (and a focal point
    chooses among their own partners); the alignment offers the plans in force."""

    lead_partner = PartnerChoiceField(
        label=_("Lead partner"),
        queryset=Partner.objects.none(),
        empty_label=_("Choose the lead partner"),
    )

    class Meta:
        model = LabelProposal
        fields = (
            "title_en",
            "title_fr",
            "description_en",
            "description_fr",
            "activity_type",
            "lead_partner",
            "co_organisers",
            "starts_on",
            "ends_on",
            "format",
            "place",
            "expected_participants",
            "participant_profile",
            "objectives_and_results",
            "domains",
            "objectives",
            "funded_by_lead_partner",
            "support_expertise",
            "support_logistics",
            "support_funds",
            "support_details",
            "concept_note",
            "draft_agenda",
        )
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "format": forms.RadioSelect,
            "co_organisers": forms.CheckboxSelectMultiple,
            "domains": forms.CheckboxSelectMultiple,
            "objectives": forms.CheckboxSelectMultiple,
            "description_en": forms.Textarea(attrs={"rows": 5}),
            "description_fr": forms.Textarea(attrs={"rows": 5}),
            "participant_profile": forms.Textarea(attrs={"rows": 3}),
            "objectives_and_results": forms.Textarea(attrs={"rows": 4}),
            "support_details": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "starts_on": _("Format: YYYY-MM-DD, e.g. 2026-10-14."),
            "ends_on": _("Leave empty for a one-day activity."),
            "concept_note": _("PDF, DOCX or ODT, at most 5 MB."),
            "draft_agenda": _("PDF, DOCX or ODT, at most 5 MB."),
        }

    # The sections of the form, in order: (legend, field names).
    SECTIONS = (
        (_("The activity in English"), ("title_en", "description_en")),
        (_("The activity in French"), ("title_fr", "description_fr")),
        (
            pgettext_lazy("form section", "Organisation"),
            ("activity_type", "lead_partner", "co_organisers"),
        ),
        (
            _("Dates and place"),
            ("starts_on", "ends_on", "format", "place"),
        ),
        (
            _("Participants and expected results"),
            ("expected_participants", "participant_profile", "objectives_and_results"),
        ),
        (
            _("Funding and support requested from the Secretariat"),
            (
                "funded_by_lead_partner",
                "support_expertise",
                "support_logistics",
                "support_funds",
                "support_details",
            ),
        ),
        (_("Documents"), ("concept_note", "draft_agenda")),
    )

    def __init__(self, *args, dialogue, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.dialogue = dialogue
        current = Partner.objects.filter(dialogue=dialogue, left_on__isnull=True)
        lead = self.fields["lead_partner"]
        if self.instance.pk:
            # The lead partner is fixed once the proposal exists.
            del self.fields["lead_partner"]
        elif permissions.is_secretariat(user):
            lead.queryset = current
            lead.widget.choices = [("", lead.empty_label), *partner_choices(dialogue)]
        else:
            own = current.filter(pk__in=permissions.focal_point_partner_ids(user))
            lead.queryset = own
            own = partners_by_name(own)
            if len(own) == 1:
                lead.initial = own[0].pk
            lead.widget.choices = [
                *([("", lead.empty_label)] if len(own) != 1 else []),
                *((partner.pk, partner.name) for partner in own),
            ]
        co_organisers = self.fields["co_organisers"]
        co_organisers.queryset = current
        sort_partners_by_name(co_organisers)
        self.fields["domains"].queryset = Domain.objects.filter(
            action_plan__dialogue=dialogue
        ).select_related("action_plan")
        self.fields["objectives"].queryset = Objective.objects.filter(
            domain__action_plan__dialogue=dialogue
        ).select_related("domain__action_plan")
        for name in ("title_en", "title_fr"):
            self.fields[name].required = True
        for name in TEXT_FIELDS:
            self.fields[name].validators.append(validate_no_control_characters)
        self.fields["place"].help_text = _("City and country; “online” for a webinar.")

    def sections(self):
        """[(legend, [bound fields])] for the template's fieldsets."""
        return [
            (legend, [self[name] for name in names if name in self.fields])
            for legend, names in self.SECTIONS
        ]

    def alignment_plans(self):
        """The action plans with their domains and objectives, each with its checkbox.

        The current plan first; an older plan is there for activities dated in its years.
        """
        domain_boxes = {str(box.data["value"]): box for box in self["domains"]}
        objective_boxes = {str(box.data["value"]): box for box in self["objectives"]}
        plans = {}
        for domain in self.fields["domains"].queryset.order_by(
            "-action_plan__start_year", "number"
        ):
            plans.setdefault(domain.action_plan, []).append(
                {"domain": domain, "box": domain_boxes[str(domain.pk)], "objectives": []}
            )
        by_domain = {item["domain"].pk: item for items in plans.values() for item in items}
        for objective in self.fields["objectives"].queryset.order_by("position", "number"):
            by_domain[objective.domain_id]["objectives"].append(
                {"objective": objective, "box": objective_boxes[str(objective.pk)]}
            )
        return [{"plan": plan, "domains": items} for plan, items in plans.items()]

    def clean_concept_note(self):
        return self._clean_document("concept_note")

    def clean_draft_agenda(self):
        return self._clean_document("draft_agenda")

    def _clean_document(self, name):
        upload = self.cleaned_data.get(name)
        if upload and hasattr(upload, "content_type"):  # a new upload, not the stored file
            validate_document(upload)
        return upload

    def clean(self):
        cleaned = super().clean()
        if "starts_on" in self.errors:
            return cleaned
        open_plans = action_plans_open_to(self.dialogue, cleaned.get("starts_on"))
        chosen = [
            *(domain.action_plan for domain in cleaned.get("domains") or ()),
            *(objective.domain.action_plan for objective in cleaned.get("objectives") or ()),
        ]
        if any(plan not in open_plans for plan in chosen):
            self.add_error(
                "objectives",
                gettext(
                    "Choose domains and objectives of the action plan in force at the "
                    "proposed dates: %(plans)s."
                )
                % {"plans": ", ".join(plan.name for plan in open_plans) or "-"},
            )
        return cleaned

    def proposal_data(self) -> dict:
        """Cleaned values as the services take them (the lead partner apart)."""
        return {name: value for name, value in self.cleaned_data.items() if name != "lead_partner"}


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[validate_no_control_characters],
    )


class RequestChangesForm(forms.Form):
    comment = forms.CharField(
        label=_("What should change"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[validate_no_control_characters],
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ChecklistForm(forms.Form):
    check_alignment = forms.BooleanField(label=_("Aligned with the action plan"), required=False)
    check_partner_led = forms.BooleanField(label=_("Led and funded by the partner"), required=False)
    check_relevance = forms.BooleanField(label=_("Relevant to the Dialogue"), required=False)
    check_feasibility = forms.BooleanField(
        label=pgettext_lazy("checklist", "Feasible"), required=False
    )


class DecisionForm(forms.Form):
    LABELLED, NOT_LABELLED = ProposalStatus.LABELLED, ProposalStatus.NOT_LABELLED

    outcome = forms.ChoiceField(
        label=_("Decision"),
        choices=[(LABELLED, _("Labelled")), (NOT_LABELLED, _("Not labelled"))],
        widget=forms.RadioSelect,
    )
    decided_by = forms.ChoiceField(label=_("Deciding body"), choices=DecidingBody.choices)
    decided_on = forms.DateField(
        label=_("Date of the decision"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Format: YYYY-MM-DD, e.g. 2026-10-14."),
    )
    decision_reference = forms.CharField(
        label=_("Reference of the decision"),
        max_length=120,
        required=False,
        validators=[validate_no_control_characters],
        help_text=_("For example the number of the minutes."),
    )

    def __init__(self, *args, recommended=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not recommended:
            # Only a recommended proposal can be labelled; under review, it can be refused.
            self.fields["outcome"].choices = [(self.NOT_LABELLED, _("Not labelled"))]


class MeetingForm(forms.Form):
    slug = forms.SlugField(
        label=_("Address of the meeting page"),
        max_length=50,
        help_text=_("Lower-case letters, digits and hyphens, e.g. lisbon-2026."),
    )
