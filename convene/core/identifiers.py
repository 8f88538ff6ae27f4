"""Random identifiers: references people read out, and names for uploaded files."""

import secrets

# Unambiguous characters (no 0/O, 1/I) for references read over the phone or from a badge.
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def random_reference(length: int, *, prefix: str = "") -> str:
    return prefix + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(length))


def random_upload_path(folder: str, filename: str) -> str:
    """`folder/<random>.<extension>`: the uploader's file name is never trusted nor kept."""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"{folder}/{secrets.token_hex(16)}.{suffix}"
