"""Who gets what from every web page: the table in tests/web/pages.py, checked cell by cell,
and a check that the table lists every page of the web app with every method.

Each case runs in a savepoint inside a world built once for the module (as the API's matrix
does), so what one case writes the next never sees. A refusal writes nothing."""

from __future__ import annotations

import pytest
import time_machine
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from requests_app.models import Campaign, CampaignPeriod, FoiRequest, RequestEvent
from responses_app.models import DatasetRelease, FoiResponse
from tests.api_world import documents_in, documents_restore
from tests.web.entry.test_page_permissions import TABLE as ENTRY_TABLE
from tests.web.page_world import NOW, page_world_build
from tests.web.pages import METHODS, SIGN_IN, TABLE, cases

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    saved = documents_in(tmp_path_factory.mktemp("documents"))
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHER),
        transaction.atomic(),
    ):
        with time_machine.travel(NOW, tick=False):
            built = page_world_build()
        yield built
        transaction.set_rollback(True)
    documents_restore(saved)


def filled(value, ids: dict[str, int]):
    if isinstance(value, str):
        return value.format(**ids)
    if isinstance(value, dict):
        # Keys too: a form prefixed with its message names its fields after it (`m{id}-kind`).
        return {key.format(**ids): filled(item, ids) for key, item in value.items()}
    return value


def written() -> tuple:
    return (
        [m.objects.count() for m in (Campaign, CampaignPeriod, FoiRequest, RequestEvent)],
        FoiResponse.objects.count(),
        DatasetRelease.objects.count(),
        list(Campaign.objects.values_list("title", "published", "guernsey_eligibility_confirmed")),
        list(FoiRequest.objects.values_list("status", flat=True)),
    )


def outcome_of(response) -> object:
    if response.status_code == 302 and "?next=" in response["Location"]:
        assert response["Location"].startswith("/accounts/login/?next=")
        return SIGN_IN
    return response.status_code


@pytest.mark.parametrize(
    ("path", "method", "body", "who", "expected"),
    [pytest.param(*case, id=f"{case[1]} {case[0]} {case[3]} {case[4]}") for case in cases()],
)
def test_it_answers_each_caller_as_the_table_says(
    request, db, world, path, method, body, who, expected
):
    client = Client()
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    before = written()
    with time_machine.travel(NOW, tick=False):
        send = getattr(client, method.lower())
        url = filled(path, world.ids())
        if method in ("GET", "POST"):
            response = send(url, filled(body, world.ids()) or {})
        else:
            response = send(url)
    assert outcome_of(response) == expected, response.content[:300]
    if expected == SIGN_IN or (isinstance(expected, int) and expected >= 400):
        assert written() == before


def web_pages(patterns=None, namespace: str = "") -> set[str]:
    """The url names of every page the web app serves (walking the resolver)."""
    names = set()
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver) and pattern.namespace == "web":
            names |= web_pages(pattern.url_patterns, "web")
        elif isinstance(pattern, URLPattern) and namespace == "web":
            names.add(pattern.name)
    return names


def test_the_table_has_a_row_for_every_page_and_method():
    pages = web_pages()
    assert {"home", "campaign-new", "send", "request", "reask", "to-do", "release"} <= pages
    rows = {
        (resolve(path.format_map(AnyId()).split("?")[0]).url_name, method)
        for path, methods, _, _ in [*TABLE, *ENTRY_TABLE]
        for method in methods.split()
    }
    missing = sorted((page, m) for page in pages for m in METHODS if (page, m) not in rows)
    assert missing == []


class AnyId(dict):
    def __missing__(self, name: str) -> int:
        return 1
