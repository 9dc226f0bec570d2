"""Stated totals checked against the interval sum of their parts.

A Total, Grand Total or Sum row counts every platform row of the table (and the 'not recorded'
row); a Sub-total counts the rows since the previous sub-total. A Total column counts the
period or offence columns of its row. Each part is an interval (a suppressed '*' is 1..4); a
part with no interval (not held, refused, or still a question) leaves the top open. The total
agrees when its own interval and the parts' overlap (a 'Sum' that leaves out suppressed cells
shows 46 against parts of 47..58 and is flagged; 52 agrees).
"""

from __future__ import annotations

from responses_app.importing.labels import SKIP, SUBTOTAL, TOTAL
from responses_app.importing.outcome import TotalCheck
from responses_app.values import ParsedValue


def check_totals(sheet: str, platforms, lines, values) -> list[TotalCheck]:
    checks = []
    ordered = sorted(platforms, key=lambda e: e.index)
    for position, entry in enumerate(ordered):
        if entry.match.kind not in (TOTAL, SUBTOTAL):
            continue
        parts = _parts_of(ordered, position, entry.match.kind)
        for line in lines:
            if line.role not in ("figure", "question"):
                continue
            stated = values.get((entry.index, line.entry.index))
            pieces = [values.get((p.index, line.entry.index)) for p in parts]
            checks.append(_check(sheet, f"{entry.text} / {line.entry.text}", stated, pieces))
    for line in lines:
        if line.role != "total":
            continue
        parts = [ln for ln in lines if ln.role in ("figure", "question")]
        for entry in ordered:
            if entry.match.kind == SKIP:
                continue
            stated = values.get((entry.index, line.entry.index))
            pieces = [values.get((entry.index, p.entry.index)) for p in parts]
            checks.append(_check(sheet, f"{entry.text} / {line.entry.text}", stated, pieces))
    return [c for c in checks if c is not None]


def _parts_of(ordered, position: int, kind: str):
    """Rows a total counts: every other row for a total; for a sub-total, the rows since the
    previous sub-total."""
    start = 0
    if kind == SUBTOTAL:
        earlier = [i for i in range(position) if ordered[i].match.kind == SUBTOTAL]
        start = earlier[-1] + 1 if earlier else 0
    end = position if kind == SUBTOTAL else len(ordered)
    return [e for e in ordered[start:end] if e.match.kind not in (TOTAL, SUBTOTAL, SKIP)]


def _check(sheet: str, label: str, stated, pieces) -> TotalCheck | None:
    if stated is None or stated[1] is None:
        return None
    ref, value = stated
    low, high, refs = 0, 0, []
    for piece in pieces:
        if piece is None:
            continue
        refs.append(piece[0])
        parsed: ParsedValue | None = piece[1]
        if parsed is None or parsed.low is None:
            high = None
            continue
        low += parsed.low
        high = None if high is None else high + parsed.high
    return TotalCheck(sheet, ref, label, value.low, value.high, low, high, tuple(refs))
