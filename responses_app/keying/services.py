"""Writes of the keying grid, each all or nothing: every cell is checked first, and one bad cell
refuses the whole grid (GridRefused, naming each bad cell by platform and period) before anything
is written. Each figure then goes through the one path for figures (`figure_enter`,
`figure_correct`), so it is cleaned, its history kept and its verification decided as anywhere.

The second keying is blind: its page does not show the first values, and whoever keyed any of
the grid's figures may not key it again, since a second pair of eyes is the point of it."""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from responses_app import services
from responses_app.keying.selectors import grid_keyed_by
from responses_app.keying.shapes import (
    RAW_LENGTH,
    CellKey,
    CellProblem,
    GridCell,
    GridEntry,
    GridRefused,
    GridVerification,
    KeyedAgain,
    key_of,
)
from responses_app.models import Document, Figure, FoiResponse, OffenceCategory
from responses_app.values import ParsedValue

# What a clerk may say the answer's '-' means. The value parser reads '-' as nil only where the
# answer (or a person reading it) says so: a dash can as well mean "not asked" or "not held".
DASH_MEANINGS = ("zero", "not_held")
DASHES = ("-", "–", "—")  # noqa: RUF001 (word processors turn a hyphen into a dash)


class SecondKeyingRefused(PermissionDenied):
    """The person who keyed the grid (or some of it) asked to key it again."""


def grid_check_second_keyer(figures: dict[CellKey, Figure], user: AbstractBaseUser) -> None:
    """Raise SecondKeyingRefused if `user` keyed any figure of the grid."""
    keyed = grid_keyed_by(figures, user)
    if keyed:
        raise SecondKeyingRefused(
            f"You keyed {keyed} figure{'s' * (keyed != 1)} of this grid: the second keying must "
            "be done by someone else, who does not see the first values."
        )


def figures_enter_grid(
    *,
    response: FoiResponse,
    offence: OffenceCategory,
    unit: str,
    cells: Sequence[GridCell],
    user: AbstractBaseUser,
    dash: str = "",
    reason: str = "",
    document: Document | None = None,
) -> GridEntry:
    """Key a grid: a new value becomes a figure (its first entry), a changed value corrects the
    figure (with `reason`, kept in its history; it then needs a second person again), a value
    as stored writes nothing. A blank cell is not entered; emptying a keyed cell is refused,
    since a figure is not deleted here. `dash` says what the answer's '-' means."""
    marks = _marks(dash)
    with transaction.atomic():
        stored = _locked(response, offence, unit)
        parsed = _parsed(response, cells, marks)
        problems = parsed.problems + _emptied(cells, stored)
        if problems:
            raise GridRefused(problems)
        entry = GridEntry(created=[], corrected=[], unchanged=0)
        for cell in cells:
            figure = stored.get(cell.key)
            if not cell.raw:
                continue
            if figure is None:
                keyed = _enter(response, offence, unit, cell, user, marks, document)
                entry.created.append(keyed.figure)
            elif figure.raw == cell.raw and figure.same_value(*_value(parsed.values[cell.key])):
                entry.unchanged += 1
            else:
                figure.response = response
                services.figure_correct(
                    figure=figure, raw=cell.raw, user=user, reason=reason, marks=marks
                )
                entry.corrected.append(figure)
    return entry


def figures_verify_grid(
    *,
    response: FoiResponse,
    offence: OffenceCategory,
    unit: str,
    cells: Sequence[GridCell],
    user: AbstractBaseUser,
    dash: str = "",
) -> GridVerification:
    """Key a grid a second time, blind, and compare cell by cell through `figure_enter`'s second
    entry: the same value (status and interval) verifies the figure, another value records the
    disagreement on it. A value where nothing was keyed is a first entry (a second person must
    confirm it); a blank where a figure was keyed leaves that figure waiting. All or nothing: a
    bad cell refuses the grid before anything is compared."""
    marks = _marks(dash)
    with transaction.atomic():
        stored = _locked(response, offence, unit)
        grid_check_second_keyer(stored, user)
        problems = _parsed(response, cells, marks).problems
        if problems:
            raise GridRefused(problems)
        found = GridVerification(verified=[], disagreements=[], added=[], not_keyed=[])
        for cell in cells:
            figure = stored.get(cell.key)
            if not cell.raw:
                if figure is not None:
                    found.not_keyed.append(KeyedAgain(cell, first=figure.raw, second=""))
                continue
            keyed = _enter(response, offence, unit, cell, user, marks, None)
            if keyed.created:
                found.added.append(cell)
            else:
                again = KeyedAgain(cell, first=keyed.figure.raw, second=cell.raw)
                (found.verified if keyed.confirmed else found.disagreements).append(again)
    return found


def _marks(dash: str) -> tuple[tuple[str, str], ...]:
    if not dash:
        return ()
    if dash not in DASH_MEANINGS:
        raise ValidationError({"dash": f"A '-' can mean {' or '.join(DASH_MEANINGS)}."})
    return tuple((mark, dash) for mark in DASHES)


def _locked(response: FoiResponse, offence: OffenceCategory, unit: str) -> dict:
    figures = Figure.objects.select_for_update().filter(
        response=response, offence=offence, unit=unit
    )
    return {key_of(figure): figure for figure in figures.order_by("pk")}


class _Parsed:
    def __init__(self) -> None:
        self.values: dict[CellKey, ParsedValue] = {}
        self.problems: list[CellProblem] = []


def _parsed(response: FoiResponse, cells: Sequence[GridCell], marks) -> _Parsed:
    """Every keyed cell's value, or its problem; a withdrawn response refuses the whole grid."""
    parsed = _Parsed()
    for cell in cells:
        if not cell.raw:
            continue
        if len(cell.raw) > RAW_LENGTH:
            message = f"Keep the value under {RAW_LENGTH} characters ({len(cell.raw)})."
            parsed.problems.append(CellProblem(cell, message))
            continue
        try:
            parsed.values[cell.key] = services.figure_check(
                response=response,
                period_start=cell.period.start,
                period_end=cell.period.end,
                platform=cell.row.platform,
                platform_scope=cell.row.platform_scope,
                raw=cell.raw,
                marks=marks,
            )
        except ValidationError as refused:
            if "response" in refused.message_dict:
                raise
            parsed.problems.append(CellProblem(cell, _reason(cell, refused, marks)))
    return parsed


def _reason(cell: GridCell, refused: ValidationError, marks) -> str:
    if cell.raw in DASHES and not marks:
        return (
            "A '-' means nil only where the answer says so: say what '-' means in this answer, "
            "or key 0 or 'not held'."
        )
    return " ".join(message for messages in refused.message_dict.values() for message in messages)


def _emptied(cells: Sequence[GridCell], stored: dict) -> list[CellProblem]:
    return [
        CellProblem(
            cell,
            f"This cell holds {stored[cell.key].raw}, and a keyed figure is not deleted here: "
            "key the value the answer gives (0, 'not held', ...).",
        )
        for cell in cells
        if not cell.raw and cell.key in stored
    ]


def _value(parsed: ParsedValue) -> tuple:
    return parsed.status, parsed.low, parsed.high


def _enter(response, offence, unit, cell: GridCell, user, marks, document):
    return services.figure_enter(
        response=response,
        period_start=cell.period.start,
        period_end=cell.period.end,
        offence=offence,
        platform=cell.row.platform,
        platform_scope=cell.row.platform_scope,
        unit=unit,
        raw=cell.raw,
        user=user,
        marks=marks,
        document=document,
    )
