"""load_demo goes through the services, and a second run writes nothing."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client

from requests_app.models import Campaign, FoiRequest, RequestEvent
from requests_app.status import Status
from responses_app.models import Figure, FoiResponse

MODELS = (get_user_model(), Campaign, FoiRequest, RequestEvent, FoiResponse, Figure)


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture
def demo_campaign(db) -> Campaign:
    call_command("load_demo", stdout=io.StringIO())
    return Campaign.objects.get(owner__username="demo")


def test_running_it_twice_creates_nothing_new(demo_campaign, capsys):
    before = _counts()
    call_command("load_demo")
    assert _counts() == before
    assert "already loaded" in capsys.readouterr().out
    assert before["FoiRequest"] == 45 and before["FoiResponse"] == 43


# force -> (status, running clock's due date) after the demo's events.
STORIES = {
    "northamptonshire": (Status.SENT, "2020-12-01"),
    "durham": (Status.EXTENDED, "2020-12-23"),
    "sussex": (Status.REVIEW_ANSWERED, None),
    "kent": (Status.RESPONDED, None),
    "jersey": (Status.RESPONDED, None),
}


def test_it_loads_a_synthetic_campaign_whose_statuses_come_from_the_event_log(demo_campaign):
    assert demo_campaign.synthetic_data is True
    assert list(demo_campaign.periods.values_list("start", "end")) == [
        (dt.date(2019, 10, 1), dt.date(2020, 3, 31)),
        (dt.date(2020, 4, 1), dt.date(2020, 9, 30)),
    ]
    assert demo_campaign.owner.check_password("foi-demo-local")
    assert list(demo_campaign.owner.groups.values_list("name", flat=True)) == ["researcher"]
    requests = {r.force.slug: r for r in demo_campaign.requests.select_related("force")}
    for force, (status, due) in STORIES.items():
        request = requests[force]
        last = request.events.order_by("-on", "-id").first()
        assert (request.status, last.to_status) == (status, status), force
        assert (request.current_due_on and request.current_due_on.isoformat()) == due, force
    firsts = {(r.events.order_by("on", "id").first().kind, r.sent_on) for r in requests.values()}
    assert {(kind, day.isoformat()) for kind, day in firsts} == {("sent", "2020-11-02")}


def test_the_api_and_the_figures_page_give_the_headline_as_an_interval(demo_campaign, client_for):
    """The demo's figures (responses_app/demo.py) are fitted to the published totals: 9,477
    instances given exactly where the platform was known, 4,971 of them Meta's (Instagram
    3,212), with no Meta cell suppressed. 67 cells on other platforms (FaceTime 13, Twitch 12,
    Signal 12, Omegle, YouTube and Telegram 10 each) are suppressed, 1..4 each, so the total is
    9,477 + 67 = 9,544 to 9,477 + 268 = 9,745, midpoint 9,644.5.
    Meta's share: lowest 4,971/9,745 = 0.51011 -> 51.0%, highest 4,971/9,544 = 0.52085 ->
    52.1%, midpoint 9,942/19,289 = 0.51542 -> 51.5%. The exact cells alone give 4,971/9,477 =
    0.52453 -> 52.5%, the published figure, outside the interval.
    Instagram: 3,212/9,745 = 0.32960 -> 33.0% to 3,212/9,544 = 0.33655 -> 33.7%, midpoint
    6,424/19,289 = 0.33304 -> 33.3%."""
    client = client_for(demo_campaign.owner)
    url = f"/api/v1/aggregates/?campaign={demo_campaign.pk}&group_by="
    by_owner = client.get(url + "owner").json()
    meta = by_owner["groups"][0]
    assert meta["key"] == {"owner": "meta"}
    assert (meta["reported"], meta["low"], meta["high"]) == (4971, 4971, 4971)
    assert (meta["share_low"], meta["share_midpoint"], meta["share_high"]) == (0.51, 0.515, 0.521)
    total = by_owner["total"]
    assert (total["reported"], total["low"], total["high"], total["midpoint"]) == (
        9477,
        9544,
        9745,
        9644.5,
    )
    assert by_owner["method"].startswith("The per-force figures of this campaign are SYNTHETIC")
    assert by_owner["synthetic"] is True
    by_platform = client.get(url + "platform").json()
    instagram = next(g for g in by_platform["groups"] if g["key"]["platform"] == "instagram")
    assert instagram["reported"] == instagram["low"] == instagram["high"] == 3212

    page = Client()
    page.force_login(demo_campaign.owner)
    html = page.get(f"/campaigns/{demo_campaign.pk}/figures/").content.decode()
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert 'class="headline-share">Between 51.0% and 52.1%<' in html
    assert "(midpoint estimate 51.5%" in text
    assert "4,971 of 9,477 instances (52.5%)" in text
    assert (
        "Instances where the platform was known: between 9,544 and 9,745 (midpoint 9,644.5); "
        "9,477 counted exactly. Not recorded, left out of every share: 1,848."
    ) in text
    assert "Instagram between 33.0% and 33.7% 33.3% 3,212 3,212" in text


def test_it_is_refused_in_production(db, settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="for a laptop"):
        call_command("load_demo")
    assert not Campaign.objects.exists()
