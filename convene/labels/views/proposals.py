"""Proposals for the label: the focal points' and the Secretariat's pages."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from convene.core import permissions
from convene.core.confirmation import confirmation_page, is_confirmed
from convene.core.downloads import file_download, file_suffix
from convene.core.selectors import audit_entries_for
from convene.dialogues.models import Objective
from convene.dialogues.selectors import current_dialogue

from .. import services
from ..audit import proposal_history_title
from ..enums import ProposalStatus
from ..errors import LabelError
from ..forms import (
    ChecklistForm,
    CommentForm,
    DecisionForm,
    MeetingForm,
    NoteForm,
    ProposalForm,
    RequestChangesForm,
)
from ..models import LabelProposal, ProposalComment
from ..permissions import (
    can_act_as_proposer,
    can_edit_proposal,
    can_propose,
    can_read_proposal_file,
    can_review_proposal,
    can_view_proposal,
)
from ..proposal_selectors import proposals_visible_to

P = ProposalStatus
# Proposal references as new_proposal_reference() makes them.
REFERENCE = re.compile(r"L-[A-Z0-9]{1,10}")
DOCUMENTS = ("concept_note", "draft_agenda")


def _proposal(reference) -> LabelProposal:
    if not REFERENCE.fullmatch(reference):
        raise Http404
    proposal = (
        LabelProposal.objects.select_related("lead_partner", "proposed_by", "meeting", "dialogue")
        .prefetch_related(
            "co_organisers",
            "domains__action_plan",
            Prefetch(
                "objectives", queryset=Objective.objects.select_related("domain__action_plan")
            ),
            Prefetch("comments", queryset=ProposalComment.objects.select_related("author")),
        )
        .filter(reference=reference)
        .first()
    )
    if proposal is None:
        raise Http404
    return proposal


def _form_error(form, error):
    """A refusal from the services (LabelError) or the model (ValidationError) on the form."""
    if isinstance(error, LabelError):
        form.add_error(error.field if error.field in form.fields else None, error.message)
    else:
        for message in error.messages:
            form.add_error(None, message)


@login_required
def proposal_list(request):
    if not can_propose(request.user):
        raise PermissionDenied
    proposals = (
        proposals_visible_to(request.user)
        .select_related("lead_partner")
        .order_by("-updated_at", "-id")
    )
    return render(request, "labels/proposals.html", {"proposals": proposals})


@login_required
@require_http_methods(["GET", "POST"])
def proposal_create(request):
    if not can_propose(request.user):
        raise PermissionDenied
    dialogue = current_dialogue()
    if dialogue is None:
        raise Http404
    form = ProposalForm(
        request.POST or None, request.FILES or None, dialogue=dialogue, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.create_proposal(
                dialogue=dialogue,
                lead_partner=form.cleaned_data["lead_partner"],
                data=form.proposal_data(),
                actor=request.user,
            )
        except (LabelError, ValidationError) as error:
            _form_error(form, error)
        else:
            messages.success(
                request, _("The draft is saved. Submit it to the Secretariat when it is ready.")
            )
            return redirect(proposal)
    return render(
        request,
        "labels/proposal_form.html",
        {"form": form, "proposal": None},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def proposal_edit(request, reference):
    proposal = _proposal(reference)
    if not can_edit_proposal(request.user, proposal):
        raise PermissionDenied
    form = ProposalForm(
        request.POST or None,
        request.FILES or None,
        instance=proposal,
        dialogue=proposal.dialogue,
        user=request.user,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_proposal(proposal, data=form.proposal_data(), actor=request.user)
        except (LabelError, ValidationError) as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect(proposal)
    return render(
        request,
        "labels/proposal_form.html",
        {"form": form, "proposal": proposal},
        status=400 if request.method == "POST" else 200,
    )


# --- the detail page and its actions --------------------------------------------------------

# Action name → (form class or None, who may use it, statuses where it shows).
PROPOSER, SECRETARIAT = services.PROPOSER, services.SECRETARIAT
ACTIONS = {
    "submit": (None, PROPOSER, (P.DRAFT, P.CHANGES_REQUESTED)),
    "withdraw": (None, PROPOSER, (P.DRAFT, P.SUBMITTED, P.CHANGES_REQUESTED)),
    "comment": (CommentForm, PROPOSER, tuple(P)),
    "start_review": (None, SECRETARIAT, (P.SUBMITTED,)),
    "checklist": (ChecklistForm, SECRETARIAT, (P.UNDER_REVIEW,)),
    "request_changes": (RequestChangesForm, SECRETARIAT, (P.UNDER_REVIEW, P.RECOMMENDED)),
    "recommend": (NoteForm, SECRETARIAT, (P.UNDER_REVIEW,)),
    "decide": (DecisionForm, SECRETARIAT, (P.UNDER_REVIEW, P.RECOMMENDED)),
    "create_meeting": (MeetingForm, SECRETARIAT, (P.LABELLED,)),
}
SUCCESS = {
    "submit": gettext_lazy("The proposal is submitted to the Secretariat."),
    "withdraw": gettext_lazy("The proposal is withdrawn."),
    "comment": gettext_lazy("Your comment is sent."),
    "start_review": gettext_lazy("The review has started."),
    "checklist": gettext_lazy("The checklist is saved."),
    "request_changes": gettext_lazy("The proposer is asked for changes."),
    "recommend": gettext_lazy("The proposal is recommended for the label."),
    "decide": gettext_lazy("The decision is recorded."),
    "create_meeting": gettext_lazy(
        "The meeting is created as a draft: complete it and publish it."
    ),
}


def available_actions(user, proposal) -> list[str]:
    """The actions the page offers this user on this proposal (the services decide anyway)."""
    roles = set()
    if can_act_as_proposer(user, proposal):
        roles.add(PROPOSER)
    if can_review_proposal(user, proposal):
        roles.add(SECRETARIAT)
    return [
        name
        for name, (_form, role, statuses) in ACTIONS.items()
        if role in roles
        and proposal.status in statuses
        and not (name == "create_meeting" and proposal.meeting_id)
    ]


def _action_form(name, proposal, data=None):
    form_class = ACTIONS[name][0]
    if form_class is None:
        return None
    kwargs = {"prefix": name}
    if form_class is DecisionForm:
        kwargs["recommended"] = proposal.status == P.RECOMMENDED
    if form_class is ChecklistForm and data is None:
        kwargs["initial"] = {field: getattr(proposal, field) for field in ChecklistForm.base_fields}
    return form_class(data, **kwargs)


def _run_action(name, proposal, form, actor):
    """Call the one service behind `name`."""
    data = form.cleaned_data if form is not None else {}
    if name == "submit":
        services.set_proposal_status(proposal, P.SUBMITTED, actor=actor)
    elif name == "withdraw":
        services.set_proposal_status(proposal, P.WITHDRAWN, actor=actor)
    elif name == "start_review":
        services.set_proposal_status(proposal, P.UNDER_REVIEW, actor=actor)
    elif name == "comment":
        services.add_comment(proposal, body=data["body"], actor=actor)
    elif name == "checklist":
        services.review_proposal(proposal, checklist=data, actor=actor)
    elif name == "request_changes":
        services.request_changes(proposal, comment=data["comment"], actor=actor)
    elif name == "recommend":
        services.recommend_proposal(proposal, actor=actor, note=data["note"])
    elif name == "decide":
        services.record_label_decision(
            proposal,
            labelled=data["outcome"] == DecisionForm.LABELLED,
            decided_by=data["decided_by"],
            decided_on=data["decided_on"],
            decision_reference=data["decision_reference"],
            actor=actor,
        )
    elif name == "create_meeting":
        services.create_meeting_from_proposal(proposal, slug=data["slug"], actor=actor)


def proposal_history(proposal) -> list[dict]:
    """The audit trail, oldest first, each entry described in the active language."""
    history = []
    for entry in audit_entries_for(proposal).order_by("created_at", "id"):
        history.append({"entry": entry, "what": proposal_history_title(entry)})
    return history


@login_required
@require_http_methods(["GET", "POST"])
def proposal_detail(request, reference):
    proposal = _proposal(reference)
    if not can_view_proposal(request.user, proposal):
        raise PermissionDenied
    involved = can_read_proposal_file(request.user, proposal)
    document = request.GET.get("document")
    if document:
        return _document(proposal, document, involved)
    actions = available_actions(request.user, proposal)
    forms = {name: _action_form(name, proposal) for name in actions}
    if request.method == "POST":
        name = request.POST.get("action", "")
        if name not in ACTIONS:
            messages.error(request, _("Unknown action."))
            return redirect(proposal)
        # Withdrawing cannot be undone: a second step says so first. Without the right to
        # withdraw, the service refuses the first POST as before.
        if name == "withdraw" and name in actions and not is_confirmed(request):
            return _confirm_withdrawal(request, proposal)
        form = _action_form(name, proposal, request.POST)
        if form is None or form.is_valid():
            try:
                _run_action(name, proposal, form, request.user)
            except LabelError as error:
                messages.error(request, error.message)
                return redirect(proposal)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return redirect(proposal)
            messages.success(request, SUCCESS[name])
            return redirect(proposal)
        forms[name] = form
    return render(
        request,
        "labels/proposal_detail.html",
        {
            "proposal": proposal,
            "involved": involved,
            "is_secretariat": permissions.is_secretariat(request.user),
            "can_edit": can_edit_proposal(request.user, proposal),
            "actions": actions,
            "forms": forms,
            "history": proposal_history(proposal) if involved else [],
            "comments": list(proposal.comments.all()) if involved else [],
        },
        status=400 if request.method == "POST" else 200,
    )


def _confirm_withdrawal(request, proposal):
    return confirmation_page(
        request,
        title=_("Withdraw the proposal?"),
        consequences=[
            _(
                "The proposal %(reference)s “%(title)s” will be withdrawn and the "
                "Secretariat told by email. It cannot be submitted again: this cannot "
                "be undone."
            )
            % {"reference": proposal.reference, "title": proposal.title}
        ],
        fields={"action": "withdraw"},
        confirm_label=_("Yes, withdraw the proposal"),
        back_url=proposal.get_absolute_url(),
    )


def _document(proposal, name, involved):
    """A concept note or draft agenda, for the proposer's side and the Secretariat."""
    if name not in DOCUMENTS or not involved:
        raise Http404
    upload = getattr(proposal, name)
    return file_download(upload, filename=f"{proposal.reference}-{name}.{file_suffix(upload)}")
