"""The second step of an action that cannot be undone, shared by the apps' views."""

from django.shortcuts import render


def is_confirmed(request) -> bool:
    """True for the POST sent from the confirmation page, which alone may call the service."""
    return request.method == "POST" and request.POST.get("confirm") == "1"


def confirmation_page(
    request, *, title, consequences, fields, confirm_label, back_url, action_url=""
):
    """The page saying what will happen, posting `fields` again with confirm=1.

    Nothing is written here: the confirming POST goes back to the same view (or
    `action_url`), which checks access and calls the service as for any POST.
    """
    return render(
        request,
        "core/confirm.html",
        {
            "title": title,
            "consequences": consequences,
            "fields": fields,
            "confirm_label": confirm_label,
            "back_url": back_url,
            "action_url": action_url or request.path,
        },
    )
