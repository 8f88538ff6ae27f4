from django import template

from convene.registrations.enums import RegistrationStatus

register = template.Library()


@register.simple_tag
def status_label(value):
    """The translated label of a registration status code (as stored in the audit log)."""
    try:
        return RegistrationStatus(value).label
    except ValueError:
        return value
