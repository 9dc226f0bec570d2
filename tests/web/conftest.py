"""Time stands at 1 March 2021, the month the study was published: after every demo event."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client

from requests_app.models import Force
from requests_app.services import campaign_send

TODAY = dt.date(2021, 3, 1)
SENT_ON = dt.date(2021, 1, 18)


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(dt.datetime(2021, 3, 1, 12, 0), tick=False):
        yield


@pytest.fixture
def browser_for():
    """A web client (not the API client) signed in as the given user."""

    def make(user) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def send_to(campaign, owner):
    """Send the campaign to the forces named, on 18 January 2021."""

    def send(*slugs: str):
        forces = list(Force.objects.filter(slug__in=slugs))
        return {
            r.force.slug: r
            for r in campaign_send(campaign=campaign, forces=forces, sent_on=SENT_ON, user=owner)
        }

    return send
