"""Each rule has one definition, and every place that applies it agrees with it.

The behavioural tests put every status (or every trigger, every ownership) through each reader of
the rule and ask for the same answer; the source scan fails when a second copy of a rule's text
appears somewhere else in the product.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import spreadsheet_cells
from requests_app.deadlines import Deadlines
from requests_app.models import FoiRequest, Force, ReminderPolicy
from requests_app.reminders.rules import STAGES, CountingCalendar, may_owe
from requests_app.selectors import working_calendars
from requests_app.status import OPEN, RUNNING_CLOCKS, Status
from responses_app import dataset
from responses_app.coverage import _classify
from responses_app.importing import template
from responses_app.importing.lookups import ReferenceMaps
from responses_app.importing.shapes import FigureDraft
from responses_app.models import CELL_FIELDS, Figure, Platform
from tests.factories import CampaignFactory
from web.board import next_action

ROOT = Path(__file__).resolve().parents[1]
TODAY = dt.date(2021, 3, 1)
PAST = dt.date(2021, 2, 1)
FUTURE = dt.date(2021, 6, 1)
EVERY_CLOCK = {field.name: PAST for field in dataclasses.fields(Deadlines)}


def _request_in(status: str, campaign, force: Force) -> FoiRequest:
    """A request in `status` whose every stored clock has passed: overdue exactly when its
    status runs a clock."""
    request = FoiRequest(campaign=campaign, force=force, status=status, **EVERY_CLOCK)
    request.current_due_on = request.running_clock_due_on()
    request.save()
    return request


@pytest.fixture
def one_request_per_status(db):
    campaign = CampaignFactory()
    forces = list(Force.objects.order_by("slug")[: len(Status)])
    return {s: _request_in(s, campaign, force) for s, force in zip(Status, forces, strict=True)}


def test_the_model_the_queryset_the_board_and_coverage_agree_on_overdue(one_request_per_status):
    overdue_in_sql = set(FoiRequest.objects.overdue(TODAY).values_list("status", flat=True))
    for status, request in one_request_per_status.items():
        overdue = status in RUNNING_CLOCKS
        assert request.is_overdue(TODAY) is overdue, status
        assert (status in overdue_in_sql) is overdue, status
        assert next_action(request, TODAY).startswith("Chase") is overdue, status
        if status in (Status.SENT, Status.EXTENDED):
            row = {"has_figures": False, "latest_outcome": None, "status": status}
            assert _classify({**row, "current_due_on": request.current_due_on}, TODAY) == "overdue"
    assert overdue_in_sql == set(RUNNING_CLOCKS)


def test_the_api_filter_lists_what_the_queryset_calls_overdue(
    one_request_per_status, client_for, staff
):
    answer = client_for(staff).get("/api/v1/requests/", {"overdue": "true", "page_size": 50})
    listed = {row["status"] for row in answer.json()["results"]}
    assert listed == set(RUNNING_CLOCKS)


def test_open_means_sent_and_not_finished(one_request_per_status):
    finished = {Status.DRAFT, Status.WITHDRAWN, Status.CLOSED}
    assert set(FoiRequest.objects.open().values_list("status", flat=True)) == set(OPEN)
    assert set(OPEN) == set(Status) - finished


def test_the_running_clock_of_a_status_is_the_one_its_reminders_watch():
    for status, clock in RUNNING_CLOCKS.items():
        assert clock.deadline in {f.name for f in dataclasses.fields(Deadlines)}
        assert clock.deadline in {stage.clock for stage in STAGES[status]}, status


def test_the_sweep_reads_every_request_whose_running_clock_has_passed(one_request_per_status):
    calendars = {regime: CountingCalendar(c) for regime, c in working_calendars().items()}
    candidates = FoiRequest.objects.filter(
        may_owe(today=TODAY, policy=ReminderPolicy.current(), calendars=calendars)
    )
    read = set(candidates.values_list("status", flat=True))
    assert set(RUNNING_CLOCKS) <= read
    # Statuses that owe nothing are never read: a draft, a paused fee clock, a finished request.
    # (An answered request is read only while its complaint window is about to close.)
    assert read == {*RUNNING_CLOCKS, Status.AWAITING_CLARIFICATION}


def test_the_deadline_fields_are_the_engines_and_the_running_clock():
    engine = [field.name for field in dataclasses.fields(Deadlines)]
    assert [*engine, "current_due_on"] == FoiRequest.DEADLINE_FIELDS


def test_the_unique_constraint_the_importer_and_the_stored_cell_use_one_definition():
    [constraint] = [c for c in Figure._meta.constraints if c.name == "one_figure_per_cell"]
    names = [
        getattr(e, "name", None) or e.source_expressions[0].name for e in constraint.expressions
    ]
    assert names == ["response", *CELL_FIELDS]
    draft = FigureDraft(
        row=2,
        period_start=dt.date(2019, 10, 1),
        period_end=dt.date(2020, 3, 31),
        offence_id=7,
        platform_id=3,
        platform_scope="named",
        unit="instances",
        raw="12",
        status="reported",
        low=12,
        high=12,
        note="",
        sheet="",
        cell="B2",
    )
    figure = Figure(offence_id=7, platform_id=3, platform_scope="named", unit="instances")
    figure.period_start, figure.period_end = draft.period_start, draft.period_end
    assert draft.key() == tuple(figure.cell_lookup().values())


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("day", "owner"),
    [(dt.date(2023, 3, 14), "twitter"), (dt.date(2023, 3, 15), "x-corp")],
)
def test_the_service_and_the_importer_agree_on_who_owned_a_platform(day, owner):
    twitter = Platform.objects.prefetch_related("ownerships__owner").get(slug="twitter")
    maps = ReferenceMaps.load()
    expected = twitter.ownerships.get(owner__slug=owner).owner_id
    assert twitter.owner_on(day) == expected
    assert maps.owner_id(twitter.pk, day) == expected


@pytest.mark.django_db
def test_owner_on_reads_prefetched_ownerships_without_a_query():
    twitter = Platform.objects.prefetch_related("ownerships").get(slug="twitter")
    with CaptureQueriesContext(connection) as queries:
        twitter.owner_on(dt.date(2020, 1, 1))
    assert len(queries) == 0


@pytest.mark.parametrize("trigger", spreadsheet_cells.FORMULA_STARTS)
def test_every_csv_writer_neutralises_the_same_inputs(trigger):
    value = f"{trigger}HYPERLINK(1)"
    assert spreadsheet_cells.spreadsheet_safe(value) == f"'{value}"
    # The dataset export and the template write through the one function.
    assert dataset.spreadsheet_safe is spreadsheet_cells.spreadsheet_safe
    assert template.spreadsheet_safe is spreadsheet_cells.spreadsheet_safe


def test_plain_values_pass_through_unchanged():
    assert spreadsheet_cells.spreadsheet_safe("Instagram") == "Instagram"
    assert spreadsheet_cells.spreadsheet_safe(12) == 12
    assert spreadsheet_cells.spreadsheet_safe(None) is None


def _product_sources() -> list[Path]:
    skipped = {"tests", "migrations", ".venv", "bench", "loadtest"}
    return [path for path in ROOT.rglob("*.py") if not skipped & set(path.relative_to(ROOT).parts)]


# A rule's tell-tale text, and the one module allowed to contain it.
ONE_HOME = {
    r"current_due_on__lt": "requests_app/models.py",
    r'"=",\s*"\+",\s*"-",\s*"@"': "core/spreadsheet_cells.py",
    r"ownership\.covers\(": "responses_app/models.py",
    r"Status\.SENT:\s*Clock|\"due_on\",\s*\"answer\"": "requests_app/status.py",
    # A share becomes a percentage, or is rounded, in one place: one rounding rule everywhere (a
    # reader showing a cell as the force formatted it, "12%", is not a share).
    r"share \* 100\b|ROUND_HALF|\.quantize\(": "responses_app/shares.py",
}


@pytest.mark.parametrize(("pattern", "home"), ONE_HOME.items())
def test_no_second_copy_of_a_rule_appears(pattern, home):
    found = sorted(
        str(path.relative_to(ROOT))
        for path in _product_sources()
        if re.search(pattern, path.read_text(encoding="utf-8"))
    )
    assert found == [home]
