"""A bare Django app doing only the locked count-and-insert, to calibrate `make bench`.

The same rush sent to it shows what the machine allows a Django view on gunicorn and
PostgreSQL before any of Convene's work (validation, audit, emails): the ceiling the
figures of the real rush are read against, on whatever machine the benchmark runs.
"""
