"""Every date a person gives lies within 1990-01-01 .. 2100-12-31, and an extension's estimate
within a year of today (issue 15, item 1): an extension "until 9999-12-31" was accepted and made
every read of its request take seconds, and sent_on 0001-01-01 cost a second a request.

Each refusal is a 400 (or a form error, or a command error) that names the field and writes
nothing. Today is Fri 1 May 2026; Kent was sent the campaign on Mon 2 Feb 2026."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client

from core.dates import EARLIEST, LATEST, check_date_in_range, validate_date_in_range
from requests_app.models import Campaign, ExtraHoliday, FoiRequest, Force, RequestEvent
from requests_app.services import campaign_send
from responses_app.models import Document, Figure, FoiResponse
from responses_app.services import response_record

OUT_OF_RANGE = "is outside the dates this tracker takes (1990-01-01 to 2100-12-31)."


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(dt.datetime(2026, 5, 1, 12, 0), tick=False):
        yield


@pytest.fixture
def kent(campaign, owner) -> FoiRequest:
    [request] = campaign_send(
        campaign=campaign,
        forces=[Force.objects.get(slug="kent")],
        sent_on=dt.date(2026, 2, 2),
        user=owner,
    )
    return request


def written() -> list[int]:
    models = (Campaign, FoiRequest, RequestEvent, FoiResponse, Figure, Document, ExtraHoliday)
    return [model.objects.count() for model in models]


def refusal(response, field: str, message: str) -> None:
    assert response.status_code == 400, response.content
    assert response.json()["errors"] == [{"field": field, "message": message}]


@pytest.mark.parametrize("day", [EARLIEST, LATEST, dt.date(2026, 5, 1)])
def test_the_range_takes_its_first_and_last_days(day):
    validate_date_in_range(day)
    check_date_in_range(day, "on")


@pytest.mark.parametrize("day", [dt.date(1989, 12, 31), dt.date(2101, 1, 1), dt.date.min])
def test_the_range_refuses_the_day_before_and_after_naming_the_field(day):
    with pytest.raises(ValidationError) as refused:
        check_date_in_range(day, "sent_on")
    assert refused.value.message_dict == {"sent_on": [f"{day.isoformat()} {OUT_OF_RANGE}"]}


def test_an_extension_until_9999_is_refused_naming_until(client_for, owner, kent):
    before = written()
    response = client_for(owner).post(
        f"/api/v1/requests/{kent.pk}/events/",
        {"kind": "extension", "on": "2026-02-20", "until": "9999-12-31"},
    )
    refusal(response, "until", f"9999-12-31 {OUT_OF_RANGE}")
    assert written() == before


def test_an_extension_more_than_a_year_away_is_refused(client_for, owner, kent):
    """A year after today (1 May 2026) is 1 May 2027: that day is taken, the next is not."""
    events = f"/api/v1/requests/{kent.pk}/events/"
    response = client_for(owner).post(
        events, {"kind": "extension", "on": "2026-02-20", "until": "2027-05-02"}
    )
    refusal(
        response, "until", "2027-05-02 is more than a year away (after 2027-05-01); check the date."
    )
    accepted = client_for(owner).post(
        events, {"kind": "extension", "on": "2026-02-20", "until": "2027-05-01"}
    )
    assert accepted.status_code == 201


def test_a_request_sent_in_year_one_is_refused_naming_sent_on(client_for, owner, campaign):
    before = written()
    response = client_for(owner).post(
        "/api/v1/requests/", {"campaign": campaign.pk, "force": "kent", "sent_on": "0001-01-01"}
    )
    refusal(response, "sent_on", f"0001-01-01 {OUT_OF_RANGE}")
    assert written() == before


def test_a_campaign_sent_in_year_one_is_refused_naming_sent_on(client_for, owner, campaign):
    before = written()
    response = client_for(owner).post(
        f"/api/v1/campaigns/{campaign.pk}/send/", {"forces": ["kent"], "sent_on": "0001-01-01"}
    )
    refusal(response, "sent_on", f"0001-01-01 {OUT_OF_RANGE}")
    assert written() == before


def test_a_campaign_period_before_1990_is_refused_naming_period_start(client_for, owner):
    body = {"title": "T", "question": "Q", "period_start": "1989-12-31", "period_end": "2020-01-01"}
    response = client_for(owner).post("/api/v1/campaigns/", body)
    refusal(response, "period_start", f"1989-12-31 {OUT_OF_RANGE}")
    body["period_start"] = "1990-01-01"
    assert client_for(owner).post("/api/v1/campaigns/", body).status_code == 201


def test_a_response_received_in_9999_is_refused_naming_received_on(client_for, data_entry, kent):
    before = written()
    response = client_for(data_entry).post(
        "/api/v1/responses/",
        {"request": kent.pk, "received_on": "9999-12-31", "outcome": "granted"},
    )
    refusal(response, "received_on", f"9999-12-31 {OUT_OF_RANGE}")
    assert written() == before


@pytest.fixture
def answered(kent, data_entry) -> FoiResponse:
    return response_record(
        request=kent, received_on=dt.date(2026, 2, 20), outcome="granted", user=data_entry
    )


def test_a_figure_for_a_period_ending_in_2101_is_refused_naming_period_end(
    client_for, data_entry, answered
):
    before = written()
    response = client_for(data_entry).post(
        "/api/v1/figures/",
        {
            "response": answered.pk,
            "period_start": "2019-10-01",
            "period_end": "2101-01-01",
            "offence": "child-sexual-offences",
            "platform": "snapchat",
            "raw": "12",
        },
    )
    refusal(response, "period_end", f"2101-01-01 {OUT_OF_RANGE}")
    assert written() == before


def test_an_imported_row_dated_1900_is_refused_by_row_and_column(
    client_for, data_entry, answered, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    table = (
        b"period_start,period_end,offence,platform,value,unit,note\n"
        b"1900-01-01,2020-09-30,child-sexual-offences,Snapchat,7,instances,\n"
    )
    before = written()
    response = client_for(data_entry).post(
        f"/api/v1/responses/{answered.pk}/import/",
        {"file": SimpleUploadedFile("kent.csv", table), "dry_run": "true"},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"row": 2, "column": "A", "message": f"1900-01-01 {OUT_OF_RANGE}"}
    ]
    assert written() == before


def test_the_admin_refuses_an_extra_holiday_in_2101_beside_its_field(staff):
    client = Client()
    client.force_login(staff)
    response = client.post(
        "/admin/requests_app/extraholiday/add/",
        {"regime": "foia-2000", "date": "2101-01-02", "name": "Far future"},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"date": [f"2101-01-02 {OUT_OF_RANGE}"]}
    assert not ExtraHoliday.objects.exists()


def test_the_request_page_refuses_an_estimate_in_9999_beside_its_field(owner, kent):
    client = Client()
    client.force_login(owner)
    before = written()
    response = client.post(
        f"/requests/{kent.pk}/",
        {
            "kind": "extension",
            "extension-on": "2026-02-20",
            "extension-until": "9999-12-31",
            "extension-note": "",
        },
    )
    assert response.status_code == 400
    assert response.context["submitted"].errors == {"until": [f"9999-12-31 {OUT_OF_RANGE}"]}
    assert written() == before


def test_the_reminder_command_refuses_a_date_out_of_range(db):
    with pytest.raises(CommandError, match="--date: 0001-01-01 is outside"):
        call_command("send_reminders", "--date", "0001-01-01", stdout=io.StringIO())
