"""The to-do page: answers awaiting figures and figures awaiting a second person, across the
campaigns the user may edit, each linked to where the work is done."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from requests_app.models import Force
from requests_app.services import campaign_send
from responses_app import services
from tests.factories import CampaignFactory
from tests.web.conftest import SENT_ON
from tests.web.entry.conftest import RECEIVED_ON, key, queries_of
from web.views import entry


def awaiting_rows(html: str) -> list[tuple[str, str]]:
    """(force, outcome) of each answer awaiting figures."""
    table = html.split('id="awaiting-h"')[1].split("</table>")[0]
    row = (
        r'<th scope="row"><a href="/responses/\d+/">([^<]+)</a></th>\s*'
        r"<td>[^<]*</td>\s*<td>[^<]*</td>\s*<td>([^<]+)</td>"
    )
    return re.findall(row, table)


def check_rows(html: str) -> list[tuple[str, ...]]:
    """(force, for you to confirm, disputed, yours awaiting a second person)."""
    table = html.split('id="checks-h"')[1].split("</table>")[0]
    rows = re.findall(r'<tr id="check-\d+">(.*?)</tr>', table, flags=re.S)
    return [tuple(re.sub(r"<[^>]+>", "", cell).strip() for cell in cells(row)) for row in rows]


def cells(row: str) -> list[str]:
    found = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)
    # The campaign's title, the date received and the link to the next step are left out.
    return [found[0], *found[3:6]]


def respond(request, outcome: str, user):
    return services.response_record(
        request=request, received_on=RECEIVED_ON, outcome=outcome, user=user
    )


@pytest.fixture
def answered(requests_sent, send_to, data_entry):
    """Kent granted, Surrey partly granted, Essex not held (no figures to enter), Sussex still
    waiting (no response at all)."""
    requests_sent.update(send_to("essex", "sussex"))
    return {
        slug: respond(requests_sent[slug], outcome, data_entry)
        for slug, outcome in (
            ("kent", "granted"),
            ("surrey", "partly_granted"),
            ("essex", "not_held"),
        )
    }


def test_answers_that_gave_data_and_have_no_figures_await_figures(
    answered, browser_for, data_entry
):
    key(answered["surrey"], data_entry, "3")
    html = browser_for(data_entry).get("/entry/").content.decode()
    assert awaiting_rows(html) == [("Kent Police", "Granted")]
    assert f'href="/responses/{answered["kent"].pk}/import/">Import figures' in html
    assert "Answers awaiting figures <span" in html and "(1)" in html


def test_figures_are_counted_for_whoever_may_confirm_them(
    answered, browser_for, data_entry, second_clerk
):
    """Kent: data entry keyed Instagram 14 and Snapchat 5, and the second clerk keyed Snapchat
    as 6 (disputed). Surrey: the second clerk keyed WhatsApp 2. For the second clerk, Kent has 1
    to confirm (Instagram), 1 disputed; Surrey has 1 of theirs awaiting. For data entry, Kent
    has 1 disputed and 1 of theirs awaiting; Surrey 1 to confirm."""
    key(answered["kent"], data_entry, "14", "instagram")
    key(answered["kent"], data_entry, "5", "snapchat")
    key(answered["kent"], second_clerk, "6", "snapchat")
    key(answered["surrey"], second_clerk, "2", "whatsapp")
    second = browser_for(second_clerk).get("/entry/").content.decode()
    assert check_rows(second) == [("Kent Police", "1", "1", "0"), ("Surrey Police", "0", "0", "1")]
    first = browser_for(data_entry).get("/entry/").content.decode()
    assert check_rows(first) == [("Kent Police", "0", "1", "1"), ("Surrey Police", "1", "0", "0")]
    assert awaiting_rows(first) == []


def test_verified_figures_leave_the_list(answered, browser_for, data_entry, second_clerk):
    figure = key(answered["kent"], data_entry, "14")
    services.figure_verify(figure=figure, user=second_clerk)
    html = browser_for(second_clerk).get("/entry/").content.decode()
    assert check_rows(html) == []
    assert "None: every figure is verified." in html


def test_a_researcher_sees_only_the_work_of_their_teams_campaigns(
    answered, browser_for, outsider, owner, data_entry
):
    theirs = CampaignFactory(owner=outsider)
    [dorset] = campaign_send(
        campaign=theirs, forces=[Force.objects.get(slug="dorset")], sent_on=SENT_ON, user=outsider
    )
    respond(dorset, "granted", outsider)
    assert awaiting_rows(browser_for(outsider).get("/entry/").content.decode()) == [
        ("Dorset Police", "Granted")
    ]
    assert awaiting_rows(browser_for(owner).get("/entry/").content.decode()) == [
        ("Kent Police", "Granted"),
        ("Surrey Police", "Partly granted"),
    ]
    assert len(awaiting_rows(browser_for(data_entry).get("/entry/").content.decode())) == 3


def test_a_consumer_has_nothing_to_enter_and_no_link_to_it(db, browser_for, consumer):
    html = browser_for(consumer).get("/entry/").content.decode()
    assert "Your role reads published campaigns: there is nothing for you to enter." in html
    assert 'href="/entry/"' not in html


def test_the_page_costs_the_same_queries_however_many_rows(
    campaign, owner, browser_for, data_entry, second_clerk
):
    forces = list(Force.objects.filter(territorial=True).order_by("slug")[:12])
    sent = campaign_send(campaign=campaign, forces=forces, sent_on=SENT_ON, user=owner)
    client = browser_for(second_clerk)

    def answer(request, with_figure: bool) -> None:
        response = respond(request, "granted", data_entry)
        if with_figure:
            key(response, data_entry, "4")

    answer(sent[0], False)
    answer(sent[1], True)
    few = queries_of(client, "/entry/")
    for request in sent[2:]:
        answer(request, request.pk % 2 == 0)
    assert queries_of(client, "/entry/") == few


def test_only_the_oldest_rows_are_listed(campaign, owner, browser_for, data_entry, monkeypatch):
    forces = list(Force.objects.order_by("slug")[:3])
    sent = campaign_send(campaign=campaign, forces=forces, sent_on=SENT_ON, user=owner)
    for day, request in enumerate(sent, start=1):
        services.response_record(
            request=request,
            received_on=dt.date(2021, 2, day),
            outcome="granted",
            user=data_entry,
        )
    monkeypatch.setattr(entry, "ROWS", 2)
    html = browser_for(data_entry).get("/entry/").content.decode()
    assert [force for force, _ in awaiting_rows(html)] == [forces[0].name, forces[1].name]
    assert "The oldest 2 of 3 are listed." in html
