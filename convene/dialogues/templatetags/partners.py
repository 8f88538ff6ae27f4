from django import template

from convene.dialogues.selectors import partners_by_name

register = template.Library()


@register.filter
def by_name(partners):
    """Partners in the order of their names in the page's language (partners_by_name)."""
    return partners_by_name(partners)
