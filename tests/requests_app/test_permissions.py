"""Who may do what: every endpoint and method for every member of the cast.

The owner's campaign is unpublished and shared with the colleague; a second campaign of the owner
is published. No credentials answers 401 (the token scheme is the first, so DRF can name it in
WWW-Authenticate); a role that may not write answers 403; a campaign (or its requests) that the
user may not see or change answers 404, so its existence does not leak.
"""

import datetime as dt

import pytest
import time_machine
from rest_framework.test import APIClient

from accounts.services import token_create
from requests_app.models import Campaign, FoiRequest, Force, RequestEvent
from requests_app.services import campaign_send
from tests.factories import CampaignFactory


@pytest.fixture(autouse=True)
def cheap_password_hashing(settings):
    # The cast is created afresh for every case and nobody types these passwords: the slow
    # production hasher would make this module take minutes.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


CAST = ["anonymous", "consumer", "owner", "colleague", "outsider", "data_entry", "staff"]

NEW_CAMPAIGN = {
    "title": "Stop and search by ethnicity",
    "question": "How many stop and searches were recorded, by ethnicity?",
    "period_start": "2024-04-01",
    "period_end": "2025-03-31",
}
EVENT = {"kind": "acknowledged", "on": "2026-02-03"}

# (what, method, url, payload, status for each member of CAST in order)
TABLE = [
    ("force list", "get", "/api/v1/forces/", None, (401, 200, 200, 200, 200, 200, 200)),
    ("force", "get", "/api/v1/forces/kent/", None, (401, 200, 200, 200, 200, 200, 200)),
    ("force create", "post", "/api/v1/forces/", {}, (401, 405, 405, 405, 405, 405, 405)),
    ("campaign list", "get", "/api/v1/campaigns/", None, (401, 403, 200, 200, 200, 200, 200)),
    (
        "campaign create",
        "post",
        "/api/v1/campaigns/",
        NEW_CAMPAIGN,
        (401, 403, 201, 201, 201, 403, 201),
    ),
    (
        "private campaign",
        "get",
        "/api/v1/campaigns/{private}/",
        None,
        (401, 403, 200, 200, 404, 200, 200),
    ),
    (
        "private campaign edit",
        "patch",
        "/api/v1/campaigns/{private}/",
        {"title": "Renamed"},
        (401, 403, 200, 200, 404, 403, 200),
    ),
    (
        "private campaign delete",
        "delete",
        "/api/v1/campaigns/{private}/",
        None,
        (401, 403, 405, 405, 405, 403, 405),
    ),
    (
        "private campaign send",
        "post",
        "/api/v1/campaigns/{private}/send/",
        {"forces": ["essex"], "sent_on": "2026-03-02"},
        (401, 403, 201, 201, 404, 403, 201),
    ),
    (
        "published campaign",
        "get",
        "/api/v1/campaigns/{published}/",
        None,
        (401, 403, 200, 200, 200, 200, 200),
    ),
    (
        "published campaign edit",
        "patch",
        "/api/v1/campaigns/{published}/",
        {"title": "Renamed"},
        (401, 403, 200, 200, 404, 403, 200),
    ),
    (
        "published campaign send",
        "post",
        "/api/v1/campaigns/{published}/send/",
        {"forces": ["kent"], "sent_on": "2026-03-02"},
        (401, 403, 201, 201, 404, 403, 201),
    ),
    ("request list", "get", "/api/v1/requests/", None, (401, 403, 200, 200, 200, 200, 200)),
    (
        # The campaign is a field of the body here, so an outsider's is refused as bad input
        # ("no campaign N that you can add requests to"), which leaks no more than a 404.
        "request create",
        "post",
        "/api/v1/requests/",
        {"campaign": "{private}", "force": "essex"},
        (401, 403, 201, 201, 400, 403, 201),
    ),
    (
        "private request",
        "get",
        "/api/v1/requests/{private_request}/",
        None,
        (401, 403, 200, 200, 404, 200, 200),
    ),
    (
        "private request edit",
        "patch",
        "/api/v1/requests/{private_request}/",
        {"reference": "K/1"},
        (401, 403, 200, 200, 404, 403, 200),
    ),
    (
        "private request delete",
        "delete",
        "/api/v1/requests/{private_request}/",
        None,
        (401, 403, 405, 405, 405, 403, 405),
    ),
    (
        "private request log",
        "get",
        "/api/v1/requests/{private_request}/events/",
        None,
        (401, 403, 200, 200, 404, 200, 200),
    ),
    (
        "private request event",
        "post",
        "/api/v1/requests/{private_request}/events/",
        EVENT,
        (401, 403, 201, 201, 404, 201, 201),
    ),
    (
        "published request",
        "get",
        "/api/v1/requests/{published_request}/",
        None,
        (401, 403, 200, 200, 200, 200, 200),
    ),
    (
        "published request edit",
        "patch",
        "/api/v1/requests/{published_request}/",
        {"reference": "E/1"},
        (401, 403, 200, 200, 404, 403, 200),
    ),
    (
        "published request log",
        "get",
        "/api/v1/requests/{published_request}/events/",
        None,
        (401, 403, 200, 200, 200, 200, 200),
    ),
    (
        "published request event",
        "post",
        "/api/v1/requests/{published_request}/events/",
        EVENT,
        (401, 403, 201, 201, 404, 201, 201),
    ),
]

CASES = [
    pytest.param(method, url, payload, who, expected, id=f"{what}-{who}-{expected}")
    for what, method, url, payload, codes in TABLE
    for who, expected in zip(CAST, codes, strict=True)
]


@pytest.fixture
def world(owner, colleague, campaign):
    """The owner's private campaign (with the colleague) sent to Kent; a published one to Essex."""
    with time_machine.travel(dt.datetime(2026, 5, 1, 12, 0), tick=False):
        published = CampaignFactory(owner=owner, published=True)
        published.collaborators.add(colleague)
        kent, essex = Force.objects.get(slug="kent"), Force.objects.get(slug="essex")
        [private_request] = campaign_send(
            campaign=campaign, forces=[kent], sent_on=dt.date(2026, 2, 2), user=owner
        )
        [published_request] = campaign_send(
            campaign=published, forces=[essex], sent_on=dt.date(2026, 2, 2), user=owner
        )
    return {
        "private": campaign.pk,
        "published": published.pk,
        "private_request": private_request.pk,
        "published_request": published_request.pk,
    }


def fill(value, ids: dict):
    if isinstance(value, str):
        return value.format(**ids)
    if isinstance(value, dict):
        return {key: fill(item, ids) for key, item in value.items()}
    return value


def written() -> tuple:
    return (
        Campaign.objects.count(),
        FoiRequest.objects.count(),
        RequestEvent.objects.count(),
        sorted(Campaign.objects.values_list("title", flat=True)),
        sorted(FoiRequest.objects.values_list("reference", flat=True)),
    )


@pytest.mark.parametrize(("method", "url", "payload", "who", "expected"), CASES)
def test_each_member_of_the_cast_gets_exactly_this_status(
    request, client_for, world, method, url, payload, who, expected
):
    user = None if who == "anonymous" else request.getfixturevalue(who)
    client = client_for(user)
    before = written()
    payload = fill(payload, world)
    if isinstance(payload, dict) and "campaign" in payload:
        payload["campaign"] = int(payload["campaign"])
    with time_machine.travel(dt.datetime(2026, 5, 1, 12, 0), tick=False):
        response = getattr(client, method)(fill(url, world), payload)
    assert response.status_code == expected, response.content
    if expected >= 400 or method == "get":
        assert written() == before
    if expected >= 400 and response.content:
        assert set(response.json()) == {"detail", "errors"}


def test_no_credentials_answers_401_naming_the_token_scheme(db):
    response = APIClient().get("/api/v1/requests/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {
        "detail": "Authentication credentials were not provided.",
        "errors": [],
    }


def test_a_wrong_token_answers_401(db):
    response = APIClient(HTTP_AUTHORIZATION="Token not-a-real-token").get("/api/v1/requests/")
    assert response.status_code == 401


def test_a_real_token_signs_in(owner):
    key = token_create(user=owner).key
    response = APIClient(HTTP_AUTHORIZATION=f"Token {key}").get("/api/v1/requests/")
    assert response.status_code == 200


def test_a_session_write_without_a_csrf_token_is_refused(owner, campaign):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(owner)
    response = client.patch(f"/api/v1/campaigns/{campaign.pk}/", {"title": "Renamed"})
    assert response.status_code == 403
    campaign.refresh_from_db()
    assert campaign.title != "Renamed"


# --------------------------------------------------------------------------------------------
# Lists are scoped
# --------------------------------------------------------------------------------------------


def requests_seen(client) -> set[int]:
    return {r["id"] for r in client.get("/api/v1/requests/").json()["results"]}


def campaigns_seen(client) -> set[int]:
    return {c["id"] for c in client.get("/api/v1/campaigns/").json()["results"]}


def test_an_outside_researcher_sees_only_the_published_campaign_and_its_requests(
    client_for, outsider, world
):
    client = client_for(outsider)
    assert campaigns_seen(client) == {world["published"]}
    assert requests_seen(client) == {world["published_request"]}
    response = client.get("/api/v1/requests/", {"campaign": world["private"]})
    assert response.json()["results"] == []


def test_a_consumer_reads_the_published_releases_not_the_records(client_for, consumer, world):
    """The consumer's side of the same world: what is published, never the working records."""
    client = client_for(consumer)
    assert client.get("/api/v1/campaigns/").status_code == 403
    assert client.get("/api/v1/requests/").status_code == 403
    assert client.get("/api/v1/releases/").status_code == 200


@pytest.mark.parametrize("who", ["owner", "colleague", "data_entry", "staff"])
def test_the_team_data_entry_and_staff_see_both_campaigns(request, client_for, world, who):
    client = client_for(request.getfixturevalue(who))
    assert campaigns_seen(client) == {world["private"], world["published"]}
    assert requests_seen(client) == {world["private_request"], world["published_request"]}


def test_an_outsiders_own_campaign_is_hidden_from_the_owner(client_for, outsider, owner, world):
    theirs = CampaignFactory(owner=outsider)
    assert theirs.pk in campaigns_seen(client_for(outsider))
    assert theirs.pk not in campaigns_seen(client_for(owner))
    assert client_for(owner).get(f"/api/v1/campaigns/{theirs.pk}/").status_code == 404


def test_a_collaborator_can_edit_the_campaign_and_record_events(client_for, colleague, world):
    client = client_for(colleague)
    response = client.patch(f"/api/v1/campaigns/{world['private']}/", {"title": "Shared title"})
    assert response.status_code == 200
    assert Campaign.objects.get(pk=world["private"]).title == "Shared title"
    with time_machine.travel(dt.datetime(2026, 5, 1, 12, 0), tick=False):
        response = client.post(
            f"/api/v1/requests/{world['private_request']}/events/",
            {"kind": "response", "on": "2026-02-20"},
        )
    assert response.status_code == 201
    assert FoiRequest.objects.get(pk=world["private_request"]).status == "responded"


def test_a_collaborator_cannot_hand_the_campaign_to_someone_else(client_for, colleague, world):
    # `owner` is read-only: a collaborator edits, the owner stays.
    response = client_for(colleague).patch(
        f"/api/v1/campaigns/{world['private']}/", {"owner": "colleague"}
    )
    assert response.status_code == 200
    assert Campaign.objects.get(pk=world["private"]).owner.username == "owner"


def test_data_entry_records_a_response_on_a_campaign_it_does_not_belong_to(
    client_for, data_entry, world
):
    with time_machine.travel(dt.datetime(2026, 5, 1, 12, 0), tick=False):
        response = client_for(data_entry).post(
            f"/api/v1/requests/{world['private_request']}/events/",
            {"kind": "response", "on": "2026-02-20"},
        )
    assert response.status_code == 201
    event = RequestEvent.objects.get(pk=response.json()["id"])
    assert (event.kind, event.created_by.username) == ("response", "data_entry")
