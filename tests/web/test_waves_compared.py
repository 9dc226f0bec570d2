"""Waves compared on the figures page. Wave 1 asks about Oct 2019 - Sep 2020, wave 2 about
Oct 2020 - Mar 2021 (the same question repeated).

Wave 1: Kent gives Instagram 40, WhatsApp 12, Snapchat 30 and Twitch suppressed ("*": 1 to 4).
Instances where the platform was known: 40 + 12 + 30 + 1 = 83 to 40 + 12 + 30 + 4 = 86, midpoint
84.5. Meta (Instagram and WhatsApp) has 52 exactly, the others 31 to 34: its share within the
wave is at least 52 / (52 + 34) = 0.60465 -> 60.5% and at most 52 / (52 + 31) = 0.62651 -> 62.7%,
midpoint (52 + 52) / (83 + 86) = 104 / 169 = 0.61538 -> 61.5%.
Wave 2: Kent gives Instagram 20 and Snapchat 5: 25 exactly; Meta 20 / 25 = 80.0%.
"""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from requests_app.models import Force
from requests_app.services import campaign_repeat, campaign_send
from responses_app import services
from responses_app.models import OffenceCategory, Platform

WAVE_2 = (dt.date(2020, 10, 1), dt.date(2021, 3, 31))
WAVE_3 = (dt.date(2021, 4, 1), dt.date(2021, 9, 30))


def answer(wave, owner, data_entry, cells: dict[str, str], sent_on: dt.date) -> None:
    [kent] = campaign_send(
        campaign=wave, forces=[Force.objects.get(slug="kent")], sent_on=sent_on, user=owner
    )
    response = services.response_record(
        request=kent,
        received_on=sent_on + dt.timedelta(days=14),
        outcome="granted",
        user=data_entry,
    )
    for slug, raw in cells.items():
        services.figure_enter(
            response=response,
            period_start=wave.period_start,
            period_end=wave.period_end,
            offence=OffenceCategory.objects.get(slug="child-sexual-offences"),
            platform=Platform.objects.get(slug=slug),
            unit="instances",
            raw=raw,
            user=data_entry,
        )


@pytest.fixture
def two_waves(campaign, owner, data_entry):
    wave_1 = {"instagram": "40", "whatsapp": "12", "snapchat": "30", "twitch": "*"}
    answer(campaign, owner, data_entry, wave_1, dt.date(2020, 11, 2))
    second = campaign_repeat(campaign=campaign, user=owner, periods=[WAVE_2])
    answer(second, owner, data_entry, {"instagram": "20", "snapchat": "5"}, dt.date(2021, 1, 4))
    return campaign, second


def _text(html: str) -> str:
    return unescape(" ".join(re.sub(r"<[^>]+>", " ", html).split()))


def waves_table(html: str) -> list[list[str]]:
    found = re.search(r'<table class="data waves">.*?<tbody>(.*?)</tbody>', html, re.S)
    if found is None:
        return []
    return [
        [_text(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", found.group(1), re.S)
    ]


def test_each_wave_has_its_total_and_meta_share_worked_out_by_hand(two_waves, browser_for, owner):
    first, second = two_waves
    html = browser_for(owner).get(f"/campaigns/{first.pk}/figures/").content.decode()
    assert waves_table(html) == [
        [
            "Wave 1 (this page)",
            "Oct 2019 \u2013 Sep 2020",
            "between 83 and 86",
            "84.5",
            "between 60.5% and 62.7%",
            "61.5%",
        ],
        ["Wave 2", "Oct 2020 \u2013 Mar 2021", "25", "25", "80.0%", "80.0%"],
    ]
    assert f'<a href="/campaigns/{second.pk}/figures/">Wave 2</a>' in html
    header = '<th scope="col" class="num">Meta Platforms (Facebook, Inc. until 2021) share</th>'
    assert header in html


def test_a_wave_without_figures_says_so_and_never_zero(two_waves, browser_for, owner):
    _, second = two_waves
    campaign_repeat(campaign=second, user=owner, periods=[WAVE_3])
    html = browser_for(owner).get(f"/campaigns/{second.pk}/figures/").content.decode()
    assert [row[0] for row in waves_table(html)] == ["Wave 1", "Wave 2 (this page)", "Wave 3"]
    assert waves_table(html)[2][2:] == ["No figures yet", "\u2013", "\u2013", "\u2013"]


def test_a_campaign_of_one_wave_has_no_comparison(campaign, browser_for, owner):
    html = browser_for(owner).get(f"/campaigns/{campaign.pk}/figures/").content.decode()
    assert "Waves compared" not in html


def test_a_consumer_compares_only_the_published_waves(two_waves, browser_for, consumer):
    first, second = two_waves
    first.published = True
    first.save()
    client = browser_for(consumer)
    assert waves_table(client.get(f"/campaigns/{first.pk}/figures/").content.decode()) == []
    second.published = True
    second.save()
    rows = waves_table(client.get(f"/campaigns/{first.pk}/figures/").content.decode())
    assert [row[2] for row in rows] == ["between 83 and 86", "25"]


def test_the_comparison_costs_the_same_queries_however_many_waves(
    two_waves, browser_for, owner, data_entry
):
    first, second = two_waves
    client = browser_for(owner)
    with CaptureQueriesContext(connection) as few:
        client.get(f"/campaigns/{first.pk}/figures/")
    third = campaign_repeat(campaign=second, user=owner, periods=[WAVE_3])
    answer(third, owner, data_entry, {"instagram": "7"}, dt.date(2021, 2, 1))
    with CaptureQueriesContext(connection) as many:
        html = client.get(f"/campaigns/{first.pk}/figures/").content.decode()
    assert len(waves_table(html)) == 3
    assert len(many) == len(few)
