"""Benchmark: import a 100,000-row long-format CSV (and the same as XLSX) into one response.

Not a test. Run against PostgreSQL with a database of its own, e.g.
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/foi_bench python bench/import_figures.py
It migrates that database, creates a campaign, a sent request and a response, imports the file
inside a transaction that is rolled back, and prints rows per second and peak process memory.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "foitracker.settings")

import django

django.setup()

import openpyxl  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.files.storage import FileSystemStorage  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402

from requests_app.models import Campaign, Force  # noqa: E402
from requests_app.services import request_create  # noqa: E402
from responses_app.importing.shapes import LONG_COLUMNS, Layout  # noqa: E402
from responses_app.models import Document, OffenceCategory, Platform  # noqa: E402
from responses_app.services import figures_import, response_record  # noqa: E402

ROWS = int(os.environ.get("BENCH_ROWS", "100000"))
VALUES = ["12", "0", "*", "<5", "1,234", "not held", "3", "1-4"]


class Rollback(Exception):
    pass


def rows() -> list[list[str]]:
    """Distinct cells: platform x offence x month, as many as asked for."""
    platforms = list(Platform.objects.values_list("name", flat=True))
    offences = list(OffenceCategory.objects.values_list("slug", flat=True))
    out, day = [], dt.date(2000, 1, 1)
    while len(out) < ROWS:
        end = day + dt.timedelta(days=6)
        for platform in platforms:
            for offence in offences:
                value = VALUES[len(out) % len(VALUES)]
                out.append([day.isoformat(), end.isoformat(), offence, platform, value, "", ""])
        day = end + dt.timedelta(days=1)
    return out[:ROWS]


def as_csv(table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(LONG_COLUMNS)
    writer.writerows(table)
    return buffer.getvalue().encode()


def as_xlsx(table) -> bytes:
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Figures")
    sheet.append(LONG_COLUMNS)
    for row in table:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def measure(label: str, response, user, content: bytes, name: str) -> None:
    """Timed without tracemalloc (which slows Python several times over); the peak resident
    size of the process is read from the kernel instead."""
    started = time.perf_counter()
    try:
        with transaction.atomic():
            result = figures_import(
                response=response, content=content, name=name, layout=Layout(), user=user
            )
            elapsed = time.perf_counter() - started
            raise Rollback
    except Rollback:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1000  # kilobytes on Linux
    print(
        f"{label}: {result.created:,} rows, {len(content) / 1e6:.1f} MB file, {elapsed:.1f} s, "
        f"{result.created / elapsed:,.0f} rows/s, peak process memory so far {peak:.0f} MB"
    )


def main() -> None:
    settings.DOCUMENT_MAX_BYTES = 100 * 1000 * 1000
    # The attached copy of the file goes to a temporary folder that is removed at the end.
    scratch = tempfile.TemporaryDirectory()
    Document._meta.get_field("file").storage = FileSystemStorage(location=scratch.name)
    call_command("migrate", verbosity=0)
    user, _ = get_user_model().objects.get_or_create(username="bench")
    with transaction.atomic():
        campaign = Campaign.objects.create(
            title="Benchmark",
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
    table = rows()
    print(f"before importing: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1000:.0f} MB")
    measure("CSV ", response, user, as_csv(table), "bench.csv")
    if os.environ.get("BENCH_XLSX", "1") == "1":
        measure("XLSX", response, user, as_xlsx(table), "bench.xlsx")
    scratch.cleanup()


if __name__ == "__main__":
    main()
