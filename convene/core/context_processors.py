from django.conf import settings
from django.urls import translate_url


def language_switch(request):
    """Links to the current page in each language, for the switch in the header."""
    path = request.get_full_path()
    return {
        "language_links": [
            {"code": code, "name": name, "url": translate_url(path, code)}
            for code, name in settings.LANGUAGES
        ]
    }
