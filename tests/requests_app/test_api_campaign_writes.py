"""The API over the same campaign and event services as the pages: periods kept as rows, the
same event twice answered 409 (even ten at once), and the send action's own form.

Kent sent Mon 2 Feb 2026 (today is Fri 1 May 2026 in every case)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import time_machine
from django.db import connection
from rest_framework.test import APIClient

from requests_app.models import CampaignPeriod, Force, RequestEvent
from requests_app.services import campaign_send

CAMPAIGNS = "/api/v1/campaigns/"
NOW = dt.datetime(2026, 5, 1, 12, 0)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _kent(campaign, owner):
    forces = [Force.objects.get(slug="kent")]
    return campaign_send(campaign=campaign, forces=forces, sent_on=dt.date(2026, 2, 2), user=owner)[
        0
    ]


def test_a_campaign_created_through_the_api_has_its_period_as_a_row(db, client_for, owner):
    body = {
        "title": "T",
        "question": "Q?",
        "period_start": "2019-10-01",
        "period_end": "2020-09-30",
    }
    response = client_for(owner).post(CAMPAIGNS, body)
    assert response.status_code == 201, response.content
    rows = CampaignPeriod.objects.filter(campaign_id=response.json()["id"])
    assert list(rows.values_list("start", "end")) == [(dt.date(2019, 10, 1), dt.date(2020, 9, 30))]
    assert (response.json()["wave"], response.json()["previous_wave"]) == (1, None)


def test_a_patch_of_the_span_replaces_the_periods_and_one_of_the_title_keeps_them(
    db, client_for, owner, campaign
):
    client = client_for(owner)
    periods = [
        (dt.date(2019, 10, 1), dt.date(2020, 3, 31)),
        (dt.date(2020, 4, 1), dt.date(2020, 9, 30)),
    ]
    campaign.periods.all().delete()
    CampaignPeriod.objects.bulk_create(
        CampaignPeriod(campaign=campaign, start=s, end=e) for s, e in periods
    )
    assert client.patch(f"{CAMPAIGNS}{campaign.pk}/", {"title": "Renamed"}).status_code == 200
    assert list(campaign.periods.values_list("start", "end")) == periods
    assert (
        client.patch(f"{CAMPAIGNS}{campaign.pk}/", {"period_end": "2020-03-31"}).status_code == 200
    )
    assert list(campaign.periods.values_list("start", "end")) == [periods[0]]
    assert campaign.history.first().history_user == owner


def test_the_same_event_posted_twice_answers_409_in_the_one_error_shape(
    frozen, client_for, owner, campaign
):
    kent = _kent(campaign, owner)
    client = client_for(owner)
    event = {"kind": "acknowledged", "on": "2026-02-03", "note": "Ref 123"}
    assert client.post(f"/api/v1/requests/{kent.pk}/events/", event).status_code == 201
    again = client.post(f"/api/v1/requests/{kent.pk}/events/", event)
    assert again.status_code == 409
    message = (
        "Already recorded: Acknowledged by the force on 3 Feb 2026, with the same details. "
        "Nothing was written."
    )
    assert again.json() == {"detail": message, "errors": [{"field": None, "message": message}]}
    assert list(kent.events.values_list("kind", flat=True)) == ["sent", "acknowledged"]


@pytest.mark.django_db(transaction=True)
def test_ten_identical_posts_at_once_give_one_201_and_nine_409s(postgres, owner, campaign):
    """Each POST runs in its own thread with its own database connection; the row lock in
    `request_record_event` queues them, and each one after the first finds the event written."""
    with time_machine.travel(NOW, tick=False):
        kent = _kent(campaign, owner)
    url = f"/api/v1/requests/{kent.pk}/events/"
    start = threading.Barrier(10)
    codes: list[int] = []

    def post() -> None:
        client = APIClient()
        client.force_authenticate(owner)
        try:
            start.wait(10)
            codes.append(client.post(url, {"kind": "acknowledged", "on": "2026-02-03"}).status_code)
        finally:
            connection.close()

    with time_machine.travel(NOW, tick=True):
        threads = [threading.Thread(target=post) for _ in range(10)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    assert sorted(codes) == [201] + [409] * 9
    assert RequestEvent.objects.filter(request=kent, kind="acknowledged").count() == 1


def test_the_browsable_send_form_asks_for_forces_and_a_date_and_lists_no_user(
    db, client_for, owner, campaign, colleague, outsider
):
    html = (
        client_for(owner)
        .get(f"{CAMPAIGNS}{campaign.pk}/send/", HTTP_ACCEPT="text/html")
        .content.decode()
    )
    assert 'name="sent_on"' in html
    for absent in ('name="collaborators"', 'name="title"', 'name="question"', ">outsider<"):
        assert absent not in html
