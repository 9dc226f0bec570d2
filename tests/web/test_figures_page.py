"""The figures page: shares of instances where the platform was known, as intervals.

Kent's answer (the `figures_url` campaign): instagram 45, whatsapp 10, snapchat 45, twitch '*'
(1..4), not recorded 7. Where the platform was known: 100 exact, 101..104 in all, midpoint
102.5. Meta (instagram + whatsapp) = 55 exactly: lowest 55/(55 + 49) = 55/104 = 0.52885 ->
52.9%, highest 55/(55 + 46) = 55/101 = 0.54455 -> 54.5%, midpoint 110/205 = 0.53659 -> 53.7%;
the exact cells alone give 55/100 = 55.0%. Twitch: 1..4, lowest 1/(1 + 100) = 0.0099 -> 1.0%,
highest 4/(4 + 100) = 0.03846 -> 3.8%, midpoint 5/205 = 0.02439 -> 2.4%.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from responses_app.models import Figure, OffenceCategory, Platform
from responses_app.services import figure_enter, response_record
from tests.responses_app.conftest import SUPPRESSED_ELSEWHERE

H1 = (dt.date(2019, 10, 1), dt.date(2020, 3, 31))


@pytest.fixture
def enter_figures(send_to, data_entry):
    offence = OffenceCategory.objects.get(slug="child-sexual-offences")

    def enter(force: str, cells: dict[str | None, str]) -> None:
        request = send_to(force)[force]
        response = response_record(
            request=request, received_on=dt.date(2021, 2, 1), outcome="granted", user=data_entry
        )
        for slug, raw in cells.items():
            figure_enter(
                response=response,
                period_start=H1[0],
                period_end=H1[1],
                offence=offence,
                platform=Platform.objects.get(slug=slug) if slug else None,
                platform_scope="named" if slug else "not_recorded",
                unit="instances",
                raw=raw,
                user=data_entry,
            )

    return enter


@pytest.fixture
def figures_url(campaign, enter_figures):
    campaign.synthetic_data = True
    campaign.save()
    # Meta 45 + 10 of 100 exact; Twitch '*' is 1..4; 7 not recorded stay out of every share.
    enter_figures(
        "kent",
        {"instagram": "45", "whatsapp": "10", "snapchat": "45", "twitch": "*", None: "7"},
    )
    return f"/campaigns/{campaign.pk}/figures/"


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_it_leads_with_the_interval_and_names_the_exact_cells_figure(
    figures_url, browser_for, owner
):
    html = browser_for(owner).get(figures_url).content.decode()
    text = _text(html)
    assert re.search(r'class="headline-share">Between 52.9% and 54.5%<', html)
    assert (
        "of the instances where the platform was known were on platforms owned by Meta "
        "Platforms (Facebook, Inc. until 2021) (midpoint estimate 53.7%, each suppressed cell "
        "counted at the middle of its range)."
    ) in text
    assert (
        "Counted from the exact cells alone, as a reader adding up the forces' tables would: "
        "55 of 100 instances (55.0%)."
    ) in text
    assert (
        "Instances where the platform was known: between 101 and 104 (midpoint 102.5); 100 "
        "counted exactly. Not recorded, left out of every share: 7."
    ) in text
    assert "between 7 and 7" not in text


def test_a_suppressed_cell_is_never_written_or_drawn_as_zero(figures_url, browser_for, owner):
    html = browser_for(owner).get(figures_url).content.decode()
    text = _text(html)
    assert "Twitch between 1.0% and 3.8% 2.4% between 1 and 4 none given exactly" in text, (
        "the platform table's Twitch row"
    )
    twitch_bar = re.search(r">Twitch</text>(.*?)</g>", html, re.S).group(1)
    assert 'class="range"' in twitch_bar and ">1.0\u20133.8%</text>" in twitch_bar
    assert "0.0%" not in text


def test_coverage_names_the_forces_and_counts_one_force_as_one(figures_url, browser_for, owner):
    text = _text(browser_for(owner).get(figures_url).content.decode())
    assert "Coverage of the 1 force asked" in text
    assert "Answered with figures 1 Kent Police" in text
    assert "in 4 figures from 1 force." in text
    assert "1 forces" not in text and "kent," not in text


def test_it_says_the_figures_are_synthetic_and_links_the_dataset(figures_url, browser_for, owner):
    html = browser_for(owner).get(figures_url).content.decode()
    assert "Synthetic data." in html and "SYNTHETIC" in html
    campaign_id = figures_url.split("/")[2]
    assert f'href="/api/v1/dataset/?campaign={campaign_id}"' in html


def test_every_chart_has_a_title_a_description_and_a_table(figures_url, browser_for, owner):
    html = browser_for(owner).get(figures_url).content.decode()
    charts = re.findall(r'<svg[^>]*role="img"[^>]*>\s*<title id="(\w+)-title">', html)
    assert charts == ["owners", "platforms", "forces", "coverage"]
    assert html.count("<desc id=") == 4
    assert "<caption>Share by platform</caption>" in html
    assert re.search(r"<th scope=\"row\">Answered with figures</th><td class=\"num\">1</td>", html)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_its_query_count_does_not_grow_with_the_figures(
    figures_url, enter_figures, browser_for, owner
):
    client = browser_for(owner)
    few = _queries(client, figures_url)
    enter_figures("essex", {"instagram": "5", "tiktok": "8", "kik": "<5", "discord": "2"})
    enter_figures("dorset", {"facebook-or-messenger": "12", "skype": "3"})
    assert _queries(client, figures_url) == few


def test_other_teams_get_404(figures_url, browser_for, outsider):
    assert browser_for(outsider).get(figures_url).status_code == 404


def test_the_admin_says_which_figures_are_synthetic(figures_url, browser_for, staff, campaign):
    client = browser_for(staff)
    listing = client.get("/admin/responses_app/figure/").content.decode()
    assert f"Synthetic data: figures of {campaign.title} are made up" in listing
    figure = Figure.objects.filter(response__request__campaign=campaign).first()
    page = client.get(f"/admin/responses_app/figure/{figure.pk}/change/").content.decode()
    assert "Synthetic data: this figure belongs to" in page
    campaign.synthetic_data = False
    campaign.save()
    assert "Synthetic data" not in client.get("/admin/responses_app/figure/").content.decode()


def test_refusals_are_named_in_words(
    enter_figures, send_to, data_entry, figures_url, browser_for, owner
):
    """Two refusals: Sussex under s.12 and Jersey under its Article 16, both the cost limit."""
    for slug, code in [("sussex", "s12"), ("jersey", "art16")]:
        response_record(
            request=send_to(slug)[slug],
            received_on=dt.date(2021, 2, 1),
            outcome="refused",
            exemptions=[code],
            user=data_entry,
        )
    text = _text(browser_for(owner).get(figures_url).content.decode())
    assert (
        "Refusals cited: Art 16 cost of compliance exceeds the limit (1 force); "
        "s.12 cost of compliance exceeds the appropriate limit (1 force)."
    ) in text
    assert "Refused 2 States of Jersey Police, Sussex Police" in text


def test_the_headline_falls_inside_its_interval_when_suppression_sits_elsewhere(
    campaign, enter_figures, browser_for, owner
):
    """The cells of tests/responses_app/conftest.py SUPPRESSED_ELSEWHERE (worked out in
    test_aggregates.py): Meta 60 exact of 100 exact, 103..112 in all. The old headline said 60%,
    outside 53.6%..58.3%; the page now leads with the interval and its midpoint 55.8%."""
    for force, cells in SUPPRESSED_ELSEWHERE.items():
        enter_figures(force, dict(cells))
    html = browser_for(owner).get(f"/campaigns/{campaign.pk}/figures/").content.decode()
    text = _text(html)
    assert re.search(r'class="headline-share">Between 53.6% and 58.3%<', html)
    assert "(midpoint estimate 55.8%" in text
    assert "60 of 100 instances (60.0%)" in text
    assert "No owner on record between 0.9% and 3.8% 2.3% between 1 and 4" in text
