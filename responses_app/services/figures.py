"""Writes: entering, confirming and correcting figures, and importing a table of figures
all-or-nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core.conflicts import Conflict
from core.dates import check_date_in_range
from responses_app import documents
from responses_app.importing.checking import FigureReading
from responses_app.importing.shapes import FigureDraft, Layout
from responses_app.importing.storing import figures_store
from responses_app.models import (
    Document,
    Figure,
    FoiResponse,
    OffenceCategory,
    Platform,
    PlatformScope,
)
from responses_app.services.responses import document_attach, response_check_standing
from responses_app.values import ParsedValue, ValueRejected, parse_value


@dataclass
class FigureEntry:
    """The result of entering a figure: a new row, or the existing row confirmed or disputed."""

    figure: Figure
    created: bool
    confirmed: bool = False
    disputed: bool = False


def figure_enter(
    *,
    response: FoiResponse,
    period_start: dt.date,
    period_end: dt.date,
    offence: OffenceCategory,
    platform: Platform | None,
    platform_scope: str = PlatformScope.NAMED,
    unit: str,
    raw: str,
    user: AbstractBaseUser,
    note: str = "",
    document: Document | None = None,
    sheet: str = "",
    cell: str = "",
    page: int | None = None,
    marks: tuple[tuple[str, str], ...] = (),
) -> FigureEntry:
    """Key in one figure. If the same cell is already entered by someone else, this is the
    second entry of double-entry verification: the same value confirms it, another value is a
    disagreement kept on the figure until someone corrects it. The same person keying the cell
    again is a Conflict. `marks` is what the answer's own marks mean, as the value parser takes
    them (('-', 'zero') where the answer says '-' is nil)."""
    parsed = figure_check(
        response=response,
        period_start=period_start,
        period_end=period_end,
        platform=platform,
        platform_scope=platform_scope,
        raw=raw,
        marks=marks,
    )
    figure = Figure(
        response=response,
        period_start=period_start,
        period_end=period_end,
        offence=offence,
        platform=platform,
        platform_scope=platform_scope,
        owner_id=platform.owner_on(period_start) if platform else None,
        unit=unit,
        raw=str(raw).strip(),
        status=parsed.status,
        low=parsed.low,
        high=parsed.high,
        note=note,
        document=document,
        sheet=sheet,
        cell=cell,
        page=page,
        entered_by=user,
    )
    try:
        return _first_or_second_entry(figure, raw, parsed, user)
    except IntegrityError:
        # Another entry of this cell was inserted between our look and our insert (there was
        # no row to lock yet): the cell's unique constraint let that one in. It is the first
        # entry now, and ours the second.
        figure.pk = None
        return _first_or_second_entry(figure, raw, parsed, user)


def _first_or_second_entry(figure: Figure, raw, parsed: ParsedValue, user) -> FigureEntry:
    with transaction.atomic():
        existing = (
            Figure.objects.select_for_update()
            .filter(response=figure.response, **figure.cell_lookup())
            .first()
        )
        if existing is not None:
            return _second_entry(existing, raw, parsed, user)
        _check_document(figure)
        figure._history_user = user
        # The cell's uniqueness is the look above and the database's constraint (excluding
        # `response` leaves that constraint out): checked here too, it would refuse the loser
        # of a race with a 400 instead of making it the second entry.
        figure.full_clean(exclude=["response"])
        figure.save()
    return FigureEntry(figure, created=True)


def figure_check(
    *,
    response: FoiResponse,
    period_start: dt.date,
    period_end: dt.date,
    platform: Platform | None,
    platform_scope: str,
    raw: object,
    marks: tuple[tuple[str, str], ...] = (),
) -> ParsedValue:
    """The value as parsed, or ValidationError naming the field; forms call it before saving."""
    response_check_standing(response)
    parsed = _parse(raw, response, marks)
    _check_cell(period_start, period_end, platform, platform_scope)
    return parsed


def figure_check_value(
    *, figure: Figure, raw: object, marks: tuple[tuple[str, str], ...] = ()
) -> ParsedValue:
    """A corrected value as parsed, or ValidationError on `raw`."""
    return _parse(raw, figure.response, marks)


def _check_cell(start: dt.date, end: dt.date, platform: Platform | None, scope: str) -> None:
    check_date_in_range(start, "period_start")
    check_date_in_range(end, "period_end")
    if end < start:
        raise ValidationError(
            {"period_end": f"The period ends ({end}) before it starts ({start})."}
        )
    if scope == PlatformScope.NAMED and platform is None:
        raise ValidationError(
            {
                "platform": "Name the platform, or set platform_scope to "
                "'not_recorded' or 'all_platforms'."
            }
        )
    if scope != PlatformScope.NAMED and platform is not None:
        raise ValidationError({"platform": f"A figure for '{scope}' takes no platform."})


def _check_document(figure: Figure) -> None:
    document = figure.document
    if document is None:
        return
    if document.response_id not in (None, figure.response_id) or (
        document.request_id != figure.response.request_id
    ):
        raise ValidationError({"document": "The document belongs to another response."})


def _parse(raw: object, response: FoiResponse, marks: tuple = ()) -> ParsedValue:
    try:
        threshold = response.request.force.suppression_threshold
        return parse_value(raw, threshold=threshold, marks=marks)
    except ValueRejected as rejected:
        raise ValidationError({"raw": str(rejected)}) from rejected


def _second_entry(figure: Figure, raw, parsed, user) -> FigureEntry:
    if figure.entered_by_id == user.pk:
        raise Conflict({"raw": "You already entered this figure; a second person must confirm it."})
    figure._history_user = user
    if figure.same_value(parsed.status, parsed.low, parsed.high):
        _confirm(figure, user)
        return FigureEntry(figure, created=False, confirmed=True)
    figure.verified, figure.verified_by = False, None
    figure.disputed, figure.disputed_raw, figure.disputed_by = True, str(raw).strip(), user
    figure.save()
    return FigureEntry(figure, created=False, disputed=True)


def _confirm(figure: Figure, user: AbstractBaseUser) -> None:
    figure.verified, figure.verified_by = True, user
    figure.disputed, figure.disputed_raw, figure.disputed_by = False, "", None
    figure.save()


def figure_verify(*, figure: Figure, user: AbstractBaseUser) -> Figure:
    """A second person approves the figure as entered."""
    if figure.entered_by_id == user.pk:
        raise ValidationError(
            {"verified": "You entered this figure; a second person must confirm it."}
        )
    figure._history_user = user
    with transaction.atomic():
        _confirm(figure, user)
    return figure


# The history table keeps a correction's reason in a column of this width (simple_history).
REASON_LENGTH = 100


def figure_correct(
    *,
    figure: Figure,
    raw: str,
    user: AbstractBaseUser,
    note: str | None = None,
    reason: str = "",
    marks: tuple[tuple[str, str], ...] = (),
) -> Figure:
    """Replace the value. The old one stays in the history with the reason for the change,
    which the next release lists beside the figure; the corrected figure needs a second person
    again, so its verification and any disagreement are cleared."""
    parsed = figure_check_value(figure=figure, raw=raw, marks=marks)
    reason = reason.strip()
    if len(reason) > REASON_LENGTH:
        raise ValidationError(
            {"reason": f"Give the reason in at most {REASON_LENGTH} characters ({len(reason)})."}
        )
    figure.raw, figure.status, figure.low, figure.high = (
        str(raw).strip(),
        parsed.status,
        parsed.low,
        parsed.high,
    )
    if note is not None:
        figure.note = note
    figure.entered_by = user
    figure.verified, figure.verified_by = False, None
    figure.disputed, figure.disputed_raw, figure.disputed_by = False, "", None
    figure._history_user = user
    figure._change_reason = reason or None
    with transaction.atomic():
        figure.full_clean()
        figure.save()
    return figure


@dataclass
class ImportResult:
    drafts: list[FigureDraft]
    warnings: list[str] = field(default_factory=list)
    created: int = 0
    document: Document | None = None


def figures_import(
    *,
    response: FoiResponse,
    content: bytes,
    name: str,
    layout: Layout,
    user: AbstractBaseUser,
    dry_run: bool = False,
    document: Document | None = None,
) -> ImportResult:
    """Import a CSV or XLSX table of figures, all or nothing: any bad row raises ImportRefused
    listing every bad row by number and column, and nothing is written. Unless given an
    already attached document, the file is attached to the response as the figures' source.
    A dry run returns the drafts it would create."""
    if dry_run:
        drafts, warnings = figures_read(response=response, content=content, layout=layout)
        return ImportResult(drafts=drafts, warnings=warnings)
    response_check_standing(response)
    reading = FigureReading(response=response, content=content, layout=layout)
    # A refused import takes back its document's file as well as its rows.
    with documents.files_removed_on_rollback(), transaction.atomic():
        if document is None:
            document = document_attach(response=response, name=name, content=content, user=user)
        # Figures are written while the file is still being read; a problem anywhere raises
        # here and the transaction takes back everything, the document included.
        created = figures_store(reading.drafts(), response=response, document=document, user=user)
        reading.refuse_if_wrong()
    return ImportResult(drafts=[], warnings=reading.warnings, created=created, document=document)


def figures_read(
    *, response: FoiResponse, content: bytes, layout: Layout
) -> tuple[list[FigureDraft], list[str]]:
    """Every figure the file would create, checked against the reference lists and against the
    response's figures already stored (one query each, whatever the number of rows)."""
    reading = FigureReading(response=response, content=content, layout=layout)
    drafts = list(reading.drafts())
    reading.refuse_if_wrong()
    return drafts, reading.warnings
