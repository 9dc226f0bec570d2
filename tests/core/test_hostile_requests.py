"""Requests a hostile review sent to a running server (issue 15, items 7, 8 and 13): each answered
500, or was described wrongly by the schema. Each is a 4xx in the one error shape now."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from rest_framework.test import APIClient

from requests_app.models import Force
from requests_app.services import request_create
from responses_app.models import Figure, FoiResponse, OffenceCategory, PlatformScope
from responses_app.services import response_record


@pytest.mark.parametrize("listing", ["forces", "platforms", "owners", "offences"])
def test_it_answers_a_nul_slug_with_404_in_the_error_shape(client_for, staff, listing):
    """PostgreSQL cannot hold NUL in a text parameter: the lookup raised DataError (a 500). The
    PostgreSQL pass is the one that reproduces it; SQLite answers 404 either way."""
    response = client_for(staff).get(f"/api/v1/{listing}/%00/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "errors": []}


def test_it_still_finds_a_slug_with_a_hyphen(client_for, staff):
    response = client_for(staff).get("/api/v1/forces/avon-and-somerset/")
    assert response.status_code == 200
    assert response.json()["name"] == "Avon and Somerset Constabulary"


def test_it_answers_json_nested_a_hundred_thousand_deep_with_400(client_for, staff):
    """Python's decoder recurses once a level: 100,000 `[` raised RecursionError (a 500)."""
    body = "[" * 100_000
    response = client_for(staff).post("/api/v1/campaigns/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "JSON parse error - the body is nested too deeply.",
        "errors": [],
    }


def test_it_answers_deep_json_with_400_where_a_view_names_its_parsers(client_for, staff):
    """The responses endpoint lists its parsers itself (it takes multipart uploads too)."""
    response = client_for(staff).post(
        "/api/v1/responses/", "[" * 100_000, content_type="application/json"
    )
    assert response.status_code == 400


def test_the_schema_says_a_figures_owner_may_be_null(client_for, staff):
    schema = client_for(staff).get("/api/v1/schema/?format=json").json()
    owner = schema["components"]["schemas"]["Figure"]["properties"]["owner"]
    assert owner["nullable"] is True


def test_a_figure_of_a_platform_not_recorded_has_a_null_owner(
    client_for, data_entry, response_answered
):
    """The 'not recorded' row has no platform, so no owner: the schema must allow the null
    that the API sends."""
    figure = Figure.objects.create(
        response=response_answered,
        period_start=response_answered.request.campaign.period_start,
        period_end=response_answered.request.campaign.period_end,
        offence=OffenceCategory.objects.get(slug="child-sexual-offences"),
        platform_scope=PlatformScope.NOT_RECORDED,
        raw="9",
        status="reported",
        low=9,
        high=9,
        entered_by=data_entry,
    )
    answer = client_for(data_entry).get(f"/api/v1/figures/{figure.pk}/")
    assert answer.status_code == 200
    assert answer.json()["owner"] is None


@pytest.fixture
def response_answered(campaign, owner, data_entry) -> FoiResponse:
    with time_machine.travel(dt.datetime(2021, 1, 11, 12, 0, tzinfo=dt.UTC), tick=False):
        sent = request_create(
            campaign=campaign,
            force=Force.objects.get(slug="kent"),
            user=owner,
            sent_on=dt.date(2020, 11, 2),
        )
        return response_record(
            request=sent, received_on=dt.date(2020, 11, 20), outcome="granted", user=data_entry
        )


@pytest.mark.django_db
def test_an_anonymous_caller_with_deep_json_gets_401_not_500():
    body = "[" * 100_000
    response = APIClient().post("/api/v1/campaigns/", body, content_type="application/json")
    assert response.status_code == 401
