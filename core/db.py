"""Database helpers for the two bulk writers (the figure importer and the reminder sweep)."""

from __future__ import annotations

import psycopg
from django.db import connection


def server_bound_cursor():
    """A PostgreSQL cursor that sends its parameters apart from the statement, binary where the
    placeholder is %b. Django's own cursor quotes every value into the SQL text in Python,
    which for arrays of 100,000 values took longer than the database took to write them.
    Logged like any cursor of Django's (the query count tests and debug pages see it)."""
    connection.ensure_connection()
    raw = psycopg.Cursor(connection.connection)
    if connection.queries_logged:
        return connection.make_debug_cursor(raw)
    return connection.make_cursor(raw)
