"""Headings read as periods by the rules in periods.py's docstring; each expected period is the
first and last day of the months named (30 days hath September, April, June and November;
2020 and 2024 are leap years)."""

from __future__ import annotations

import datetime as dt

import pytest

from responses_app.importing.periods import Period, find_period, read_heading


def p(start: str, end: str) -> Period:
    return Period(dt.date.fromisoformat(start), dt.date.fromisoformat(end))


FY_2019 = p("2019-04-01", "2020-03-31")


@pytest.mark.parametrize(
    ("heading", "period"),
    [
        # Financial years: police years run April to March.
        ("2019/20", FY_2019),
        ("2019-20", FY_2019),
        ("2019/2020", FY_2019),
        ("2019-2020", FY_2019),
        ("FY19/20", FY_2019),
        ("FY 2019-20", FY_2019),
        ("Financial year 2019/20", FY_2019),
        ("April 2019 to March 2020", FY_2019),
        ("2023/24", p("2023-04-01", "2024-03-31")),
        # Half-years and ranges.
        ("Oct 2019 - Mar 2020", p("2019-10-01", "2020-03-31")),
        ("Oct 19 - Mar 20", p("2019-10-01", "2020-03-31")),
        ("October 2019 to March 2020", p("2019-10-01", "2020-03-31")),
        ("Oct - Mar 2020", p("2019-10-01", "2020-03-31")),
        ("Apr 2020 \u2013 Sep 2020", p("2020-04-01", "2020-09-30")),
        ("01/10/2019 - 31/03/2020", p("2019-10-01", "2020-03-31")),
        ("1 October 2019 to 31 March 2020", p("2019-10-01", "2020-03-31")),
        ("1st Oct 2019 - 30th Sept 2020", p("2019-10-01", "2020-09-30")),
        ("2019-10-01 to 2020-03-31", p("2019-10-01", "2020-03-31")),
        ("H1 2020/21", p("2020-04-01", "2020-09-30")),
        ("H2 2019/20", p("2019-10-01", "2020-03-31")),
        # Calendar years.
        ("2019", p("2019-01-01", "2019-12-31")),
        ("Calendar year 2020", p("2020-01-01", "2020-12-31")),
        ("Jan-Dec 2019", p("2019-01-01", "2019-12-31")),
        ("2019-2021", p("2019-01-01", "2021-12-31")),
        # Quarters: of a financial year from April, of a calendar year from January.
        ("Q1 2020/21", p("2020-04-01", "2020-06-30")),
        ("2020/21 Q1", p("2020-04-01", "2020-06-30")),
        ("Q4 2019/20", p("2020-01-01", "2020-03-31")),
        ("Quarter 3 FY20/21", p("2020-10-01", "2020-12-31")),
        ("Q1 2020", p("2020-01-01", "2020-03-31")),
        ("2020 Q4", p("2020-10-01", "2020-12-31")),
        # Months.
        ("April 2022", p("2022-04-01", "2022-04-30")),
        ("Apr-22", p("2022-04-01", "2022-04-30")),
        ("Apr 22", p("2022-04-01", "2022-04-30")),
        ("Feb 2024", p("2024-02-01", "2024-02-29")),
        ("02/2023", p("2023-02-01", "2023-02-28")),
        ("Sept 2020", p("2020-09-01", "2020-09-30")),
    ],
)
def test_it_reads_the_headings_forces_write(heading, period):
    assert read_heading(heading).period == period


@pytest.mark.parametrize(
    "heading",
    ["Instagram", "Total", "Last year", "22B", "71/17", "19/20", "2019/21", "12", "",
     "31/02/2020 - 31/03/2020", "Q5 2020", "H3 2019/20", "1850"],
)  # fmt: skip
def test_it_reads_nothing_it_cannot_be_sure_of(heading):
    """'19/20' without FY could be a code; 2019/21 is two years apart; 31 February is no
    day; a year before 1990 is outside the range figures are kept for."""
    assert read_heading(heading).period is None


def test_a_date_cell_is_the_month_it_falls_in():
    assert read_heading(dt.datetime(2022, 4, 1)).period == p("2022-04-01", "2022-04-30")
    assert read_heading(dt.date(2021, 11, 15)).period == p("2021-11-01", "2021-11-30")


@pytest.mark.parametrize(
    ("heading", "mark"), [("2015*", "*"), ("2016 (1)", "(1)"), ("2017\u00b9", "\u00b9")]
)
def test_a_footnote_mark_is_split_off_and_kept(heading, mark):
    read = read_heading(heading)
    year = int(heading[:4])
    assert (read.period, read.mark) == (p(f"{year}-01-01", f"{year}-12-31"), mark)


def test_a_title_names_its_period_but_a_lone_year_in_a_title_is_not_one():
    assert (
        find_period("Online child sexual offences recorded 1 April 2019 to 31 March 2020")
        == FY_2019
    )
    assert find_period("Offences under the Sexual Offences Act 2003") is None
    assert find_period("Figures for 2019/20 and 2020/21") is None  # two periods: not one
