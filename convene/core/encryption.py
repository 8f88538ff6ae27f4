"""Model fields whose values are encrypted at rest (cryptography's Fernet, keys from the
environment), for data that the database, its backups and its dumps must never hold in
clear: passport data.

`settings.PASSPORT_DATA_KEYS` lists Fernet keys (32 bytes, URL-safe base64). The first
encrypts; every key of the list decrypts, so that a key is replaced by putting a new one
first, running `manage.py rotate_passport_keys`, then dropping the old one.

Failures are loud, never an empty value:
- a malformed key stops Django's start (CoreConfig.ready calls `configured_keys`);
- a missing key in production (DEBUG off, on a database other than the embedded SQLite)
  stops the app server and the task worker at start (`verify_encrypted_data`, from
  config/wsgi.py and run_task_worker), fails `check --deploy`, and fails any read or
  write of encrypted data (ImproperlyConfigured). In development settings generate a
  key into VAR_DIR;
- a key that does not decrypt the stored rows (the wrong key, or an incomplete list)
  stops the app server and the worker too, and fails `manage.py check`, `migrate` and
  `runserver` (a system check that decrypts the latest stored row: rows exist only once
  someone entered passport data, so the check costs one query); a read of such a row
  raises UndecryptableValue.

An encrypted column holds a different token at each write (Fernet adds a random IV), so
it can be neither searched nor sorted: every lookup but `isnull` is refused.
"""

import datetime
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django import forms
from django.apps import apps
from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import DatabaseError, connections, models, router, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils.translation import gettext_lazy as _

# Every token Fernet writes starts with its version byte 0x80, base64-encoded.
TOKEN_PREFIX = "gAAAAA"  # noqa: S105 (a format marker, not a secret)


class UndecryptableValue(Exception):
    """A stored value that none of PASSPORT_DATA_KEYS decrypts: the keys are wrong or
    incomplete (an old key removed before rotation ended). Never read as empty."""


def configured_keys() -> list[str]:
    """The keys of settings.PASSPORT_DATA_KEYS, each checked to be a Fernet key.

    Raises ImproperlyConfigured naming the position (never the value) of a malformed key.
    An empty list is returned as is: whether that is allowed is `require_keys`'s call."""
    keys = [key.strip() for key in settings.PASSPORT_DATA_KEYS if key.strip()]
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except (ValueError, TypeError):
            raise ImproperlyConfigured(
                f"PASSPORT_DATA_KEYS: key number {position} is not a Fernet key (32 bytes "
                "in URL-safe base64, as Fernet.generate_key() makes)."
            ) from None
    return keys


def require_keys() -> list[str]:
    keys = configured_keys()
    if not keys:
        raise ImproperlyConfigured(MISSING_KEYS)
    return keys


@lru_cache(maxsize=4)
def _multi_fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


def cipher() -> MultiFernet:
    """The MultiFernet of the configured keys (rebuilt when the setting changes)."""
    return _multi_fernet(tuple(require_keys()))


def encrypt_text(value: str) -> str:
    return cipher().encrypt(value.encode("utf-8")).decode("ascii")


def decrypt_text(token: str) -> str:
    try:
        return cipher().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeError):
        raise UndecryptableValue(
            "A stored encrypted value cannot be decrypted with PASSPORT_DATA_KEYS: the keys "
            "are wrong, or a key still in use was removed before `rotate_passport_keys` ran."
        ) from None


def rotate_token(token: str) -> str:
    """The same value encrypted anew with the first key (MultiFernet.rotate)."""
    try:
        return cipher().rotate(token.encode("ascii")).decode("ascii")
    except InvalidToken:
        raise UndecryptableValue(
            "A stored encrypted value cannot be decrypted with PASSPORT_DATA_KEYS: it cannot "
            "be rotated. Add the key it was written with to the list."
        ) from None


class EncryptedFieldMixin:
    """Stores `to_text(value)` encrypted in a text column; reads it back with `from_text`.

    None stays NULL (unencrypted: the absence of a value is not secret)."""

    def get_internal_type(self):
        return "TextField"

    def to_text(self, value) -> str:
        return str(value)

    def from_text(self, text: str):
        return text

    def get_db_prep_value(self, value, connection, prepared=False):
        value = self.to_python(value)
        if value is None:
            return None
        return encrypt_text(self.to_text(value))

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        return self.from_text(decrypt_text(value))

    def get_lookup(self, lookup_name):
        # A token differs at each write: equality, ranges and ordering on it mean nothing.
        if lookup_name != "isnull":
            return None
        return super().get_lookup(lookup_name)

    def get_transform(self, lookup_name):
        return None


class EncryptedTextField(EncryptedFieldMixin, models.TextField):
    """A string, encrypted at rest. `max_length` bounds the clear text (forms, full_clean)."""

    def formfield(self, **kwargs):
        return super().formfield(**{"widget": forms.TextInput, **kwargs})


class EncryptedDateField(EncryptedFieldMixin, models.Field):
    """A datetime.date, encrypted at rest as its ISO form."""

    description = _("Date (encrypted)")
    default_error_messages = {
        "invalid": _("“%(value)s” is not a valid date: use the form YYYY-MM-DD."),
    }

    def to_python(self, value):
        if value is None or isinstance(value, datetime.date):
            return value.date() if isinstance(value, datetime.datetime) else value
        try:
            return datetime.date.fromisoformat(str(value))
        except ValueError:
            raise ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": value}
            ) from None

    def to_text(self, value) -> str:
        return value.isoformat()

    def from_text(self, text: str):
        return datetime.date.fromisoformat(text)

    def value_to_string(self, obj):
        value = self.value_from_object(obj)
        return "" if value is None else value.isoformat()

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": forms.DateField, **kwargs})


def encrypted_fields(model) -> list[models.Field]:
    fields = model._meta.concrete_fields
    return [field for field in fields if isinstance(field, EncryptedFieldMixin)]


def models_with_encrypted_fields() -> list[type[models.Model]]:
    return [model for model in apps.get_models() if encrypted_fields(model)]


def is_production() -> bool:
    """Development (DEBUG on, or the embedded SQLite mode) gets a key generated into
    VAR_DIR; anything else must be given its keys."""
    return not settings.DEBUG and settings.DATABASES["default"]["ENGINE"] != (
        "django.db.backends.sqlite3"
    )


def _latest_tokens(model) -> list[str]:
    """The stored tokens of the latest row of `model`, read raw (no decryption)."""
    connection = connections[router.db_for_read(model)]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in encrypted_fields(model))
    sql = (
        f"SELECT {columns} FROM {quote(model._meta.db_table)} "  # noqa: S608 (names, quoted)
        f"ORDER BY {quote(model._meta.pk.column)} DESC LIMIT 1"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    return [token for token in (row or ()) if token is not None]


def _migrated(model) -> bool:
    """Whether every migration of the model's app is applied: before, its columns may
    still hold what an earlier migration left (the migration that encrypts them is due)."""
    connection = connections[router.db_for_read(model)]
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    app_label = model._meta.app_label
    known = {key for key in loader.graph.nodes if key[0] == app_label}
    return known <= set(loader.applied_migrations)


MISSING_KEYS = (
    "PASSPORT_DATA_KEYS is not set: passport data cannot be encrypted or read. "
    "Set it to one or more Fernet keys, comma-separated (see README)."
)


def stored_data_problems() -> list[str]:
    """What is wrong with the keys against the stored data, as sentences for operators:
    values in clear, values no key decrypts. Reads the latest row of each model (written
    with the newest keys); a model whose migrations are not all applied is left to them."""
    problems = []
    keys = configured_keys()
    for model in models_with_encrypted_fields():
        try:
            if not _migrated(model):
                continue
            tokens = _latest_tokens(model)
        except DatabaseError:  # the database is away: the start fails on it anyway
            continue
        label = model._meta.label
        if any(not token.startswith(TOKEN_PREFIX) for token in tokens):
            problems.append(f"{label}: the latest row holds a value that is not encrypted.")
        elif tokens and not keys:
            problems.append(f"{label}: rows are stored encrypted but PASSPORT_DATA_KEYS is empty.")
        elif tokens:
            try:
                for token in tokens:
                    decrypt_text(token)
            except UndecryptableValue:
                problems.append(
                    f"{label}: PASSPORT_DATA_KEYS does not decrypt the stored rows (wrong key, "
                    "or the key they were written with was removed from the list)."
                )
    return problems


def verify_encrypted_data() -> None:
    """Raise ImproperlyConfigured when the keys are missing in production or do not read
    the stored data: called at the start of the app server (config/wsgi.py) and of the
    task worker, so that neither serves nor erases anything with the wrong keys."""
    problems = [MISSING_KEYS] if is_production() and not configured_keys() else []
    problems += stored_data_problems()
    if problems:
        raise ImproperlyConfigured(" ".join(problems))


@checks.register(checks.Tags.security)
def check_stored_encrypted_data(app_configs=None, **kwargs):
    """`check`, `migrate` and `runserver` refuse to go on with keys that cannot read the
    stored passport data. (Keys merely absent, with nothing stored, are the deploy check's
    concern: commands such as `makemigrations` need no key.)"""
    return [
        checks.Error(problem, id="convene.E101", hint="See PASSPORT_DATA_KEYS in the README.")
        for problem in stored_data_problems()
    ]


@checks.register(checks.Tags.security, deploy=True)
def check_keys_configured(app_configs=None, **kwargs):
    if is_production() and not configured_keys():
        return [checks.Error(MISSING_KEYS, id="convene.E102")]
    return []


def rotate_stored_data() -> dict[str, tuple[int, int]]:
    """Re-encrypt with the first key every stored value written under another key of
    PASSPORT_DATA_KEYS, model by model; returns {model label: (rows re-encrypted, rows
    already under the first key)}. Idempotent: a second run re-encrypts nothing.

    The rows of a model are locked while rewritten (PostgreSQL), so that a delegate
    correcting their data at the same moment is neither lost nor overwritten. Raises
    UndecryptableValue, rewriting nothing of that model, when a value is under no key."""
    first = Fernet(require_keys()[0])
    counts = {}
    for model in models_with_encrypted_fields():
        connection = connections[router.db_for_write(model)]
        quote = connection.ops.quote_name
        columns = [field.column for field in encrypted_fields(model)]
        table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
        lock = _row_lock_clause(connection)
        rotated = current = 0
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {pk}, {', '.join(quote(c) for c in columns)} "  # noqa: S608
                f"FROM {table} ORDER BY {pk}{lock}"
            )
            for row_id, *tokens in cursor.fetchall():
                if all(token is None or _under_key(first, token) for token in tokens):
                    current += 1
                    continue
                new_tokens = [None if token is None else rotate_token(token) for token in tokens]
                assignments = ", ".join(f"{quote(c)} = %s" for c in columns)
                cursor.execute(
                    f"UPDATE {table} SET {assignments} WHERE {pk} = %s",  # noqa: S608
                    [*new_tokens, row_id],
                )
                rotated += 1
        counts[model._meta.label] = (rotated, current)
    return counts


def _row_lock_clause(connection) -> str:
    """Locks the rows read until the rewrite commits (PostgreSQL; SQLite has one writer)."""
    return " FOR UPDATE" if connection.features.has_select_for_update else ""


def _under_key(fernet: Fernet, token: str) -> bool:
    try:
        fernet.decrypt(token.encode("ascii"))
    except InvalidToken:
        return False
    return True
