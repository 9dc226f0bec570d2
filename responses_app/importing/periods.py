"""Periods from the headings forces write, read by rule and never guessed.

Conventions (police and Home Office statistics):
- A financial year runs 1 April to 31 March: 2019/20, 2019-20, 2019/2020, FY19/20, FY 2019-20,
  "April 2019 to March 2020". Two consecutive years joined by / or - are a financial year;
  "2019-2021" (not consecutive) is the calendar years 2019 to 2021.
- Quarters and halves count from the start of the year they name: of a financial year from
  April (Q1 2020/21 and 2020/21 Q1 are April-June 2020; H2 2019/20 is October 2019-March 2020),
  of a calendar year from January (Q1 2020 is January-March 2020).
- A year alone (2019, CY2019) is a calendar year; a month (April 2022, Apr-22, Apr 22, 04/2022)
  is that month; a date cell is the month it falls in, as a spreadsheet heading formatted
  "Apr-22" holds 1 April 2022.
- Ranges: "Oct 2019 - Mar 2020", "Oct 19 to Mar 20", "01/10/2019 - 31/03/2020" (day first),
  "1 October 2019 to 31 March 2020", ISO dates; a first month without a year takes the end's
  year, or the year before when it comes later in the calendar ("Oct - Mar 2020").
- A footnote mark after a heading ("2015*", "2016 (1)", "2017¹") is split off and kept, so the
  footnote it points to can be shown with the figures.
Anything else is not a period: the caller asks a person.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass

EARLIEST_YEAR = 1990
LATEST_YEAR = 2100

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = (
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_YEAR = r"((?:19|20)\d\d|\d\d)"
_FULL_YEAR = r"((?:19|20)\d\d)"
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_TO = r"\s*(?:-|to|until|and)\s*"

_FOOTNOTE = re.compile(r"\s*(\*+|[†‡§¹²³⁴⁵⁶⁷⁸⁹]+|\((?:note\s*)?\d{1,2}\)|\[\d{1,2}\])$")
_FILLER = re.compile(
    r"\b(?:financial year|calendar year|year|period|cy|figures for|total for|from|between"
    r"|inclusive|\(apr(?:il)?\s*-\s*mar(?:ch)?\)|\(jan(?:uary)?\s*-\s*dec(?:ember)?\))\b"
)

_DMY = rf"(\d{{1,2}})/(\d{{1,2}})/{_FULL_YEAR}"
_DMY_RANGE = re.compile(rf"{_DMY}{_TO}{_DMY}")
_ISO_RANGE = re.compile(rf"{_FULL_YEAR}-(\d\d)-(\d\d){_TO}{_FULL_YEAR}-(\d\d)-(\d\d)")
_DAY_MONTH_RANGE = re.compile(rf"{_DAY}\s+{_MONTH},?\s+{_YEAR}{_TO}{_DAY}\s+{_MONTH},?\s+{_YEAR}")
_MONTH_RANGE = re.compile(rf"{_MONTH}(?:[\s\-']*{_YEAR})?{_TO}{_MONTH}[\s\-']*{_YEAR}")
_FINANCIAL = re.compile(rf"{_YEAR}\s*[/-]\s*{_YEAR}")
_PART_FIRST = re.compile(r"(q|quarter|h|half)\s*([1-4])\s*(.+)")
_PART_LAST = re.compile(r"(.+?)\s*(q|quarter|h|half)\s*([1-4])")
_MONTH_YEAR = re.compile(rf"{_MONTH}[\s\-']*{_YEAR}")
_NUMERIC_MONTH = re.compile(r"(\d{1,2})/((?:19|20)\d\d)|((?:19|20)\d\d)-(\d\d)")
_CALENDAR = re.compile(_FULL_YEAR)
_CALENDAR_SPAN = re.compile(rf"{_FULL_YEAR}{_TO}{_FULL_YEAR}")


@dataclass(frozen=True, order=True)
class Period:
    start: dt.date
    end: dt.date

    def label(self) -> str:
        return f"{self.start:%d %b %Y} - {self.end:%d %b %Y}"

    def as_dict(self) -> dict:
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}


@dataclass(frozen=True)
class Heading:
    """A heading read: its period (None if it is not one) and any footnote mark split off."""

    text: str
    period: Period | None
    mark: str = ""


def read_heading(heading: object) -> Heading:
    if isinstance(heading, dt.datetime):
        heading = heading.date()
    if isinstance(heading, dt.date):
        return Heading(heading.isoformat(), _month(heading.year, heading.month))
    text = " ".join(str(heading or "").split())
    bare, mark = split_footnote_mark(text)
    return Heading(text, read_period(bare), mark)


def split_footnote_mark(text: str) -> tuple[str, str]:
    match = _FOOTNOTE.search(text)
    if not match or match.start() == 0:
        return text, ""
    return text[: match.start()].strip(), match.group(1)


@functools.lru_cache(maxsize=4096)
def read_period(text: str) -> Period | None:
    """The period a heading names, or None. Pure: the rules are the module docstring's."""
    key = _normalise(text)
    if not key:
        return None
    for reader in _READERS:
        try:
            period = reader(key)
        except ValueError:  # a day or month out of range: not a date, so not a period
            return None
        if period is not None:
            return period if _plausible(period) else None
    return None


def find_period(text: str) -> Period | None:
    """A period named inside a sentence (a title: "Offences recorded 1 April 2019 to 31 March
    2020"): only ranges and financial years, never a lone year or month, which a title also
    uses for other things (the Sexual Offences Act 2003)."""
    key = _normalise(text)
    found = set()
    for pattern, reader in (
        (_DMY_RANGE, _dmy_range),
        (_DAY_MONTH_RANGE, _day_month_range),
        (_MONTH_RANGE, _month_range),
        (re.compile(rf"(?:fy\s*)?{_FULL_YEAR}\s*[/-]\s*{_YEAR}"), _financial),
    ):
        for match in pattern.finditer(key):
            try:
                period = reader(match.group(0))
            except ValueError:
                continue
            if period is not None and _plausible(period):
                found.add(period)
        if found:
            break
    return found.pop() if len(found) == 1 else None


def _normalise(text: str) -> str:
    text = text.casefold().replace("–", "-").replace("—", "-").replace("−", "-")  # noqa: RUF001
    text = _FILLER.sub(" ", text)
    return " ".join(text.replace(":", " ").split()).strip(" -,")


def _plausible(period: Period) -> bool:
    return (
        period.start <= period.end
        and period.start.year >= EARLIEST_YEAR
        and period.end.year <= LATEST_YEAR
    )


def _year(text: str) -> int:
    number = int(text)
    return 2000 + number if number < 100 else number


def _month_number(text: str) -> int:
    return MONTHS[text[:3]]


def _last_day(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _month(year: int, month: int) -> Period:
    return Period(dt.date(year, month, 1), _last_day(year, month))


def _dmy_range(key: str) -> Period | None:
    if match := _DMY_RANGE.fullmatch(key):
        d1, m1, y1, d2, m2, y2 = (int(g) for g in match.groups())
        return Period(dt.date(y1, m1, d1), dt.date(y2, m2, d2))
    if match := _ISO_RANGE.fullmatch(key):
        y1, m1, d1, y2, m2, d2 = (int(g) for g in match.groups())
        return Period(dt.date(y1, m1, d1), dt.date(y2, m2, d2))
    return None


def _day_month_range(key: str) -> Period | None:
    if match := _DAY_MONTH_RANGE.fullmatch(key):
        d1, m1, y1, d2, m2, y2 = match.groups()
        return Period(
            dt.date(_year(y1), _month_number(m1), int(d1)),
            dt.date(_year(y2), _month_number(m2), int(d2)),
        )
    return None


def _month_range(key: str) -> Period | None:
    match = _MONTH_RANGE.fullmatch(key)
    if not match:
        return None
    first, first_year, last, last_year = match.groups()
    start_month, end_month, end_year = _month_number(first), _month_number(last), _year(last_year)
    if first_year:
        start_year = _year(first_year)
    else:
        start_year = end_year if start_month <= end_month else end_year - 1
    return Period(dt.date(start_year, start_month, 1), _last_day(end_year, end_month))


def _financial(key: str) -> Period | None:
    # Two-digit pairs (19/20) only after FY: "71/17" is an offence code, not a year.
    prefixed = key.startswith("fy")
    match = _FINANCIAL.fullmatch(key.removeprefix("fy").strip())
    if not match:
        return None
    first, second = match.groups()
    if len(first) == 2 and not prefixed:
        return None
    start = _year(first)
    end = _year(second) if len(second) == 4 else (start // 100) * 100 + int(second)
    if len(first) == 2 and len(second) == 4:
        return None
    if end == start + 1:
        return Period(dt.date(start, 4, 1), dt.date(end, 3, 31))
    return None


def _calendar_span(key: str) -> Period | None:
    if match := _CALENDAR_SPAN.fullmatch(key):
        first, last = int(match.group(1)), int(match.group(2))
        if last > first + 1:
            return Period(dt.date(first, 1, 1), dt.date(last, 12, 31))
    return None


def _part_of_year(key: str) -> Period | None:
    if match := _PART_FIRST.fullmatch(key):
        kind, number, year_text = match.groups()
    elif match := _PART_LAST.fullmatch(key):
        year_text, kind, number = match.groups()
    else:
        return None
    year = _financial(year_text.strip()) or _calendar(year_text.strip())
    if year is None:
        return None
    months = 3 if kind[0] == "q" else 6
    if months == 6 and int(number) > 2:
        return None
    first = year.start.month + months * (int(number) - 1)
    start_year = year.start.year + (first - 1) // 12
    start_month = (first - 1) % 12 + 1
    end_month_index = start_month + months - 1
    end_year = start_year + (end_month_index - 1) // 12
    return Period(
        dt.date(start_year, start_month, 1), _last_day(end_year, (end_month_index - 1) % 12 + 1)
    )


def _month_of_year(key: str) -> Period | None:
    if match := _MONTH_YEAR.fullmatch(key):
        return _month(_year(match.group(2)), _month_number(match.group(1)))
    if match := _NUMERIC_MONTH.fullmatch(key):
        month, year, iso_year, iso_month = match.groups()
        if month:
            return _month(int(year), int(month))
        return _month(int(iso_year), int(iso_month))
    return None


def _calendar(key: str) -> Period | None:
    if match := _CALENDAR.fullmatch(key):
        year = int(match.group(1))
        return Period(dt.date(year, 1, 1), dt.date(year, 12, 31))
    if key.startswith("jan") and (match := _MONTH_RANGE.fullmatch(key)):
        return _month_range(key)
    return None


_READERS = (
    _dmy_range,
    _day_month_range,
    _month_range,
    _part_of_year,
    _calendar_span,
    _financial,
    _month_of_year,
    _calendar,
)
