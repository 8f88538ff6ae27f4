"""What the Dialogue did, read-only: action-plan coverage and the partner pages."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from convene.dialogues.selectors import current_dialogue

from . import selectors


@require_GET
def action_plan_list(request):
    dialogue = current_dialogue()
    plans = selectors.action_plan_coverage(dialogue) if dialogue else []
    return render(request, "reports/action_plans.html", {"dialogue": dialogue, "plans": plans})


@require_GET
def partner_detail(request, code):
    dialogue = current_dialogue()
    partner = selectors.partner_by_code(dialogue, code) if dialogue else None
    if partner is None:
        raise Http404
    return render(
        request,
        "reports/partner.html",
        {"dialogue": dialogue, "record": selectors.partner_record(partner)},
    )
