"""The board: every force with its status, due date, working days left and next action."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from requests_app.models import FoiRequest
from requests_app.services import request_record_event
from requests_app.status import Status
from tests.web.conftest import TODAY
from web.board import next_action

D = dt.date
NONE = "\u2013"  # the board's dash for "no date"


@pytest.mark.parametrize(
    ("status", "dates", "action"),
    [
        (Status.DRAFT, {}, "Send the request"),
        (Status.SENT, {"current_due_on": D(2021, 3, 5)}, "Wait for the answer: due 5 Mar 2021"),
        (Status.SENT, {"current_due_on": D(2021, 2, 15)}, "Chase: the answer was due 15 Feb 2021"),
        (
            Status.EXTENDED,
            {"current_due_on": D(2021, 2, 26)},
            "Chase: the extended answer was due 26 Feb 2021",
        ),
        (Status.AWAITING_CLARIFICATION, {}, "Answer the force's clarification question"),
        (Status.FEE_NOTICE, {}, "Pay the fee (the clock is paused)"),
        (
            Status.RESPONDED,
            {"review_request_by": D(2021, 3, 1), "complaint_by": D(2021, 2, 20)},
            "Consider an internal review by 1 Mar 2021",
        ),
        (
            Status.RESPONDED,
            {"review_request_by": D(2021, 2, 26), "complaint_by": D(2021, 2, 20)},
            "Close the request",
        ),
        (
            Status.REVIEW_REQUESTED,
            {"current_due_on": D(2021, 3, 29)},
            "Wait for the internal review: due 29 Mar 2021",
        ),
        (
            Status.REVIEW_ANSWERED,
            {"complaint_by": D(2021, 4, 2)},
            "Complaint window closes 2 Apr 2021",
        ),
        (Status.COMPLAINT, {}, "Wait for the regulator's decision"),
        (Status.CLOSED, {}, "Nothing: the request is finished"),
    ],
)
def test_it_derives_the_next_action_from_the_status_and_dates(status, dates, action):
    assert next_action(FoiRequest(status=status, **dates), TODAY) == action


def _rows(html: str) -> dict[str, list[str]]:
    """Force name -> the text of its row's cells."""
    rows = {}
    for row in re.findall(
        r"<tr( class=\"is-overdue\")?>\s*<th scope=\"row\">(.*?)</tr>", html, re.S
    ):
        cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.split(r"</t[hd]>", row[1])]
        rows[cells[0]] = ["overdue" if row[0] else "on time", *cells[1:-1]]
    return rows


@pytest.fixture
def board(campaign, send_to, owner):
    """Kent overdue (sent 18 Jan 2021, due 15 Feb), Jersey extended, Guernsey answered."""
    sent = send_to("kent", "jersey", "guernsey")
    request_record_event(
        request=sent["jersey"],
        kind="extension",
        on=D(2021, 2, 10),
        until=D(2021, 3, 10),
        user=owner,
    )
    request_record_event(request=sent["guernsey"], kind="response", on=D(2021, 2, 12), user=owner)
    return f"/campaigns/{campaign.pk}/"


def test_it_lists_every_force_with_its_clock_and_next_action(board, browser_for, owner):
    response = browser_for(owner).get(board)
    assert response.status_code == 200
    assert _rows(response.content.decode()) == {
        "Guernsey Police (Bailiwick Law Enforcement)": [
            "on time",
            "Responded",
            NONE,
            NONE,
            NONE,
            "Consider an internal review by 13 Apr 2021",
        ],
        "Kent Police": [
            "overdue",
            "Sent, awaiting response",
            "15 Feb 2021",
            "-10",
            NONE,
            "Overdue Chase: the answer was due 15 Feb 2021",
        ],
        "States of Jersey Police": [
            "on time",
            "Public-interest extension",
            "10 Mar 2021",
            "7",
            NONE,
            "Wait for the extended answer: due 10 Mar 2021",
        ],
    }
    assert "1 overdue" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "forces"),
    [
        ("overdue=on", ["Kent Police"]),
        ("status=extended", ["States of Jersey Police"]),
        ("country=Guernsey", ["Guernsey Police (Bailiwick Law Enforcement)"]),
        ("regime=foia-2000", ["Kent Police"]),
        ("status=responded&country=England", []),
        ("status=nonsense", None),  # an unknown value filters nothing and says why
    ],
)
def test_it_filters_by_status_overdue_country_and_regime(board, browser_for, owner, query, forces):
    response = browser_for(owner).get(f"{board}?{query}")
    html = response.content.decode()
    if forces is None:
        assert len(_rows(html)) == 3 and "Select a valid choice" in html
    else:
        assert sorted(_rows(html)) == forces


def test_it_asks_for_sign_in_and_hides_other_teams_campaigns(board, browser_for, outsider):
    assert browser_for(None).get(board)["Location"].startswith("/accounts/login/?next=")
    assert browser_for(outsider).get(board).status_code == 404


def test_the_home_page_lists_the_users_campaigns_with_their_overdue_count(
    board, browser_for, owner, outsider, campaign
):
    html = browser_for(owner).get("/").content.decode()
    assert campaign.title in html and '<span class="overdue">1</span>' in html
    assert campaign.title not in browser_for(outsider).get("/").content.decode()


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_its_query_count_does_not_grow_with_the_forces(campaign, send_to, browser_for, owner):
    client = browser_for(owner)
    send_to("kent", "surrey")
    few = _queries(client, f"/campaigns/{campaign.pk}/")
    send_to("essex", "dorset", "cumbria", "jersey", "guernsey", "gwent", "durham")
    assert _queries(client, f"/campaigns/{campaign.pk}/") == few
    assert _queries(client, "/") == _queries(client, "/")
    # session, user, the user's roles, campaign, whether the user may record events, countries
    # for the filter, calendars, requests, counts, whether the user may change the campaign, its
    # waves
    assert few == 11
