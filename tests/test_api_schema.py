"""A property-based run over the OpenAPI schema: every operation, called with inputs generated
from its own description, answers without a server error and as the schema promises (status
code, content type and body).

The calls go through the whole WSGI application (middleware, token authentication, throttles)
in the test's own thread, so they see the test's transaction and the world seeded in it
(tests/api_world.py). Path ids and the ids in bodies are sometimes the world's, so operations
on its campaign, requests, response, figure, document, release and token get past their 404s.

Each operation runs as staff (who may do everything) and, for reads, as a consumer (who sees
only published campaigns). Bounded and seeded so that CI repeats the same run: about a minute
here. The schema leaves out the API root, the schema itself and its docs page; the permission
matrix covers those.
"""

from __future__ import annotations

import pytest
import schemathesis
import time_machine
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.models import ApiToken
from accounts.services import token_create
from foitracker.wsgi import application
from requests_app import roles
from tests.api_world import NOW, World, documents_in, documents_restore, member, world_build

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def schema_of_the_api(*, coverage: bool) -> schemathesis.BaseSchema:
    """Fuzzing draws 10 examples an operation; the coverage phase adds the boundary and
    just-invalid values of every parameter: about 5,000 calls in all. Methods an operation
    lacks are left to the permission matrix, which asserts each one's status for every
    caller."""
    return schemathesis.openapi.from_wsgi(
        "/api/v1/schema/?format=json",
        application,
        config=schemathesis.Config.from_dict(
            {
                "seed": 20260501,
                "generation": {"max-examples": 10, "deterministic": True, "database": "none"},
                "phases": {
                    "coverage": {"enabled": coverage, "unexpected-methods": []},
                    "stateful": {"enabled": False},
                },
            }
        ),
    )


schema = schema_of_the_api(coverage=True)
# The consumer's reads are the staff's with less visible: fuzzing them is enough.
reads = schema_of_the_api(coverage=False)

# The world being tested; the hooks below read it while the examples are drawn.
seeded: dict[str, World] = {}

# The first segment of a path -> the world's objects that a path id there may name.
PATH_IDS = {
    "campaigns": ("campaign",),
    "requests": ("request", "pending_request"),
    "responses": ("response",),
    "documents": ("document",),
    "figures": ("figure",),
    "releases": ("release",),
    "reminders": ("reminder",),
    "tokens": ("token",),
    "messages": ("message", "unmatched", "failed_letter"),
}
SLUGS = {
    "forces": "kent",
    "platforms": "instagram",
    "owners": "meta",
    "offences": "child-sexual-offences",
}
# Fields of a body that name one of the world's objects.
BODY_IDS = {
    "campaign": "campaign",
    "request": "pending_request",
    "response": "response",
    "document": "document",
}


def world_values(path: str) -> list:
    world = seeded["world"]
    segment = path.removeprefix("/api/v1/").split("/")[0]
    if segment in SLUGS:
        return [SLUGS[segment]]
    return [getattr(world, name) for name in PATH_IDS.get(segment, ())]


def flatmap_path_parameters(context, path_parameters: dict) -> st.SearchStrategy:
    if not path_parameters or len(path_parameters) != 1:
        return st.just(path_parameters)
    [name] = path_parameters
    ours = [{name: value} for value in world_values(context.operation.path)]
    return st.sampled_from([path_parameters, *ours])


def flatmap_body(context, body) -> st.SearchStrategy:
    if not isinstance(body, dict):
        return st.just(body)
    world = seeded["world"]
    ours = {field: getattr(world, name) for field, name in BODY_IDS.items() if field in body}
    return st.sampled_from([body, {**body, **ours}]) if ours else st.just(body)


for hooked in (schema, reads):
    hooked.hook(flatmap_path_parameters)
    hooked.hook(flatmap_body)


@pytest.fixture
def same_connection():
    """Django closes the database connection after each request it serves; the test client
    prevents that, and so must we, or the first call would end the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def world(db, tmp_path, same_connection):
    saved = documents_in(tmp_path / "documents")
    # The throttles count in the cache: start each operation's run with a full budget.
    cache.clear()
    with time_machine.travel(NOW, tick=False):
        seeded["world"] = world_build()
        yield seeded["world"]
    seeded.clear()
    cache.clear()
    documents_restore(saved)


class Caller:
    """A member of the cast with a token. The run may revoke the token (DELETE /tokens/{id}/
    names it sometimes): a fresh one is issued then, so later calls are not all 401s."""

    def __init__(self, username: str, role: str, **extra) -> None:
        self.user = member(username, role, **extra)
        self.token: ApiToken | None = None
        self.key = ""

    def headers(self) -> dict[str, str]:
        if self.token is None or ApiToken.objects.get(pk=self.token.pk).revoked_at is not None:
            issued = token_create(user=self.user, name="schema run")
            self.token, self.key = issued.token, issued.key
        return {"Authorization": f"Token {self.key}"}


@pytest.fixture
def staff(world) -> Caller:
    return Caller("staff", roles.ADMIN, is_staff=True, is_superuser=True)


@pytest.fixture
def consumer(world) -> Caller:
    return Caller("consumer", roles.CONSUMER)


# The world and the callers are made once for each test below and shared by its examples, as
# the calls themselves would share a real server's database.
SHARED_FIXTURES = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])


@schema.exclude(method="DELETE").parametrize()
@SHARED_FIXTURES
def test_every_operation_answers_as_its_schema_says_for_staff(case, staff):
    case.call_and_validate(headers=staff.headers(), checks=CHECKS)


# Deleting runs on a world of its own, so the other operations still find the figure and token.
@schema.include(method="DELETE").parametrize()
@SHARED_FIXTURES
def test_every_deletion_answers_as_its_schema_says_for_staff(case, staff):
    case.call_and_validate(headers=staff.headers(), checks=CHECKS)


@reads.include(method="GET").parametrize()
@SHARED_FIXTURES
def test_every_read_answers_as_its_schema_says_for_a_consumer(case, consumer):
    case.call_and_validate(headers=consumer.headers(), checks=CHECKS)


# --------------------------------------------------------------------------------------------
# What the run found, pinned down
# --------------------------------------------------------------------------------------------


def test_it_answers_a_path_that_names_no_endpoint_in_the_error_shape(client_for, staff):
    response = client_for(staff.user).get("/api/v1/documents/1.5/download/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "errors": []}


def test_it_refuses_an_id_filter_too_large_for_the_database(client_for, staff):
    response = client_for(staff.user).get("/api/v1/figures/", {"campaign": "1e200"})
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "campaign", "message": "Enter a whole number."}]


def test_it_refuses_a_page_past_the_last_as_bad_input(client_for, staff):
    response = client_for(staff.user).get("/api/v1/forces/", {"page": 9})
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "page", "message": "Invalid page."}]


def test_it_refuses_an_unknown_format_naming_the_known_ones(client_for, staff):
    response = client_for(staff.user).get("/api/v1/dataset/", {"format": "xml"})
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "format", "message": "Unknown format 'xml'. Allowed: csv, json."}
    ]


def test_it_describes_the_reminder_preference_to_options(client_for, staff):
    response = client_for(staff.user).options("/api/v1/reminders/preference/")
    assert response.status_code == 200
    assert response.json()["name"] == "Preference"


def test_it_refuses_a_nul_character_in_a_slug_before_looking_it_up(client_for, staff):
    campaign = {"title": "T", "question": "Q", "period_start": "2020-01-01"}
    response = client_for(staff.user).post(
        "/api/v1/campaigns/",
        {**campaign, "period_end": "2020-02-01", "collaborators": ["owner\x00"]},
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "collaborators", "message": "Invalid value."}]
