"""Reading and previewing a typical police answer: an XLSX with a title, a blank row, 20 platforms
down and 4 financial years across (newest first), a Total row and a footnote, as a clerk uploads
it on the import page:

    python -m bench.answer_preview [--repeat 20]

Each run is what the page does for a preview, writing nothing: the reference lists and the
campaign's periods loaded, the file read and its table found and read (`answer_read`), the
reading turned into names (`reading_as_data`) and each table drawn as a grid; then the same
through the full HTTP stack (the upload posted to the import page, the page rendered). Prints
one JSON line: the median, best and worst seconds of `--repeat` runs after one warm-up, the
figures read and the queries one preview makes. Needs a migrated database (DATABASE_URL); it
adds a campaign, a request and a response and removes them again.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import statistics
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

YEARS = ["2022/23", "2021/22", "2020/21", "2019/20"]
TARGET_SECONDS = 0.3


def answer_file() -> bytes:
    import openpyxl

    from responses_app.models import Platform

    platforms = list(Platform.objects.order_by("name").values_list("name", flat=True)[:20])
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "FOI 2023-0142"
    sheet.append(["Online child sexual offences recorded, by platform and financial year"])
    sheet.append([])
    sheet.append(["Platform", *YEARS])
    values = ["12", "*", "0", "7", "31", "-", "4", "18"]
    for number, platform in enumerate(platforms):
        sheet.append([platform, *(values[(number + y) % len(values)] for y in range(4))])
    sheet.append(["Total", 300, 280, 260, 240])
    sheet.append([])
    sheet.append(["* = fewer than 5"])
    sheet.append(["- denotes nil"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def answered_response():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from requests_app import roles
    from requests_app.models import Campaign, CampaignPeriod, Force
    from requests_app.services import request_create
    from responses_app.services import response_record

    user, _ = get_user_model().objects.get_or_create(username="bench-answer-preview")
    user.groups.add(Group.objects.get(name=roles.DATA_ENTRY))
    campaign = Campaign.objects.create(
        title="Answer preview benchmark",
        question="?",
        period_start=dt.date(2019, 4, 1),
        period_end=dt.date(2023, 3, 31),
        owner=user,
    )
    for year in range(2019, 2023):
        CampaignPeriod.objects.create(
            campaign=campaign, start=dt.date(year, 4, 1), end=dt.date(year + 1, 3, 31)
        )
    request = request_create(
        campaign=campaign,
        force=Force.objects.get(slug="kent"),
        user=user,
        sent_on=dt.date(2023, 5, 2),
    )
    response = response_record(
        request=request, received_on=dt.date(2023, 5, 20), outcome="granted", user=user
    )
    return response, user


def preview(response, content: bytes, hints):
    from responses_app.answer_import import answer_read
    from responses_app.readings import reading_as_data
    from web.views.imports import _grid

    reading = answer_read(response=response, content=content, name="answer.xlsx", hints=hints)
    data = reading_as_data(reading)
    grids = [_grid(table) for sheet in reading.sheets for table in sheet.tables]
    return reading, data, grids


def page_preview(client, response, content: bytes) -> int:
    """The same preview through the full HTTP stack: the upload posted to the import page and
    the page rendered."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("answer.xlsx", content)
    form = {"file": upload, "offence": "child-sexual-offences", "unit": "instances"}
    answer = client.post(f"/responses/{response.pk}/import/", form)
    assert answer.status_code == 200 and b"84 figures read" in answer.content, answer.status_code
    return answer.status_code


def timed(repeat: int, run) -> list[float]:
    run()  # warm-up
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from responses_app.importing.outcome import Hints

    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    response, user = answered_response()
    client = Client()
    client.force_login(user)
    try:
        content = answer_file()
        hints = Hints(offence="child-sexual-offences")
        reading, _, _ = preview(response, content, hints)
        assert reading.ready, reading.questions or reading.problems
        times = timed(args.repeat, lambda: preview(response, content, hints))
        with CaptureQueriesContext(connection) as queries:
            preview(response, content, hints)
        query_count = len(queries.captured_queries)
        page_times = timed(args.repeat, lambda: page_preview(client, response, content))
    finally:
        request = response.request
        response.delete()
        request.events.all().delete()
        request.delete()
        request.campaign.delete()
        user.delete()
    median = statistics.median(times)
    print(
        json.dumps(
            {
                "table": "20 platforms x 4 years, title, Total row, legend",
                "figures": len(reading.figures),
                "file_bytes": len(content),
                "median_seconds": round(median, 4),
                "best_seconds": round(min(times), 4),
                "worst_seconds": round(max(times), 4),
                "queries": query_count,
                "page_median_seconds": round(statistics.median(page_times), 4),
                "page_worst_seconds": round(max(page_times), 4),
                "target_seconds": TARGET_SECONDS,
                "met": max(median, statistics.median(page_times)) < TARGET_SECONDS,
            }
        )
    )


if __name__ == "__main__":
    main()
