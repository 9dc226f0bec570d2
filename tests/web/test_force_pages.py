"""The force pages (/forces/ and /forces/<slug>/) over the seven-force campaign counted by hand
in tests/responses_app/test_compliance.py (its docstring has the calendar and every working day),
plus a second, published campaign to Essex. Today is Tue 20 Jan 2026.

The second campaign went to Essex on Mon 5 Jan 2026 (received that day). Its answer was due 20
working days later: 6-9 Jan are WD 1-4, 12-16 Jan 5-9, 19-23 Jan 10-14, 26-30 Jan 15-19, Mon 2 Feb
20. Acknowledged Tue 6 Jan (with a note, a working record); granted Fri 16 Jan: WD 9, in time.

Essex across both campaigns (the owner reads both): 22 WD and late in the seven-force campaign
(due Tue 2 Dec, answered Thu 4 Dec: 2 working days late), 9 WD and in time in the second.
In time 1 of 2 = 0.5 -> 50.0%; no extension, so in extended time 1 of 2 too. Working days sorted:
9, 22. Median (9 + 22) / 2 = 15.5. 90th percentile (inclusive): position (2 - 1) x 0.9 = 0.9, so
9 + 0.9 x (22 - 9) = 20.7. Nothing overdue.

The six other forces have one request each, as on the campaign page: Cheshire 0 of 1 (0.0%), not
answered, overdue; Devon and Cornwall 1 of 1 (100.0%) in 19 WD; Dorset 1 of 1 in 15; Kent 1 of 1
in 18; Surrey 0 of 1 in 31; Sussex 0 of 1 in 47. The other 39 forces were asked nothing.

A consumer reads only the published second campaign: Essex 1 request, 1 of 1 (100.0%), median and
90th percentile 9; every other force none.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from requests_app.models import Force
from requests_app.services import campaign_send, request_record_event
from responses_app import services
from tests.factories import CampaignFactory
from tests.responses_app.test_compliance import seven  # noqa: F401 (a fixture)
from tests.web.test_compliance_page import _text, rows_of

INDEX, PAGE = "/forces/", "/forces/{}/"
SECOND = "Online grooming, second look"
NOTE = "Spoke to the FOI officer, who expects to answer next week."
SEVEN_FORCES = [
    "Cheshire Constabulary",
    "Devon & Cornwall Police",
    "Dorset Police",
    "Essex Police",
    "Kent Police",
    "Surrey Police",
    "Sussex Police",
]


@pytest.fixture(autouse=True)
def frozen_time():
    """Replaces the web tests' 1 March 2021: the seven forces' today."""
    with time_machine.travel(dt.datetime(2026, 1, 20, 12, 0), tick=False):
        yield


@pytest.fixture
def second(owner, data_entry):
    """The owner's published campaign to Essex, sent Mon 5 Jan 2026 and granted Fri 16 Jan."""
    campaign = CampaignFactory(owner=owner, title=SECOND, published=True)
    essex = campaign_send(
        campaign=campaign,
        forces=[Force.objects.get(slug="essex")],
        sent_on=dt.date(2026, 1, 5),
        user=owner,
    )[0]
    request_record_event(
        request=essex, kind="acknowledged", on=dt.date(2026, 1, 6), note=NOTE, user=owner
    )
    services.response_record(
        request=essex, received_on=dt.date(2026, 1, 16), outcome="granted", user=data_entry
    )
    return campaign


def lines_of(html: str) -> list[list[str]]:
    """The index's rows in order: force, requests, in time, median, overdue."""
    body = re.search(r"<tbody>(.*?)</tbody>", html, re.S).group(1)
    return [
        [_text(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


def totals_of(html: str) -> list[tuple[str, str]]:
    totals = re.search(r'<dl class="totals">(.*?)</dl>', html, re.S).group(1)
    return re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", totals)


# The seven forces and Essex's second request, as the owner reads them (the docstring).
OWNER_READS = {
    "Cheshire Constabulary": ["1", "0 of 1 (0.0%)", "\u2013", "1"],
    "Devon & Cornwall Police": ["1", "1 of 1 (100.0%)", "19", "0"],
    "Dorset Police": ["1", "1 of 1 (100.0%)", "15", "0"],
    "Essex Police": ["2", "1 of 2 (50.0%)", "15.5", "0"],
    "Kent Police": ["1", "1 of 1 (100.0%)", "18", "0"],
    "Surrey Police": ["1", "0 of 1 (0.0%)", "31", "0"],
    "Sussex Police": ["1", "0 of 1 (0.0%)", "47", "0"],
}
ASKED_NOTHING = ["0", "\u2013", "\u2013", "\u2013"]


# --------------------------------------------------------------------------------------------
# Every force
# --------------------------------------------------------------------------------------------


def test_the_index_lists_every_force_by_name_with_its_record_across_campaigns(
    seven,  # noqa: F811
    second,
    browser_for,
    owner,
):
    html = browser_for(owner).get(INDEX).content.decode()
    lines = lines_of(html)
    names = list(Force.objects.order_by("name").values_list("name", flat=True))
    assert len(names) == 46
    assert [line[0] for line in lines] == names
    found = {line[0]: line[1:] for line in lines}
    assert {name: found[name] for name in SEVEN_FORCES} == OWNER_READS
    assert all(found[name] == ASKED_NOTHING for name in names if name not in OWNER_READS)
    assert "7 of 46 forces asked so far." in _text(html)
    assert '<a href="/forces/essex/">Essex Police</a>' in html


def test_it_sorts_by_the_share_answered_in_time_either_way(
    seven,  # noqa: F811
    second,
    browser_for,
    owner,
):
    """Best first: the three at 100.0% by name, Essex at 50.0%, the three at 0.0% by name; worst
    first the other way round; the 39 forces with nothing judged last, by name, both ways."""
    client = browser_for(owner)
    best = [line[0] for line in lines_of(client.get(INDEX, {"sort": "in-time"}).content.decode())]
    assert best[:7] == [
        "Devon & Cornwall Police",
        "Dorset Police",
        "Kent Police",
        "Essex Police",
        "Cheshire Constabulary",
        "Surrey Police",
        "Sussex Police",
    ]
    worst = [line[0] for line in lines_of(client.get(INDEX, {"sort": "late"}).content.decode())]
    assert worst[:7] == [
        "Cheshire Constabulary",
        "Surrey Police",
        "Sussex Police",
        "Essex Police",
        "Devon & Cornwall Police",
        "Dorset Police",
        "Kent Police",
    ]
    by_name = Force.objects.order_by("name").values_list("name", flat=True)
    rest = [name for name in by_name if name not in OWNER_READS]
    assert best[7:] == worst[7:] == rest and len(rest) == 39


def test_a_sort_it_does_not_know_is_refused_naming_the_field(browser_for, owner):
    answer = browser_for(owner).get(INDEX, {"sort": "fastest"})
    assert answer.status_code == 400
    html = answer.content.decode()
    assert "Sort by name, in-time or late; 'fastest' is not one of them." in _text(html)
    # Still the list, by name.
    assert lines_of(html)[0][0] == "Avon and Somerset Constabulary"


def test_a_consumer_reads_only_the_published_campaigns_requests(
    seven,  # noqa: F811
    second,
    browser_for,
    consumer,
):
    found = {
        line[0]: line[1:] for line in lines_of(browser_for(consumer).get(INDEX).content.decode())
    }
    assert found["Essex Police"] == ["1", "1 of 1 (100.0%)", "9", "0"]
    assert [name for name, cells in found.items() if cells != ASKED_NOTHING] == ["Essex Police"]


def test_the_index_costs_the_same_queries_however_many_forces_and_campaigns(
    campaign, owner, browser_for
):
    client = browser_for(owner)
    forces = list(Force.objects.filter(territorial=True).order_by("slug"))
    campaign_send(campaign=campaign, forces=forces[:2], sent_on=dt.date(2025, 11, 3), user=owner)
    with CaptureQueriesContext(connection) as few:
        client.get(INDEX)
    campaign_send(campaign=campaign, forces=forces[2:12], sent_on=dt.date(2025, 11, 3), user=owner)
    other = CampaignFactory(owner=owner)
    campaign_send(campaign=other, forces=forces[:20], sent_on=dt.date(2025, 12, 1), user=owner)
    with CaptureQueriesContext(connection) as many:
        html = client.get(INDEX).content.decode()
    asked = [line for line in lines_of(html) if line[1] != "0"]
    assert len(asked) == 20 and sum(line[1] == "2" for line in asked) == 12
    assert len(many) == len(few)


# --------------------------------------------------------------------------------------------
# One force
# --------------------------------------------------------------------------------------------


def test_a_force_page_gives_its_address_law_and_totals_across_campaigns(
    seven,  # noqa: F811
    second,
    browser_for,
    owner,
):
    html = browser_for(owner).get(PAGE.format("essex")).content.decode()
    assert "<h1>Essex Police</h1>" in html
    address = re.search(r'<dd id="foi-address">(.*?)</dd>', html).group(1)
    assert _text(address) == "info.rights.freedom@essex.police.uk"
    assert 'href="mailto:info.rights.freedom@essex.police.uk"' in address
    assert re.search(r'<dd id="regime">(.*?)</dd>', html).group(1) == (
        "Freedom of Information Act 2000"
    )
    assert totals_of(html) == [
        ("Requests", "2 requests, 2 answered"),
        ("Answered in time", "1 of 2 (50.0%)"),
        ("In time or in a proper extension", "1 of 2 (50.0%)"),
        ("Working days to answer", "median 15.5, 90th percentile 20.7"),
        ("Extensions", "None"),
        ("Refusals by exemption", "None"),
        ("Internal reviews", "None"),
        ("Overdue now", "0"),
    ]


def test_a_force_page_has_a_row_a_request_linked_to_its_campaigns_page(
    seven,  # noqa: F811
    second,
    browser_for,
    owner,
):
    html = browser_for(owner).get(PAGE.format("essex")).content.decode()
    # Received, due, answered, working days, in time, extension, in extended time, answer,
    # review: campaign by campaign, in the order they were created.
    assert rows_of(html) == {
        seven.title: [
            "3 Nov 2025", "2 Dec 2025", "4 Dec 2025", "22", "No: 2 working days late",
            "\u2013", "No", "Granted", "\u2013",
        ],
        SECOND: [
            "5 Jan 2026", "2 Feb 2026", "16 Jan 2026", "9", "Yes",
            "\u2013", "Yes", "Granted", "\u2013",
        ],
    }  # fmt: skip
    assert f'<a href="/campaigns/{seven.pk}/compliance/">{seven.title}</a>' in html
    assert f'<a href="/campaigns/{second.pk}/compliance/">{SECOND}</a>' in html
    requests = re.findall(r'href="/requests/(\d+)/"', html)
    assert len(requests) == 2
    # The seven-force row is late, and shown so.
    late = re.findall(r'<tr class="is-overdue">\s*<th scope="row"><a[^>]*>([^<]+)<', html)
    assert late == [seven.title]
    assert NOTE not in html


def test_a_consumer_reads_a_force_page_for_published_campaigns_only_without_records(
    seven,  # noqa: F811
    second,
    browser_for,
    consumer,
):
    client = browser_for(consumer)
    html = client.get(PAGE.format("essex")).content.decode()
    assert list(rows_of(html)) == [SECOND]
    assert totals_of(html)[:4] == [
        ("Requests", "1 request, 1 answered"),
        ("Answered in time", "1 of 1 (100.0%)"),
        ("In time or in a proper extension", "1 of 1 (100.0%)"),
        ("Working days to answer", "median 9, 90th percentile 9"),
    ]
    assert 'href="/requests/' not in html and NOTE not in html
    kent = _text(client.get(PAGE.format("kent")).content.decode())
    assert "No request to Kent Police in the campaigns you can read." in kent


def test_an_unknown_force_is_a_404(browser_for, owner):
    assert browser_for(owner).get(PAGE.format("atlantis")).status_code == 404


def test_a_force_page_costs_the_same_queries_however_many_requests(campaign, owner, browser_for):
    client = browser_for(owner)
    kent = [Force.objects.get(slug="kent")]
    campaign_send(campaign=campaign, forces=kent, sent_on=dt.date(2025, 11, 3), user=owner)
    with CaptureQueriesContext(connection) as few:
        client.get(PAGE.format("kent"))
    for _ in range(3):
        other = CampaignFactory(owner=owner)
        campaign_send(campaign=other, forces=kent, sent_on=dt.date(2025, 12, 1), user=owner)
    with CaptureQueriesContext(connection) as many:
        html = client.get(PAGE.format("kent")).content.decode()
    assert len(rows_of(html)) == 4
    assert len(many) == len(few)


# --------------------------------------------------------------------------------------------
# Links to the force pages
# --------------------------------------------------------------------------------------------


def test_the_navigation_the_campaign_page_and_the_board_link_to_the_force_pages(
    seven,  # noqa: F811
    browser_for,
    owner,
):
    client = browser_for(owner)
    board = client.get(f"/campaigns/{seven.pk}/").content.decode()
    assert '<a href="/forces/">Forces</a>' in board
    assert 'href="/forces/essex/" aria-label="This force across campaigns"' in board
    compliance = client.get(f"/campaigns/{seven.pk}/compliance/").content.decode()
    assert '<th scope="row"><a href="/forces/essex/">Essex Police</a></th>' in compliance
