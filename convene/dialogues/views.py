from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import selectors


@require_GET
def partner_list(request):
    dialogue = selectors.current_dialogue()
    groups = selectors.partner_groups(dialogue) if dialogue else []
    return render(request, "dialogues/partners.html", {"dialogue": dialogue, "groups": groups})
