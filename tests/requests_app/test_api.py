"""The API contract: forces, campaigns, requests and their events, errors, schema and docs.

Dates were counted by hand on a printed calendar. FOIA 2026 holidays that matter: Tue 17 Mar
(Northern Ireland), Fri 3 and Mon 6 Apr, Mon 4 May; the islands do not stop on 17 Mar.
A request to Kent sent Mon 2 Feb 2026 is due on working day (WD) 20, Mon 2 Mar: 3-6 Feb are WD 1-4,
9-13 Feb WD 5-9, 16-20 Feb WD 10-14, 23-27 Feb WD 15-19.
"""

import datetime as dt
import re

import pytest
import time_machine

from requests_app.models import Campaign, FoiRequest, Force, RequestEvent
from requests_app.services import campaign_send, request_create, request_record_event
from tests.factories import CampaignFactory


@pytest.fixture(autouse=True)
def cheap_password_hashing(settings):
    # The cast is created afresh for every case and nobody types these passwords: the slow
    # production hasher would make this module take minutes.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


FORCES = "/api/v1/forces/"
CAMPAIGNS = "/api/v1/campaigns/"
REQUESTS = "/api/v1/requests/"

# What the issue asks every request to show, and the extra clocks the tracker shows beside them.
ISSUE_FIELDS = {
    "id",
    "campaign",
    "force",
    "reference",
    "sent_on",
    "received_on",
    "status",
    "due_on",
    "extended_due_on",
    "review_due_on",
    "overdue",
    "working_days_left",
}
REQUEST_FIELDS = ISSUE_FIELDS | {
    "extension_limit_on",
    "statutory_limit_on",
    "review_request_by",
    "review_limit_on",
    "complaint_by",
    "current_due_on",
    "created_at",
}


def day(iso: str) -> dt.date:
    return dt.date.fromisoformat(iso)


def freeze(iso: str):
    return time_machine.travel(dt.datetime.fromisoformat(iso).replace(hour=12), tick=False)


@pytest.fixture
def frozen():
    """Today is Fri 1 May 2026, after every date the scenarios below use."""
    with freeze("2026-05-01"):
        yield


@pytest.fixture
def as_owner(client_for, owner):
    return client_for(owner)


def send(campaign: Campaign, slugs: list[str], sent_on: str, user) -> list[FoiRequest]:
    forces = list(Force.objects.filter(slug__in=slugs))
    return campaign_send(campaign=campaign, forces=forces, sent_on=day(sent_on), user=user)


def kent_request(campaign: Campaign, user, sent_on: str = "2026-02-02") -> FoiRequest:
    force = Force.objects.get(slug="kent")
    return request_create(campaign=campaign, force=force, user=user, sent_on=day(sent_on))


def field_errors(response) -> list[str | None]:
    return [error["field"] for error in response.json()["errors"]]


def written() -> tuple[int, int, int]:
    return Campaign.objects.count(), FoiRequest.objects.count(), RequestEvent.objects.count()


# --------------------------------------------------------------------------------------------
# Forces
# --------------------------------------------------------------------------------------------


def test_it_lists_the_46_forces(as_owner):
    body = as_owner.get(FORCES).json()
    assert body["count"] == 46
    assert len(body["results"]) == 46


def test_it_filters_forces_by_country(as_owner):
    body = as_owner.get(FORCES, {"country": "Wales"}).json()
    assert {force["slug"] for force in body["results"]} == {
        "dyfed-powys",
        "gwent",
        "north-wales",
        "south-wales",
    }


def test_it_filters_forces_by_regime(as_owner):
    body = as_owner.get(FORCES, {"regime": "foi-jersey-2011"}).json()
    assert [force["slug"] for force in body["results"]] == ["jersey"]


def test_it_refuses_an_unknown_regime_filter_naming_it(as_owner):
    response = as_owner.get(FORCES, {"regime": "foia-1066"})
    assert response.status_code == 400
    assert field_errors(response) == ["regime"]


def test_it_shows_one_force_by_its_slug(as_owner):
    response = as_owner.get(f"{FORCES}kent/")
    assert response.status_code == 200
    assert response.json() == {
        "slug": "kent",
        "name": "Kent Police",
        "country": "England",
        "regime": "foia-2000",
        "ons_code": "E23000032",
        "foi_email": "freedomofinformation@kent.police.uk",
        "territorial": True,
        "suppression_threshold": 5,
    }


def test_an_unknown_force_slug_is_not_found(as_owner):
    assert as_owner.get(f"{FORCES}atlantis/").status_code == 404


@pytest.mark.parametrize(("query", "rows"), [({"country": "Wales"}, 4), ({}, 46)])
def test_the_force_list_takes_the_same_queries_for_4_forces_as_for_46(
    as_owner, query, rows, django_assert_num_queries
):
    with django_assert_num_queries(2):  # count, page
        body = as_owner.get(FORCES, query).json()
    assert body["count"] == rows


# --------------------------------------------------------------------------------------------
# Campaigns
# --------------------------------------------------------------------------------------------

NEW_CAMPAIGN = {
    "title": "Online child sexual offences by platform",
    "question": "How many offences were recorded, by platform?",
    "period_start": "2024-04-01",
    "period_end": "2025-03-31",
}


def test_it_creates_a_campaign_owned_by_the_researcher(as_owner, owner, colleague):
    response = as_owner.post(CAMPAIGNS, {**NEW_CAMPAIGN, "collaborators": ["colleague"]})
    assert response.status_code == 201
    body = response.json()
    campaign = Campaign.objects.get(pk=body["id"])
    assert campaign.owner == owner
    assert list(campaign.collaborators.all()) == [colleague]
    assert body["owner"] == "owner"
    assert body["period_end"] == "2025-03-31"
    assert body["warnings"] == []
    assert body["published"] is False
    listed = as_owner.get(CAMPAIGNS).json()["results"]
    assert [c["id"] for c in listed] == [campaign.pk]


def test_a_period_ending_before_it_starts_is_refused_naming_period_end(as_owner, owner):
    response = as_owner.post(CAMPAIGNS, {**NEW_CAMPAIGN, "period_end": "2024-03-31"})
    assert response.status_code == 400
    assert response.json() == {
        "detail": "The period ends (2024-03-31) before it starts (2024-04-01).",
        "errors": [
            {
                "field": "period_end",
                "message": "The period ends (2024-03-31) before it starts (2024-04-01).",
            }
        ],
    }
    assert Campaign.objects.count() == 0


def test_an_unknown_collaborator_is_refused_naming_the_list_item(as_owner):
    response = as_owner.post(CAMPAIGNS, {**NEW_CAMPAIGN, "collaborators": ["nobody"]})
    assert response.status_code == 400
    assert field_errors(response) == ["collaborators"]
    assert Campaign.objects.count() == 0


def test_a_period_moved_before_its_start_by_patch_is_refused(as_owner, campaign):
    # The factory's period runs from 1 Oct 2019 to 30 Sep 2020.
    response = as_owner.patch(f"{CAMPAIGNS}{campaign.pk}/", {"period_end": "2019-09-30"})
    assert response.status_code == 400
    assert field_errors(response) == ["period_end"]
    campaign.refresh_from_db()
    assert campaign.period_end == day("2020-09-30")


@pytest.mark.parametrize("campaigns", [3, 30])
def test_the_campaign_list_takes_the_same_queries_for_3_campaigns_as_for_30(
    frozen, owner, colleague, client_for, campaigns, django_assert_num_queries
):
    for _ in range(campaigns):
        CampaignFactory(owner=owner).collaborators.add(colleague)
    send(Campaign.objects.first(), ["guernsey"], "2026-03-02", owner)
    client = client_for(owner)
    # roles, count, page (with the Guernsey warning as a subquery), collaborators.
    with django_assert_num_queries(4):
        body = client.get(CAMPAIGNS).json()
    assert body["count"] == campaigns
    assert sum(bool(c["warnings"]) for c in body["results"]) == 1


# --------------------------------------------------------------------------------------------
# Sending a campaign
# --------------------------------------------------------------------------------------------


def test_sending_creates_one_sent_request_per_force_with_exact_due_dates(
    frozen, as_owner, campaign
):
    response = as_owner.post(
        f"{CAMPAIGNS}{campaign.pk}/send/",
        {"forces": ["kent", "jersey", "guernsey"], "sent_on": "2026-03-02"},
    )
    assert response.status_code == 201
    body = response.json()
    by_force = {r["force"]: r for r in body["requests"]}
    assert set(by_force) == {"kent", "jersey", "guernsey"}
    # Sent Mon 2 Mar 2026: FOIA skips 17 Mar, so WD 20 is Tue 31 Mar; the islands' is Mon 30 Mar.
    # Jersey's WD 65 (3 and 6 Apr, 4 and 25 May skipped) is Fri 5 Jun.
    expected = {
        "kent": ("2026-03-31", None),
        "jersey": ("2026-03-30", "2026-06-05"),
        "guernsey": ("2026-03-30", None),
    }
    for slug, (due_on, statutory_limit_on) in expected.items():
        request = by_force[slug]
        assert set(request) == REQUEST_FIELDS
        assert request["campaign"] == campaign.pk
        assert request["status"] == "sent"
        assert request["sent_on"] == request["received_on"] == "2026-03-02"
        assert request["due_on"] == request["current_due_on"] == due_on
        assert request["statutory_limit_on"] == statutory_limit_on
    assert body["warnings"] == [
        "This campaign includes Guernsey Police, whose FOI Code is open to Bailiwick residents "
        "only: confirm the requester's eligibility."
    ]
    assert RequestEvent.objects.filter(kind="sent", request__campaign=campaign).count() == 3


def test_sending_without_guernsey_gives_no_warning(frozen, as_owner, campaign):
    response = as_owner.post(
        f"{CAMPAIGNS}{campaign.pk}/send/", {"forces": ["kent"], "sent_on": "2026-03-02"}
    )
    assert response.status_code == 201
    assert response.json()["warnings"] == []


def test_sending_to_an_unknown_force_names_the_list_item_and_writes_nothing(
    frozen, as_owner, campaign
):
    before = written()
    response = as_owner.post(
        f"{CAMPAIGNS}{campaign.pk}/send/",
        {"forces": ["kent", "atlantis", "essex"], "sent_on": "2026-03-02"},
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "field": "forces[1]",
            "message": "No force has the slug 'atlantis'; see /api/v1/forces/ for the list.",
        }
    ]
    assert written() == before


def test_sending_to_a_force_twice_in_one_list_is_refused(frozen, as_owner, campaign):
    before = written()
    response = as_owner.post(
        f"{CAMPAIGNS}{campaign.pk}/send/",
        {"forces": ["kent", "essex", "kent"], "sent_on": "2026-03-02"},
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "forces", "message": "Each force once only: kent."}
    ]
    assert written() == before


def test_sending_again_to_a_force_already_sent_to_is_a_conflict_naming_it(
    frozen, as_owner, owner, campaign
):
    send(campaign, ["kent"], "2026-03-02", owner)
    before = written()
    response = as_owner.post(
        f"{CAMPAIGNS}{campaign.pk}/send/", {"forces": ["essex", "kent"], "sent_on": "2026-03-03"}
    )
    assert response.status_code == 409
    assert response.json()["errors"] == [
        {"field": "forces", "message": "This campaign was already sent to: kent."}
    ]
    assert written() == before


@pytest.mark.parametrize(
    ("payload", "fields"),
    [
        ({"forces": ["kent"], "sent_on": "2 March 2026"}, ["sent_on"]),
        ({"forces": ["kent"], "sent_on": "2026-02-30"}, ["sent_on"]),
        ({"forces": ["kent"], "sent_on": "2026-05-02"}, ["sent_on"]),  # tomorrow
        ({"forces": [], "sent_on": "2026-03-02"}, ["forces"]),
        ({"forces": "kent", "sent_on": "2026-03-02"}, ["forces"]),
        ({"sent_on": "2026-03-02"}, ["forces"]),
    ],
)
def test_a_bad_send_names_the_field_and_writes_nothing(frozen, as_owner, campaign, payload, fields):
    before = written()
    response = as_owner.post(f"{CAMPAIGNS}{campaign.pk}/send/", payload)
    assert response.status_code == 400
    assert field_errors(response) == fields
    assert written() == before


# --------------------------------------------------------------------------------------------
# Requests: reading and filtering
# --------------------------------------------------------------------------------------------


def test_a_request_shows_every_field_the_issue_asks_for(frozen, as_owner, owner, campaign):
    request = kent_request(campaign, owner)
    body = as_owner.get(f"{REQUESTS}{request.pk}/").json()
    assert set(body) == REQUEST_FIELDS
    assert set(body) >= ISSUE_FIELDS
    assert body["force"] == "kent"
    assert body["campaign"] == campaign.pk


@pytest.fixture
def two_campaigns(frozen, owner, campaign):
    """Campaign A to kent, essex (answered) and jersey; campaign B to kent; all sent 2 Feb."""
    other = CampaignFactory(owner=owner)
    send(campaign, ["kent", "essex", "jersey"], "2026-02-02", owner)
    send(other, ["kent"], "2026-02-02", owner)
    essex = campaign.requests.get(force__slug="essex")
    request_record_event(request=essex, kind="response", on=day("2026-02-20"), user=owner)
    return campaign, other


def listed(client, **filters) -> list[tuple[int, str]]:
    response = client.get(REQUESTS, filters)
    assert response.status_code == 200
    return sorted((r["campaign"], r["force"]) for r in response.json()["results"])


def test_it_filters_requests_by_campaign(as_owner, two_campaigns):
    a, b = two_campaigns
    assert listed(as_owner, campaign=a.pk) == [(a.pk, "essex"), (a.pk, "jersey"), (a.pk, "kent")]
    assert listed(as_owner, campaign=b.pk) == [(b.pk, "kent")]


def test_it_filters_requests_by_force_slug(as_owner, two_campaigns):
    a, b = two_campaigns
    assert listed(as_owner, force="kent") == [(a.pk, "kent"), (b.pk, "kent")]


def test_it_filters_requests_by_status(as_owner, two_campaigns):
    a, _ = two_campaigns
    assert listed(as_owner, status="responded") == [(a.pk, "essex")]


def test_it_filters_requests_by_overdue(as_owner, two_campaigns):
    a, b = two_campaigns
    # On Wed 4 Mar the 2 Mar deadlines have passed; Essex has answered.
    with freeze("2026-03-04"):
        assert listed(as_owner, overdue="true") == [
            (a.pk, "jersey"),
            (a.pk, "kent"),
            (b.pk, "kent"),
        ]
        assert listed(as_owner, overdue="false") == [(a.pk, "essex")]
    # On the due date itself nothing is overdue yet.
    with freeze("2026-03-02"):
        assert listed(as_owner, overdue="true") == []


@pytest.mark.parametrize(
    ("query", "field"),
    [({"force": "atlantis"}, "force"), ({"status": "lost"}, "status"), ({"campaign": "x"}, None)],
)
def test_a_bad_filter_is_refused_naming_it(as_owner, campaign, query, field):
    response = as_owner.get(REQUESTS, query)
    assert response.status_code == 400
    assert field_errors(response) == [field or next(iter(query))]


@pytest.mark.parametrize(
    ("today", "overdue", "working_days_left"),
    [
        ("2026-02-23", False, 5),  # 24-27 Feb and 2 Mar
        ("2026-03-02", False, 0),  # due today
        ("2026-03-04", True, -2),  # 3 and 4 Mar have passed
    ],
)
def test_it_counts_the_working_days_left_for_a_frozen_today(
    as_owner, owner, campaign, today, overdue, working_days_left
):
    with freeze("2026-02-02"):
        request = kent_request(campaign, owner)
    with freeze(today):
        body = as_owner.get(f"{REQUESTS}{request.pk}/").json()
    assert (body["overdue"], body["working_days_left"]) == (overdue, working_days_left)


def test_an_extension_runs_the_clock_to_its_estimate(as_owner, owner, campaign):
    with freeze("2026-02-27"):
        request = kent_request(campaign, owner)
        request_record_event(
            request=request,
            kind="extension",
            on=day("2026-02-27"),
            until=day("2026-03-16"),
            user=owner,
        )
    # On Wed 4 Mar the original 2 Mar date has passed but the extended one has not: 5-6 Mar,
    # 9-13 Mar and 16 Mar are 8 working days.
    with freeze("2026-03-04"):
        body = as_owner.get(f"{REQUESTS}{request.pk}/").json()
    assert (body["overdue"], body["working_days_left"]) == (False, 8)


def test_a_draft_or_answered_request_has_no_running_clock(frozen, as_owner, owner, campaign):
    draft = request_create(campaign=campaign, force=Force.objects.get(slug="essex"), user=owner)
    answered = kent_request(campaign, owner)
    request_record_event(request=answered, kind="response", on=day("2026-02-20"), user=owner)
    for request in (draft, answered):
        body = as_owner.get(f"{REQUESTS}{request.pk}/").json()
        assert (body["overdue"], body["working_days_left"], body["current_due_on"]) == (
            False,
            None,
            None,
        )


@pytest.mark.parametrize("forces", [3, 30])
def test_the_request_list_takes_the_same_queries_for_3_requests_as_for_30(
    frozen, owner, campaign, client_for, forces, django_assert_num_queries
):
    campaign_send(
        campaign=campaign,
        forces=list(Force.objects.order_by("slug")[:forces]),
        sent_on=day("2026-02-02"),
        user=owner,
    )
    client = client_for(owner)
    # roles, page, extra holidays (cursor pages need no count).
    with django_assert_num_queries(3):
        body = client.get(REQUESTS).json()
    assert len(body["results"]) == forces


# --------------------------------------------------------------------------------------------
# Requests: creating and editing
# --------------------------------------------------------------------------------------------


def test_it_creates_a_draft_when_sent_on_is_left_out(frozen, as_owner, campaign):
    response = as_owner.post(REQUESTS, {"campaign": campaign.pk, "force": "kent"})
    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["sent_on"], body["due_on"]) == ("draft", None, None)
    assert not RequestEvent.objects.exists()


def test_it_creates_a_sent_request_with_its_sent_event(frozen, as_owner, owner, campaign):
    response = as_owner.post(
        REQUESTS,
        {"campaign": campaign.pk, "force": "kent", "sent_on": "2026-02-02", "reference": "K/1"},
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["sent_on"], body["received_on"]) == (
        "sent",
        "2026-02-02",
        "2026-02-02",
    )
    assert (body["due_on"], body["reference"]) == ("2026-03-02", "K/1")
    event = RequestEvent.objects.get()
    assert (event.kind, event.on, event.created_by) == ("sent", day("2026-02-02"), owner)


def test_a_later_date_of_receipt_starts_the_clock(frozen, as_owner, campaign):
    # Received Mon 9 Feb: WD 20 is Mon 9 Mar.
    response = as_owner.post(
        REQUESTS,
        {
            "campaign": campaign.pk,
            "force": "kent",
            "sent_on": "2026-02-02",
            "received_on": "2026-02-09",
        },
    )
    assert response.status_code == 201
    assert response.json()["due_on"] == "2026-03-09"


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        (
            {"sent_on": "2026-02-02", "received_on": "2026-02-01"},
            "received_on",
            "The date of receipt (2026-02-01) is before the request was sent (2026-02-02).",
        ),
        (
            {"received_on": "2026-02-02"},
            "received_on",
            "Give sent_on too: a request is received once it is sent.",
        ),
        (
            {"sent_on": "02/02/2026"},
            "sent_on",
            "Date has wrong format. Use one of these formats instead: YYYY-MM-DD.",
        ),
        (
            {"sent_on": "2026-02-02", "received_on": "soon"},
            "received_on",
            "Date has wrong format. Use one of these formats instead: YYYY-MM-DD.",
        ),
        (
            {"sent_on": "2026-05-02"},
            "sent_on",
            "2026-05-02 is in the future; record events once they happen.",
        ),
        (
            {"force": "atlantis"},
            "force",
            "No force has the slug 'atlantis'; see /api/v1/forces/ for the list.",
        ),
        (
            {"campaign": 424242},
            "campaign",
            "No campaign 424242 that you can add requests to.",
        ),
    ],
)
def test_bad_request_input_names_the_field_and_writes_nothing(
    frozen, as_owner, campaign, extra, field, message
):
    before = written()
    response = as_owner.post(REQUESTS, {"campaign": campaign.pk, "force": "kent", **extra})
    assert response.status_code == 400
    assert response.json() == {"detail": message, "errors": [{"field": field, "message": message}]}
    assert written() == before


def test_a_second_request_to_the_same_force_is_a_conflict_naming_the_force(
    frozen, as_owner, owner, campaign
):
    kent_request(campaign, owner)
    before = written()
    response = as_owner.post(REQUESTS, {"campaign": campaign.pk, "force": "kent"})
    assert response.status_code == 409
    assert response.json()["errors"] == [
        {"field": "force", "message": "This campaign already has a request to kent."}
    ]
    assert written() == before


def test_patch_changes_the_reference_only(frozen, as_owner, owner, campaign):
    request = kent_request(campaign, owner)
    response = as_owner.patch(
        f"{REQUESTS}{request.pk}/",
        {
            "reference": "FOI/2026/123",
            "status": "closed",
            "sent_on": "2026-01-05",
            "received_on": "2026-01-05",
            "due_on": "2026-12-31",
            "force": "essex",
        },
    )
    assert response.status_code == 200
    request.refresh_from_db()
    assert request.reference == "FOI/2026/123"
    assert (request.status, request.force.slug) == ("sent", "kent")
    assert (request.sent_on, request.received_on, request.due_on) == (
        day("2026-02-02"),
        day("2026-02-02"),
        day("2026-03-02"),
    )
    assert RequestEvent.objects.count() == 1


# --------------------------------------------------------------------------------------------
# Events
# --------------------------------------------------------------------------------------------


def post_event(client, request: FoiRequest, kind: str, on: str, **extra):
    return client.post(f"{REQUESTS}{request.pk}/events/", {"kind": kind, "on": on, **extra})


def current(client, request: FoiRequest) -> dict:
    return client.get(f"{REQUESTS}{request.pk}/").json()


# Each step: event, then the status and the dates that follow. Kent, sent Mon 2 Feb 2026.
WHOLE_LIFE = [
    ("acknowledged", "2026-02-03", "sent", {"due_on": "2026-03-02"}),
    ("clarification_requested", "2026-02-04", "awaiting_clarification", {"due_on": None}),
    # Received Mon 9 Feb: 10-13 Feb WD 1-4, 16-20 5-9, 23-27 10-14, 2-6 Mar 15-19, 9 Mar 20.
    ("clarification_received", "2026-02-09", "sent", {"due_on": "2026-03-09"}),
    ("fee_notice", "2026-02-16", "fee_notice", {"due_on": None, "current_due_on": None}),
    # 10-13 Feb (4 WD) were used before the notice; 16 remain from Mon 23 Feb: 24-27 Feb 1-4,
    # 2-6 Mar 5-9, 9-13 Mar 10-14, 16 Mar 15, (17 Mar skipped) 18 Mar 16.
    ("fee_paid", "2026-02-23", "sent", {"due_on": "2026-03-18", "current_due_on": "2026-03-18"}),
    # 20 WD after 18 Mar: 19-20 Mar 1-2, 23-27 3-7, 30 Mar-2 Apr 8-11, (3 and 6 Apr skipped)
    # 7-10 Apr 12-15, 13-17 Apr 16-20.
    (
        "extension",
        "2026-02-27",
        "extended",
        {
            "due_on": "2026-03-18",
            "extended_due_on": "2026-04-17",
            "extension_limit_on": "2026-04-17",
            "current_due_on": "2026-04-17",
        },
    ),
    # 40 WD after Fri 6 Mar: 9-13 Mar 1-5, 16 Mar 6, 18-20 7-9, 23-27 10-14, 30 Mar-2 Apr 15-18,
    # 7-10 Apr 19-22, 13-17 23-27, 20-24 28-32, 27 Apr-1 May 33-37, (4 May skipped) 5-7 May 38-40.
    # Six weeks after 6 Mar: 17 Apr.
    (
        "response",
        "2026-03-06",
        "responded",
        {"review_request_by": "2026-05-07", "complaint_by": "2026-04-17", "current_due_on": None},
    ),
    # 20 WD after Mon 9 Mar: 10-13 Mar 1-4, 16 Mar 5, 18-20 6-8, 23-27 9-13, 30 Mar-2 Apr 14-17,
    # 7-9 Apr 18-20. 40 WD: 10 Apr 21, 13-17 22-26, 20-24 27-31, 27 Apr-1 May 32-36, 5-8 May 37-40.
    (
        "internal_review_requested",
        "2026-03-09",
        "review_requested",
        {
            "review_due_on": "2026-04-09",
            "review_limit_on": "2026-05-08",
            "complaint_by": None,
            "current_due_on": "2026-04-09",
        },
    ),
    # Six weeks after Mon 23 Mar: Mon 4 May.
    (
        "internal_review_response",
        "2026-03-23",
        "review_answered",
        {"complaint_by": "2026-05-04", "current_due_on": None},
    ),
    ("complaint", "2026-03-24", "complaint", {"complaint_by": "2026-05-04"}),
    ("closed", "2026-03-25", "closed", {"current_due_on": None}),
]


def test_a_request_moves_through_every_kind_of_event_with_its_dates(
    frozen, as_owner, owner, campaign
):
    request = kent_request(campaign, owner)
    for kind, on, status, dates in WHOLE_LIFE:
        previous = current(as_owner, request)["status"]
        response = post_event(as_owner, request, kind, on)
        assert response.status_code == 201, (kind, response.json())
        event = response.json()
        assert (event["kind"], event["on"], event["from_status"], event["to_status"]) == (
            kind,
            on,
            previous,
            status,
        )
        assert event["created_by"] == "owner"
        body = current(as_owner, request)
        assert body["status"] == status, kind
        assert {field: body[field] for field in dates} == dates, kind

    log = as_owner.get(f"{REQUESTS}{request.pk}/events/").json()
    assert [e["kind"] for e in log] == ["sent"] + [kind for kind, *_ in WHOLE_LIFE]


def test_a_request_can_be_withdrawn_and_then_nothing_runs(frozen, as_owner, owner, campaign):
    request = kent_request(campaign, owner)
    assert post_event(as_owner, request, "withdrawn", "2026-02-03").status_code == 201
    body = current(as_owner, request)
    assert (body["status"], body["current_due_on"], body["overdue"]) == ("withdrawn", None, False)
    response = post_event(as_owner, request, "response", "2026-02-20")
    assert response.status_code == 400
    assert field_errors(response) == ["kind"]


def test_an_extension_with_until_is_due_on_that_date(frozen, as_owner, owner, campaign):
    request = kent_request(campaign, owner)
    response = post_event(as_owner, request, "extension", "2026-02-27", until="2026-03-16")
    assert response.status_code == 201
    assert response.json()["until"] == "2026-03-16"
    body = current(as_owner, request)
    # The ceiling is still 20 WD after 2 Mar: Tue 31 Mar (17 Mar skipped).
    assert (body["extended_due_on"], body["extension_limit_on"], body["current_due_on"]) == (
        "2026-03-16",
        "2026-03-31",
        "2026-03-16",
    )


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        (
            {"kind": "fee_paid", "on": "2026-02-20"},
            "kind",
            "'Fee paid' cannot be recorded while the request is 'sent, awaiting response'; "
            "only when it is: 'fee notice (clock paused)'.",
        ),
        (
            {"kind": "acknowledged", "on": "2026-01-30"},
            "on",
            "The event is dated 2026-01-30, before the request was sent on 2026-02-02.",
        ),
        (
            {"kind": "acknowledged", "on": "2026-05-02"},
            "on",
            "2026-05-02 is in the future; record events once they happen.",
        ),
        (
            {"kind": "response", "on": "2026-02-20", "until": "2026-03-16"},
            "until",
            "Only an extension takes an 'until' date.",
        ),
        (
            {"kind": "response", "on": "last Tuesday"},
            "on",
            "Date has wrong format. Use one of these formats instead: YYYY-MM-DD.",
        ),
        (
            {"kind": "extension", "on": "2026-02-27", "until": "2026-13-01"},
            "until",
            "Date has wrong format. Use one of these formats instead: YYYY-MM-DD.",
        ),
        (
            {"kind": "acknowledged", "on": "2026-02-20", "review_outcome": "upheld"},
            "review_outcome",
            "Only the answer to an internal review takes an outcome.",
        ),
        (
            {"kind": "acknowledged", "on": "2026-02-20", "review_outcome": "sort_of"},
            "review_outcome",
            '"sort_of" is not a valid choice.',
        ),
        ({"kind": "lost_in_the_post", "on": "2026-02-20"}, "kind", None),
        ({"on": "2026-02-20"}, "kind", "This field is required."),
        ({"kind": "response"}, "on", "This field is required."),
    ],
)
def test_a_bad_event_is_refused_naming_the_field_and_writes_nothing(
    frozen, as_owner, owner, campaign, payload, field, message
):
    request = kent_request(campaign, owner)
    before = (written(), current(as_owner, request))
    response = as_owner.post(f"{REQUESTS}{request.pk}/events/", payload)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert [e["field"] for e in errors] == [field]
    if message is not None:
        assert errors[0]["message"] == message
    assert (written(), current(as_owner, request)) == before


def test_an_internal_review_answer_records_its_outcome(frozen, as_owner, owner, campaign):
    request = kent_request(campaign, owner)
    for kind, on in [("response", "2026-02-20"), ("internal_review_requested", "2026-02-23")]:
        assert post_event(as_owner, request, kind, on).status_code == 201
    response = post_event(
        as_owner, request, "internal_review_response", "2026-03-16", review_outcome="partly_upheld"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["review_outcome"] == "partly_upheld"
    log = as_owner.get(f"{REQUESTS}{request.pk}/events/").json()
    assert [(e["kind"], e["review_outcome"]) for e in log] == [
        ("sent", ""),
        ("response", ""),
        ("internal_review_requested", ""),
        ("internal_review_response", "partly_upheld"),
    ]


def test_an_event_before_the_previous_one_is_refused(frozen, as_owner, owner, campaign):
    request = kent_request(campaign, owner)
    post_event(as_owner, request, "clarification_requested", "2026-02-09")
    before = written()
    response = post_event(as_owner, request, "clarification_received", "2026-02-05")
    assert response.status_code == 400
    assert field_errors(response) == ["on"]
    assert written() == before
    assert current(as_owner, request)["status"] == "awaiting_clarification"


@pytest.mark.parametrize("events", [3, 30])
def test_the_event_list_takes_the_same_queries_for_3_events_as_for_30(
    frozen, owner, campaign, client_for, events, django_assert_num_queries
):
    request = kent_request(campaign, owner)
    for number in range(events - 1):
        request_record_event(
            request=request, kind="acknowledged", on=day("2026-02-03"), note=f"{number}", user=owner
        )
    client = client_for(owner)
    # roles, the request, its events with who recorded them.
    with django_assert_num_queries(3):
        log = client.get(f"{REQUESTS}{request.pk}/events/").json()
    assert len(log) == events


# --------------------------------------------------------------------------------------------
# Schema and docs
# --------------------------------------------------------------------------------------------


def test_the_openapi_schema_is_served(as_owner):
    response = as_owner.get("/api/v1/schema/")
    assert response.status_code == 200
    assert b"/api/v1/requests/{id}/events/" in response.content


def test_the_docs_page_loads_nothing_from_another_host(as_owner):
    response = as_owner.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "http://" not in html and "https://" not in html and "//" not in html.replace("://", "")
    sources = re.findall(r'(?:src|href)="([^"]*)"', html)
    assert sources and all(source.startswith("/") for source in sources)
    script = as_owner.get("/api/v1/docs/", {"script": ""}).content.decode()
    assert "/api/v1/schema/" in script
    assert not re.search(r"https?://", script)
