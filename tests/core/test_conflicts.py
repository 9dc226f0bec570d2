"""A write that would create what exists already answers 409 in the one error shape (issue 15,
item 5): ten identical POSTs at once used to give one 201 and nine IntegrityError 500s.

The races run on PostgreSQL, whose unique index makes the nine losers wait for the winner's
commit and then fail; each request runs in a thread of its own with its own connection, the
ten released together by a barrier. Whether a loser meets the constraint or, arriving a moment
later, the winner's committed row, it is the same conflict."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from rest_framework.test import APIClient

from requests_app import roles
from requests_app.models import Force
from requests_app.services import request_create
from responses_app.models import Figure, OffenceCategory, Platform
from responses_app.services import figure_enter, response_record
from tests.factories import CampaignFactory, UserFactory

CALLS = 10


def at_once(post) -> tuple[Counter, list[dict]]:
    """Run `post()` in CALLS threads released together; the status codes and the 409 bodies."""
    barrier = threading.Barrier(CALLS)
    answers = []

    def call() -> None:
        try:
            barrier.wait(timeout=30)
            answers.append(post())
        finally:
            connection.close()

    threads = [threading.Thread(target=call) for _ in range(CALLS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    codes = Counter(answer.status_code for answer in answers)
    return codes, [answer.json() for answer in answers if answer.status_code == 409]


def member(username: str, role: str):
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def on_postgres(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("runs in the PostgreSQL pass: set DATABASE_URL=postgres://...")


@pytest.fixture
def researcher(on_postgres):
    return member("owner", roles.RESEARCHER)


def client_of(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_ten_identical_requests_at_once_give_one_201_and_nine_409s(researcher):
    campaign = CampaignFactory(owner=researcher)
    body = {"campaign": campaign.pk, "force": "kent"}

    codes, conflicts = at_once(lambda: client_of(researcher).post("/api/v1/requests/", body))

    assert codes == {201: 1, 409: 9}
    message = "This campaign already has a request to kent."
    assert (
        conflicts == [{"detail": message, "errors": [{"field": "force", "message": message}]}] * 9
    )
    assert campaign.requests.count() == 1


def test_ten_identical_figures_at_once_give_one_201_and_nine_409s(researcher):
    """The same person keying the same cell ten times at once: one figure, and nine conflicts
    (a second entry must come from a second person)."""
    clerk = member("data_entry", roles.DATA_ENTRY)
    campaign = CampaignFactory(owner=researcher)
    sent = request_create(
        campaign=campaign,
        force=Force.objects.get(slug="kent"),
        user=researcher,
        sent_on=dt.date(2020, 11, 2),
    )
    response = response_record(
        request=sent, received_on=dt.date(2020, 11, 20), outcome="granted", user=clerk
    )
    body = {
        "response": response.pk,
        "period_start": "2019-10-01",
        "period_end": "2020-09-30",
        "offence": "child-sexual-offences",
        "platform": "snapchat",
        "raw": "12",
    }

    codes, conflicts = at_once(lambda: client_of(clerk).post("/api/v1/figures/", body))

    assert codes == {201: 1, 409: 9}
    message = "You already entered this figure; a second person must confirm it."
    assert conflicts == [{"detail": message, "errors": [{"field": "raw", "message": message}]}] * 9
    assert Figure.objects.filter(response=response).count() == 1


def test_a_second_person_racing_the_first_confirms_the_figure(researcher):
    """Two people key the same cell with the same value at once: whoever loses the insert is
    the second entry, which confirms the figure (200), not a 500 or a conflict."""
    clerk, colleague = member("data_entry", roles.DATA_ENTRY), member("clerk2", roles.DATA_ENTRY)
    campaign = CampaignFactory(owner=researcher)
    sent = request_create(
        campaign=campaign,
        force=Force.objects.get(slug="kent"),
        user=researcher,
        sent_on=dt.date(2020, 11, 2),
    )
    response = response_record(
        request=sent, received_on=dt.date(2020, 11, 20), outcome="granted", user=clerk
    )
    cell = {
        "response": response,
        "period_start": dt.date(2019, 10, 1),
        "period_end": dt.date(2020, 9, 30),
        "offence": OffenceCategory.objects.get(slug="child-sexual-offences"),
        "platform": Platform.objects.get(slug="snapchat"),
        "unit": "instances",
        "raw": "12",
    }
    barrier, entries = threading.Barrier(2), []

    def enter(user) -> None:
        try:
            barrier.wait(timeout=30)
            entries.append(figure_enter(user=user, **cell))
        finally:
            connection.close()

    threads = [threading.Thread(target=enter, args=(user,)) for user in (clerk, colleague)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted((e.created, e.confirmed) for e in entries) == [(False, True), (True, False)]
    figure = Figure.objects.get(response=response)
    assert figure.verified is True
