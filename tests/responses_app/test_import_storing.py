"""The importer's write path on PostgreSQL (one statement per batch, sent in pipeline mode while
the file is still being read) writes exactly the rows the ORM path writes, and a problem found
after some batches have gone to the database still leaves nothing behind."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.forms.models import model_to_dict
from simple_history.utils import bulk_create_with_history

from requests_app.models import Force
from requests_app.services import request_create
from responses_app import services
from responses_app.importing import storing
from responses_app.importing.reading import ImportRefused
from responses_app.importing.shapes import Layout
from responses_app.models import Document, Figure
from tests.responses_app.conftest import RECEIVED_ON, SENT_ON
from tests.responses_app.sheets import LONG_HEADER, csv_bytes, long_row

ROWS = [
    LONG_HEADER,
    long_row("insta", "12"),
    long_row("FB Messenger", "<5", note="as written"),
    long_row("snapchat", "0"),
    long_row("not recorded", "n/a"),
    long_row("Total", "1,234", unit="offences"),
]
# What differs between two copies of the same figures by construction.
NOT_COMPARED = {"id", "response", "entered_at", "history", "history_date"}


def second_response(campaign, owner, data_entry):
    request = request_create(
        campaign=campaign, force=Force.objects.get(slug="essex"), user=owner, sent_on=SENT_ON
    )
    return services.response_record(
        request=request, received_on=RECEIVED_ON, outcome="granted", user=data_entry
    )


def stored(response) -> tuple[list[dict], list[dict]]:
    def comparable(rows) -> list[dict]:
        return sorted(
            ({k: v for k, v in row.items() if k not in NOT_COMPARED} for row in rows),
            key=lambda row: row["cell"],
        )

    figures = [model_to_dict(f) for f in Figure.objects.filter(response=response)]
    history = Figure.history.filter(response_id=response.pk).values()
    return comparable(figures), comparable(
        {k.removesuffix("_id") if k != "history_user_id" else k: v for k, v in row.items()}
        for row in history
    )


def test_the_statement_writes_the_figures_and_history_the_orm_writes(
    postgres, response, campaign, owner, data_entry
):
    other = second_response(campaign, owner, data_entry)
    document = services.document_attach(
        response=response, name="figures.csv", content=csv_bytes(ROWS), user=data_entry
    )
    drafts, _ = services.figures_read(response=response, content=csv_bytes(ROWS), layout=Layout())
    orm = [storing._figure_from(d, other, document, data_entry) for d in drafts]
    bulk_create_with_history(orm, Figure, default_user=data_entry)

    count = storing.figures_store(drafts, response=response, document=document, user=data_entry)

    assert count == 5
    figures, history = stored(response)
    assert (figures, history) == stored(other)
    assert [(f["cell"], f["raw"], f["low"], f["high"]) for f in figures] == [
        ("E2", "12", 12, 12),
        ("E3", "<5", 1, 4),
        ("E4", "0", 0, 0),
        ("E5", "n/a", None, None),
        ("E6", "1,234", 1234, 1234),
    ]
    assert {(h["history_type"], h["history_user_id"]) for h in history} == {("+", data_entry.pk)}
    assert {h["history_change_reason"] for h in history} == {None}


def test_several_batches_are_written_while_the_file_is_read(
    postgres, response, data_entry, monkeypatch
):
    monkeypatch.setattr(storing, "BATCH", 2)
    result = services.figures_import(
        response=response, content=csv_bytes(ROWS), name="f.csv", layout=Layout(), user=data_entry
    )
    assert result.created == 5
    assert Figure.objects.filter(response=response).count() == 5
    assert Figure.history.filter(response_id=response.pk, history_type="+").count() == 5


def test_a_bad_row_after_batches_went_to_the_database_leaves_nothing(
    postgres, response, data_entry, monkeypatch
):
    monkeypatch.setattr(storing, "BATCH", 2)
    bad = [*ROWS, long_row("instagram", "-3", start="2020-04-01", end="2020-09-30")]
    with pytest.raises(ImportRefused) as refused:
        services.figures_import(
            response=response,
            content=csv_bytes(bad),
            name="f.csv",
            layout=Layout(),
            user=data_entry,
        )
    assert [(e.row, e.column) for e in refused.value.errors] == [(7, "E")]
    assert "negative" in refused.value.errors[0].message
    assert (Figure.objects.count(), Figure.history.count(), Document.objects.count()) == (0, 0, 0)


def test_a_figure_written_meanwhile_fails_the_batch_as_djangos_integrity_error(
    postgres, response, data_entry
):
    # Another import of the same cell committed after this one was checked: the unique cell
    # constraint refuses it, and the error is Django's, so the usual handling applies.
    drafts, _ = services.figures_read(response=response, content=csv_bytes(ROWS), layout=Layout())
    storing.figures_store(drafts[:1], response=response, document=None, user=data_entry)
    with pytest.raises(IntegrityError, match="one_figure_per_cell"), transaction.atomic():
        storing.figures_store(drafts, response=response, document=None, user=data_entry)
    assert Figure.objects.filter(response=response).count() == 1
