import os

from django.core.wsgi import get_wsgi_application
from django.db import connections

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# Keys missing in production, or that do not decrypt the stored passport data, stop the
# server here rather than at the first delegate's page (see convene/core/encryption.py).
from convene.core.encryption import verify_encrypted_data  # noqa: E402 (needs set-up)

verify_encrypted_data()
# gunicorn loads this module once and then forks its workers: none may inherit the
# connection the check opened.
connections.close_all()
