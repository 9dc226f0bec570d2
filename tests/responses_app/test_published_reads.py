"""What a reader of published data sees (issue 15, item 16): a consumer of a published campaign
read its event notes, the usernames of who keyed and confirmed each figure and the forces'
original documents, beyond what docs/api.md promises (aggregates, dataset, releases).

Now a consumer, and an anonymous reader where FOI_PUBLIC_ENDPOINTS makes a report public, reads
the reports of published campaigns without the people's names; the records answer 403. The
world is tests/api_world.py: its published campaign has one figure, 7 on Instagram, keyed by
`colleague`, with a note, from a document."""

from __future__ import annotations

import csv
import io
import json

import pytest
import time_machine
from django.core.cache import cache
from rest_framework.test import APIClient

from responses_app.dataset import COLUMNS, PEOPLE_COLUMNS
from tests.api_world import NOW, documents_in, documents_restore, world_build


@pytest.fixture
def world(db, tmp_path):
    saved = documents_in(tmp_path)
    cache.clear()
    with time_machine.travel(NOW, tick=False):
        yield world_build()
    documents_restore(saved)
    cache.clear()


def csv_of(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_a_consumer_reads_the_published_dataset_without_the_peoples_names(
    client_for, consumer, world
):
    answer = client_for(consumer).get("/api/v1/dataset/", {"campaign": world.published_campaign})
    assert answer.status_code == 200
    [row] = csv_of(answer)
    assert list(row) == [c for c in COLUMNS if c not in PEOPLE_COLUMNS]
    assert (row["force_slug"], row["platform_slug"], row["raw"]) == (
        "devon-and-cornwall",
        "instagram",
        "7",
    )
    assert row["note"] == "Counted from the crime recording system."


def test_the_team_reads_who_keyed_each_figure(client_for, owner, world):
    answer = client_for(owner).get("/api/v1/dataset/", {"campaign": world.published_campaign})
    [row] = csv_of(answer)
    assert list(row) == COLUMNS
    assert (row["entered_by_name"], row["verified_by_name"]) == ("colleague", "")


def test_an_anonymous_reader_of_a_public_dataset_sees_what_a_consumer_sees(settings, world):
    settings.FOI_PUBLIC_ENDPOINTS = ["dataset"]
    answer = APIClient().get(
        "/api/v1/dataset/", {"campaign": world.published_campaign, "format": "json"}
    )
    assert answer.status_code == 200
    [row] = json.loads(b"".join(answer.streaming_content))
    assert set(PEOPLE_COLUMNS) & set(row) == set()
    assert row["raw"] == "7"


def test_a_consumer_reads_a_release_without_the_name_of_who_made_it(client_for, consumer, world):
    answer = client_for(consumer).get(f"/api/v1/releases/{world.published_release}/")
    assert answer.status_code == 200
    assert (answer.json()["name"], answer.json()["created_by"]) == ("Published release", None)
    frozen = client_for(consumer).get(f"/api/v1/releases/{world.published_release}/dataset/")
    [row] = csv_of(frozen)
    assert set(PEOPLE_COLUMNS) & set(row) == set()


def test_the_team_reads_who_made_a_release(client_for, owner, world):
    answer = client_for(owner).get(f"/api/v1/releases/{world.published_release}/")
    assert answer.json()["created_by"] == "owner"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/requests/{published_request}/events/",
        "/api/v1/documents/{published_document}/download/",
        "/api/v1/figures/{published_figure}/",
        "/api/v1/campaigns/{published_campaign}/",
    ],
)
def test_a_consumer_is_told_what_it_may_read_instead_of_the_records(
    client_for, consumer, world, path
):
    answer = client_for(consumer).get(path.format(**world.ids()))
    assert answer.status_code == 403
    assert answer.json() == {
        "detail": "Your role reads what is published: /api/v1/aggregates/, /api/v1/dataset/ "
        "and /api/v1/releases/.",
        "errors": [],
    }
