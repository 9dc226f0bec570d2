"""Finding tables on plain grids, and reading them: totals checks, legends, the caller's
mapping, duplicates and the digest."""

from __future__ import annotations

import pytest
from fpdf import FPDF

from responses_app.importing.answers import read_answer
from responses_app.importing.grid import Sheet
from responses_app.importing.outcome import AnswerRefused, Hints
from responses_app.importing.tables.layout import find_tables
from responses_app.importing.tables.legend import read_legend
from tests.responses_app.answers import builders
from tests.responses_app.answers.corpus import CSO, fy
from tests.responses_app.answers.vocabulary import CAMPAIGN_PERIODS, H1, VOCABULARY


def grid(rows: list[list], name: str = "Sheet1") -> Sheet:
    sheet = Sheet(name=name)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None and str(value).strip():
                sheet.put(r, c, str(value), value if isinstance(value, int) else None)
    return sheet


def test_it_finds_title_header_data_spacer_total_and_notes():
    sheet = grid(
        [
            ["Offences by platform"],
            [],
            ["Platform", "2019/20"],
            ["Instagram", 4],
            ["Kik", 2],
            [],
            ["Total", 6],
            [],
            ["* = fewer than 5"],
        ]
    )
    (table,) = find_tables(sheet).tables
    assert (table.title_rows, table.header_rows, table.data_rows, table.note_rows) == (
        [1], [3], [4, 5, 7], [9],
    )  # fmt: skip
    assert (table.label_column, table.value_columns) == (1, [2])


def test_a_not_known_row_is_a_data_row_though_not_known_is_also_a_value_mark():
    """'Not known' stands for 'not recorded' as a value, but as a label it names the row of
    offences with no platform recorded: its figures are read, not taken as a footnote."""
    sheet = grid([["Platform", "2019/20"], ["Instagram", 4], ["Not known", 3]])
    (table,) = find_tables(sheet).tables
    assert (table.header_rows, table.data_rows, table.note_rows) == ([1], [2, 3], [])


def test_it_finds_two_tables_and_gives_the_text_between_them_to_the_right_one():
    sheet = grid(
        [
            ["Table 1"],
            ["Platform", "2019/20"],
            ["Instagram", 4],
            [],
            ["Source: niche"],
            [],
            ["Table 2"],
            ["Platform", "2020/21"],
            ["Kik", 1],
        ]
    )
    first, second = find_tables(sheet).tables
    assert (first.title_rows, first.data_rows, first.note_rows) == ([1], [3], [5])
    assert (second.title_rows, second.header_rows, second.data_rows) == ([7], [8], [9])


def test_a_cover_letter_is_a_text_sheet_not_a_table():
    sheet = grid([["Dear Sir,"], [], ["Your request of 2 November 2020 for 12 months..."]])
    layout = find_tables(sheet)
    assert (layout.is_text, layout.tables, layout.text_rows) == (True, [], [1, 3])


def test_a_table_at_b3_has_its_label_column_in_b():
    sheet = grid([[None, "Title"], [], [None, "Platform", "2019/20"], [None, "Kik", 3]])
    (table,) = find_tables(sheet).tables
    assert (table.title_rows, table.label_column, table.value_columns) == ([1], 2, [3])


def read_csv_rows(rows: list[list], **hints):
    content = builders.csv_text(rows).encode()
    return read_answer(
        content,
        filename="answer.csv",
        vocabulary=VOCABULARY,
        periods=CAMPAIGN_PERIODS,
        hints=Hints(**{"offence": CSO, **hints}),
    )


def test_a_sum_row_that_leaves_out_suppressed_cells_is_flagged():
    """40 + 6 + '*' (1..4) is 47..50; the stated 46 lies below, so it disagrees. The Total
    of 52 lies inside 51..54 (with the 'not recorded' 5) and agrees."""
    reading = read_csv_rows(
        [
            ["Platform", "Oct 2019 - Mar 2020"],
            ["Instagram", "40"],
            ["WhatsApp", "6"],
            ["Kik", "*"],
            ["Sum:", "46"],
        ]
    )
    (check,) = reading.sheets[0].tables[0].totals
    assert (check.cell, check.stated_low, check.parts_low, check.parts_high) == ("B5", 46, 47, 50)
    assert check.parts == ("B2", "B3", "B4")
    assert not check.agrees
    reading = read_csv_rows(
        [
            ["Platform", "Oct 2019 - Mar 2020"],
            ["Instagram", "40"],
            ["WhatsApp", "6"],
            ["Kik", "*"],
            ["Not recorded", "5"],
            ["Total", "52"],
        ]
    )
    (check,) = reading.sheets[0].tables[0].totals
    assert (check.parts_low, check.parts_high, check.agrees) == (52, 55, True)


def test_a_part_not_held_leaves_the_sum_open_at_the_top():
    reading = read_csv_rows(
        [["Platform", "2019/20"], ["Instagram", "3"], ["Kik", "not held"], ["Total", "90"]]
    )
    (check,) = reading.sheets[0].tables[0].totals
    assert (check.parts_low, check.parts_high, check.agrees) == (3, None, True)


def test_a_total_column_is_checked_against_the_periods_of_its_row():
    """Instagram: 4 + 5 = 9 against 9; Kik: '*' (1..4) + 0 = 1..4 against 7, flagged."""
    reading = read_csv_rows(
        [
            ["Platform", "Oct 2019 - Mar 2020", "Apr 2020 - Sep 2020", "Total"],
            ["Instagram", "4", "5", "9"],
            ["Kik", "*", "0", "7"],
        ]
    )
    table = reading.sheets[0].tables[0]
    assert [(c.cell, c.parts_low, c.parts_high, c.agrees) for c in table.totals] == [
        ("D2", 9, 9, True),
        ("D3", 1, 4, False),
    ]
    assert {f.cell for f in table.figures} == {"B2", "C2", "B3", "C3"}


def test_a_mapping_that_contradicts_a_heading_is_refused_showing_both():
    reading = read_csv_rows(
        [["Platform", "2023/24", "2022/23"], ["Instagram", "3", "4"]],
        periods={"2023/24": fy(2022)},
    )
    assert [(p.message, p.sheet, p.cells) for p in reading.problems] == [
        (
            "The heading '2023/24' in B1 reads as 01 Apr 2023 - 31 Mar 2024, but the mapping "
            "given says 01 Apr 2022 - 31 Mar 2023: correct the mapping or leave it out.",
            "",
            ("B1",),
        )
    ]
    assert not reading.ready


def test_a_mapping_gives_the_period_of_a_heading_that_does_not_read():
    reading = read_csv_rows([["Platform", "Period A"], ["Kik", "3"]], periods={"B1": H1})
    assert [(f.cell, f.period_start, f.period_end) for f in reading.figures] == [
        ("B2", H1.start, H1.end)
    ]
    assert reading.ready


def test_a_title_naming_another_offence_than_the_callers_is_a_problem():
    reading = read_csv_rows([["Indecent image offences"], ["Platform", "2019/20"], ["Kik", "3"]])
    assert [p.message for p in reading.problems] == [
        "The title of the table at A1:B3 names the offence 'indecent-image-offences', but "
        "the offence given is 'child-sexual-offences'."
    ]


def test_the_same_figure_twice_is_a_problem_naming_both_cells():
    reading = read_csv_rows([["Platform", "2019/20"], ["Instagram", "3"], ["Insta", "4"]])
    assert [(p.message, p.cells) for p in reading.problems] == [
        (
            "The same figure is read twice: '' B2 and '' B3 (same period, platform, offence "
            "and unit). Skip one of them.",
            ("B3",),
        )
    ]


def test_a_table_naming_no_platform_period_or_offence_is_asked_about():
    reading = read_csv_rows([["Name", "Colour", "Size"], ["Alpha", "3", "1"], ["Beta", "4", "2"]])
    assert [(q.key, q.cells) for q in reading.questions] == [("layout:#1", ["A1:C3"])]
    assert reading.figures == []


def test_the_digest_is_stable_and_changes_with_any_decision_or_mapping():
    rows = [["Platform", "Last year"], ["Kik", "3"]]
    first = read_csv_rows(rows, decisions={"period:last year": "2019-10-01/2020-03-31"})
    again = read_csv_rows(rows, decisions={"period:last year": "2019-10-01/2020-03-31"})
    other = read_csv_rows(rows, decisions={"period:last year": "2020-04-01/2020-09-30"})
    mapped = read_csv_rows(rows, periods={"Last year": H1})
    assert first.digest == again.digest
    assert len({first.digest, other.digest, mapped.digest}) == 3
    assert first.figures == mapped.figures  # the same figures, reached another way


def test_a_period_the_campaign_did_not_ask_about_is_a_warning():
    reading = read_csv_rows([["Platform", "2017/18"], ["Kik", "3"]])
    assert reading.warnings == [
        "The file gives figures for 01 Apr 2017 - 31 Mar 2018, a period the campaign did not "
        "ask about."
    ]


@pytest.mark.parametrize(
    ("line", "threshold", "marks"),
    [
        ("* = fewer than 5", 5, (("*", "suppressed"),)),
        ("* denotes a figure between 1 and 9", 10, (("*", "suppressed"),)),
        ("Figures of 3 or fewer are shown as *", 4, (("*", "suppressed"),)),
        ("Numbers below 10 have been replaced with 'x'", 10, (("x", "suppressed"),)),
        ("- = nil", None, (("-", "zero"), ("\u2013", "zero"), ("\u2014", "zero"))),
        ("Blank cells = not recorded", None, (("", "not_recorded"),)),
        ("'..' means not available", None, (("..", "not_held"),)),
    ],
)
def test_it_reads_a_legend(line, threshold, marks):
    legend = read_legend([line])
    assert (legend.threshold, legend.marks) == (threshold, marks)


def test_a_mark_without_a_meaning_is_a_footnote():
    legend = read_legend(["* 2015 covers April to December only", "Source: RMS"])
    assert (legend.marks, legend.footnotes) == ((), {"*": "* 2015 covers April to December only"})


def test_every_cell_of_the_table_is_drawn_with_how_it_was_read():
    reading = read_csv_rows(
        [
            ["Offences by platform"],
            ["Platform", "Oct 2019 - Mar 2020", "% of total"],
            ["Social media"],
            ["Instagram", "*", "40%"],
            ["Snapchat", "0", "60%"],
            ["Yubo", "n/a", ""],
            ["Total", "7", "100%"],
            ["* = fewer than 5"],
        ]
    )
    drawn = {c.ref: c.kind for c in reading.sheets[0].tables[0].cells}
    assert drawn == {
        "A1": "note",
        "A2": "header", "B2": "header", "C2": "header",
        "A3": "note",
        "A4": "label", "B4": "interval", "C4": "skipped",
        "A5": "label", "B5": "zero", "C5": "skipped",
        "A6": "label", "B6": "question", "C6": "skipped",
        "A7": "total", "B7": "total", "C7": "skipped",
        "A8": "note",
    }  # fmt: skip
    assert [q.key for q in reading.questions] == ["label:yubo"]


def test_a_hidden_sheet_is_read_when_named_and_an_unknown_name_is_refused():
    def hide(workbook):
        workbook["Old"].sheet_state = "hidden"

    content = builders.xlsx(
        {
            "Now": [["Platform", "2019/20"], ["Kik", 1]],
            "Old": [["Platform", "2018/19"], ["Kik", 2]],
        },
        build=hide,
    )
    reading = read_answer(
        content, filename="a.xlsx", vocabulary=VOCABULARY, hints=Hints(offence=CSO, sheets=("Old",))
    )
    assert [(s.name, s.verdict) for s in reading.sheets] == [
        ("Now", "not chosen"),
        ("Old", "tables"),
    ]
    assert [f.cell for f in reading.figures] == ["B2"]
    assert reading.figures[0].period_start.year == 2018
    assert "Sheet 'Old' is hidden; it was read because it was named." in reading.warnings
    with pytest.raises(AnswerRefused) as refused:
        read_answer(content, filename="a.xlsx", vocabulary=VOCABULARY, hints=Hints(sheets=("New",)))
    assert [(p.message, p.sheet) for p in refused.value.problems] == [
        ("There is no sheet 'New'; the sheets are: 'Now', 'Old'.", "New")
    ]


def test_a_file_refused_by_a_reader_is_refused_naming_the_sheet():
    content = builders.replace_part(
        builders.xlsx({"Figures": [["x"]]}),
        "xl/worksheets/sheet1.xml",
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<cols><col min="1" max="20000"/></cols></worksheet>',
    )
    with pytest.raises(AnswerRefused) as refused:
        read_answer(content, filename="a.xlsx", vocabulary=VOCABULARY)
    assert [(p.message, p.sheet) for p in refused.value.problems] == [
        (
            "The sheet declares columns 1 to 20,000; a spreadsheet has columns 1 to 16,384 "
            "(A to XFD).",
            "Figures",
        )
    ]


def test_a_blank_cell_is_asked_about_unless_the_legend_says_what_blanks_mean():
    rows = [["Platform", "2019/20", "2020/21"], ["Kik", "", "2"]]
    asked = read_csv_rows(rows)
    assert [(q.key, q.cells) for q in asked.questions] == [("value:", ["B2"])]
    told = read_csv_rows([*rows, [], ["Blank cells = nil"]])
    assert [(f.cell, f.raw, f.status) for f in told.figures] == [
        ("B2", "", "zero"),
        ("C2", "2", "reported"),
    ]


def test_one_label_unknown_on_two_sheets_is_one_question_naming_both_cells():
    content = builders.xlsx(
        {
            "2019-20": [["Platform", "Number"], ["Yubo", 1], ["Kik", 2]],
            "2020-21": [["Platform", "Number"], ["Yubo", 2], ["Kik", 3]],
        }
    )
    reading = read_answer(
        content, filename="a.xlsx", vocabulary=VOCABULARY, hints=Hints(offence=CSO)
    )
    assert [(q.key, q.sheet, q.cells) for q in reading.questions] == [
        ("label:yubo", "2019-20", ["A2", "'2020-21'!A2"])
    ]


def test_unknown_labels_beside_one_count_column_are_asked_about_as_platforms():
    content = builders.xlsx({"2019-20": [["App", "Number"], ["Yubo", 1], ["Zepeto", 2]]})
    reading = read_answer(
        content, filename="a.xlsx", vocabulary=VOCABULARY, hints=Hints(offence=CSO)
    )
    assert [(q.key, q.cells) for q in reading.questions] == [
        ("label:yubo", ["A2"]),
        ("label:zepeto", ["A3"]),
    ]
    decided = read_answer(
        content,
        filename="a.xlsx",
        vocabulary=VOCABULARY,
        hints=Hints(
            offence=CSO, decisions={"label:yubo": "other_platform", "label:zepeto": "skip"}
        ),
    )
    assert [(f.cell, f.platform, f.period_start.isoformat()) for f in decided.figures] == [
        ("B2", "other", "2019-04-01")
    ]


def test_figures_under_no_heading_are_asked_about_and_can_be_skipped():
    rows = [["Platform", "2019/20", None], ["Kik", "3", "4"]]
    asked = read_csv_rows(rows)
    assert [(q.key, q.cells, q.text) for q in asked.questions] == [
        (
            "period:C1",
            ["C1"],
            "Column C holds figures under no heading: choose the period they cover, or skip them.",
        )
    ]
    skipped = read_csv_rows(rows, decisions={"period:C1": "skip"})
    drawn = {c.ref: c.kind for c in skipped.sheets[0].tables[0].cells}
    assert (drawn["B2"], drawn["C2"], skipped.ready) == ("exact", "skipped", True)
    assert [f.cell for f in skipped.figures] == ["B2"]


def test_a_pdf_with_text_but_no_ruled_table_goes_to_manual_entry():
    document = FPDF()
    document.add_page()
    document.set_font("Helvetica", size=10)
    document.cell(0, 8, "Instagram 12 and Snapchat 4, without any table lines.")
    reading = read_answer(bytes(document.output()), filename="a.pdf", vocabulary=VOCABULARY)
    assert [p.message for p in reading.problems] == [
        "The PDF has text but no ruled table the reader can follow: key its figures in the "
        "manual grid."
    ]


def test_an_offence_among_the_platforms_is_a_problem_not_a_silent_gap():
    reading = read_csv_rows(
        [["Platform", "2019/20"], ["Kik", "3"], ["Yubo", "4"]],
        decisions={"label:yubo": "offence:indecent-image-offences"},
    )
    assert [(p.message, p.cells) for p in reading.problems] == [
        (
            "'Yubo' in A3 is an offence (indecent-image-offences), but this table's platforms "
            "run along that side: decide it as a platform, not recorded or skip.",
            ("A3",),
        )
    ]
    assert [f.cell for f in reading.figures] == ["B2"]


def test_a_decision_or_hint_naming_nothing_real_is_refused_listing_each():
    with pytest.raises(AnswerRefused) as refused:
        read_csv_rows(
            [["Platform", "2019/20"], ["Yubo", "-"]],
            offence="child-offences",
            decisions={
                "label:yubo": "platform:yubo",
                "value:-": "nothing",
                "period:x": "2020-13-01/2020-12-31",
                "offence:Sheet1#1": "indecent-image-offences",
                "layout:Sheet1#1": "sideways",
                "colour:red": "blue",
            },
        )
    assert [p.message for p in refused.value.problems] == [
        "'child-offences' is not an offence in the lists.",
        "The decision 'platform:yubo' does not answer 'label:yubo'.",
        "The decision 'nothing' does not answer 'value:-'.",
        "The decision '2020-13-01/2020-12-31' does not answer 'period:x'.",
        "The decision 'indecent-image-offences' does not answer 'offence:Sheet1#1'.",
        "The decision 'sideways' does not answer 'layout:Sheet1#1'.",
        "The decision 'blue' does not answer 'colour:red'.",
    ]
