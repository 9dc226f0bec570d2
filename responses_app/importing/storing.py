"""Writing an import's checked figures, each with its '+' history row, as figure_enter would.

On PostgreSQL one statement per batch inserts the figures from arrays and their history rows from
what the insert returned (a data-modifying WITH). Building 100,000 Figure and HistoricalFigure
instances and compiling their batched INSERTs took most of a 100,000-row import (bench/,
docs/BENCHMARKS.md); the statement writes the same rows. Elsewhere simple-history's
bulk_create_with_history does the work. Column names come from the models; every value is a
parameter.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator

from django.db import connection
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from core.answer_cache import data_changed
from core.db import server_bound_cursor
from responses_app.importing.shapes import FigureDraft
from responses_app.models import Figure

BATCH = 20_000
# The draft's attributes that become columns, one array each.
PER_ROW = [
    "period_start",
    "period_end",
    "offence_id",
    "platform_id",
    "platform_scope",
    "owner_id",
    "unit",
    "raw",
    "status",
    "low",
    "high",
    "note",
    "sheet",
    "cell",
]


def figures_store(drafts: Iterable[FigureDraft], *, response, document, user) -> int:
    """Insert the drafts as figures of `response`, sourced from `document`, entered by `user`,
    with one history row each; returns how many. The caller holds the transaction."""
    count = 0
    # Neither path sends signals: the stored report answers are told here.
    data_changed()
    if connection.vendor != "postgresql":
        for batch in _batches(drafts, 2000):
            figures = [_figure_from(draft, response, document, user) for draft in batch]
            bulk_create_with_history(figures, Figure, batch_size=2000, default_user=user)
            count += len(batch)
        return count
    document_id = document.pk if document else None
    # Pipeline mode: each batch is sent without waiting for the database to finish it, so the
    # next batch is read and checked (in Python) while the last is written (by PostgreSQL).
    # A failed statement raises when the pipeline ends, inside the caller's transaction, as
    # Django's own exception (IntegrityError, OperationalError...) like any other query's.
    with connection.wrap_database_errors, connection.connection.pipeline():
        for batch in _batches(drafts, BATCH):
            _insert_with_history(batch, response.pk, document_id, user.pk)
            count += len(batch)
    return count


def _batches(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def _figure_from(draft: FigureDraft, response, document, user) -> Figure:
    return Figure(
        response=response,
        document=document,
        entered_by=user,
        **{name: getattr(draft, name) for name in PER_ROW},
    )


def _insert_with_history(drafts: list[FigureDraft], response_id, document_id, user_id) -> None:
    now = timezone.now()
    # Every column of a new figure that the drafts do not vary: the model's defaults.
    constant = {
        "response_id": response_id,
        "document_id": document_id,
        "entered_by_id": user_id,
        "entered_at": now,
        "page": None,
        "verified": False,
        "verified_by_id": None,
        "disputed": False,
        "disputed_raw": "",
        "disputed_by_id": None,
    }
    fields = {f.attname: f for f in Figure._meta.concrete_fields if not f.primary_key}
    if set(fields) != set(constant) | set(PER_ROW):
        raise RuntimeError("Figure's columns changed: update the importer's statement.")
    varying = [fields[name] for name in PER_ROW]
    fixed = [fields[name] for name in constant]
    columns = [f.column for f in varying] + [f.column for f in fixed]
    arrays = ", ".join(f"%b::{f.db_type(connection)}[]" for f in varying)
    casts = ", ".join(f"%s::{f.db_type(connection)}" for f in fixed)
    history = Figure.history.model._meta.db_table
    tracked = ", ".join(["id", *columns])
    sql = (
        f"WITH added AS (INSERT INTO {Figure._meta.db_table} ({', '.join(columns)}) "
        f"SELECT *, {casts} FROM unnest({arrays}) RETURNING *) "
        f"INSERT INTO {history} ({tracked}, history_date, history_change_reason, "
        f"history_type, history_user_id) "
        f"SELECT {tracked}, %s, NULL, '+', %s FROM added"
    )
    values = [[getattr(d, name) for d in drafts] for name in PER_ROW]
    with server_bound_cursor() as cursor:
        cursor.execute(sql, [*constant.values(), *values, now, user_id])
