"""The good practices a meeting's page shows, rendered by this app so that meetings, the
lower app, names no model of it."""

from django import template

from ..selectors import practices_for_meeting_page

register = template.Library()


@register.inclusion_tag("practices/_meeting_practices.html", takes_context=True)
def meeting_practices(context, meeting):
    """The meeting's published practices, in one query; nothing when there are none."""
    return {
        "good_practices": practices_for_meeting_page(meeting),
        "LANGUAGE_CODE": context.get("LANGUAGE_CODE"),
    }
