"""What the Dialogue sees: the catalogue of labelled activities."""

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
