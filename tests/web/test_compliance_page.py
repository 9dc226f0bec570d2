"""The compliance page of the seven-force campaign counted by hand in
tests/responses_app/test_compliance.py (its docstring has the calendar and every working day).
Today is Tue 20 Jan 2026; the answer was due on Tue 2 Dec 2025 for every force but Kent (fee
pause: 8 Dec) and Devon and Cornwall (clarification: 9 Dec).

How late, in working days after the due date (Mon 1 Dec, 25-26 Dec, 1-2 Jan are not working
days):
- essex answered Thu 4 Dec: 3, 4 Dec = 2 working days late;
- surrey answered Wed 17 Dec: 3-5 Dec (3), 8-12 (5), 15-17 (3) = 11;
- sussex answered Wed 14 Jan: the ceiling 5 Jan is the 20th working day after 2 Dec, then 6-9
  Jan (4) and 12-14 Jan (3) = 27;
- cheshire has not answered: to Mon 5 Jan 20, 6-9 Jan 24, 12-16 Jan 29, 19-20 Jan 31 working
  days past the due date.
Totals as the API's test: in time 3 of 7 (0.4285... -> 42.9%), in extended time 4 of 7 (57.1%),
median 20.5 and 90th percentile 39 working days, 2 extensions (1 proper, 1 answered by the
ceiling), s.12 and s.40(2) once each, 1 review answered in time and upheld, 1 overdue.
"""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from requests_app.models import Force
from requests_app.services import campaign_send, request_record_event
from tests.responses_app.test_compliance import SEVEN, seven  # noqa: F401 (a fixture)

PAGE = "/campaigns/{}/compliance/"


@pytest.fixture(autouse=True)
def frozen_time():
    """Replaces the web tests' 1 March 2021: the seven forces' today."""
    with time_machine.travel(dt.datetime(2026, 1, 20, 12, 0), tick=False):
        yield


def _text(html: str) -> str:
    return unescape(" ".join(re.sub(r"<[^>]+>", " ", html).split()))


def rows_of(html: str) -> dict[str, list[str]]:
    body = re.search(r"<tbody>(.*?)</tbody>", html, re.S).group(1)
    rows = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S):
        cells = [_text(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        rows[cells[0]] = cells[1:]
    return rows


def test_each_force_has_its_dates_days_and_verdicts_counted_by_hand(
    seven,  # noqa: F811
    browser_for,
    owner,
):
    html = browser_for(owner).get(PAGE.format(seven.pk)).content.decode()
    rows = rows_of(html)
    assert list(rows) == [
        "Cheshire Constabulary",
        "Devon & Cornwall Police",
        "Dorset Police",
        "Essex Police",
        "Kent Police",
        "Surrey Police",
        "Sussex Police",
    ]
    # Received, due, answered, working days, in time, in extended time.
    timing = {force: cells[:5] + cells[6:7] for force, cells in rows.items()}
    assert timing == {
        "Cheshire Constabulary": [
            "3 Nov 2025", "2 Dec 2025", "Not yet", "\u2013",
            "No answer: 31 working days past the due date", "No",
        ],
        "Devon & Cornwall Police": [
            "3 Nov 2025", "9 Dec 2025", "8 Dec 2025", "19", "Yes", "Yes",
        ],
        "Dorset Police": ["3 Nov 2025", "2 Dec 2025", "24 Nov 2025", "15", "Yes", "Yes"],
        "Essex Police": [
            "3 Nov 2025", "2 Dec 2025", "4 Dec 2025", "22", "No: 2 working days late", "No",
        ],
        "Kent Police": ["3 Nov 2025", "8 Dec 2025", "4 Dec 2025", "18", "Yes", "Yes"],
        "Surrey Police": [
            "3 Nov 2025", "2 Dec 2025", "17 Dec 2025", "31", "No: 11 working days late", "Yes",
        ],
        "Sussex Police": [
            "3 Nov 2025", "2 Dec 2025", "14 Jan 2026", "47", "No: 27 working days late", "No",
        ],
    }  # fmt: skip
    extensions = {force: cells[5] for force, cells in rows.items() if cells[5] != "\u2013"}
    assert extensions == {
        "Surrey Police": "Notice 28 Nov 2025, answer by 19 Dec 2025 (ceiling 5 Jan 2026): "
        "proper; answered by the ceiling",
        "Sussex Police": "Notice 2 Dec 2025, answer by 16 Jan 2026 (ceiling 5 Jan 2026): "
        "beyond the ceiling; the ceiling passed",
    }
    answers = {force: cells[7] for force, cells in rows.items()}
    assert answers["Dorset Police"] == (
        "Refused (s.12 cost of compliance exceeds the appropriate limit)"
    )
    assert answers["Devon & Cornwall Police"] == "Refused (s.40(2) personal information)"
    assert answers["Kent Police"] == "Granted" and answers["Cheshire Constabulary"] == "\u2013"
    reviews = {force: cells[8] for force, cells in rows.items() if cells[8] != "\u2013"}
    assert reviews == {"Dorset Police": "Asked 26 Nov 2025; Upheld 19 Dec 2025, in time"}
    late = re.findall(r'<tr class="is-overdue">\s*<th scope="row"><a[^>]*>([^<]+)<', html)
    assert late == ["Cheshire Constabulary", "Essex Police", "Surrey Police", "Sussex Police"]


def test_the_totals_line_matches_the_hand_count(seven, browser_for, owner):  # noqa: F811
    html = browser_for(owner).get(PAGE.format(seven.pk)).content.decode()
    totals = re.search(r'<dl class="totals">(.*?)</dl>', html, re.S).group(1)
    pairs = re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", totals)
    assert pairs == [
        ("Requests", "7 requests, 6 answered"),
        ("Answered in time", "3 of 7 (42.9%)"),
        ("In time or in a proper extension", "4 of 7 (57.1%)"),
        ("Working days to answer", "median 20.5, 90th percentile 39"),
        ("Extensions", "2 (1 proper, 1 answered by the ceiling)"),
        (
            "Refusals by exemption",
            "s.12 cost of compliance exceeds the appropriate limit: 1; "
            "s.40(2) personal information: 1",
        ),
        ("Internal reviews", "1 asked, 1 answered in time (Upheld 1)"),
        ("Overdue now", "1"),
    ]
    foot = _text(re.search(r"<tfoot>(.*?)</tfoot>", html, re.S).group(1))
    assert foot.startswith("Total 7 requests, 6 answered median 20.5 3 of 7 (42.9%)")


def test_a_consumer_reads_it_for_a_published_campaign_without_links_to_requests(
    seven,  # noqa: F811
    browser_for,
    consumer,
):
    client = browser_for(consumer)
    assert client.get(PAGE.format(seven.pk)).status_code == 404
    seven.published = True
    seven.save()
    answer = client.get(PAGE.format(seven.pk))
    assert answer.status_code == 200
    html = answer.content.decode()
    assert len(rows_of(html)) == 7
    assert 'href="/requests/' not in html
    # The review's note is a working record: never on this page.
    assert "Asked 26 Nov 2025; Upheld 19 Dec 2025, in time" in html


def test_the_board_and_the_figures_page_link_to_it(seven, browser_for, owner):  # noqa: F811
    client = browser_for(owner)
    link = f'href="{PAGE.format(seven.pk)}"'
    assert link in client.get(f"/campaigns/{seven.pk}/").content.decode()
    assert link in client.get(f"/campaigns/{seven.pk}/figures/").content.decode()


def test_it_costs_the_same_queries_however_many_forces(campaign, owner, browser_for):
    client = browser_for(owner)
    forces = list(Force.objects.filter(territorial=True).order_by("slug"))
    campaign_send(campaign=campaign, forces=forces[:2], sent_on=dt.date(2025, 11, 3), user=owner)
    with CaptureQueriesContext(connection) as few:
        client.get(PAGE.format(campaign.pk))
    campaign_send(campaign=campaign, forces=forces[2:12], sent_on=dt.date(2025, 11, 3), user=owner)
    with CaptureQueriesContext(connection) as many:
        html = client.get(PAGE.format(campaign.pk)).content.decode()
    assert len(rows_of(html)) == 12
    assert len(many) == len(few)


assert len(SEVEN) == 7


def test_an_extension_without_an_estimate_says_what_it_lacks(campaign, owner, browser_for):
    """Kent, sent Mon 3 Nov 2025 and due Tue 2 Dec, sends an extension notice on Fri 28 Nov with
    no date: not proper, because s.17(2) requires an estimate. The ceiling is 5 Jan 2026."""
    kent = campaign_send(
        campaign=campaign,
        forces=[Force.objects.get(slug="kent")],
        sent_on=dt.date(2025, 11, 3),
        user=owner,
    )[0]
    request_record_event(request=kent, kind="extension", on=dt.date(2025, 11, 28), user=owner)
    html = browser_for(owner).get(PAGE.format(campaign.pk)).content.decode()
    extension = rows_of(html)["Kent Police"][5]
    assert extension.startswith("Notice 28 Nov 2025, answer by no date given (ceiling 5 Jan 2026)")
    assert extension.endswith(": no estimate, which s.17(2) requires; the ceiling passed")
