"""The keying grid's services: a grid saved all or nothing, and its blind second keying.

Kent's threshold is raised to 10 here, so a '*' is 1..9 (the force's threshold minus one), while
'<5' states its own bound, 1..4, and '<=5' is 1..5. The grid is Instagram, Snapchat and WhatsApp
by the half-years H1 (1 Oct 2019 to 31 Mar 2020) and H2 (1 Apr to 30 Sep 2020).
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from responses_app import services
from responses_app.keying.services import (
    SecondKeyingRefused,
    figures_enter_grid,
    figures_verify_grid,
)
from responses_app.keying.shapes import Grid, GridPeriod, GridRefused, GridRow
from responses_app.models import Figure, Platform, PlatformScope
from tests.responses_app.conftest import H1, H2

TABLE = {
    ("instagram", H1): "14",
    ("instagram", H2): "*",
    ("snapchat", H1): "<5",
    ("snapchat", H2): "<=5",
    ("whatsapp", H1): "0",
    ("whatsapp", H2): "not held",
}


@pytest.fixture
def grid(db) -> Grid:
    platforms = Platform.objects.filter(slug__in=["instagram", "snapchat", "whatsapp"])
    rows = [GridRow(p) for p in platforms.prefetch_related("ownerships").order_by("slug")]
    rows.append(GridRow(None, PlatformScope.ALL_PLATFORMS))
    return Grid(rows, [GridPeriod(*H1), GridPeriod(*H2)])


@pytest.fixture
def keyed(response, kent):
    kent.suppression_threshold = 10
    kent.save()
    response.request.force = kent
    return response


def cells(grid: Grid, values: dict) -> list:
    """The grid's cells with `values` by (platform slug or scope, period); the rest blank."""
    by_name = {
        grid.field_name(row, period): values.get((row.key, (period.start, period.end)), "")
        for row in grid.rows
        for period in grid.periods
    }
    return grid.cells_from(by_name)


def enter(response, grid, values, user, **extra):
    return figures_enter_grid(
        response=response,
        offence=extra.pop("offence"),
        unit="instances",
        cells=cells(grid, values),
        user=user,
        **extra,
    )


def stored() -> list[tuple]:
    return list(
        Figure.objects.order_by("platform__slug", "period_start").values_list(
            "platform__slug", "period_start", "period_end", "raw", "status", "low", "high"
        )
    )


def test_a_grid_becomes_one_figure_a_keyed_cell(keyed, grid, offence, data_entry):
    entry = enter(keyed, grid, TABLE, data_entry, offence=offence)
    assert (len(entry.created), entry.corrected, entry.unchanged) == (6, [], 0)
    assert stored() == [
        ("instagram", *H1, "14", "reported", 14, 14),
        ("instagram", *H2, "*", "suppressed", 1, 9),
        ("snapchat", *H1, "<5", "suppressed", 1, 4),
        ("snapchat", *H2, "<=5", "suppressed", 1, 5),
        ("whatsapp", *H1, "0", "zero", 0, 0),
        ("whatsapp", *H2, "not held", "not_held", None, None),
    ]
    assert Figure.history.filter(history_type="+").count() == 6


def test_every_bad_cell_is_named_and_nothing_is_written(keyed, grid, offence, data_entry):
    bad = {**TABLE, ("snapchat", H1): "4-1", ("scope.all_platforms", H2): "about 20"}
    with pytest.raises(GridRefused) as refused:
        enter(keyed, grid, bad, data_entry, offence=offence)
    assert refused.value.messages == [
        "Snapchat, 1 Oct 2019 to 31 Mar 2020: '4-1' is an empty range: its upper bound is below "
        "its lower one.",
        "All platforms (a stated total), 1 Apr 2020 to 30 Sep 2020: 'about 20' is not a figure; "
        "give a whole number (12, 1,234, 0), '*', '<5', 'fewer than 5', '1-4', 'not held', "
        "'n/a', 'refused', 'exempt' or 'not recorded'.",
    ]
    assert Figure.objects.count() == 0


def test_saving_the_same_values_again_writes_nothing(keyed, grid, offence, data_entry):
    enter(keyed, grid, TABLE, data_entry, offence=offence)
    before = (stored(), Figure.history.count())
    entry = enter(keyed, grid, TABLE, data_entry, offence=offence)
    assert (entry.created, entry.corrected, entry.unchanged) == ([], [], 6)
    assert (stored(), Figure.history.count()) == before


def test_a_value_written_otherwise_is_a_correction(keyed, grid, offence, data_entry):
    """'1-4' means what '<5' means, but the raw text is what the force wrote: corrected."""
    enter(keyed, grid, TABLE, data_entry, offence=offence)
    changed = {**TABLE, ("snapchat", H1): "1-4"}
    entry = enter(keyed, grid, changed, data_entry, offence=offence, reason="As on page 2")
    assert [f.raw for f in entry.corrected] == ["1-4"]
    assert entry.unchanged == 5
    figure = Figure.objects.get(platform__slug="snapchat", period_start=H1[0])
    assert [h.history_change_reason for h in figure.history.all()] == ["As on page 2", None]


def test_a_dash_takes_the_meaning_the_clerk_gives_it(keyed, grid, offence, data_entry):
    dash = {("instagram", H1): "-", ("instagram", H2): "–"}  # noqa: RUF001 (an en dash)
    with pytest.raises(GridRefused):
        enter(keyed, grid, dash, data_entry, offence=offence)
    enter(keyed, grid, dash, data_entry, offence=offence, dash="not_held")
    assert [row[3:] for row in stored()] == [
        ("-", "not_held", None, None),
        ("–", "not_held", None, None),  # noqa: RUF001
    ]


def test_a_withdrawn_response_refuses_the_whole_grid(keyed, grid, offence, data_entry):
    withdrawn = services.response_withdraw(
        response=keyed, reason="Sent to the wrong force", user=data_entry
    )
    with pytest.raises(ValidationError) as refused:
        enter(withdrawn, grid, TABLE, data_entry, offence=offence)
    assert not isinstance(refused.value, GridRefused)
    assert list(refused.value.message_dict) == ["response"]
    assert Figure.objects.count() == 0


def verify(response, grid, values, user, offence):
    return figures_verify_grid(
        response=response, offence=offence, unit="instances", cells=cells(grid, values), user=user
    )


def test_the_second_keying_verifies_equal_values_and_records_the_others(
    keyed, grid, offence, data_entry, colleague
):
    """Second keying: '1-4' for '<5' is the same interval; 15 for 14 is not; nothing for
    WhatsApp H2 (it stays waiting); 3 for the stated total of H1, which nobody keyed first."""
    enter(keyed, grid, TABLE, data_entry, offence=offence)
    second = {**TABLE, ("instagram", H1): "15", ("snapchat", H1): "1-4"}
    second[("scope.all_platforms", H1)] = "3"
    del second[("whatsapp", H2)]
    found = verify(keyed, grid, second, colleague, offence)
    assert [(k.cell.where, k.first, k.second) for k in found.verified] == [
        ("Instagram, 1 Apr 2020 to 30 Sep 2020", "*", "*"),
        ("Snapchat, 1 Oct 2019 to 31 Mar 2020", "<5", "1-4"),
        ("Snapchat, 1 Apr 2020 to 30 Sep 2020", "<=5", "<=5"),
        ("WhatsApp, 1 Oct 2019 to 31 Mar 2020", "0", "0"),
    ]
    assert [(k.cell.where, k.first, k.second) for k in found.disagreements] == [
        ("Instagram, 1 Oct 2019 to 31 Mar 2020", "14", "15")
    ]
    assert [cell.where for cell in found.added] == [
        "All platforms (a stated total), 1 Oct 2019 to 31 Mar 2020"
    ]
    assert [(k.cell.where, k.first) for k in found.not_keyed] == [
        ("WhatsApp, 1 Apr 2020 to 30 Sep 2020", "not held")
    ]
    states = Figure.objects.order_by("pk").values_list(
        "raw", "verified", "verified_by__username", "disputed", "disputed_raw", "entered_by"
    )
    assert list(states) == [
        ("14", False, None, True, "15", data_entry.pk),
        ("*", True, "colleague", False, "", data_entry.pk),
        ("<5", True, "colleague", False, "", data_entry.pk),
        ("<=5", True, "colleague", False, "", data_entry.pk),
        ("0", True, "colleague", False, "", data_entry.pk),
        ("not held", False, None, False, "", data_entry.pk),
        ("3", False, None, False, "", colleague.pk),
    ]


def test_whoever_keyed_the_grid_may_not_key_it_again(keyed, grid, offence, data_entry):
    enter(keyed, grid, TABLE, data_entry, offence=offence)
    before = list(Figure.objects.values_list("verified", "disputed"))
    with pytest.raises(SecondKeyingRefused) as refused:
        verify(keyed, grid, TABLE, data_entry, offence)
    assert str(refused.value) == (
        "You keyed 6 figures of this grid: the second keying must be done by someone else, "
        "who does not see the first values."
    )
    assert list(Figure.objects.values_list("verified", "disputed")) == before


def test_a_bad_cell_in_the_second_keying_compares_nothing(
    keyed, grid, offence, data_entry, colleague
):
    enter(keyed, grid, TABLE, data_entry, offence=offence)
    with pytest.raises(GridRefused) as refused:
        verify(keyed, grid, {**TABLE, ("whatsapp", H1): "-2"}, colleague, offence)
    assert refused.value.messages == [
        "WhatsApp, 1 Oct 2019 to 31 Mar 2020: '-2' is negative; a count cannot be below zero."
    ]
    assert not Figure.objects.filter(verified=True).exists()
