"""Nothing with an event log is deleted (issue 15, item 6): deleting a campaign or a request in
the admin cascaded away its append-only log. A request with events is protected (the event's
foreign key is PROTECT, and the database's own constraint refuses a raw delete); a campaign is
archived instead, which ends each open request through its log.

Today is Fri 1 May 2026. The campaign went to Kent, Surrey and Essex on Mon 2 Feb 2026; Surrey
answered on Fri 20 Feb; Essex acknowledged on Wed 4 Feb; Kent never answered."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError
from django.test import Client

from requests_app.models import Campaign, FoiRequest, Force, RequestEvent
from requests_app.services import campaign_send, request_create, request_record_event
from requests_app.status import EventKind, Status
from responses_app.services import response_record

REASON = "The charity closed the study."


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(dt.datetime(2026, 5, 1, 12, 0), tick=False):
        yield


@pytest.fixture
def sent(campaign, owner, data_entry) -> dict[str, FoiRequest]:
    forces = Force.objects.filter(slug__in=["kent", "surrey", "essex"])
    requests = {
        r.force.slug: r
        for r in campaign_send(
            campaign=campaign, forces=list(forces), sent_on=dt.date(2026, 2, 2), user=owner
        )
    }
    response_record(
        request=requests["surrey"],
        received_on=dt.date(2026, 2, 20),
        outcome="granted",
        user=data_entry,
    )
    request_record_event(
        request=requests["essex"], kind=EventKind.ACKNOWLEDGED, on=dt.date(2026, 2, 4), user=owner
    )
    return requests


def archive(client_for, user, campaign, reason=REASON):
    return client_for(user).post(f"/api/v1/campaigns/{campaign.pk}/archive/", {"reason": reason})


def test_archiving_ends_each_open_request_through_its_log(client_for, owner, campaign, sent):
    answer = archive(client_for, owner, campaign)

    assert answer.status_code == 200
    assert answer.json()["archive_reason"] == REASON
    ended = {
        r.force.slug: (r.status, r.current_due_on)
        for r in FoiRequest.objects.filter(campaign=campaign)
    }
    assert ended == {
        "kent": (Status.WITHDRAWN, None),
        "essex": (Status.WITHDRAWN, None),
        "surrey": (Status.CLOSED, None),
    }
    last = RequestEvent.objects.filter(request__campaign=campaign).order_by("-id")[:3]
    assert {(e.kind, e.on, e.note) for e in last} == {
        (EventKind.WITHDRAWN, dt.date(2026, 5, 1), f"Campaign archived: {REASON}"),
        (EventKind.CLOSED, dt.date(2026, 5, 1), f"Campaign archived: {REASON}"),
    }
    assert Campaign.objects.filter(pk=campaign.pk).exists()


def test_an_archived_campaign_is_sent_to_no_more_forces(client_for, owner, campaign, sent):
    archive(client_for, owner, campaign)
    more = client_for(owner).post(
        f"/api/v1/campaigns/{campaign.pk}/send/",
        {"forces": ["devon-and-cornwall"], "sent_on": "2026-04-01"},
    )
    assert more.status_code == 400
    assert more.json()["errors"] == [
        {"field": "campaign", "message": "This campaign was archived on 2026-05-01."}
    ]


def test_archiving_twice_is_a_conflict(client_for, owner, campaign, sent):
    archive(client_for, owner, campaign)
    again = archive(client_for, owner, campaign)
    assert again.status_code == 409
    assert again.json()["errors"] == [
        {"field": "campaign", "message": "This campaign was archived already, on 2026-05-01."}
    ]


def test_only_the_team_archives(client_for, outsider, consumer, campaign, sent):
    assert archive(client_for, outsider, campaign).status_code == 404
    assert archive(client_for, consumer, campaign).status_code == 403
    assert Campaign.objects.get(pk=campaign.pk).archived_at is None


@pytest.fixture
def admin_client(staff) -> Client:
    client = Client()
    client.force_login(staff)
    return client


def test_the_admin_refuses_to_delete_a_campaign_with_events(admin_client, campaign, sent):
    before = RequestEvent.objects.count()
    page = admin_client.get(f"/admin/requests_app/campaign/{campaign.pk}/delete/")
    assert page.status_code == 200
    assert "<title>Cannot delete campaign" in page.content.decode()
    confirmed = admin_client.post(
        f"/admin/requests_app/campaign/{campaign.pk}/delete/", {"post": "yes"}
    )
    assert confirmed.status_code == 200  # the refusal again, not a redirect to the list
    assert Campaign.objects.filter(pk=campaign.pk).exists()
    assert RequestEvent.objects.count() == before


def test_the_admin_refuses_to_delete_a_request_with_events(admin_client, sent):
    kent = sent["kent"]
    admin_client.post(f"/admin/requests_app/foirequest/{kent.pk}/delete/", {"post": "yes"})
    assert FoiRequest.objects.filter(pk=kent.pk).exists()


def test_the_admin_archives_from_the_list(admin_client, staff, campaign, sent):
    answer = admin_client.post(
        "/admin/requests_app/campaign/",
        {"action": "archive", "_selected_action": [str(campaign.pk)]},
    )
    assert answer.status_code == 302
    campaign.refresh_from_db()
    assert campaign.archive_reason == f"Archived in the admin by {staff}."


def test_a_draft_campaign_without_events_can_still_be_deleted(campaign, owner):
    """Only the log is protected: a campaign of drafts (no events) goes with its drafts."""
    request_create(campaign=campaign, force=Force.objects.get(slug="kent"), user=owner)
    campaign.delete()
    assert not FoiRequest.objects.exists()


def test_deleting_a_request_with_events_is_refused_by_django(sent):
    with pytest.raises(ProtectedError):
        sent["kent"].delete()


def test_the_database_itself_refuses_to_delete_a_request_with_events(postgres, sent):
    """Below Django, the events' foreign key constraint refuses a raw DELETE."""
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("DELETE FROM requests_app_foirequest WHERE id = %s", [sent["kent"].pk])
    assert FoiRequest.objects.filter(pk=sent["kent"].pk).exists()
