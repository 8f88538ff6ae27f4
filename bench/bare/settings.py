"""Settings of the calibration app: no middleware, one view, one app (from the environment)."""

import environ

env = environ.Env()

SECRET_KEY = "calibration-only"  # noqa: S105 (serves nothing but the benchmark's loopback rush)
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1"]
INSTALLED_APPS = ["bench.bare"]
MIDDLEWARE = []
ROOT_URLCONF = "bench.bare.urls"
DATABASES = {"default": env.db_url("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = 60
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
