"""Who gets which status code: every endpoint under /api/v1/ x every method x six callers.

The world (tests/api_world.py) is one unpublished campaign of `owner`, with a request, a
response, a document, a figure, a release, a reminder, a token, a reply to classify, an
unmatched message and a failed letter, and a published campaign with a response, a document, a
figure and a release. The rules the table follows:

- no credentials: 401, except the schema and its docs, which are public, and the reads that
  FOI_PUBLIC_ENDPOINTS names (by default the releases: the list answers 200, empty here, and
  the world's release, of an unpublished campaign, 404 like anything unpublished);
- a method the endpoint does not have: 405, once the caller is signed in and, where the view
  checks roles (campaigns, requests, responses, figures, releases), has a role that may write
  there; a role that may not write gets 403 first;
- a consumer may not write (403), and reads only what is published: the aggregates, the
  dataset (without the names of who keyed and confirmed each figure) and the releases of
  published campaigns, plus the reference lists, its reminders and its tokens; the records
  (campaigns, requests and their logs, responses, documents, figures) answer it 403, whether
  the campaign is published or not (docs/api.md, "Who reads what");
- data entry records responses, documents and figures on any campaign but may not create
  campaigns, requests or releases (403);
- something of the owner's unpublished campaign that the caller may not see or change: 404, so
  its existence does not leak; an id of it in a body or a query string is bad input: 400
  ("no campaign N that you can ...").

HEAD answers as GET does and OPTIONS describes the endpoint, so the table holds GET, POST, PUT,
PATCH and DELETE. The `.json`-style format suffix routes are the same views as the routes
without one.

`test_it_has_a_row_for_every_route_and_method` walks the URL resolver, so a new endpoint or
method fails until it has its rows here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
import time_machine
import yaml
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import override_settings
from django.urls import resolve
from rest_framework.test import APIClient

from accounts.models import ApiToken
from accounts.services import token_create
from correspondence.models import Message
from requests_app.models import Campaign, FoiRequest, ReminderPreference, RequestEvent
from responses_app.models import DatasetRelease, Document, Figure, FoiResponse
from tests.api_world import NOW, documents_in, documents_restore, world_build
from tests.routes import api_routes

CALLERS = ("anonymous", "consumer", "owner", "outsider", "data_entry", "staff")
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
UNSAFE = "POST PUT PATCH DELETE"
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass(frozen=True)
class Upload:
    """A multipart body with one file."""

    name: str
    content: bytes
    fields: tuple[tuple[str, str], ...] = ()

    def body(self) -> dict:
        return {"file": SimpleUploadedFile(self.name, self.content), **dict(self.fields)}


CAMPAIGN = {
    "title": "Online grooming by platform",
    "question": "How many sexual communication with a child offences were recorded, by platform?",
    "period_start": "2019-10-01",
    "period_end": "2020-09-30",
}
SEND = {"forces": ["essex"], "sent_on": "2026-03-02"}
REQUEST = {"campaign": "{campaign}", "force": "essex"}
EVENT = {"kind": "acknowledged", "on": "2026-02-04"}
RESPONSE = {"request": "{pending_request}", "received_on": "2026-03-03", "outcome": "not_held"}
FIGURE = {
    "response": "{response}",
    "period_start": "2019-10-01",
    "period_end": "2020-09-30",
    "offence": "child-sexual-offences",
    "platform": "snapchat",
    "raw": "<5",
}
RELEASE = {"campaign": "{campaign}", "name": "Corrected release"}
PDF = Upload("kent-reply.pdf", b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n")
FIGURES_CSV = Upload(
    "kent-figures.csv",
    b"period_start,period_end,offence,platform,value,unit,note\n"
    b"2019-10-01,2020-09-30,child-sexual-offences,WhatsApp,7,instances,\n",
)
FOREVER = {"name": "forever", "expires_at": "2099-01-01T00:00:00Z"}
ASSIGN = {"request": "{pending_request}"}
DISCARD = {"reason": "Not about any request"}
CLASSIFY = {"kind": "clarification_requested"}
OF_THE_CAMPAIGN = "campaign={campaign}"
OF_PUBLISHED = "campaign={published_campaign}"
EVERY_READER = (401, 200, 200, 200, 200, 200)
RECORD_READERS = (401, 403, 200, 200, 200, 200)
DOCS = "/api/v1/docs/"

# path, methods, body, status for each of CALLERS:
#   anonymous, consumer, owner, outsider, data_entry, staff
TABLE = [
    ("/api/v1/", "GET", None, (401, 200, 200, 200, 200, 200)),
    ("/api/v1/", UNSAFE, None, (401, 405, 405, 405, 405, 405)),
    ("/api/v1/schema/", "GET", None, (200, 200, 200, 200, 200, 200)),
    ("/api/v1/schema/", UNSAFE, None, (405, 405, 405, 405, 405, 405)),
    (DOCS, "GET", None, (200, 200, 200, 200, 200, 200)),
    (DOCS, UNSAFE, None, (405, 405, 405, 405, 405, 405)),
    # Reference lists: any signed-in caller reads them; nobody changes them through the API.
    ("/api/v1/forces/", "GET", None, (401, 200, 200, 200, 200, 200)),
    ("/api/v1/forces/", UNSAFE, None, (401, 405, 405, 405, 405, 405)),
    ("/api/v1/forces/kent/", "GET", None, (401, 200, 200, 200, 200, 200)),
    ("/api/v1/forces/kent/", UNSAFE, None, (401, 405, 405, 405, 405, 405)),
    ("/api/v1/platforms/", "GET", None, (401, 200, 200, 200, 200, 200)),
    ("/api/v1/platforms/", UNSAFE, None, (401, 405, 405, 405, 405, 405)),
    ("/api/v1/platforms/instagram/", "GET", None, (401, 200, 200, 200, 200, 200)),
    ("/api/v1/platforms/instagram/", UNSAFE, None, (401, 405, 405, 405, 405, 405)),
    ("/api/v1/owners/", "GET", None, (401, 200, 200, 200, 200, 200)),
    ("/api/v1/owners/", UNSAFE, None, (401, 405, 405, 405, 405, 405)),
    ("/api/v1/owners/meta/", "GET", None, (401, 200, 200, 200, 200, 200)),
    ("/api/v1/owners/meta/", UNSAFE, None, (401, 405, 405, 405, 405, 405)),
    ("/api/v1/offences/", "GET", None, (401, 200, 200, 200, 200, 200)),
    ("/api/v1/offences/", UNSAFE, None, (401, 405, 405, 405, 405, 405)),
    ("/api/v1/offences/child-sexual-offences/", "GET", None, (401, 200, 200, 200, 200, 200)),
    ("/api/v1/offences/child-sexual-offences/", UNSAFE, None, (401, 405, 405, 405, 405, 405)),
    # Campaigns: researchers create; the owner's team and staff change; data entry reads all.
    ("/api/v1/campaigns/", "GET", None, (401, 403, 200, 200, 200, 200)),
    ("/api/v1/campaigns/", "POST", CAMPAIGN, (401, 403, 201, 201, 403, 201)),
    ("/api/v1/campaigns/", "PUT PATCH DELETE", None, (401, 403, 405, 405, 403, 405)),
    ("/api/v1/campaigns/{campaign}/", "GET", None, (401, 403, 200, 404, 200, 200)),
    ("/api/v1/campaigns/{campaign}/", "PUT", CAMPAIGN, (401, 403, 200, 404, 403, 200)),
    (
        "/api/v1/campaigns/{campaign}/",
        "PATCH",
        {"title": "Renamed"},
        (401, 403, 200, 404, 403, 200),
    ),
    ("/api/v1/campaigns/{campaign}/", "POST DELETE", None, (401, 403, 405, 405, 403, 405)),
    ("/api/v1/campaigns/{campaign}/send/", "POST", SEND, (401, 403, 201, 404, 403, 201)),
    ("/api/v1/campaigns/{campaign}/send/", "GET", None, (401, 403, 405, 405, 405, 405)),
    (
        "/api/v1/campaigns/{campaign}/send/",
        "PUT PATCH DELETE",
        None,
        (401, 403, 405, 405, 403, 405),
    ),
    # Archiving (a campaign is never deleted): the team and staff.
    (
        "/api/v1/campaigns/{campaign}/archive/",
        "POST",
        {"reason": "The study closed."},
        (401, 403, 200, 404, 403, 200),
    ),
    ("/api/v1/campaigns/{campaign}/archive/", "GET", None, (401, 403, 405, 405, 405, 405)),
    (
        "/api/v1/campaigns/{campaign}/archive/",
        "PUT PATCH DELETE",
        None,
        (401, 403, 405, 405, 403, 405),
    ),
    # Requests: the campaign's team and staff create and edit; data entry adds events.
    ("/api/v1/requests/", "GET", None, (401, 403, 200, 200, 200, 200)),
    ("/api/v1/requests/", "POST", REQUEST, (401, 403, 201, 400, 403, 201)),
    ("/api/v1/requests/", "PUT PATCH DELETE", None, (401, 403, 405, 405, 403, 405)),
    ("/api/v1/requests/{request}/", "GET", None, (401, 403, 200, 404, 200, 200)),
    (
        "/api/v1/requests/{request}/",
        "PUT PATCH",
        {"reference": "K/1"},
        (401, 403, 200, 404, 403, 200),
    ),
    ("/api/v1/requests/{request}/", "POST DELETE", None, (401, 403, 405, 405, 403, 405)),
    ("/api/v1/requests/{request}/events/", "GET", None, (401, 403, 200, 404, 200, 200)),
    ("/api/v1/requests/{pending_request}/events/", "POST", EVENT, (401, 403, 201, 404, 201, 201)),
    (
        "/api/v1/requests/{request}/events/",
        "PUT PATCH DELETE",
        None,
        (401, 403, 405, 405, 403, 405),
    ),
    # Reminders: each person's own; staff see everyone's.
    ("/api/v1/reminders/", "GET", None, (401, 200, 200, 200, 200, 200)),
    ("/api/v1/reminders/", UNSAFE, None, (401, 405, 405, 405, 405, 405)),
    ("/api/v1/reminders/{reminder}/", "GET", None, (401, 404, 200, 404, 404, 200)),
    ("/api/v1/reminders/{reminder}/", UNSAFE, None, (401, 405, 405, 405, 405, 405)),
    ("/api/v1/reminders/preference/", "GET", None, (401, 200, 200, 200, 200, 200)),
    (
        "/api/v1/reminders/preference/",
        "PUT",
        {"receives_reminders": False},
        (401, 200, 200, 200, 200, 200),
    ),
    ("/api/v1/reminders/preference/", "POST PATCH DELETE", None, (401, 405, 405, 405, 405, 405)),
    # Responses and their documents: researchers on their team's campaigns, data entry anywhere.
    ("/api/v1/responses/", "GET", None, (401, 403, 200, 200, 200, 200)),
    ("/api/v1/responses/", "POST", RESPONSE, (401, 403, 201, 400, 201, 201)),
    ("/api/v1/responses/", "PUT PATCH DELETE", None, (401, 403, 405, 405, 405, 405)),
    ("/api/v1/responses/{response}/", "GET", None, (401, 403, 200, 404, 200, 200)),
    (
        "/api/v1/responses/{response}/",
        "PUT",
        {"outcome": "partly_granted", "caveats": "Instagram and Facebook are counted together."},
        (401, 403, 200, 404, 200, 200),
    ),
    (
        "/api/v1/responses/{response}/",
        "PATCH",
        {"caveats": "Counted from the crime recording system."},
        (401, 403, 200, 404, 200, 200),
    ),
    ("/api/v1/responses/{response}/", "POST DELETE", None, (401, 403, 405, 405, 405, 405)),
    # Withdrawing a response (never deleted): whoever may record one.
    (
        "/api/v1/responses/{response}/withdraw/",
        "POST",
        {"reason": "Recorded against the wrong force."},
        (401, 403, 200, 404, 200, 200),
    ),
    ("/api/v1/responses/{response}/withdraw/", "GET", None, (401, 403, 405, 405, 405, 405)),
    (
        "/api/v1/responses/{response}/withdraw/",
        "PUT PATCH DELETE",
        None,
        (401, 403, 405, 405, 405, 405),
    ),
    ("/api/v1/responses/{response}/documents/", "GET", None, (401, 403, 200, 404, 200, 200)),
    ("/api/v1/responses/{response}/documents/", "POST", PDF, (401, 403, 201, 404, 201, 201)),
    (
        "/api/v1/responses/{response}/documents/",
        "PUT PATCH DELETE",
        None,
        (401, 403, 405, 405, 405, 405),
    ),
    ("/api/v1/responses/{response}/import/", "POST", FIGURES_CSV, (401, 403, 201, 404, 201, 201)),
    ("/api/v1/responses/{response}/import/", "GET", None, (401, 403, 405, 405, 405, 405)),
    (
        "/api/v1/responses/{response}/import/",
        "PUT PATCH DELETE",
        None,
        (401, 403, 405, 405, 405, 405),
    ),
    ("/api/v1/documents/{document}/", "GET", None, (401, 403, 200, 404, 200, 200)),
    ("/api/v1/documents/{document}/", UNSAFE, None, (401, 405, 405, 405, 405, 405)),
    ("/api/v1/documents/{document}/download/", "GET", None, (401, 403, 200, 404, 200, 200)),
    ("/api/v1/documents/{document}/download/", UNSAFE, None, (401, 405, 405, 405, 405, 405)),
    # Figures: as responses; the world's figure was keyed by the colleague, so others verify it.
    ("/api/v1/figures/", "GET", None, (401, 403, 200, 200, 200, 200)),
    ("/api/v1/figures/", "POST", FIGURE, (401, 403, 201, 400, 201, 201)),
    ("/api/v1/figures/", "PUT PATCH DELETE", None, (401, 403, 405, 405, 405, 405)),
    ("/api/v1/figures/{figure}/", "GET", None, (401, 403, 200, 404, 200, 200)),
    ("/api/v1/figures/{figure}/", "PUT PATCH", {"raw": "13"}, (401, 403, 200, 404, 200, 200)),
    ("/api/v1/figures/{figure}/", "DELETE", None, (401, 403, 204, 404, 204, 204)),
    ("/api/v1/figures/{figure}/", "POST", None, (401, 403, 405, 405, 405, 405)),
    ("/api/v1/figures/{figure}/verify/", "POST", None, (401, 403, 200, 404, 200, 200)),
    ("/api/v1/figures/{figure}/verify/", "GET", None, (401, 403, 405, 405, 405, 405)),
    ("/api/v1/figures/{figure}/verify/", "PUT PATCH DELETE", None, (401, 403, 405, 405, 405, 405)),
    ("/api/v1/figures/mismatches/", "GET", None, (401, 403, 200, 200, 200, 200)),
    ("/api/v1/figures/mismatches/", UNSAFE, None, (401, 403, 405, 405, 405, 405)),
    ("/api/v1/figures/template/", "GET", None, (401, 403, 200, 200, 200, 200)),
    ("/api/v1/figures/template/", UNSAFE, None, (401, 403, 405, 405, 405, 405)),
    # Reports: signed-in callers only (FOI_PUBLIC_ENDPOINTS is empty by default); each sees
    # the campaigns it may see, so naming another's unpublished campaign is a bad filter.
    ("/api/v1/aggregates/?group_by=platform", "GET", None, (401, 200, 200, 200, 200, 200)),
    (
        f"/api/v1/aggregates/?group_by=platform&{OF_THE_CAMPAIGN}",
        "GET",
        None,
        (401, 400, 200, 400, 200, 200),
    ),
    ("/api/v1/aggregates/", UNSAFE, None, (401, 405, 405, 405, 405, 405)),
    ("/api/v1/compliance/?force=kent", "GET", None, (401, 200, 200, 200, 200, 200)),
    (f"/api/v1/compliance/?{OF_THE_CAMPAIGN}", "GET", None, (401, 400, 200, 400, 200, 200)),
    ("/api/v1/compliance/", UNSAFE, None, (401, 405, 405, 405, 405, 405)),
    ("/api/v1/dataset/", "GET", None, (401, 200, 200, 200, 200, 200)),
    (f"/api/v1/dataset/?{OF_THE_CAMPAIGN}", "GET", None, (401, 400, 200, 400, 200, 200)),
    ("/api/v1/dataset/", UNSAFE, None, (401, 405, 405, 405, 405, 405)),
    # Releases: researchers freeze their team's campaigns; readers as for the campaign, and
    # anyone for a published campaign's (the world's is unpublished).
    ("/api/v1/releases/", "GET", None, (200, 200, 200, 200, 200, 200)),
    ("/api/v1/releases/", "POST", RELEASE, (401, 403, 201, 400, 403, 201)),
    ("/api/v1/releases/", "PUT PATCH DELETE", None, (401, 403, 405, 405, 403, 405)),
    ("/api/v1/releases/{release}/", "GET", None, (404, 404, 200, 404, 200, 200)),
    ("/api/v1/releases/{release}/", UNSAFE, None, (401, 403, 405, 405, 403, 405)),
    ("/api/v1/releases/{release}/dataset/", "GET", None, (404, 404, 200, 404, 200, 200)),
    ("/api/v1/releases/{release}/dataset/", UNSAFE, None, (401, 405, 405, 405, 405, 405)),
    # A published campaign: a consumer reads its reports (aggregates, dataset, releases), never
    # the records behind them (event notes, who keyed what, the forces' documents): 403. Other
    # researchers read its records, as people who run campaigns.
    (f"/api/v1/aggregates/?group_by=platform&{OF_PUBLISHED}", "GET", None, EVERY_READER),
    (f"/api/v1/dataset/?{OF_PUBLISHED}", "GET", None, EVERY_READER),
    # Its releases are public by default (FOI_PUBLIC_ENDPOINTS names "releases"): anonymous too.
    ("/api/v1/releases/{published_release}/", "GET", None, (200,) * 6),
    ("/api/v1/releases/{published_release}/dataset/", "GET", None, (200,) * 6),
    ("/api/v1/campaigns/{published_campaign}/", "GET", None, RECORD_READERS),
    ("/api/v1/requests/{published_request}/", "GET", None, RECORD_READERS),
    ("/api/v1/requests/{published_request}/events/", "GET", None, RECORD_READERS),
    ("/api/v1/documents/{published_document}/", "GET", None, RECORD_READERS),
    ("/api/v1/documents/{published_document}/download/", "GET", None, RECORD_READERS),
    ("/api/v1/figures/{published_figure}/", "GET", None, RECORD_READERS),
    # Correspondence: a request's mail is seen by whoever sees the request. Unmatched mail is
    # for staff and the researchers whose team writes to the force it came from (the owner's
    # campaign has a Kent request; the outsider's team none). The campaign's team and staff
    # assign, discard and resend; data entry also classifies replies, as it records events.
    ("/api/v1/requests/{request}/messages/", "GET", None, (401, 404, 200, 404, 200, 200)),
    ("/api/v1/requests/{request}/messages/", UNSAFE, None, (401, 405, 405, 405, 405, 405)),
    ("/api/v1/messages/unmatched/", "GET", None, (401, 200, 200, 200, 200, 200)),
    ("/api/v1/messages/unmatched/", UNSAFE, None, (401, 403, 405, 405, 403, 405)),
    ("/api/v1/messages/{message}/", "GET", None, (401, 404, 200, 404, 200, 200)),
    ("/api/v1/messages/{message}/", UNSAFE, None, (401, 403, 405, 405, 403, 405)),
    ("/api/v1/messages/{unmatched}/assign/", "POST", ASSIGN, (401, 403, 200, 404, 403, 200)),
    ("/api/v1/messages/{unmatched}/assign/", "GET", None, (401, 405, 405, 405, 405, 405)),
    (
        "/api/v1/messages/{unmatched}/assign/",
        "PUT PATCH DELETE",
        None,
        (401, 403, 405, 405, 403, 405),
    ),
    ("/api/v1/messages/{unmatched}/discard/", "POST", DISCARD, (401, 403, 200, 404, 403, 200)),
    ("/api/v1/messages/{unmatched}/discard/", "GET", None, (401, 405, 405, 405, 405, 405)),
    (
        "/api/v1/messages/{unmatched}/discard/",
        "PUT PATCH DELETE",
        None,
        (401, 403, 405, 405, 403, 405),
    ),
    ("/api/v1/messages/{message}/classify/", "POST", CLASSIFY, (401, 403, 200, 404, 200, 200)),
    ("/api/v1/messages/{message}/classify/", "GET", None, (401, 405, 405, 405, 405, 405)),
    (
        "/api/v1/messages/{message}/classify/",
        "PUT PATCH DELETE",
        None,
        (401, 403, 405, 405, 403, 405),
    ),
    ("/api/v1/messages/{failed_letter}/resend/", "POST", None, (401, 403, 201, 404, 403, 201)),
    ("/api/v1/messages/{failed_letter}/resend/", "GET", None, (401, 405, 405, 405, 405, 405)),
    (
        "/api/v1/messages/{failed_letter}/resend/",
        "PUT PATCH DELETE",
        None,
        (401, 403, 405, 405, 403, 405),
    ),
    # API tokens: everyone signed in manages their own; another's token is a 404, even to staff.
    ("/api/v1/tokens/", "GET", None, (401, 200, 200, 200, 200, 200)),
    ("/api/v1/tokens/", "POST", {"name": "phone"}, (401, 201, 201, 201, 201, 201)),
    # Every token expires, within the policy (docs/api.md, "Tokens"): at most 365 days.
    ("/api/v1/tokens/", "POST", FOREVER, (401, 400, 400, 400, 400, 400)),
    ("/api/v1/tokens/", "PUT PATCH DELETE", None, (401, 405, 405, 405, 405, 405)),
    ("/api/v1/tokens/{token}/", "GET", None, (401, 404, 200, 404, 404, 404)),
    ("/api/v1/tokens/{token}/", "DELETE", None, (401, 404, 204, 404, 404, 404)),
    ("/api/v1/tokens/{token}/", "POST PUT PATCH", None, (401, 405, 405, 405, 405, 405)),
]

CASES = [
    pytest.param(path, method, body, who, code, id=f"{method} {path} {who} {code}")
    for path, methods, body, codes in TABLE
    for method in methods.split()
    for who, code in zip(CALLERS, codes, strict=True)
]


@pytest.fixture(autouse=True)
def fresh_throttles():
    # The throttles count in the cache, which would otherwise carry over from test to test.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once, in a transaction rolled back after the module's last test. Each test runs in
    a savepoint inside it (pytest-django's `db`), so what one test writes the next never sees;
    building the world for each of the module's thousand cases would take minutes."""
    saved = documents_in(tmp_path_factory.mktemp("documents"))
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHER),
        transaction.atomic(),
    ):
        with time_machine.travel(NOW, tick=False):
            built = world_build()
        yield built
        transaction.set_rollback(True)
    documents_restore(saved)


def filled(value, ids: dict[str, int]):
    """The row's path or body with the world's ids in place of `{campaign}` and the like."""
    if isinstance(value, str):
        text = value.format(**ids)
        return int(text) if value.startswith("{") and text.isdigit() else text
    if isinstance(value, dict):
        return {key: filled(item, ids) for key, item in value.items()}
    return value


def error_of(response) -> dict:
    if response["Content-Type"].startswith("application/vnd.oai.openapi"):
        # The schema's view answers in the schema's own format (YAML unless JSON is asked for).
        return yaml.safe_load(response.content)
    return response.json()


def written() -> tuple:
    """Everything a refused request might have changed."""
    return (
        [model.objects.count() for model in (Campaign, FoiRequest, RequestEvent, FoiResponse)],
        [model.objects.count() for model in (Document, Figure, DatasetRelease, ApiToken)],
        list(ReminderPreference.objects.values_list("user_id", "receives_reminders")),
        list(Campaign.objects.values_list("title", "question", "published")),
        list(FoiRequest.objects.values_list("reference", "status")),
        list(FoiResponse.objects.values_list("outcome", "caveats")),
        list(Figure.objects.values_list("raw", "verified")),
        list(ApiToken.objects.values_list("revoked_at", flat=True)),
        list(Message.objects.order_by("pk").values_list("state", "request_id", "event_id")),
    )


@pytest.mark.parametrize(("path", "method", "body", "who", "expected"), CASES)
def test_it_answers_each_caller_with_the_status_in_the_table(
    request, db, client_for, world, path, method, body, who, expected
):
    client = client_for(None if who == "anonymous" else request.getfixturevalue(who))
    before = written()
    send = getattr(client, method.lower())
    url = filled(path, world.ids())
    with time_machine.travel(NOW, tick=False):
        if isinstance(body, Upload):
            response = send(url, body.body(), format="multipart")
        else:
            response = send(url, filled(body, world.ids()))
    assert response.status_code == expected, getattr(response, "content", b"")[:500]
    if expected >= 400:
        assert written() == before
        if path != DOCS:  # an HTML page, whose refusals are HTML pages too
            assert set(error_of(response)) == {"detail", "errors"}


# --------------------------------------------------------------------------------------------
# The table covers every route
# --------------------------------------------------------------------------------------------


class AnyId(dict):
    def __missing__(self, name: str) -> int:
        return 1


def route_of(path: str) -> str:
    """The url name of a row's path (ids need only have the right shape)."""
    return resolve(path.format_map(AnyId()).split("?")[0]).url_name


def test_it_has_a_row_for_every_route_and_method():
    routes = api_routes()
    assert {"api-root", "schema", "api-docs", "figure-verify", "release-dataset"} <= set(routes)
    rows = {(route_of(path), method) for path, methods, _, _ in TABLE for method in methods.split()}
    missing = [
        (name, method) for name in routes for method in METHODS if (name, method) not in rows
    ]
    assert missing == []
    beyond_the_table = {name: methods - set(METHODS) for name, methods in routes.items()}
    assert {name: extra for name, extra in beyond_the_table.items() if extra} == {}


def test_it_expects_405_exactly_where_the_view_lacks_the_method():
    routes = api_routes()
    wrong = [
        (path, method)
        for path, methods, _, codes in TABLE
        for method in methods.split()
        if (405 in codes) == (method in routes[route_of(path)])
    ]
    assert wrong == []


# --------------------------------------------------------------------------------------------
# Token lifetimes: a token cannot create tokens that outlive it (issue 15, item 17)
# --------------------------------------------------------------------------------------------


# time-machine reads the naive NOW as UTC: 13:00 in London, in summer time.
NOW_UTC = dt.datetime(2026, 5, 1, 12, 0, tzinfo=dt.UTC)


def with_key(key: str) -> APIClient:
    return APIClient(HTTP_AUTHORIZATION=f"Token {key}")


def test_a_token_made_without_an_expiry_lasts_the_default_90_days(db, client_for, consumer):
    with time_machine.travel(NOW, tick=False):
        made = client_for(consumer).post("/api/v1/tokens/", {"name": "phone"})
    assert made.status_code == 201
    assert made.json()["expires_at"] == "2026-07-30T13:00:00+01:00"  # 1 May + 90 days, BST


def test_a_token_made_with_a_token_expires_with_it_and_asks_no_later(db, consumer):
    """The parent expires on 31 May; a child asking for 1 June is refused, and a child asking
    nothing gets the parent's expiry rather than the default 90 days (29 July)."""
    with time_machine.travel(NOW, tick=False):
        parent = token_create(user=consumer, expires_at=NOW_UTC + dt.timedelta(days=30))
        longer = with_key(parent.key).post(
            "/api/v1/tokens/", {"expires_at": "2026-06-01T11:00:00Z"}, format="json"
        )
        child = with_key(parent.key).post("/api/v1/tokens/", {"name": "child"})
    assert longer.status_code == 400
    assert longer.json()["errors"] == [
        {
            "field": "expires_at",
            "message": "A token made with a token expires no later than it: by 2026-05-31 "
            "12:00 UTC.",
        }
    ]
    assert child.status_code == 201
    assert (child.json()["parent"], child.json()["expires_at"]) == (
        parent.token.pk,
        "2026-05-31T13:00:00+01:00",
    )


def test_revoking_a_token_revokes_every_token_made_with_it(db, consumer):
    with time_machine.travel(NOW, tick=False):
        parent = token_create(user=consumer)
        child_key = with_key(parent.key).post("/api/v1/tokens/", {}).json()["key"]
        grandchild_key = with_key(child_key).post("/api/v1/tokens/", {}).json()["key"]
        assert with_key(grandchild_key).get("/api/v1/forces/").status_code == 200
        revoked = with_key(parent.key).delete(f"/api/v1/tokens/{parent.token.pk}/")
        assert revoked.status_code == 204
        assert with_key(child_key).get("/api/v1/forces/").status_code == 401
        assert with_key(grandchild_key).get("/api/v1/forces/").status_code == 401
    assert ApiToken.objects.filter(user=consumer, revoked_at__isnull=True).count() == 0


def test_no_token_lives_longer_than_365_days(db, client_for, owner):
    with time_machine.travel(NOW, tick=False):
        refused = client_for(owner).post(
            "/api/v1/tokens/", {"expires_at": "2027-05-01T13:00:01+01:00"}, format="json"
        )
        taken = client_for(owner).post(
            "/api/v1/tokens/", {"expires_at": "2027-05-01T13:00:00+01:00"}, format="json"
        )
    assert refused.json()["errors"] == [
        {
            "field": "expires_at",
            "message": "A token lives at most 365 days: expire it by 2027-05-01 12:00 UTC.",
        }
    ]
    assert taken.status_code == 201
