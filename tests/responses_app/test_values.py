import pytest

from responses_app.values import ParsedValue, ValueRejected, ValueStatus, parse_value

REPORTED, ZERO, SUPPRESSED = "reported", "zero", "suppressed"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12", ParsedValue(REPORTED, 12, 12)),
        (" 12 ", ParsedValue(REPORTED, 12, 12)),
        ("1,234", ParsedValue(REPORTED, 1234, 1234)),
        ("12,345,678", ParsedValue(REPORTED, 12345678, 12345678)),
        ("0", ParsedValue(ZERO, 0, 0)),
        (0, ParsedValue(ZERO, 0, 0)),
        (7, ParsedValue(REPORTED, 7, 7)),
        (7.0, ParsedValue(REPORTED, 7, 7)),
        ("*", ParsedValue(SUPPRESSED, 1, 4)),
        ("<5", ParsedValue(SUPPRESSED, 1, 4)),
        ("< 5", ParsedValue(SUPPRESSED, 1, 4)),
        ("<10", ParsedValue(SUPPRESSED, 1, 9)),
        ("<=5", ParsedValue(SUPPRESSED, 1, 5)),
        ("fewer than 5", ParsedValue(SUPPRESSED, 1, 4)),
        ("Fewer Than 5", ParsedValue(SUPPRESSED, 1, 4)),
        ("less than 3", ParsedValue(SUPPRESSED, 1, 2)),
        ("1-4", ParsedValue(SUPPRESSED, 1, 4)),
        ("1 – 4", ParsedValue(SUPPRESSED, 1, 4)),  # noqa: RUF001
        ("1 to 9", ParsedValue(SUPPRESSED, 1, 9)),
        ("n/a", ParsedValue("not_held", None, None)),
        ("N/A", ParsedValue("not_held", None, None)),
        ("not held", ParsedValue("not_held", None, None)),
        ("Not  Held", ParsedValue("not_held", None, None)),
        ("refused", ParsedValue("refused", None, None)),
        ("exempt", ParsedValue("refused", None, None)),
        ("not recorded", ParsedValue("not_recorded", None, None)),
    ],
)
def test_it_reads_the_spellings_forces_use(raw, expected):
    assert parse_value(raw) == expected


def test_it_reads_a_star_with_the_forces_own_threshold():
    assert parse_value("*", threshold=10) == ParsedValue(SUPPRESSED, 1, 9)


def test_it_lets_a_cell_state_its_own_bounds_whatever_the_threshold():
    assert parse_value("<5", threshold=10) == ParsedValue(SUPPRESSED, 1, 4)
    assert parse_value("1-4", threshold=10) == ParsedValue(SUPPRESSED, 1, 4)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("-3", "negative"),
        (-3, "negative"),
        ("−3", "negative"),  # noqa: RUF001
        ("twelve", "not a figure"),
        ("12 approx", "not a figure"),
        ("1.5", "not a figure"),
        (1.5, "not a whole number"),
        ("", "empty"),
        (None, "empty"),
        ("4-1", "empty range"),
        ("<1", "empty range"),
        ("=SUM(A1:A3)", "not a figure"),
        (True, "not a figure"),
    ],
)
def test_it_refuses_what_is_not_a_figure_with_a_reason(raw, reason):
    with pytest.raises(ValueRejected, match=reason):
        parse_value(raw)


def test_it_refuses_a_star_when_the_threshold_leaves_no_room():
    with pytest.raises(ValueRejected, match="threshold is 1"):
        parse_value("*", threshold=1)


def test_the_cache_keeps_a_number_and_a_yes_apart():
    # parse_value is memoised for imports; True == 1 in Python, but True is not a figure.
    assert parse_value(1) == ParsedValue(ValueStatus.REPORTED, 1, 1)
    assert parse_value(1.0) == ParsedValue(ValueStatus.REPORTED, 1, 1)
    with pytest.raises(ValueRejected, match="not a figure"):
        parse_value(True)
    assert parse_value("*", threshold=10) == ParsedValue(ValueStatus.SUPPRESSED, 1, 9)
    assert parse_value("*", threshold=5) == ParsedValue(ValueStatus.SUPPRESSED, 1, 4)


@pytest.mark.parametrize(
    ("raw", "marks", "expected"),
    [
        ("-", (("-", "zero"),), ParsedValue(ValueStatus.ZERO, 0, 0)),
        ("", (("", "not_recorded"),), ParsedValue(ValueStatus.NOT_RECORDED, None, None)),
        ("~", (("~", "suppressed"),), ParsedValue(ValueStatus.SUPPRESSED, 1, 9)),
        ("..", (("..", "not_held"),), ParsedValue(ValueStatus.NOT_HELD, None, None)),
        ("12", (("-", "zero"),), ParsedValue(ValueStatus.REPORTED, 12, 12)),
        ("nil", (), ParsedValue(ValueStatus.ZERO, 0, 0)),
    ],
)
def test_an_answers_legend_gives_its_marks_a_meaning(raw, marks, expected):
    """'~' suppressed under a threshold of 10 is 1..9."""
    assert parse_value(raw, threshold=10, marks=marks) == expected


@pytest.mark.parametrize("raw", ["-", ""])
def test_a_dash_or_a_blank_without_a_legend_is_not_a_figure(raw):
    with pytest.raises(ValueRejected):
        parse_value(raw)
