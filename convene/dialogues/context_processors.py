from django.utils.functional import SimpleLazyObject

from .selectors import current_dialogue


def dialogue(request):
    """The deployment's dialogue for the header and footer, queried only if shown."""
    return {"dialogue": SimpleLazyObject(current_dialogue)}
