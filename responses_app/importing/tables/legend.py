"""A table's own legend, read from the notes around it: '* = fewer than 5' sets the force's
threshold for that table; '- denotes nil' makes '-' a zero; 'Figures below 5 are shown as *'
says the same the other way round. A line that starts with a mark but gives it no meaning is a
footnote ('* 2015 covers April to December only'), kept for the headings carrying that mark."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_MARK = r"(\*{1,3}|-|–|—|x|~|\.\.|#|blank(?:\s+cells?)?|empty(?:\s+cells?)?)"  # noqa: RUF001
_VERB = r"(?:=|:|denotes?|means?|indicates?|represents?|shows?|signifies|is used (?:for|to denote))"
_MARK_FIRST = re.compile(rf"['\"“]?{_MARK}['\"”]?\s*{_VERB}\s*(.+)")
_MARK_LAST = re.compile(
    rf"(.+?)\s+(?:are|is|have been|has been|were)\s+(?:shown|marked|represented|replaced|denoted"
    rf"|suppressed|recorded)\s+(?:as|with|by)\s+(?:an?\s+)?['\"“]?{_MARK}['\"”]?.*"
)
_BELOW = re.compile(r"(?:fewer than|less than|under|below|<)\s*(\d{1,3})")
_BETWEEN = re.compile(r"(?:between\s+)?1\s*(?:and|-|to|–)\s*(\d{1,3})")  # noqa: RUF001
_AT_MOST = re.compile(r"(\d{1,3})\s+or\s+(?:fewer|less|below)|(?:<=|≤)\s*(\d{1,3})")
_FOOTNOTE = re.compile(r"(\*{1,3}|[†‡§¹²³⁴⁵⁶⁷⁸⁹]|\(\d{1,2}\)|\[\d{1,2}\])\s*(.+)")

DASHES = ("-", "–", "—")  # noqa: RUF001
ZERO_WORDS = ("nil", "zero", "none", "no offences", "no crimes", "no instances", "no records")
NOT_HELD_WORDS = ("not held", "not available", "no data", "n/a", "unavailable")
NOT_RECORDED_WORDS = ("not recorded", "unknown")
SUPPRESSED_WORDS = ("suppressed", "small number", "redacted", "low number")


@dataclass
class Legend:
    threshold: int | None = None
    marks: tuple[tuple[str, str], ...] = ()
    lines: list[str] = field(default_factory=list)
    footnotes: dict[str, str] = field(default_factory=dict)


def read_legend(lines: list[str]) -> Legend:
    legend = Legend()
    marks: dict[str, str] = {}
    for line in lines:
        text = " ".join(line.split())
        found = _meaning_of(text.casefold())
        if found is None:
            if match := _FOOTNOTE.fullmatch(text):
                legend.footnotes.setdefault(match.group(1), text)
            continue
        mark, meaning, threshold = found
        legend.lines.append(text)
        # A word processor turns the force's '-' into a dash in one place and not another.
        for spelling in DASHES if mark in DASHES else (mark,):
            marks[spelling] = meaning
        if threshold is not None:
            legend.threshold = threshold
    legend.marks = tuple(sorted(marks.items()))
    return legend


def _meaning_of(text: str) -> tuple[str, str, int | None] | None:
    if match := _MARK_FIRST.fullmatch(text):
        mark, phrase = match.group(1), match.group(2)
    elif match := _MARK_LAST.fullmatch(text):
        phrase, mark = match.group(1), match.group(2)
    else:
        return None
    mark = "" if mark.startswith(("blank", "empty")) else mark
    meaning = _phrase(phrase)
    if meaning is None:
        return None
    return (mark, *meaning)


def _phrase(phrase: str) -> tuple[str, int | None] | None:
    if match := _AT_MOST.search(phrase):
        return "suppressed", int(match.group(1) or match.group(2)) + 1
    if match := _BELOW.search(phrase):
        return "suppressed", int(match.group(1))
    if match := _BETWEEN.search(phrase):
        return "suppressed", int(match.group(1)) + 1
    words = phrase.strip(" .'\"")
    for meaning, spellings in (
        ("zero", ZERO_WORDS),
        ("not_held", NOT_HELD_WORDS),
        ("not_recorded", NOT_RECORDED_WORDS),
        ("suppressed", SUPPRESSED_WORDS),
    ):
        if any(re.search(rf"(?<![a-z]){re.escape(s)}(?![a-z])", words) for s in spellings):
            return meaning, None
    if words in ("0", "nought"):
        return "zero", None
    return None
