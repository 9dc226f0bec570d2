"""The corpus: answer files shaped like those in police disclosure logs, each with the figures
it must give, worked out by reading the table by hand (cell, what the force wrote, status,
interval, period, platform, offence), and the questions it must ask when it cannot say.

A figure is written F(sheet, cell, raw, status, low, high, period, platform, offence); the
platform is a key, or 'not_recorded' or 'all_platforms' for those rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from openpyxl.styles import Font

from responses_app.importing.labels import Vocabulary
from responses_app.importing.periods import Period
from tests.responses_app.answers import builders
from tests.responses_app.answers.vocabulary import (
    CAMPAIGN_PERIODS,
    H1,
    H2,
    VOCABULARY,
    VOCABULARY_WITHOUT_71_17,
)

CSO = "child-sexual-offences"
IIO = "indecent-image-offences"
CODE_22B = "sexual-activity-child-under-16"
CODE_21 = "sexual-activity-child-under-13"
CODE_71_17 = "sexual-communication-with-a-child"
HEADINGS = ["Platform", "Oct 2019 - Mar 2020", "Apr 2020 - Sep 2020"]


def fy(year: int) -> Period:
    """The police financial year starting in April of `year`."""
    return Period(dt.date(year, 4, 1), dt.date(year + 1, 3, 31))


def calendar_year(year: int) -> Period:
    return Period(dt.date(year, 1, 1), dt.date(year, 12, 31))


def span(start: tuple, end: tuple) -> Period:
    return Period(dt.date(*start), dt.date(*end))


@dataclass(frozen=True)
class F:
    sheet: str
    cell: str
    raw: str
    status: str
    low: int | None
    high: int | None
    period: Period
    platform: str
    offence: str


@dataclass
class Case:
    name: str
    filename: str
    build: Callable[[], bytes]
    figures: list[F]
    questions: list[str] = field(default_factory=list)
    offence: str = ""
    periods: tuple[Period, ...] = CAMPAIGN_PERIODS
    vocabulary: Vocabulary = VOCABULARY
    decisions: dict[str, str] = field(default_factory=dict)
    decided: list[F] = field(default_factory=list)  # the figures once `decisions` are taken
    warnings: list[str] = field(default_factory=list)  # fragments each warning list must hold
    outcome: str = "read"

    def __str__(self) -> str:
        return self.name


def _bold_header(workbook) -> None:
    workbook.active["A1"].font = Font(bold=True)


def title_footnotes_and_total() -> Case:
    """14, 0 and 3 add to 17, the stated total; '*' (1..4), 6 and 2 give 9..12 against 11."""
    rows = [
        ["Online child sexual offences recorded, by platform"],
        [],
        HEADINGS,
        ["Instagram", 14, "*"],
        ["Snapchat", 0, 6],
        ["Not recorded", 3, 2],
        ["Total", 17, 11],
        [],
        ["* = fewer than 5"],
        ["Figures are instances: one offence can involve more than one platform."],
    ]
    s = "Data"
    return Case(
        "a title and a blank row above, footnotes and a Total row below",
        "answer.xlsx",
        lambda: builders.xlsx({s: rows}, build=_bold_header),
        [
            F(s, "B4", "14", "reported", 14, 14, H1, "instagram", CSO),
            F(s, "C4", "*", "suppressed", 1, 4, H2, "instagram", CSO),
            F(s, "B5", "0", "zero", 0, 0, H1, "snapchat", CSO),
            F(s, "C5", "6", "reported", 6, 6, H2, "snapchat", CSO),
            F(s, "B6", "3", "reported", 3, 3, H1, "not_recorded", CSO),
            F(s, "C6", "2", "reported", 2, 2, H2, "not_recorded", CSO),
            F(s, "B7", "17", "reported", 17, 17, H1, "all_platforms", CSO),
            F(s, "C7", "11", "reported", 11, 11, H2, "all_platforms", CSO),
        ],
        offence=CSO,
    )


def financial_years_newest_first() -> Case:
    """Column B is 2023/24 (1 April 2023 - 31 March 2024), C 2022/23, D 2021/22: read from the
    headings, so no figure changes year whatever order the periods are offered in."""
    rows = [
        ["Platform", "2023/24", "2022/23", "2021/22"],
        ["Instagram", 30, 20, 10],
        ["Snapchat", 9, 8, 7],
    ]
    s = "Sheet1"
    return Case(
        "financial years as columns, newest first",
        "answer.xlsx",
        lambda: builders.xlsx({s: rows}),
        [
            F(s, "B2", "30", "reported", 30, 30, fy(2023), "instagram", CSO),
            F(s, "C2", "20", "reported", 20, 20, fy(2022), "instagram", CSO),
            F(s, "D2", "10", "reported", 10, 10, fy(2021), "instagram", CSO),
            F(s, "B3", "9", "reported", 9, 9, fy(2023), "snapchat", CSO),
            F(s, "C3", "8", "reported", 8, 8, fy(2022), "snapchat", CSO),
            F(s, "D3", "7", "reported", 7, 7, fy(2021), "snapchat", CSO),
        ],
        offence=CSO,
        periods=(fy(2021), fy(2022), fy(2023)),
    )


def merged_two_level_headers() -> Case:
    """'2019/20' merged over B3:C3 and '2020/21' over D3:E3, with Q1 | Q2 below: Q1 of a
    financial year is April-June, Q2 July-September."""
    rows = [
        ["Instances by quarter"],
        [],
        ["Platform", "2019/20", None, "2020/21", None],
        [None, "Q1", "Q2", "Q1", "Q2"],
        ["Instagram", 1, 2, 3, 4],
        ["WhatsApp", 5, 6, 7, 8],
    ]

    def merge(workbook):
        workbook.active.merge_cells("B3:C3")
        workbook.active.merge_cells("D3:E3")

    q = {
        "19Q1": span((2019, 4, 1), (2019, 6, 30)),
        "19Q2": span((2019, 7, 1), (2019, 9, 30)),
        "20Q1": span((2020, 4, 1), (2020, 6, 30)),
        "20Q2": span((2020, 7, 1), (2020, 9, 30)),
    }
    s = "Quarters"
    return Case(
        "merged two-level headers",
        "answer.xlsx",
        lambda: builders.xlsx({s: rows}, build=merge),
        [
            F(s, "B5", "1", "reported", 1, 1, q["19Q1"], "instagram", CSO),
            F(s, "C5", "2", "reported", 2, 2, q["19Q2"], "instagram", CSO),
            F(s, "D5", "3", "reported", 3, 3, q["20Q1"], "instagram", CSO),
            F(s, "E5", "4", "reported", 4, 4, q["20Q2"], "instagram", CSO),
            F(s, "B6", "5", "reported", 5, 5, q["19Q1"], "whatsapp", CSO),
            F(s, "C6", "6", "reported", 6, 6, q["19Q2"], "whatsapp", CSO),
            F(s, "D6", "7", "reported", 7, 7, q["20Q1"], "whatsapp", CSO),
            F(s, "E6", "8", "reported", 8, 8, q["20Q2"], "whatsapp", CSO),
        ],
        offence=CSO,
        periods=tuple(q.values()),
    )


def cover_letter_and_hidden_sheet() -> Case:
    """The cover letter says '*' stands for fewer than 10 (the table has no legend of its own),
    so '*' is 1..9; the hidden 'Workings' sheet is reported, not read."""
    letter = [
        ["Dear Ms Smith,"],
        [],
        ["Please find attached the information you requested."],
        ["Where figures are fewer than 10 they are shown as *."],
        [],
        ["Yours sincerely, Information Compliance Unit"],
    ]
    table = [HEADINGS, ["Instagram", "*", 7], ["Facebook", 12, "*"]]
    workings = [["Platform", "Oct 2019 - Mar 2020"], ["Instagram", 3]]

    def hide(workbook):
        workbook["Workings"].sheet_state = "hidden"

    s = "Figures"
    return Case(
        "a cover-letter sheet and a hidden sheet",
        "answer.xlsx",
        lambda: builders.xlsx({"Cover letter": letter, s: table, "Workings": workings}, build=hide),
        [
            F(s, "B2", "*", "suppressed", 1, 9, H1, "instagram", CSO),
            F(s, "C2", "7", "reported", 7, 7, H2, "instagram", CSO),
            F(s, "B3", "12", "reported", 12, 12, H1, "facebook", CSO),
            F(s, "C3", "*", "suppressed", 1, 9, H2, "facebook", CSO),
        ],
        offence=CSO,
        warnings=["Sheet 'Workings' is hidden and was not read"],
    )


def one_sheet_per_year() -> Case:
    """Each sheet is named for a financial year and has one unheaded count column."""
    first = [["Platform", "Number of offences"], ["Instagram", 10], ["Snapchat", 4]]
    second = [["Platform", "Number of offences"], ["Instagram", 11], ["Snapchat", 5]]
    return Case(
        "one sheet per year",
        "answer.xlsx",
        lambda: builders.xlsx({"2019-20": first, "2020-21": second}),
        [
            F("2019-20", "B2", "10", "reported", 10, 10, fy(2019), "instagram", CSO),
            F("2019-20", "B3", "4", "reported", 4, 4, fy(2019), "snapchat", CSO),
            F("2020-21", "B2", "11", "reported", 11, 11, fy(2020), "instagram", CSO),
            F("2020-21", "B3", "5", "reported", 5, 5, fy(2020), "snapchat", CSO),
        ],
        offence=CSO,
        periods=(fy(2019), fy(2020)),
    )


def years_down_platforms_across() -> Case:
    rows = [
        ["Year", "Instagram", "Snapchat", "Facebook"],
        ["2019/20", 5, 6, 7],
        ["2020/21", 8, 9, 10],
    ]
    s = "Sheet1"
    return Case(
        "years down and platforms across",
        "answer.xlsx",
        lambda: builders.xlsx({s: rows}),
        [
            F(s, "B2", "5", "reported", 5, 5, fy(2019), "instagram", CSO),
            F(s, "C2", "6", "reported", 6, 6, fy(2019), "snapchat", CSO),
            F(s, "D2", "7", "reported", 7, 7, fy(2019), "facebook", CSO),
            F(s, "B3", "8", "reported", 8, 8, fy(2020), "instagram", CSO),
            F(s, "C3", "9", "reported", 9, 9, fy(2020), "snapchat", CSO),
            F(s, "D3", "10", "reported", 10, 10, fy(2020), "facebook", CSO),
        ],
        offence=CSO,
        periods=(fy(2019), fy(2020)),
    )


def calendar_years_typed_as_numbers() -> Case:
    """Years down typed as numbers (2019, 2020): calendar years, and not figures."""
    rows = [["Year", "Instagram", "TikTok"], [2019, 3, 1], [2020, 4, 0]]
    s = "Sheet1"
    return Case(
        "calendar years typed as numbers down the side",
        "answer.xlsx",
        lambda: builders.xlsx({s: rows}),
        [
            F(s, "B2", "3", "reported", 3, 3, calendar_year(2019), "instagram", CSO),
            F(s, "C2", "1", "reported", 1, 1, calendar_year(2019), "tiktok", CSO),
            F(s, "B3", "4", "reported", 4, 4, calendar_year(2020), "instagram", CSO),
            F(s, "C3", "0", "zero", 0, 0, calendar_year(2020), "tiktok", CSO),
        ],
        offence=CSO,
        periods=(calendar_year(2019), calendar_year(2020)),
    )


def _offence_columns() -> list[list]:
    return [
        ["Offences recorded April 2022 to March 2023"],
        [],
        ["Platform", "22B", "71/17", "Code 21"],
        ["Instagram", 4, 7, 1],
        ["Snapchat", 2, 9, 0],
    ]


def offences_as_columns_with_codes() -> Case:
    """Codes resolve exactly (71/17 is sexual communication with a child); the period is the
    title's, April 2022 to March 2023."""
    s = "Offences"
    p = fy(2022)
    return Case(
        "offences as columns with Home Office codes",
        "answer.xlsx",
        lambda: builders.xlsx({s: _offence_columns()}),
        [
            F(s, "B4", "4", "reported", 4, 4, p, "instagram", CODE_22B),
            F(s, "C4", "7", "reported", 7, 7, p, "instagram", CODE_71_17),
            F(s, "D4", "1", "reported", 1, 1, p, "instagram", CODE_21),
            F(s, "B5", "2", "reported", 2, 2, p, "snapchat", CODE_22B),
            F(s, "C5", "9", "reported", 9, 9, p, "snapchat", CODE_71_17),
            F(s, "D5", "0", "zero", 0, 0, p, "snapchat", CODE_21),
        ],
        periods=(p,),
    )


def code_71_17_unknown() -> Case:
    """With 71/17 missing from the lists the column is a question with no suggestion: nothing
    is filed under 71 (abuse of children through prostitution and pornography)."""
    s = "Offences"
    p = fy(2022)
    return Case(
        "71/17 when the lists do not have it",
        "answer.xlsx",
        lambda: builders.xlsx({s: _offence_columns()}),
        [
            F(s, "B4", "4", "reported", 4, 4, p, "instagram", CODE_22B),
            F(s, "D4", "1", "reported", 1, 1, p, "instagram", CODE_21),
            F(s, "B5", "2", "reported", 2, 2, p, "snapchat", CODE_22B),
            F(s, "D5", "0", "zero", 0, 0, p, "snapchat", CODE_21),
        ],
        questions=["label:71/17"],
        periods=(p,),
        vocabulary=VOCABULARY_WITHOUT_71_17,
    )


def two_tables_on_one_sheet() -> Case:
    """Each table's title names its offence."""
    rows = [
        ["Table 1: Sexual activity involving a child under 16"],
        HEADINGS,
        ["Instagram", 3, 4],
        ["Snapchat", 5, 6],
        [],
        ["Table 2: Indecent image offences"],
        HEADINGS,
        ["Instagram", 7, 8],
        ["WhatsApp", 9, 10],
    ]
    s = "Sheet1"
    return Case(
        "two tables on one sheet",
        "answer.xlsx",
        lambda: builders.xlsx({s: rows}),
        [
            F(s, "B3", "3", "reported", 3, 3, H1, "instagram", CODE_22B),
            F(s, "C3", "4", "reported", 4, 4, H2, "instagram", CODE_22B),
            F(s, "B4", "5", "reported", 5, 5, H1, "snapchat", CODE_22B),
            F(s, "C4", "6", "reported", 6, 6, H2, "snapchat", CODE_22B),
            F(s, "B8", "7", "reported", 7, 7, H1, "instagram", IIO),
            F(s, "C8", "8", "reported", 8, 8, H2, "instagram", IIO),
            F(s, "B9", "9", "reported", 9, 9, H1, "whatsapp", IIO),
            F(s, "C9", "10", "reported", 10, 10, H2, "whatsapp", IIO),
        ],
    )
