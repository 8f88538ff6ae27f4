"""Exit 0 when the PostgreSQL server of a database URL accepts connections.

Asks the server's `postgres` maintenance database: the test database named in the URL
need not exist yet (the test runner creates it).
"""

import sys
from urllib.parse import urlsplit

import psycopg

url = urlsplit(sys.argv[1])
try:
    psycopg.connect(
        host=url.hostname or "127.0.0.1",
        port=url.port or 5432,
        user=url.username,
        password=url.password,
        dbname="postgres",
        connect_timeout=3,
    ).close()
except psycopg.Error:
    sys.exit(1)
