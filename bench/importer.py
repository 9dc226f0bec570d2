"""The importer on a 100,000-row long-format file (CSV or XLSX), in a process of its own so that
its peak memory is its own:

    python -m bench.importer --format csv|xlsx [--rows 100000]

It imports into a fresh answered request and commits, so the time includes the foreign-key
checks PostgreSQL makes at commit; then it removes the campaign and its figures again. Prints
one JSON line: rows, seconds, rows per second, file size and peak resident memory in MB (before
the import too: Django and the file itself).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import os
import tempfile
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

VALUES = ["12", "0", "*", "<5", "1,234", "not held", "3", "1-4"]


def table(rows: int) -> list[list[str]]:
    """Distinct cells: platform x offence x week, as many as asked for."""
    from responses_app.models import OffenceCategory, Platform

    platforms = list(Platform.objects.values_list("name", flat=True))
    offences = list(OffenceCategory.objects.values_list("slug", flat=True))
    out: list[list[str]] = []
    day = dt.date(2000, 1, 1)
    while len(out) < rows:
        end = day + dt.timedelta(days=6)
        for platform in platforms:
            for offence in offences:
                value = VALUES[len(out) % len(VALUES)]
                out.append([day.isoformat(), end.isoformat(), offence, platform, value, "", ""])
        day = end + dt.timedelta(days=1)
    return out[:rows]


def as_csv(rows: list[list[str]]) -> bytes:
    from responses_app.importing.shapes import LONG_COLUMNS

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(LONG_COLUMNS)
    writer.writerows(rows)
    return buffer.getvalue().encode()


def as_xlsx(rows: list[list[str]]) -> bytes:
    import openpyxl

    from responses_app.importing.shapes import LONG_COLUMNS

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Figures")
    sheet.append(LONG_COLUMNS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def answered_request():
    from django.contrib.auth import get_user_model

    from requests_app.models import Campaign, Force
    from requests_app.services import request_create
    from responses_app.services import response_record

    user = get_user_model().objects.get(username="bench-owner")
    campaign = Campaign.objects.create(
        title="Import benchmark",
        question="?",
        period_start=dt.date(2000, 1, 1),
        period_end=dt.date(2020, 1, 1),
        owner=user,
    )
    request = request_create(
        campaign=campaign,
        force=Force.objects.get(slug="kent"),
        user=user,
        sent_on=dt.date(2020, 11, 2),
    )
    response = response_record(
        request=request, received_on=dt.date(2020, 11, 20), outcome="granted", user=user
    )
    return response, user


def campaign_remove(response) -> None:
    """The benchmark's campaign goes again. Its figures and their history rows are deleted in
    SQL: the ORM would first write a '-' history row for each of them."""
    from django.db import connection, transaction

    from responses_app.models import Figure

    with transaction.atomic(), connection.cursor() as cursor:
        for table in (Figure.history.model._meta.db_table, Figure._meta.db_table):
            cursor.execute(f"DELETE FROM {table} WHERE response_id = %s", [response.pk])
        request = response.request
        response.delete()
        request.delete()
        request.campaign.delete()


def floor_seconds(imported) -> float:
    """The floor: the same rows and their history rows written by bare SQL from a scratch copy
    of them, for another response, committed (foreign keys checked). No file, no checks."""
    from django.db import connection, transaction

    from responses_app.models import Figure

    figures, history = Figure._meta.db_table, Figure.history.model._meta.db_table
    columns = [f.column for f in Figure._meta.concrete_fields if not f.primary_key]
    copied = ", ".join("%s" if c == "response_id" else c for c in columns)
    listed = ", ".join(columns)
    response, _ = answered_request()
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_rows")
        cursor.execute(
            f"CREATE TABLE bench_rows AS SELECT * FROM {figures} WHERE response_id = %s",
            [imported.pk],
        )
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {figures} ({listed}) SELECT {copied} FROM bench_rows", [response.pk]
        )
        cursor.execute(
            f"INSERT INTO {history} (id, {listed}, history_date, history_type, history_user_id) "
            f"SELECT id, {listed}, entered_at, '+', entered_by_id FROM {figures} "
            "WHERE response_id = %s",
            [response.pk],
        )
    elapsed = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_rows")
    campaign_remove(response)
    return elapsed


def main() -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.files.storage import FileSystemStorage

    from bench.measure import peak_memory_mb
    from responses_app.importing.shapes import Layout
    from responses_app.models import Document
    from responses_app.services import figures_import

    parser = argparse.ArgumentParser()
    parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    settings.DOCUMENT_MAX_BYTES = 200 * 1000 * 1000
    scratch = tempfile.TemporaryDirectory()
    # The attached copy of the file goes to a folder that is removed at the end.
    Document._meta.get_field("file").storage = FileSystemStorage(location=scratch.name)
    rows = table(args.rows)
    content = as_csv(rows) if args.format == "csv" else as_xlsx(rows)
    del rows
    before = peak_memory_mb()
    response, user = answered_request()
    started = time.perf_counter()
    result = figures_import(
        response=response,
        content=content,
        name=f"bench.{args.format}",
        layout=Layout(),
        user=user,
    )
    elapsed = time.perf_counter() - started
    floor = floor_seconds(response)
    campaign_remove(response)
    scratch.cleanup()
    print(
        json.dumps(
            {
                "rows": result.created,
                "seconds": elapsed,
                "rate": result.created / elapsed,
                "floor_seconds": floor,
                "file_mb": len(content) / 1e6,
                "before_mb": before,
                "peak_mb": peak_memory_mb(),
            }
        )
    )


if __name__ == "__main__":
    main()
