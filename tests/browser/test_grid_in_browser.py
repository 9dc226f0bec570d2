"""Keying by hand in a real browser, in the page table's world (tests/web/page_world.py): data
entry keyed Kent's Instagram figure, 12, for 1 Oct 2019 to 30 Sep 2020 (the campaign's one
period). Data entry keys Snapchat on the grid, mistyped first; a colleague then keys the grid
again, blind, reading Snapchat as 3 where the first clerk read '*' (1..4)."""

from __future__ import annotations

import pytest
import time_machine

from responses_app.models import Figure
from tests.api_world import documents_in, documents_restore
from tests.browser.conftest import from_database
from tests.browser.test_accessibility import AXE, _serious_violations, _sign_in
from tests.conftest import service_missing
from tests.web.page_world import NOW, page_world_build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SNAPCHAT = "Snapchat, 1 Oct 2019 to 30 Sep 2020"
INSTAGRAM = "Instagram, 1 Oct 2019 to 30 Sep 2020"


@pytest.fixture
def world(transactional_db, tmp_path):
    saved = documents_in(tmp_path / "documents")
    with time_machine.travel(NOW, tick=True):
        yield page_world_build()
    documents_restore(saved)


@pytest.fixture
def page(world, browser_context, live_server):
    if not AXE.exists():
        service_missing(f"axe-core is not installed at {AXE}: run `make install` (npm ci)")
    browser_context.add_init_script(path=str(AXE))
    return browser_context.new_page()


def test_a_grid_is_keyed_then_keyed_again_blind(world, page, live_server):
    grid = f"{live_server.url}/responses/{world.kent_response}/grid/"
    _sign_in(page.context, live_server, "data_entry")
    page.goto(grid)
    assert page.get_by_label(INSTAGRAM).input_value() == "12"
    page.get_by_label(SNAPCHAT).fill("lots")
    page.get_by_role("button", name="Save the grid").click()
    problems = page.locator("#problems").inner_text()
    assert "Nothing was saved: 1 cell to change." in problems
    assert f"{SNAPCHAT}: 'lots' is not a figure" in problems
    assert page.get_by_label(SNAPCHAT).get_attribute("aria-invalid") == "true"
    assert _serious_violations(page) == []
    page.get_by_label(SNAPCHAT).fill("*")
    page.get_by_role("button", name="Save the grid").click()
    assert page.get_by_role("status").inner_text() == (
        "Saved the grid: 1 figure keyed, 0 corrected, 1 unchanged. A second person now keys it "
        "blind to verify it."
    )
    snapchat = from_database(lambda: Figure.objects.get(platform__slug="snapchat"))
    assert (snapchat.raw, snapchat.low, snapchat.high) == ("*", 1, 4)
    # The browser sent the document shown as chosen: the answer the grid is keyed from.
    assert from_database(lambda: Figure.objects.get(pk=snapchat.pk).document.original_name) == (
        "kent.csv"
    )

    _sign_in(page.context, live_server, "colleague")
    page.goto(grid + "verify/")
    assert page.get_by_label(INSTAGRAM).input_value() == ""
    assert page.get_by_label(SNAPCHAT).input_value() == ""
    page.get_by_label(INSTAGRAM).fill("12")
    page.get_by_label(SNAPCHAT).fill("3")
    page.get_by_role("button", name="Compare with the first keying").click()
    assert page.locator("#verified-count").inner_text() == "1 figure verified; 1 disagreement."
    assert page.locator("table.disagreements tbody tr").all_inner_texts() == [
        "Snapchat\t1 Oct 2019 to 30 Sep 2020\t*\t3"
    ]
    assert _serious_violations(page) == []
