"""The data-entry pages' world. Today is 1 March 2021 (tests/web/conftest.py); the campaign was
sent to Kent and Surrey on Mon 18 January 2021. Kent answered on Fri 12 February with figures
for the first half-year (Oct 2019 - Mar 2020) that data entry keyed; Surrey has not answered.
Uploaded documents go to a temporary folder, which the tests look into."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from requests_app import roles
from requests_app.models import RequestEvent
from responses_app import services
from responses_app.models import Document, Figure, FoiResponse, OffenceCategory, Platform
from tests.api_world import documents_in, documents_restore
from tests.factories import UserFactory

RECEIVED_ON = dt.date(2021, 2, 12)
H1 = (dt.date(2019, 10, 1), dt.date(2020, 3, 31))


@pytest.fixture(autouse=True)
def documents_folder(tmp_path) -> Path:
    folder = tmp_path / "documents"
    saved = documents_in(folder)
    yield folder
    documents_restore(saved)


def files_in(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.rglob("*") if path.is_file())


def written(folder: Path) -> dict:
    """Everything a data-entry page can write: rows, the requests' state and the files."""
    return {
        "responses": FoiResponse.objects.count(),
        "documents": Document.objects.count(),
        "figures": list(
            Figure.objects.order_by("pk").values_list("pk", "raw", "verified", "disputed")
        ),
        "events": RequestEvent.objects.count(),
        "files": files_in(folder),
    }


@pytest.fixture
def requests_sent(send_to):
    return send_to("kent", "surrey")


@pytest.fixture
def kent(requests_sent):
    return requests_sent["kent"]


@pytest.fixture
def surrey(requests_sent):
    return requests_sent["surrey"]


@pytest.fixture
def second_clerk(db):
    clerk = UserFactory(username="second_clerk")
    clerk.groups.add(Group.objects.get(name=roles.DATA_ENTRY))
    return clerk


@pytest.fixture
def kent_response(kent, data_entry) -> FoiResponse:
    return services.response_record(
        request=kent, received_on=RECEIVED_ON, outcome="granted", user=data_entry
    )


def key(response: FoiResponse, user, raw: str, platform: str | None = "instagram") -> Figure:
    """Key one figure of the first half-year (a 'not recorded' row when platform is None)."""
    return services.figure_enter(
        response=response,
        period_start=H1[0],
        period_end=H1[1],
        offence=OffenceCategory.objects.get(slug="child-sexual-offences"),
        platform=Platform.objects.get(slug=platform) if platform else None,
        platform_scope="named" if platform else "not_recorded",
        unit="instances",
        raw=raw,
        user=user,
    ).figure


def queries_of(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)
