"""load_demo goes through the services, and a second run writes nothing."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

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


def test_the_aggregates_api_gives_the_published_headline(demo_campaign, client_for):
    client = client_for(demo_campaign.owner)
    url = f"/api/v1/aggregates/?campaign={demo_campaign.pk}&group_by="
    by_owner = client.get(url + "owner").json()
    meta = next(g for g in by_owner["groups"] if g["key"]["owner"] == "meta")
    assert (meta["reported"], by_owner["total"]["reported"], meta["share"]) == (4971, 9477, 0.5245)
    assert by_owner["method"].startswith("The per-force figures of this campaign are SYNTHETIC")
    by_platform = client.get(url + "platform").json()
    instagram = next(g for g in by_platform["groups"] if g["key"]["platform"] == "instagram")
    assert instagram["reported"] == 3212


def test_it_is_refused_in_production(db, settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="for a laptop"):
        call_command("load_demo")
    assert not Campaign.objects.exists()
