"""Holding a row lock from a connection of its own, as another app server would."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

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


def race(calls: list, *, stagger: float = 0.0) -> list:
    """Run every call at once, each from its own thread and database connection; returns
    each call's result, or the exception it raised (reported to the test, not hidden), in
    order. `stagger` seconds delay all calls but the first, so that the first one holds
    its lock before the others ask."""
    barrier = threading.Barrier(len(calls))

    def run(indexed):
        index, call = indexed
        barrier.wait(timeout=30)
        if index and stagger:
            time.sleep(stagger)
        try:
            return call()
        except Exception as error:
            return error
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, enumerate(calls)))
