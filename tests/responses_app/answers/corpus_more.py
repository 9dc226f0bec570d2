"""The corpus, continued: other formats, totals, legends, labels and headings a person must
decide. Conventions as in corpus.py."""

from __future__ import annotations

import datetime as dt

from tests.responses_app.answers import builders
from tests.responses_app.answers.corpus import (
    CSO,
    HEADINGS,
    Case,
    F,
    calendar_year,
    fy,
    span,
)
from tests.responses_app.answers.vocabulary import H1, H2, VOCABULARY_WITHOUT_SNAP_CHAT

DASH = "\u2013"  # the en dash Excel's AutoCorrect puts in place of '-'


def old_xls_with_a_hidden_row() -> Case:
    """Row 4 (Snapchat) is hidden: read as sent, with a warning naming its cells."""
    rows = [HEADINGS, ["Instagram", 4, 5], ["Kik", 1, 0], ["Snapchat", 2, 3]]
    s = "Sheet1"
    return Case(
        "an old .xls with a hidden row",
        "answer.xls",
        lambda: builders.xls({s: rows}, hidden_rows=[(s, 4)]),
        [
            F(s, "B2", "4", "reported", 4, 4, H1, "instagram", CSO),
            F(s, "C2", "5", "reported", 5, 5, H2, "instagram", CSO),
            F(s, "B3", "1", "reported", 1, 1, H1, "kik", CSO),
            F(s, "C3", "0", "zero", 0, 0, H2, "kik", CSO),
            F(s, "B4", "2", "reported", 2, 2, H1, "snapchat", CSO),
            F(s, "C4", "3", "reported", 3, 3, H2, "snapchat", CSO),
        ],
        offence=CSO,
        warnings=["cells B4, C4 are in hidden rows or columns"],
    )


def excel_csv_in_windows_1252() -> Case:
    """En dashes in the headings and cells, in Windows-1252; the legend makes the dash nil."""
    text = builders.csv_text(
        [
            [f"Crimes recorded {DASH} online platforms"],
            [],
            ["Platform", f"Oct 2019 {DASH} Mar 2020", f"Apr 2020 {DASH} Sep 2020"],
            ["Instagram", "12", DASH],
            ["Facebook Messenger", "3", "4"],
            [],
            [f"{DASH} denotes nil"],
        ]
    )
    return Case(
        "an Excel CSV in Windows-1252",
        "answer.csv",
        lambda: text.encode("cp1252"),
        [
            F("", "B4", "12", "reported", 12, 12, H1, "instagram", CSO),
            F("", "C4", DASH, "zero", 0, 0, H2, "instagram", CSO),
            F("", "B5", "3", "reported", 3, 3, H1, "facebook-messenger", CSO),
            F("", "C5", "4", "reported", 4, 4, H2, "facebook-messenger", CSO),
        ],
        offence=CSO,
    )


def unicode_text_in_utf_16() -> Case:
    """Excel's 'Unicode text': UTF-16 with its byte-order mark, tab-separated."""
    text = builders.csv_text(
        [HEADINGS, ["Snapchat", "7", "<5"], ["TikTok", "2", "0"]], delimiter="\t"
    )
    return Case(
        "a UTF-16 Unicode text file",
        "answer.txt",
        lambda: text.encode("utf-16"),
        [
            F("", "B2", "7", "reported", 7, 7, H1, "snapchat", CSO),
            F("", "C2", "<5", "suppressed", 1, 4, H2, "snapchat", CSO),
            F("", "B3", "2", "reported", 2, 2, H1, "tiktok", CSO),
            F("", "C3", "0", "zero", 0, 0, H2, "tiktok", CSO),
        ],
        offence=CSO,
    )


def table_starting_at_b3() -> Case:
    rows = [
        [None, "Online offences by platform"],
        [],
        [None, *HEADINGS],
        [None, "Discord", 1, 2],
        [None, "Twitch", 3, "*"],
    ]
    s = "Sheet1"
    return Case(
        "a table starting at B3",
        "answer.xlsx",
        lambda: builders.xlsx({s: rows}),
        [
            F(s, "C4", "1", "reported", 1, 1, H1, "discord", CSO),
            F(s, "D4", "2", "reported", 2, 2, H2, "discord", CSO),
            F(s, "C5", "3", "reported", 3, 3, H1, "twitch", CSO),
            F(s, "D5", "*", "suppressed", 1, 4, H2, "twitch", CSO),
        ],
        offence=CSO,
    )


def subtotals_and_grand_total() -> Case:
    """Sub-totals are checked, not filed; the Grand Total is the all-platforms figure.
    10 + 20 = 30; 5 + (1..4) = 6..9 against 8; all four rows 36..39 against 38."""
    rows = [
        ["Platform", "2019/20"],
        ["Facebook", 10],
        ["Instagram", 20],
        ["Sub-total", 30],
        [],
        ["Snapchat", 5],
        ["Kik", "*"],
        ["Sub-total", 8],
        ["Grand Total", 38],
    ]
    s = "Sheet1"
    p = fy(2019)
    return Case(
        "Sub-total and Grand Total rows",
        "answer.xlsx",
        lambda: builders.xlsx({s: rows}),
        [
            F(s, "B2", "10", "reported", 10, 10, p, "facebook", CSO),
            F(s, "B3", "20", "reported", 20, 20, p, "instagram", CSO),
            F(s, "B6", "5", "reported", 5, 5, p, "snapchat", CSO),
            F(s, "B7", "*", "suppressed", 1, 4, p, "kik", CSO),
            F(s, "B9", "38", "reported", 38, 38, p, "all_platforms", CSO),
        ],
        offence=CSO,
        periods=(p,),
    )


def dash_for_nil_with_a_legend() -> Case:
    text = builders.csv_text(
        [
            ["Platform", "2019/20", "2020/21"],
            ["Instagram", "-", "3"],
            ["Omegle", "1", "-"],
            [],
            ["- = nil"],
        ]
    )
    return Case(
        "'-' for nil with a legend",
        "answer.csv",
        lambda: b"\xef\xbb\xbf" + text.encode(),
        [
            F("", "B2", "-", "zero", 0, 0, fy(2019), "instagram", CSO),
            F("", "C2", "3", "reported", 3, 3, fy(2020), "instagram", CSO),
            F("", "B3", "1", "reported", 1, 1, fy(2019), "omegle", CSO),
            F("", "C3", "-", "zero", 0, 0, fy(2020), "omegle", CSO),
        ],
        offence=CSO,
        periods=(fy(2019), fy(2020)),
    )


def dash_without_a_legend() -> Case:
    """'-' is asked about (B2, C3); once decided as nil both are zero figures."""
    rows = [["Platform", "2019/20", "2020/21"], ["Instagram", "-", 3], ["Omegle", 1, "-"]]
    s = "Sheet1"
    return Case(
        "'-' without a legend",
        "answer.xlsx",
        lambda: builders.xlsx({s: rows}),
        [
            F(s, "C2", "3", "reported", 3, 3, fy(2020), "instagram", CSO),
            F(s, "B3", "1", "reported", 1, 1, fy(2019), "omegle", CSO),
        ],
        questions=["value:-"],
        offence=CSO,
        periods=(fy(2019), fy(2020)),
        decisions={"value:-": "zero"},
        decided=[
            F(s, "B2", "-", "zero", 0, 0, fy(2019), "instagram", CSO),
            F(s, "C2", "3", "reported", 3, 3, fy(2020), "instagram", CSO),
            F(s, "B3", "1", "reported", 1, 1, fy(2019), "omegle", CSO),
            F(s, "C3", "-", "zero", 0, 0, fy(2020), "omegle", CSO),
        ],
    )


def ods_with_merged_header() -> Case:
    rows = [
        ["Platform", "2019/20", None],
        [None, "H1", "H2"],
        ["Instagram", 1, 2],
        ["Snapchat", 3, 4],
    ]
    s = "Figures"
    first, second = span((2019, 4, 1), (2019, 9, 30)), span((2019, 10, 1), (2020, 3, 31))
    return Case(
        "an ODS with a merged two-level header and a hidden sheet",
        "answer.ods",
        lambda: builders.ods(
            {s: rows, "Old": [["Platform", "2018/19"], ["Instagram", 9]]},
            spans=[(s, 1, 2, 1, 2)],
            hidden_sheets=["Old"],
        ),
        [
            F(s, "B3", "1", "reported", 1, 1, first, "instagram", CSO),
            F(s, "C3", "2", "reported", 2, 2, second, "instagram", CSO),
            F(s, "B4", "3", "reported", 3, 3, first, "snapchat", CSO),
            F(s, "C4", "4", "reported", 4, 4, second, "snapchat", CSO),
        ],
        offence=CSO,
        periods=(first, second),
        warnings=["Sheet 'Old' is hidden and was not read"],
    )


def word_table() -> Case:
    """The legend under the table says '*' is fewer than 3: 1..2."""
    s = "Table 1"
    return Case(
        "a DOCX table",
        "answer.docx",
        lambda: builders.docx(
            ["Freedom of Information request 123/20", "Online offences by platform"],
            [HEADINGS, ["Instagram", "9", "*"], ["WhatsApp", "2", "3"]],
            ["* = fewer than 3"],
        ),
        [
            F(s, "R2C2", "9", "reported", 9, 9, H1, "instagram", CSO),
            F(s, "R2C3", "*", "suppressed", 1, 2, H2, "instagram", CSO),
            F(s, "R3C2", "2", "reported", 2, 2, H1, "whatsapp", CSO),
            F(s, "R3C3", "3", "reported", 3, 3, H2, "whatsapp", CSO),
        ],
        offence=CSO,
    )


def pdf_table() -> Case:
    s = "Page 1, table 1"
    return Case(
        "a table in a text PDF",
        "answer.pdf",
        lambda: builders.pdf(
            ["Online child sexual offences by platform"],
            [["Platform", "2019/20", "2020/21"], ["Snapchat", "15", "<5"], ["TikTok", "4", "n/a"]],
            ["Source: crime recording system"],
        ),
        [
            F(s, "R2C2", "15", "reported", 15, 15, fy(2019), "snapchat", CSO),
            F(s, "R2C3", "<5", "suppressed", 1, 4, fy(2020), "snapchat", CSO),
            F(s, "R3C2", "4", "reported", 4, 4, fy(2019), "tiktok", CSO),
            F(s, "R3C3", "n/a", "not_held", None, None, fy(2020), "tiktok", CSO),
        ],
        offence=CSO,
        periods=(fy(2019), fy(2020)),
    )


def scanned_pdf() -> Case:
    return Case(
        "a scanned PDF (an image only)",
        "answer.pdf",
        builders.scanned_pdf,
        [],
        offence=CSO,
        outcome="scanned",
        warnings=["scanned"],
    )


def percentage_columns() -> Case:
    """The '% of total' columns (typed as 0.6 with a percent format, and as text) are left out."""
    rows = [
        ["Platform", "2019/20", "% of total", "2020/21", "%"],
        ["Instagram", 30, 0.6, 20, "50%"],
        ["Snapchat", 20, 0.4, 20, "50%"],
    ]

    def percent(workbook):
        for row in (2, 3):
            workbook.active.cell(row, 3).number_format = "0%"

    s = "Sheet1"
    return Case(
        "percentage columns beside counts",
        "answer.xlsx",
        lambda: builders.xlsx({s: rows}, build=percent),
        [
            F(s, "B2", "30", "reported", 30, 30, fy(2019), "instagram", CSO),
            F(s, "D2", "20", "reported", 20, 20, fy(2020), "instagram", CSO),
            F(s, "B3", "20", "reported", 20, 20, fy(2019), "snapchat", CSO),
            F(s, "D3", "20", "reported", 20, 20, fy(2020), "snapchat", CSO),
        ],
        offence=CSO,
        periods=(fy(2019), fy(2020)),
    )


def footnoted_year() -> Case:
    """'2015*' is the calendar year 2015; its footnote goes with the figures under it."""
    rows = [
        ["Platform", "2015*", "2016"],
        ["Instagram", 3, 4],
        [],
        ["* 2015 covers April to December only (a new records system)"],
    ]
    s = "Sheet1"
    return Case(
        "'2015*' with its footnote",
        "answer.xlsx",
        lambda: builders.xlsx({s: rows}),
        [
            F(s, "B2", "3", "reported", 3, 3, calendar_year(2015), "instagram", CSO),
            F(s, "C2", "4", "reported", 4, 4, calendar_year(2016), "instagram", CSO),
        ],
        offence=CSO,
        periods=(calendar_year(2015), calendar_year(2016)),
        warnings=["2015 covers April to December only"],
    )


def unreadable_headings() -> Case:
    """'Last year' and 'This year' say no period: asked, with the campaign's periods offered."""
    rows = [["Platform", "Last year", "This year"], ["Instagram", 6, 7]]
    s = "Sheet1"
    return Case(
        "headings that cannot be read",
        "answer.xlsx",
        lambda: builders.xlsx({s: rows}),
        [],
        questions=["period:last year", "period:this year"],
        offence=CSO,
        decisions={
            "period:last year": "2019-10-01/2020-03-31",
            "period:this year": "2020-04-01/2020-09-30",
        },
        decided=[
            F(s, "B2", "6", "reported", 6, 6, H1, "instagram", CSO),
            F(s, "C2", "7", "reported", 7, 7, H2, "instagram", CSO),
        ],
    )


def unknown_labels() -> Case:
    """Before any alias 'Snap chat' exists, 'Snap Chat' is suggested as Snapchat but not
    applied; 'Yubo' and 'Text message' get no suggestion. Decided: Snapchat, other platform,
    skipped."""
    rows = [
        ["Platform", "Oct 2019 - Mar 2020"],
        ["Snap Chat", 3],
        ["Yubo", 2],
        ["Text message", 1],
        ["Instagram", 5],
    ]
    s = "Sheet1"
    return Case(
        "platform names the lists do not know",
        "answer.xlsx",
        lambda: builders.xlsx({s: rows}),
        [F(s, "B5", "5", "reported", 5, 5, H1, "instagram", CSO)],
        questions=["label:snap chat", "label:yubo", "label:text message"],
        offence=CSO,
        vocabulary=VOCABULARY_WITHOUT_SNAP_CHAT,
        decisions={
            "label:snap chat": "platform:snapchat",
            "label:yubo": "other_platform",
            "label:text message": "skip",
        },
        decided=[
            F(s, "B2", "3", "reported", 3, 3, H1, "snapchat", CSO),
            F(s, "B3", "2", "reported", 2, 2, H1, "other", CSO),
            F(s, "B5", "5", "reported", 5, 5, H1, "instagram", CSO),
        ],
    )


def months_as_date_cells() -> Case:
    """Headings typed as dates (shown Apr-22, May-22) and one typed as text ('Jun-22')."""
    rows = [
        ["Platform", dt.datetime(2022, 4, 1), dt.datetime(2022, 5, 1), "Jun-22"],
        ["Instagram", 1, 2, 3],
    ]

    def month_format(workbook):
        for column in (2, 3):
            workbook.active.cell(1, column).number_format = "mmm-yy"

    april, may, june = (span((2022, m, 1), (2022, m, d)) for m, d in ((4, 30), (5, 31), (6, 30)))
    s = "Sheet1"
    return Case(
        "months as Excel date cells",
        "answer.xlsx",
        lambda: builders.xlsx({s: rows}, build=month_format),
        [
            F(s, "B2", "1", "reported", 1, 1, april, "instagram", CSO),
            F(s, "C2", "2", "reported", 2, 2, may, "instagram", CSO),
            F(s, "D2", "3", "reported", 3, 3, june, "instagram", CSO),
        ],
        offence=CSO,
        periods=(april, may, june),
    )


def formulas_and_a_hidden_column() -> Case:
    """The Total row holds =SUM formulas whose last values (9, 12) are read and flagged;
    column D is hidden and read with a warning."""
    rows = [
        [*HEADINGS, "Apr 2018 - Sep 2018"],
        ["Instagram", 4, 5, 1],
        ["WhatsApp", 5, 7, 2],
        ["Total", "=SUM(B2:B3)", "=SUM(C2:C3)", 3],
    ]

    def hide(workbook):
        workbook.active.column_dimensions["D"].hidden = True

    s = "Sheet1"
    old = span((2018, 4, 1), (2018, 9, 30))
    return Case(
        "formulas and a hidden column",
        "answer.xlsx",
        lambda: builders.xlsx({s: rows}, build=hide, cached={(0, "B4"): 9, (0, "C4"): 12}),
        [
            F(s, "B2", "4", "reported", 4, 4, H1, "instagram", CSO),
            F(s, "C2", "5", "reported", 5, 5, H2, "instagram", CSO),
            F(s, "D2", "1", "reported", 1, 1, old, "instagram", CSO),
            F(s, "B3", "5", "reported", 5, 5, H1, "whatsapp", CSO),
            F(s, "C3", "7", "reported", 7, 7, H2, "whatsapp", CSO),
            F(s, "D3", "2", "reported", 2, 2, old, "whatsapp", CSO),
            F(s, "B4", "9", "reported", 9, 9, H1, "all_platforms", CSO),
            F(s, "C4", "12", "reported", 12, 12, H2, "all_platforms", CSO),
            F(s, "D4", "3", "reported", 3, 3, old, "all_platforms", CSO),
        ],
        offence=CSO,
        warnings=["cells B4, C4 hold formulas", "cells D2, D3, D4 are in hidden rows or columns"],
    )
