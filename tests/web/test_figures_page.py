"""The figures page: shares of instances where the platform was known, with intervals."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from responses_app.models import Figure, OffenceCategory, Platform
from responses_app.services import figure_enter, response_record

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


def test_it_shows_the_headline_share_of_instances_where_the_platform_was_known(
    figures_url, browser_for, owner
):
    html = browser_for(owner).get(figures_url).content.decode()
    text = _text(html)
    assert re.search(r'class="headline-share">55%<', html)
    assert "of the 100 instances where the platform was known" in text
    assert "(55 instances; 0.5500 as a fraction, between 0.5288 and 0.5446 " in text
    assert "Not recorded, left out of every share: 7 (between 7 and 7)" in text
    assert (
        "between 100 and 100" not in text and "(between 101 and 104 with suppressed cells)" in text
    )


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
