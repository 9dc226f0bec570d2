"""One table's cells read into figures: each value cell at the crossing of a platform (or the
'not recorded' row, or a stated total) and a period or offence, with the table's legend applied
and everything undecided turned into a question rather than a guess.

A cell becomes a figure only when its platform, period, offence and value are all known: by the
file itself, by the caller's hints, or by a person's decision. Nothing is filed on a suggestion.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from responses_app.importing.grid import Cell, Sheet
from responses_app.importing.labels import (
    NOT_RECORDED,
    OFFENCE,
    PLATFORM,
    SKIP,
    SUBTOTAL,
    TOTAL,
    UNKNOWN,
    LabelMatcher,
)
from responses_app.importing.outcome import (
    HEADER,
    LABEL,
    NOTE,
    QUESTION,
    SKIPPED,
    CellReading,
    Choice,
    Hints,
    Problem,
    ProposedFigure,
    TableReading,
)
from responses_app.importing.periods import Period, find_period, read_heading
from responses_app.importing.tables import axes
from responses_app.importing.tables.axes import PLATFORMS_DOWN, Entry, label_key
from responses_app.importing.tables.layout import TableLayout
from responses_app.importing.tables.legend import Legend, read_legend
from responses_app.importing.tables.questions import QuestionBook, parse_period_choice
from responses_app.importing.tables.totals import check_totals
from responses_app.values import ParsedValue, ValueRejected, parse_value

KIND_OF_STATUS = {
    "reported": "exact",
    "suppressed": "interval",
    "zero": "zero",
    "not_held": "not_held",
    "not_recorded": "not_recorded",
    "refused": "refused",
}
SCOPE_OF = {PLATFORM: "named", NOT_RECORDED: "not_recorded", TOTAL: "all_platforms"}


@dataclass
class Context:
    """What every table of one reading shares; questions, warnings and problems collect here."""

    matcher: LabelMatcher
    hints: Hints
    campaign_periods: tuple[Period, ...]
    threshold: int
    questions: QuestionBook
    warnings: list[str]
    problems: list[Problem]
    fallback_legend: list[str] = field(default_factory=list)


@dataclass
class Line:
    """A column (platforms down) or a row (platforms across) read as the non-platform axis."""

    entry: Entry
    period: Period | None = None
    offence: str = ""
    # figure; total (a Total column, checked not filed); skipped (a percentage or notes
    # column, or skipped by decision); question (its period or offence is undecided)
    role: str = "figure"


def read_table(table: TableLayout, context: Context) -> TableReading:
    sheet = table.sheet
    reading = TableReading(sheet.name, table.number, _region(table), orientation="")
    notes = _note_lines(table)
    reading.notes = notes
    legend = read_legend(notes)
    if not legend.lines and context.fallback_legend:
        legend = read_legend([*notes, *context.fallback_legend])
    _mark_frame(table, reading)
    rows = axes.row_entries(table, context.matcher, context.hints.decisions)
    columns = axes.column_entries(table, context.matcher, context.hints.decisions)
    orientation = _orientation(table, rows, columns, context)
    if orientation is None:
        return reading
    reading.orientation = orientation
    platforms, others = (rows, columns) if orientation == PLATFORMS_DOWN else (columns, rows)
    lines = _lines(table, others, context, legend)
    _mark_axes(table, reading, platforms, lines, orientation)
    values = _read_values(table, reading, platforms, lines, orientation, context, legend)
    reading.totals = check_totals(table.sheet.name, platforms, lines, values)
    return reading


def _region(table: TableLayout) -> str:
    span = table.region
    return f"{table.sheet.ref(span.top, span.left)}:{table.sheet.ref(span.bottom, span.right)}"


def _note_lines(table: TableLayout) -> list[str]:
    sheet = table.sheet
    lines = [*sheet.text_above] if table.number == 1 else []
    for row in table.title_rows + table.note_rows:
        text = sheet.row_text(row)
        if text:
            lines.append(text)
    return [*lines, *sheet.text_below]


def _mark_frame(table: TableLayout, reading: TableReading) -> None:
    for kind, rows in ((NOTE, table.title_rows), (HEADER, table.header_rows),
                       (NOTE, table.note_rows)):  # fmt: skip
        for row in rows:
            reading.cells.extend(_cell(cell, kind) for cell in table.sheet.row(row))


def _cell(cell: Cell, kind: str, detail: str = "") -> CellReading:
    return CellReading(cell.ref, cell.row, cell.column, cell.text, kind, detail)


def _orientation(table, rows, columns, context: Context) -> str | None:
    found = axes.orientation(rows, columns)
    if found is not None:
        return found
    key = f"layout:{table.sheet.name}#{table.number}"
    decision = context.hints.decisions.get(key)
    if decision in (axes.PLATFORMS_DOWN, axes.PLATFORMS_ACROSS):
        return decision
    if decision != SKIP:
        context.questions.ask(
            key,
            "layout",
            table.sheet.name,
            _region(table),
            f"Neither the rows nor the columns of the table at {_region(table)} name a known "
            "platform, period or offence: say which way the platforms run, or skip the table.",
            axes_choices(),
        )
    return None


def axes_choices() -> tuple[Choice, ...]:
    return (
        Choice(axes.PLATFORMS_DOWN, "platforms are the rows"),
        Choice(axes.PLATFORMS_ACROSS, "platforms are the columns"),
        Choice(SKIP, "skip this table"),
    )


def _lines(table: TableLayout, entries: list[Entry], context: Context, legend: Legend):
    periods = sum(e.period is not None for e in entries)
    offences = sum(e.match.kind == OFFENCE or bool(e.offence) for e in entries)
    role = "offence" if offences > periods else "period"
    lines = [Line(entry) for entry in entries]
    for line in lines:
        entry = line.entry
        if entry.percent or entry.text_only or entry.match.kind == SKIP:
            line.role = "skipped"
        elif entry.is_total:
            line.role = "total"
        else:
            line.offence = entry.offence or (entry.match.key if entry.match.kind == OFFENCE else "")
    figures = [ln for ln in lines if ln.role == "figure"]
    # One value column headed by no period ('Number') on a sheet named for a year takes the
    # sheet's period; several such columns are asked about, never all given the same period.
    unheaded = [ln for ln in figures if ln.entry.period is None]
    shared = None
    if role == "offence" or len(unheaded) == 1:
        shared = _table_period(table, context, ask=role == "offence")
    for line in figures:
        if role == "offence":
            line.period = shared
            if line.entry.match.kind == UNKNOWN:
                _ask_label(table, line.entry, context)
                line.role = "question"
        else:
            line.period = _line_period(table, line.entry, context, legend, shared)
        if line.period is None:
            line.role = "skipped" if _period_skipped(table, line.entry, context) else "question"
    # On an offence axis a question line is an unknown offence: decided, it brings its own.
    asking = ("figure",) if role == "offence" else ("figure", "question")
    if any(not ln.offence for ln in lines if ln.role in asking):
        offence = _table_offence(table, context)
        for line in lines:
            line.offence = line.offence or offence
    return lines


def _ask_label(table: TableLayout, entry: Entry, context: Context) -> None:
    context.questions.label(
        label_key(entry.text), table.sheet.name, entry.ref, entry.text, entry.match
    )


def _line_period(table, entry: Entry, context: Context, legend: Legend, shared):
    """The period of a line: its own heading, checked against the caller's mapping, else the
    mapping, else a person's decision, else a question."""
    mapped = context.hints.periods.get(entry.ref) or context.hints.periods.get(entry.text)
    own = entry.period
    if own is not None:
        if mapped is not None and mapped != own:
            context.problems.append(
                Problem(
                    f"The heading '{entry.text}' in {entry.ref} reads as {own.label()}, but the "
                    f"mapping given says {mapped.label()}: correct the mapping or leave it out.",
                    table.sheet.name,
                    (entry.ref,),
                )
            )
        if entry.heading.mark and entry.heading.mark in legend.footnotes:
            context.warnings.append(
                f"Sheet '{table.sheet.name}' {entry.ref} '{entry.text}': "
                f"{legend.footnotes[entry.heading.mark]}"
            )
        return own
    if mapped is not None:
        return mapped
    if shared is not None:
        return shared
    return _decided_period(table, entry, context)


def _period_skipped(table: TableLayout, entry: Entry, context: Context) -> bool:
    decisions = context.hints.decisions
    table_key = f"period:{table.sheet.name}#{table.number}"
    return SKIP in (decisions.get(period_key(entry)), decisions.get(table_key))


def period_key(entry: Entry) -> str:
    return f"period:{entry.text.casefold()}" if entry.text else f"period:{entry.ref}"


def _decided_period(table, entry: Entry, context: Context) -> Period | None:
    key = period_key(entry)
    decision = context.hints.decisions.get(key)
    if decision == SKIP:
        return None
    if decision:
        try:
            return parse_period_choice(decision)
        except ValueError:
            context.problems.append(
                Problem(
                    f"The decision '{decision}' for {key} is not a period "
                    "(write 2019-10-01/2020-03-31).",
                    table.sheet.name,
                    (entry.ref,),
                )
            )
            return None
    text = (
        f"The heading '{entry.text}' in {entry.ref} does not say its period plainly: choose "
        "the period it covers."
        if entry.text
        else f"Column {entry.ref.rstrip('0123456789')} holds figures under no heading: choose "
        "the period they cover, or skip them."
    )
    context.questions.period(key, table.sheet.name, entry.ref, text, context.campaign_periods)
    return None


def _table_period(table: TableLayout, context: Context, *, ask: bool) -> Period | None:
    """A table without a period axis: the caller's period, else the sheet named for a period,
    else a title naming one, else a question offering the campaign's periods."""
    sheet_period = read_heading(table.sheet.name).period
    title = " ".join(_note_lines(table)[:3])
    found = context.hints.period or sheet_period or find_period(title)
    if context.hints.period and sheet_period and context.hints.period != sheet_period:
        context.problems.append(
            Problem(
                f"The sheet '{table.sheet.name}' is named for {sheet_period.label()}, but "
                f"the period given is {context.hints.period.label()}.",
                table.sheet.name,
            )
        )
    if found is not None:
        return found
    key = f"period:{table.sheet.name}#{table.number}"
    decision = context.hints.decisions.get(key)
    if decision and decision != SKIP:
        try:
            return parse_period_choice(decision)
        except ValueError:
            pass
    if ask and decision != SKIP:
        context.questions.period(
            key, table.sheet.name, _region(table),
            f"The table at {_region(table)} on sheet '{table.sheet.name}' does not say its "
            "period: choose it.", context.campaign_periods,
        )  # fmt: skip
    return None


def _table_offence(table: TableLayout, context: Context) -> str:
    """The offence a table without an offence axis counts: the one its title names, else the
    caller's, else a person's decision, else a question. A title naming another offence than
    the caller's is a problem showing both."""
    titled = context.matcher.offence_named_in(" ".join(_note_lines(table)[:3]))
    if titled and context.hints.offence and titled != context.hints.offence:
        context.problems.append(
            Problem(f"The title of the table at {_region(table)} names the offence '{titled}', "
                    f"but the offence given is '{context.hints.offence}'.", table.sheet.name)
        )  # fmt: skip
    if titled or context.hints.offence:
        return titled or context.hints.offence
    key = f"offence:{table.sheet.name}#{table.number}"
    decision = context.hints.decisions.get(key, "")
    if decision.startswith("offence:"):
        return decision.removeprefix("offence:")
    context.questions.ask(
        key, "offence", table.sheet.name, _region(table),
        f"Which offence does the table at {_region(table)} on sheet '{table.sheet.name}' count?",
        (), any_of=("offence",),
    )  # fmt: skip
    return ""


def _mark_axes(table, reading: TableReading, platforms, lines, orientation) -> None:
    """The label column: platform rows when platforms run down, else period or offence rows
    (the other axis's labels are header cells, drawn with the frame)."""
    sheet = table.sheet
    entries = platforms if orientation == PLATFORMS_DOWN else [line.entry for line in lines]
    roles = {line.entry.index: line.role for line in lines}
    for entry in entries:
        cell = sheet.get(entry.index, table.label_column)
        if cell is None:
            continue
        if entry.section:
            kind = NOTE
        elif entry.is_total or roles.get(entry.index) == "total":
            kind = "total"
        elif entry.match.kind == SKIP or roles.get(entry.index) == "skipped":
            kind = SKIPPED
        else:
            kind = LABEL
        detail = entry.period.label() if entry.period else entry.match.key or entry.match.kind
        reading.cells.append(_cell(cell, kind, detail))


def _read_values(table, reading, platforms, lines, orientation, context: Context, legend):
    """Every crossing of a platform entry and a line; returns {(entry, line): (ref, parsed)}
    for the totals checks."""
    marks = _marks(legend, context)
    threshold = legend.threshold or context.threshold
    sheet = table.sheet
    values: dict[tuple[int, int], tuple[str, ParsedValue | None]] = {}
    hidden, formulas = [], []
    for entry in platforms:
        if entry.section:
            continue
        if entry.match.kind == UNKNOWN:
            _ask_label(table, entry, context)
        if entry.match.kind == OFFENCE:
            _misplaced_offence(table, entry, context)
        for line in lines:
            row, column = (entry.index, line.entry.index)
            if orientation != PLATFORMS_DOWN:
                row, column = column, row
            cell, ref = sheet.get(row, column), sheet.ref(row, column)
            if row in sheet.hidden_rows or sheet.column_hidden(column):
                hidden.append(ref)
            if cell is not None and cell.formula:
                formulas.append(ref)
            kind, detail, parsed = _value(cell, ref, entry, line, context, marks, threshold)
            values[(entry.index, line.entry.index)] = (ref, parsed)
            reading.cells.append(
                CellReading(ref, row, column, cell.text if cell else "", kind, detail)
            )
            if parsed is not None and kind not in (SKIPPED, QUESTION):
                figure = _figure(table, entry, line, (cell, ref, parsed), legend, context)
                if figure is not None:
                    reading.figures.append(figure)
    _warn_cells(
        context, sheet, hidden, "are in hidden rows or columns; read as the force sent them"
    )
    _warn_cells(context, sheet, formulas, "hold formulas; the values they last showed were read")
    return values


def _misplaced_offence(table: TableLayout, entry: Entry, context: Context) -> None:
    """An offence among the platforms (by a label or a decision) has no platform to file its
    figures under: shown, never dropped in silence."""
    context.problems.append(
        Problem(
            f"'{entry.text}' in {entry.ref} is an offence ({entry.match.key}), but this table's "
            "platforms run along that side: decide it as a platform, not recorded or skip.",
            table.sheet.name,
            (entry.ref,),
        )
    )


def _warn_cells(context: Context, sheet: Sheet, refs: list[str], what: str) -> None:
    if refs:
        shown = ", ".join(refs[:12]) + (f" and {len(refs) - 12} more" if len(refs) > 12 else "")
        context.warnings.append(f"Sheet '{sheet.name}': cells {shown} {what}.")


def _marks(legend: Legend, context: Context) -> tuple[tuple[str, str], ...]:
    decided = {
        key.removeprefix("value:"): value
        for key, value in context.hints.decisions.items()
        if key.startswith("value:") and value != SKIP
    }
    return tuple(sorted({**dict(legend.marks), **decided}.items()))


def _value(cell, ref, entry: Entry, line: Line, context: Context, marks, threshold):
    """(kind, detail, parsed value or None) for one crossing."""
    if line.role == "skipped" or entry.match.kind in (SKIP, OFFENCE):
        return SKIPPED, "left out", None
    text = cell.text.strip() if cell else ""
    if context.hints.decisions.get(f"value:{text.casefold()}") == SKIP:
        return SKIPPED, "skipped by decision", None
    try:
        parsed = _parse(cell, text, marks, threshold)
    except ValueRejected:
        context.questions.value(text, line.entry.sheet, ref)
        return QUESTION, "what does it mean?", None
    if entry.match.kind == UNKNOWN or line.role == "question":
        return QUESTION, "its row or column is undecided", parsed
    if entry.match.kind == SUBTOTAL or line.role == "total":
        return "total", "stated total", parsed
    if entry.match.kind == TOTAL:
        return "total", "stated total (all platforms)", parsed
    return KIND_OF_STATUS[parsed.status], _detail(parsed), parsed


def _parse(cell: Cell | None, text: str, marks, threshold: int) -> ParsedValue:
    if cell is not None and isinstance(cell.value, int | float):
        return parse_value(cell.value)
    return parse_value(text, threshold=threshold, marks=marks)


def _detail(parsed: ParsedValue) -> str:
    if parsed.low is None:
        return parsed.status.replace("_", " ")
    if parsed.low == parsed.high:
        return str(parsed.low)
    return f"{parsed.low} to {parsed.high}"


def _figure(table, entry: Entry, line: Line, crossing, legend: Legend, context: Context):
    cell, ref, parsed = crossing
    if line.role != "figure" or entry.match.kind not in SCOPE_OF:
        return None
    if line.period is None or not line.offence:
        return None
    notes = [
        legend.footnotes.get(mark, mark)
        for mark in (entry.heading.mark, line.entry.heading.mark)
        if mark
    ]
    return ProposedFigure(
        period_start=line.period.start,
        period_end=line.period.end,
        platform=entry.match.key if entry.match.kind == PLATFORM else "",
        platform_scope=SCOPE_OF[entry.match.kind],
        offence=line.offence,
        unit=context.hints.unit,
        raw=cell.text.strip() if cell else "",
        status=str(parsed.status),
        low=parsed.low,
        high=parsed.high,
        sheet=table.sheet.name,
        cell=ref,
        note=" ".join(notes)[:500],
    )
