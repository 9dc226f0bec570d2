"""Every file of the corpus reads exactly as worked out by hand, or asks exactly the questions
listed and then, decided, reads exactly; no file yields a figure that is not listed."""

from __future__ import annotations

import pytest

from responses_app.importing.answers import read_answer
from responses_app.importing.outcome import Hints
from responses_app.importing.periods import Period
from tests.responses_app.answers import corpus, corpus_more
from tests.responses_app.answers.corpus import Case, F

CASES = [
    corpus.title_footnotes_and_total(),
    corpus.financial_years_newest_first(),
    corpus.merged_two_level_headers(),
    corpus.cover_letter_and_hidden_sheet(),
    corpus.one_sheet_per_year(),
    corpus.years_down_platforms_across(),
    corpus.calendar_years_typed_as_numbers(),
    corpus.offences_as_columns_with_codes(),
    corpus.code_71_17_unknown(),
    corpus.two_tables_on_one_sheet(),
    corpus_more.old_xls_with_a_hidden_row(),
    corpus_more.excel_csv_in_windows_1252(),
    corpus_more.unicode_text_in_utf_16(),
    corpus_more.table_starting_at_b3(),
    corpus_more.subtotals_and_grand_total(),
    corpus_more.dash_for_nil_with_a_legend(),
    corpus_more.dash_without_a_legend(),
    corpus_more.ods_with_merged_header(),
    corpus_more.word_table(),
    corpus_more.pdf_table(),
    corpus_more.scanned_pdf(),
    corpus_more.percentage_columns(),
    corpus_more.footnoted_year(),
    corpus_more.unreadable_headings(),
    corpus_more.unknown_labels(),
    corpus_more.months_as_date_cells(),
    corpus_more.formulas_and_a_hidden_column(),
]


def read(case: Case, decisions=None):
    return read_answer(
        case.build(),
        filename=case.filename,
        vocabulary=case.vocabulary,
        periods=case.periods,
        hints=Hints(offence=case.offence, decisions=decisions or {}),
    )


def as_expected(reading) -> list[F]:
    return sorted(
        (
            F(
                f.sheet,
                f.cell,
                f.raw,
                f.status,
                f.low,
                f.high,
                Period(f.period_start, f.period_end),
                f.platform or f.platform_scope,
                f.offence,
            )
            for f in reading.figures
        ),
        key=lambda f: (f.sheet, f.cell),
    )


def by_cell(figures: list[F]) -> list[F]:
    return sorted(figures, key=lambda f: (f.sheet, f.cell))


def test_the_corpus_covers_twenty_shapes_at_least():
    assert len(CASES) >= 20
    assert len({case.name for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=str)
def test_each_answer_reads_exactly_or_asks(case: Case):
    reading = read(case)
    assert reading.outcome == case.outcome
    assert as_expected(reading) == by_cell(case.figures)
    assert [q.key for q in reading.questions] == case.questions
    assert reading.problems == []
    for fragment in case.warnings:
        assert any(fragment in warning for warning in reading.warnings), reading.warnings
    assert reading.ready == (not case.questions and case.outcome == "read")


@pytest.mark.parametrize("case", [c for c in CASES if c.decisions], ids=str)
def test_each_decided_answer_reads_exactly(case: Case):
    reading = read(case, case.decisions)
    assert as_expected(reading) == by_cell(case.decided)
    assert reading.questions == []
    assert reading.ready


@pytest.mark.parametrize("case", CASES, ids=str)
def test_every_figure_points_at_the_cell_the_force_wrote(case: Case):
    """The raw text of each figure is the text of the cell it names in the grid drawn for the
    preview, so the stored reference leads a clerk to that value in the original file."""
    reading = read(case, case.decisions)
    drawn = {
        (table.sheet, cell.ref): cell.text
        for sheet in reading.sheets
        for table in sheet.tables
        for cell in table.cells
    }
    for figure in reading.figures:
        assert drawn[(figure.sheet, figure.cell)].strip() == figure.raw
