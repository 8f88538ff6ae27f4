"""Settings for Convene, read only from the environment (see .env.example).

Defaults give the embedded mode: SQLite under var/, mail to files, no other
service. Production sets DATABASE_URL, REDIS_URL, ALLOWED_HOSTS and HTTPS.
"""

import base64
import secrets
from datetime import timedelta
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A local .env is a convenience for developers; real deployments set variables.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

VAR_DIR = Path(env("VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key_from_var_dir(name: str = "secret_key") -> str:
    """Generate the key once and keep it, so sessions survive restarts."""
    path = VAR_DIR / name
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


def _fernet_key_from_var_dir(name: str) -> str:
    """A Fernet key (32 random bytes, URL-safe base64) generated once and kept."""
    path = VAR_DIR / name
    if not path.exists():
        path.write_text(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode("ascii"))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="") or _secret_key_from_var_dir()
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# The dialogue this deployment serves; its reference data is loaded by `make run`.
DIALOGUE_SLUG = env("DIALOGUE_SLUG", default="rabat-process")
# Links in emails and calendar identifiers. By default the address `make run` serves on,
# so that a PORT chosen for it also holds for the links it sends.
SITE_URL = env("SITE_URL", default=f"http://127.0.0.1:{env('PORT', default='8000')}").rstrip("/")

INSTALLED_APPS = [
    "convene.core.apps.ConveneAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "django_tasks",
    "django_tasks_db",
    "convene.core.apps.SignInSecurityConfig",  # django-axes, with a translated name
    "convene.core",
    "convene.dialogues",
    "convene.meetings",
    "convene.registrations",
    "convene.onsite",
    "convene.labels",
    "convene.practices",
    "convene.reports",
    "convene.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "convene.core.database_unavailable.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Personal pages are never kept by shared caches.
    "convene.core.private_pages.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last: turns a sign-in that axes refused into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out account or client before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "registrations:login"
LOGIN_REDIRECT_URL = "registrations:focal_point_home"
LOGOUT_REDIRECT_URL = "meetings:home"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "convene.core.context_processors.language_switch",
                "convene.dialogues.context_processors.dialogue",
            ],
        },
    }
]

# Longest wait for the lock that counts a meeting's places; past it the request is
# answered 503 "very busy, try again" instead of stalling a worker.
MEETING_LOCK_TIMEOUT_SECONDS = env.float("MEETING_LOCK_TIMEOUT_SECONDS", default=3.0)
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'convene.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the page-serving workers read while another writes.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault(
        "init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
    # SQLite has one write lock, the whole database: writers wait for it as long as
    # for a meeting's lock on PostgreSQL.
    DATABASES["default"]["OPTIONS"].setdefault("timeout", MEETING_LOCK_TIMEOUT_SECONDS)
else:
    # An unreachable server is answered 503 within seconds, not after the OS's minutes.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault(
        "connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=5)
    )
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Rate-limit counters must be one count per client across every app process: Redis when
# configured, else a counter table in the database (convene/core/counter_cache.py).
CACHES["ratelimit"] = (
    {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "ratelimit",
    }
    if REDIS_URL
    else {"BACKEND": "convene.core.counter_cache.CounterDatabaseCache"}
)
RATELIMIT_USE_CACHE = "ratelimit"
# How long the public page of a published meeting is served from the cache (0: never).
PUBLIC_PAGE_CACHE_SECONDS = env.int("PUBLIC_PAGE_CACHE_SECONDS", default=30)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Interface languages: the Dialogue's two working languages.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env("TIME_ZONE", default="UTC")

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# Exists before the first collectstatic, so that WhiteNoise does not warn in tests.
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed names let browsers cache static files for a year.
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}

# Security headers. HTTPS=true is the production switch behind TLS.
HTTPS = env.bool("HTTPS", default=False)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=HTTPS)
# The load balancer terminates TLS and says so in this header.
if env.bool("TRUST_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

WHITENOISE_MAX_AGE = 3600
# Attachments (notes verbales). Several app servers need this on shared storage.
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(VAR_DIR / "media")))
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Mail: EMAIL_URL such as smtp+tls://user:password@smtp.example.org:587; by default,
# each message is written as a file under var/mail/.
EMAIL_URL = env("EMAIL_URL", default="")
if EMAIL_URL:
    vars().update(env.email_url_config(EMAIL_URL))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(VAR_DIR / "mail")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Convene <no-reply@localhost>")
EMAIL_TIMEOUT = 20

# Background work: "immediate" runs tasks inline after commit (embedded mode);
# "database" queues them for `manage.py run_task_worker` (production).
TASKS_BACKEND = env("TASKS_BACKEND", default="immediate")
TASKS = {
    "default": {
        "BACKEND": {
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
            "database": "django_tasks_db.DatabaseBackend",
        }[TASKS_BACKEND]
    }
}

# Tries of an outbox email before it is marked failed and shown to the Secretariat in
# the back-office (the task worker retries with a growing wait, see convene/core/outbox.py).
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=10)

# Registration.
REGISTRATION_RATE_LIMIT = env("REGISTRATION_RATE_LIMIT", default="30/m")
REGISTRATION_LINK_MAX_AGE_DAYS = env.int("REGISTRATION_LINK_MAX_AGE_DAYS", default=180)
REGISTRATION_VERIFY_MAX_AGE_DAYS = env.int("REGISTRATION_VERIFY_MAX_AGE_DAYS", default=7)
REGISTRATION_ATTACHMENT_MAX_MB = env.int("REGISTRATION_ATTACHMENT_MAX_MB", default=5)
# Keys of the QR codes of confirmations and badges (convene/onsite/tokens.py), apart from
# SECRET_KEY so that either can be replaced alone. The first signs; all are accepted, so
# a new key goes first and the old one stays until the codes it signed are no longer used.
CONFIRMATION_TOKEN_KEYS = env.list("CONFIRMATION_TOKEN_KEYS", default=[]) or [
    _secret_key_from_var_dir("confirmation_token_key")
]
# Fernet keys encrypting passport data at rest (convene/core/encryption.py): the first
# encrypts, all decrypt; `manage.py rotate_passport_keys` re-encrypts with the first.
# Production must set them (the app server and the task worker refuse to start without);
# in development (DEBUG on, or the embedded SQLite mode) one is generated into VAR_DIR.
PASSPORT_DATA_KEYS = env.list("PASSPORT_DATA_KEYS", default=[])
if not PASSPORT_DATA_KEYS and (
    DEBUG or DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
):
    PASSPORT_DATA_KEYS = [_fernet_key_from_var_dir("passport_data_key")]
# Days after a meeting's last day when its passport data is erased (the letters issued
# stay verifiable: they keep what they printed).
PASSPORT_RETENTION_DAYS = env.int("PASSPORT_RETENTION_DAYS", default=30)
# Behind proxies, the client address comes from X-Forwarded-For: the entry that the
# nearest of TRUSTED_PROXY_COUNT proxies appended (convene/core/client_address.py).
TRUST_X_FORWARDED_FOR = env.bool("TRUST_X_FORWARDED_FOR", default=False)
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1)
RATELIMIT_IP_META_KEY = "convene.core.client_address.client_address"

# Largest JSON body the API reads, in bytes; larger ones get a 413 before parsing.
API_MAX_BODY_BYTES = env.int("API_MAX_BODY_BYTES", default=65536)

# Sign-in throttle (django-axes; convene/core/sign_in.py): after SIGN_IN_FAILURE_LIMIT
# failed sign-ins for one account (from anywhere, or from one address), that account waits
# SIGN_IN_COOL_OFF_MINUTES; each further try during the wait starts it again.
SIGN_IN_FAILURE_LIMIT = env.int("SIGN_IN_FAILURE_LIMIT", default=5)
SIGN_IN_COOL_OFF_MINUTES = env.int("SIGN_IN_COOL_OFF_MINUTES", default=15)
AXES_FAILURE_LIMIT = SIGN_IN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=SIGN_IN_COOL_OFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username"]
AXES_USERNAME_CALLABLE = "convene.core.sign_in.attempted_username"
AXES_CLIENT_IP_CALLABLE = "convene.core.client_address.client_address"
AXES_LOCKOUT_CALLABLE = "convene.core.sign_in.lockout_response"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_RESET_ON_SUCCESS = True
# The attempt lists are registered in convene/core/admin.py, behind Convene's predicates.
AXES_ENABLE_ADMIN = False
# Password reset emails: at most this many per client address and per address asked for.
PASSWORD_RESET_RATE_LIMIT = env("PASSWORD_RESET_RATE_LIMIT", default="5/h")
# Reads of the public verification page of visa letters, per client address ("off" to lift).
VISA_LETTER_VERIFICATION_RATE_LIMIT = env("VISA_LETTER_VERIFICATION_RATE_LIMIT", default="60/m")
# Requests of one check-in device to the API (a scanner at a busy door sends a few a
# second, and its queue in batches when back online), e.g. 1200/m; "off" lifts it.
CHECKIN_API_RATE_LIMIT = env("CHECKIN_API_RATE_LIMIT", default="1200/m")

REST_FRAMEWORK = {
    # Basic authentication counts towards the sign-in throttle like the sign-in forms.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "convene.core.sign_in.ThrottledBasicAuthentication",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["convene.api.parsers.BoundedJSONParser"],
    "EXCEPTION_HANDLER": "convene.api.errors.api_exception_handler",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Convene API",
    "DESCRIPTION": "Registration of delegates to the meetings of the Dialogue.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.server": {"level": "WARNING"},
        # Uploads that are not valid PDFs are refused with a message to the sender; the
        # parser's warnings about them say nothing an operator can act on.
        "pypdf": {"level": "ERROR"},
    },
}
