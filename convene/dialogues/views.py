from django.shortcuts import render
from django.views.decorators.http import require_GET

from convene.labels.selectors import action_plan_coverage

from . import selectors


@require_GET
def partner_list(request):
    dialogue = selectors.current_dialogue()
    groups = selectors.partner_groups(dialogue) if dialogue else []
    return render(request, "dialogues/partners.html", {"dialogue": dialogue, "groups": groups})


@require_GET
def action_plan_list(request):
    dialogue = selectors.current_dialogue()
    plans = action_plan_coverage(dialogue) if dialogue else []
    return render(request, "dialogues/action_plans.html", {"dialogue": dialogue, "plans": plans})
