"""What the Dialogue sees: the catalogue of labelled activities and the partner pages."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from convene.dialogues.selectors import current_dialogue

from .. import selectors
from ..filters import ActivityFilterForm


@require_GET
def label_catalogue(request):
    dialogue = current_dialogue()
    if dialogue is None:
        raise Http404
    form = ActivityFilterForm(request.GET, dialogue=dialogue)
    activities = list(selectors.labelled_activities(dialogue, filters=form.filters()))
    return render(
        request,
        "labels/catalogue.html",
        {"dialogue": dialogue, "form": form, "activities": activities},
    )


@require_GET
def partner_detail(request, code):
    dialogue = current_dialogue()
    partner = selectors.partner_by_code(dialogue, code) if dialogue else None
    if partner is None:
        raise Http404
    return render(
        request,
        "labels/partner.html",
        {"dialogue": dialogue, "record": selectors.partner_record(partner)},
    )
