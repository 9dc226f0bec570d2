"""The open questions of a reading, one per thing to decide however many cells it touches:
an unknown label is asked once for the whole file, an unreadable spelling once, a heading once."""

from __future__ import annotations

import datetime as dt

from responses_app.importing.labels import Match
from responses_app.importing.outcome import Choice, Question
from responses_app.importing.periods import Period

VALUE_CHOICES = (
    Choice("zero", "nil (0)"),
    Choice("not_held", "not held"),
    Choice("not_recorded", "not recorded"),
    Choice("refused", "refused"),
    Choice("skip", "skip these cells"),
)
LABEL_CHOICES = (
    Choice("not_recorded", "platform not recorded"),
    Choice("other_platform", "other platform"),
    Choice("skip", "skip this row or column"),
)


def period_choice(period: Period) -> Choice:
    return Choice(f"{period.start.isoformat()}/{period.end.isoformat()}", period.label())


def parse_period_choice(value: str) -> Period | None:
    """'2019-10-01/2020-03-31' -> that period; ValueError for anything else."""
    start, _, end = value.partition("/")
    period = Period(dt.date.fromisoformat(start), dt.date.fromisoformat(end))
    if period.end < period.start:
        raise ValueError("the period ends before it starts")
    return period


class QuestionBook:
    def __init__(self) -> None:
        self.questions: dict[str, Question] = {}

    def ask(self, key: str, kind: str, sheet: str, cell: str, text: str, choices, any_of=()):
        question = self.questions.get(key)
        if question is None:
            question = Question(key, kind, sheet, [], text, tuple(choices), tuple(any_of))
            self.questions[key] = question
        # One question may span sheets (the same unknown label on each): a cell on another
        # sheet than the question's first is written with its sheet, as a spreadsheet would.
        where = cell if sheet == question.sheet else f"'{sheet}'!{cell}"
        if cell and where not in question.cells:
            question.cells.append(where)

    def label(self, key: str, sheet: str, cell: str, text: str, match: Match) -> None:
        suggestions = tuple(
            Choice(f"{s.kind}:{s.key}", f"{s.name} (suggested, {s.score:.0%} alike)")
            for s in match.suggestions
        )
        hint = (
            f" Closest: {', '.join(s.name for s in match.suggestions)}."
            if match.suggestions
            else " Nothing in the lists is close."
        )
        self.ask(
            key,
            "label",
            sheet,
            cell,
            f"'{text}' is not a known platform or offence.{hint} Choose what it is.",
            suggestions + LABEL_CHOICES,
            any_of=("platform", "offence"),
        )

    def value(self, spelling: str, sheet: str, cell: str) -> None:
        shown = f"'{spelling}'" if spelling else "An empty cell"
        self.ask(
            f"value:{spelling.casefold()}",
            "value",
            sheet,
            cell,
            f"{shown} is not a figure and the table's legend does not say what it means: "
            "choose what it stands for.",
            VALUE_CHOICES,
        )

    def period(self, key: str, sheet: str, cell: str, text: str, campaign: tuple[Period, ...]):
        self.ask(
            key,
            "period",
            sheet,
            cell,
            text,
            (*(period_choice(p) for p in campaign), Choice("skip", "skip")),
        )
