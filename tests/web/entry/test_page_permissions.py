"""Who gets which status code on the data-entry pages: every route x GET and POST x six callers,
in the shape of the API's permission matrix (tests/test_permission_matrix.py), so the two page
tables can be joined.

The world is the API tests' (tests/api_world.py: the owner's unpublished campaign, Kent answered
with a figure the colleague keyed, Surrey waiting) and a published campaign of the owner's: Essex
answered with a figure the colleague keyed, Dorset waiting. The rules:

- anonymous: sent to sign in (302 to the sign-in page), whatever the method;
- a method the page does not have: 405 once signed in;
- something of the unpublished campaign that the caller may not see: 404, so that its existence
  does not leak; something they may see but not change (a consumer or another team's
  researcher on the published campaign): 403;
- data entry and staff change any campaign, researchers their team's (owner, colleague);
- a consumer reads no response, published or not: those are working records (docs/api.md,
  "Who reads what").
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, override_settings
from django.urls import resolve

from requests_app.models import FoiRequest, Force, RequestEvent
from requests_app.services import campaign_send
from responses_app import services
from responses_app.models import Document, Figure, FoiResponse, OffenceCategory, Platform
from tests.api_world import (
    NOW,
    RECEIVED_ON,
    SENT_ON,
    documents_in,
    documents_restore,
    member,
    world_build,
)
from tests.factories import CampaignFactory
from tests.responses_app.sheets import LONG_HEADER, csv_bytes, long_row

CALLERS = ("anonymous", "consumer", "owner", "outsider", "data_entry", "staff")
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass(frozen=True)
class Upload:
    """A multipart body with one file, made afresh for each request."""

    name: str
    content: bytes
    field: str = "file"
    fields: tuple[tuple[str, str], ...] = ()

    def body(self) -> dict:
        return {self.field: SimpleUploadedFile(self.name, self.content), **dict(self.fields)}


RESPONSE = {"received_on": "2026-03-03", "outcome": "not_held"}
CSV = Upload("kent.csv", csv_bytes([LONG_HEADER, long_row("WhatsApp", "7")]))
PREVIEW = Upload(CSV.name, CSV.content, fields=(("shape", "long"), ("unit", "instances")))
CONFIRM = {"figure-{figure}-action": "confirm"}
CONFIRM_PUBLISHED = {"figure-{published_figure}-action": "confirm"}
SIGN_IN, NONE = 302, 405  # anonymous; a method the page does not have
DONE = 302  # a change made, and the page it leads to

# The pages of the owner's unpublished campaign, and of their published one.
RECORD, PUBLISHED_RECORD = "/requests/{pending_request}/", "/requests/{published_pending}/"
RESPONSE_PAGE, PUBLISHED_PAGE = "/responses/{response}/", "/responses/{published_response}/"
CHECK, PUBLISHED_CHECK = "/figures/{figure}/check/", "/figures/{published_figure}/check/"
ANSWER, DOCUMENTS, IMPORT = "response/", "documents/", "import/"

# path, methods, body, status for each of CALLERS:
#   anonymous, consumer, owner, outsider, data_entry, staff
TABLE = [
    ("/entry/", "GET", None, (SIGN_IN, 200, 200, 200, 200, 200)),
    ("/entry/", "POST", None, (SIGN_IN, NONE, NONE, NONE, NONE, NONE)),
    # The unpublished campaign: 404 for whoever may not see it.
    (RECORD + ANSWER, "GET", None, (SIGN_IN, 404, 200, 404, 200, 200)),
    (RECORD + ANSWER, "POST", RESPONSE, (SIGN_IN, 404, DONE, 404, DONE, DONE)),
    (RESPONSE_PAGE, "GET", None, (SIGN_IN, 404, 200, 404, 200, 200)),
    (RESPONSE_PAGE, "POST", None, (SIGN_IN, NONE, NONE, NONE, NONE, NONE)),
    (RESPONSE_PAGE + DOCUMENTS, "GET", None, (SIGN_IN, NONE, NONE, NONE, NONE, NONE)),
    (RESPONSE_PAGE + DOCUMENTS, "POST", CSV, (SIGN_IN, 404, DONE, 404, DONE, DONE)),
    (RESPONSE_PAGE + IMPORT, "GET", None, (SIGN_IN, 404, 200, 404, 200, 200)),
    (RESPONSE_PAGE + IMPORT, "POST", PREVIEW, (SIGN_IN, 404, 200, 404, 200, 200)),
    (CHECK, "GET", None, (SIGN_IN, NONE, NONE, NONE, NONE, NONE)),
    (CHECK, "POST", CONFIRM, (SIGN_IN, 404, DONE, 404, DONE, DONE)),
    # The published campaign: readers see it, and get 403 where they would change it.
    (PUBLISHED_RECORD + ANSWER, "GET", None, (SIGN_IN, 403, 200, 403, 200, 200)),
    (PUBLISHED_RECORD + ANSWER, "POST", RESPONSE, (SIGN_IN, 403, DONE, 403, DONE, DONE)),
    # A consumer reads what is published, not the responses behind it (the forces' documents,
    # who keyed and confirmed each figure).
    (PUBLISHED_PAGE, "GET", None, (SIGN_IN, 403, 200, 200, 200, 200)),
    (PUBLISHED_PAGE + DOCUMENTS, "POST", CSV, (SIGN_IN, 403, DONE, 403, DONE, DONE)),
    (PUBLISHED_PAGE + IMPORT, "GET", None, (SIGN_IN, 403, 200, 403, 200, 200)),
    (PUBLISHED_PAGE + IMPORT, "POST", PREVIEW, (SIGN_IN, 403, 200, 403, 200, 200)),
    (PUBLISHED_CHECK, "POST", CONFIRM_PUBLISHED, (SIGN_IN, 403, DONE, 403, DONE, DONE)),
]
ROUTES = {"to-do", "response-new", "response", "document-new", "figures-import", "figure-check"}

CASES = [
    pytest.param(path, method, body, who, code, id=f"{method} {path} {who} {code}")
    for path, methods, body, codes in TABLE
    for method in methods.split()
    for who, code in zip(CALLERS, codes, strict=True)
]


def published_build() -> dict[str, int]:
    owner, colleague = member("owner", "researcher"), member("colleague", "researcher")
    data_entry = member("data_entry", "data_entry")
    campaign = CampaignFactory(owner=owner, published=True)
    campaign.collaborators.add(colleague)
    forces = Force.objects.filter(slug__in=["essex", "dorset"]).order_by("slug")
    dorset, essex = campaign_send(campaign=campaign, forces=forces, sent_on=SENT_ON, user=owner)
    response = services.response_record(
        request=essex, received_on=RECEIVED_ON, outcome="granted", user=data_entry
    )
    figure = services.figure_enter(
        response=response,
        period_start=campaign.period_start,
        period_end=campaign.period_end,
        offence=OffenceCategory.objects.get(slug="child-sexual-offences"),
        platform=Platform.objects.get(slug="instagram"),
        unit="instances",
        raw="9",
        user=colleague,
    ).figure
    return {
        "published_pending": dorset.pk,
        "published_response": response.pk,
        "published_figure": figure.pk,
    }


@pytest.fixture(scope="module")
def ids(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once, in a transaction rolled back after the module's last test; each test runs in
    a savepoint inside it, so what one test writes the next never sees."""
    saved = documents_in(tmp_path_factory.mktemp("documents"))
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHER),
        transaction.atomic(),
    ):
        with time_machine.travel(NOW, tick=False):
            built = {**world_build().ids(), **published_build()}
        yield built
        transaction.set_rollback(True)
    documents_restore(saved)


def filled(value, ids: dict[str, int]):
    if isinstance(value, str):
        return value.format(**ids)
    if isinstance(value, dict):
        return {filled(key, ids): filled(item, ids) for key, item in value.items()}
    return value


def written() -> tuple:
    return (
        [m.objects.count() for m in (FoiRequest, RequestEvent, FoiResponse, Document, Figure)],
        list(FoiRequest.objects.order_by("pk").values_list("status", flat=True)),
        list(Figure.objects.order_by("pk").values_list("raw", "verified", "disputed")),
    )


@pytest.mark.parametrize(("path", "method", "body", "who", "expected"), CASES)
def test_it_answers_each_caller_with_the_status_in_the_table(
    request, db, ids, path, method, body, who, expected
):
    client = Client()
    url = filled(path, ids)
    data = body.body() if isinstance(body, Upload) else filled(body, ids) or {}
    before = written()
    with time_machine.travel(NOW, tick=False):
        if who != "anonymous":
            client.force_login(request.getfixturevalue(who))
        answer = client.get(url) if method == "GET" else client.post(url, data)
    assert answer.status_code == expected, answer.content[:300]
    if who == "anonymous":
        assert answer["Location"] == f"/accounts/login/?next={url}"
    if expected != DONE or who == "anonymous":
        assert written() == before
    elif path.startswith("/requests/"):
        assert answer["Location"].startswith("/responses/")


class AnyId(dict):
    def __missing__(self, name: str) -> int:
        return 1


def test_it_has_a_row_for_every_route_and_method():
    rows = {
        (resolve(path.format_map(AnyId())).url_name, method)
        for path, methods, _, _ in TABLE
        for method in methods.split()
    }
    assert rows == {(name, method) for name in ROUTES for method in ("GET", "POST")}
