"""Holding a row lock from a connection of its own, as another app server would."""

import psycopg
from django.db import connection


def hold_row_lock(table: str, pk: int) -> psycopg.Connection:
    """Lock the row `pk` of `table` in an open transaction; roll back the connection to release."""
    params = connection.settings_dict
    holder = psycopg.connect(
        dbname=params["NAME"],
        user=params["USER"],
        password=params["PASSWORD"] or None,
        host=params["HOST"] or None,
        port=params["PORT"] or None,
    )
    # Only the table name, from the test itself, is written into the statement.
    holder.execute(f"SELECT id FROM {table} WHERE id = %s FOR UPDATE", [pk])  # noqa: S608
    return holder
