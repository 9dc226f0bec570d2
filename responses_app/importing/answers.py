"""Reading a police answer file: `read_answer(content, filename=..., vocabulary=...,
periods=..., hints=...) -> Reading`.

The file is read into the grid (responses_app.importing.readers), each sheet's tables are found
(tables.layout) and read (tables.cells) against the vocabulary, the campaign's periods and the
caller's hints and decisions. Nothing is written and nothing touches the database: the import
service stores what a Reading proposes, and only a Reading that is `ready` (no open questions,
no problems). Its `digest` covers the file's bytes, the figures and totals read and the
decisions taken, so a confirm step can prove it imports exactly what was previewed.
"""

from __future__ import annotations

import hashlib
import json

from responses_app.importing.grid import FileRefused, Limits, ScannedDocument, Sheet
from responses_app.importing.labels import SKIP, LabelMatcher, Vocabulary
from responses_app.importing.outcome import (
    SCANNED,
    AnswerRefused,
    Hints,
    Problem,
    Reading,
    SheetReading,
)
from responses_app.importing.periods import Period
from responses_app.importing.readers import read_workbook
from responses_app.importing.tables.axes import PLATFORMS_ACROSS, PLATFORMS_DOWN
from responses_app.importing.tables.cells import Context, read_table
from responses_app.importing.tables.layout import find_tables
from responses_app.importing.tables.questions import (
    VALUE_CHOICES,
    QuestionBook,
    parse_period_choice,
)
from responses_app.values import DEFAULT_THRESHOLD


def read_answer(
    content: bytes,
    *,
    filename: str,
    vocabulary: Vocabulary,
    periods: tuple[Period, ...] = (),
    hints: Hints | None = None,
    threshold: int = DEFAULT_THRESHOLD,
    limits: Limits | None = None,
) -> Reading:
    """The reading of one answer file. Raises AnswerRefused (each problem naming the sheet and
    cells) when the file cannot be read at all; a scanned PDF is a Reading whose outcome is
    SCANNED, for manual entry."""
    hints = hints or Hints()
    reading = Reading(filename=filename, format="", sha256=hashlib.sha256(content).hexdigest())
    try:
        workbook = read_workbook(content, limits=limits)
    except FileRefused as refused:
        cells = (refused.cell,) if refused.cell else ()
        raise AnswerRefused([Problem(refused.problem, refused.sheet, cells)]) from refused
    except ScannedDocument as scanned:
        reading.format, reading.outcome = "pdf", SCANNED
        reading.warnings.append(
            f"{scanned} Key its figures by hand in the manual grid, beside the document."
        )
        reading.digest = reading_digest(reading, hints)
        return reading
    reading.format = workbook.format
    matcher = LabelMatcher(vocabulary)
    _check_sheet_hints(workbook.sheets, hints)
    _check_decisions(hints, matcher, vocabulary)
    context = Context(
        matcher=matcher,
        hints=hints,
        campaign_periods=tuple(periods),
        threshold=threshold,
        questions=QuestionBook(),
        warnings=reading.warnings,
        problems=reading.problems,
    )
    layouts = [(sheet, find_tables(sheet)) for sheet in workbook.sheets]
    context.fallback_legend = [
        layout.sheet.row_text(row) for _, layout in layouts if layout.is_text
        for row in layout.text_rows
    ]  # fmt: skip
    for sheet, layout in layouts:
        reading.sheets.append(_read_sheet(sheet, layout, hints, context))
    _after(reading, periods, context)
    return reading


def _check_sheet_hints(sheets: list[Sheet], hints: Hints) -> None:
    names = [sheet.name for sheet in sheets]
    missing = [name for name in hints.sheets if name not in names]
    if missing:
        listed = ", ".join(f"'{n}'" for n in names)
        raise AnswerRefused(
            [Problem(f"There is no sheet '{m}'; the sheets are: {listed}.", m) for m in missing]
        )


def _check_decisions(hints: Hints, matcher: LabelMatcher, vocabulary: Vocabulary) -> None:
    """Every decision and hint names something real, or the reading is refused listing each
    one that does not: a typing slip must not become a figure filed somewhere else."""
    offences = {term.key for term in vocabulary.offences}
    problems = []
    if hints.offence and hints.offence not in offences:
        problems.append(Problem(f"'{hints.offence}' is not an offence in the lists."))
    for key, value in hints.decisions.items():
        kind = key.partition(":")[0]
        if not _decision_is_valid(kind, value, matcher, offences):
            problems.append(Problem(f"The decision '{value}' does not answer '{key}'."))
    if problems:
        raise AnswerRefused(problems)


def _decision_is_valid(kind: str, value: str, matcher: LabelMatcher, offences: set[str]) -> bool:
    if kind == "label":
        try:
            matcher.decided(value)
        except ValueError:
            return False
        return True
    if kind == "value":
        return value in {choice.value for choice in VALUE_CHOICES}
    if kind == "period":
        try:
            return value == SKIP or parse_period_choice(value) is not None
        except ValueError:
            return False
    if kind == "offence":
        return value.removeprefix("offence:") in offences and value.startswith("offence:")
    if kind == "layout":
        return value in (PLATFORMS_DOWN, PLATFORMS_ACROSS, SKIP)
    return False


def _read_sheet(sheet: Sheet, layout, hints: Hints, context: Context) -> SheetReading:
    result = SheetReading(sheet.name, sheet.hidden, verdict="tables")
    chosen = not hints.sheets or sheet.name in hints.sheets
    if not chosen:
        result.verdict = "not chosen"
        return result
    if sheet.hidden and sheet.name not in hints.sheets:
        result.verdict = "hidden"
        context.warnings.append(
            f"Sheet '{sheet.name}' is hidden and was not read; name it to read it."
        )
        return result
    if sheet.hidden:
        context.warnings.append(
            f"Sheet '{sheet.name}' is hidden; it was read because it was named."
        )
    if layout.is_text:
        result.verdict = "text"
        result.notes = [sheet.row_text(row) for row in layout.text_rows]
        return result
    if not layout.tables:
        result.verdict = "empty"
        return result
    for table in layout.tables:
        result.tables.append(read_table(table, context))
    return result


def _after(reading: Reading, periods: tuple[Period, ...], context: Context) -> None:
    reading.questions = list(context.questions.questions.values())
    seen: dict[tuple, str] = {}
    for figure in reading.figures:
        where = f"'{figure.sheet}' {figure.cell}"
        if figure.key() in seen:
            reading.problems.append(
                Problem(
                    f"The same figure is read twice: {seen[figure.key()]} and {where} (same "
                    "period, platform, offence and unit). Skip one of them.",
                    figure.sheet,
                    (figure.cell,),
                )
            )
        seen.setdefault(figure.key(), where)
    asked = {Period(f.period_start, f.period_end) for f in reading.figures}
    for period in sorted(asked - set(periods)) if periods else ():
        reading.warnings.append(
            f"The file gives figures for {period.label()}, a period the campaign did not ask about."
        )
    tables = [t for s in reading.sheets for t in s.tables]
    if not tables and not reading.problems:
        message = "No table of figures was found in the file."
        if reading.format == "pdf":
            message = (
                "The PDF has text but no ruled table the reader can follow: key its figures "
                "in the manual grid."
            )
        reading.problems.append(Problem(message))
    reading.digest = reading_digest(reading, context.hints)


def reading_digest(reading: Reading, hints: Hints) -> str:
    """SHA-256 over the file's SHA-256, what was read (figures, totals, questions, problems)
    and the decisions and hints it was read with: the same file read the same way gives the
    same digest, and any change to the mapping or a decision gives another."""
    payload = {
        "file": reading.sha256,
        "outcome": reading.outcome,
        # Plain tuples, not dataclasses.asdict: that deep-copies every value and costs seconds
        # on the largest sheet the limits allow.
        "figures": [f.as_row() for f in reading.figures],
        "totals": [t.as_row() for s in reading.sheets for tb in s.tables for t in tb.totals],
        "questions": [q.key for q in reading.questions],
        "problems": [p.message for p in reading.problems],
        "decisions": sorted(hints.decisions.items()),
        "hints": {
            "sheets": sorted(hints.sheets),
            "offence": hints.offence,
            "period": hints.period.as_dict() if hints.period else None,
            "unit": hints.unit,
            "periods": sorted((k, v.as_dict()) for k, v in hints.periods.items()),
        },
    }  # fmt: skip
    text = json.dumps(payload, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()
