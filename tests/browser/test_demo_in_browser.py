"""The demo in a real browser: sign in, find the overdue forces, read the headline, record an
event and watch the deadline move. Time stands at 1 March 2021 in the server and the tests."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command

from tests.browser.conftest import PHONE, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db):
    # Ticking, so the browser's waits and the server's clock both move on normally.
    with time_machine.travel(dt.datetime(2021, 3, 1, 10, 0), tick=True):
        call_command("load_demo", stdout=io.StringIO())
        yield


@pytest.fixture
def page(demo, browser_context, live_server):
    page = browser_context.new_page()
    sign_in(page, live_server.url, "demo", "foi-demo-local")
    return page


def test_a_researcher_finds_the_overdue_forces_and_the_headline_share(page, screenshot):
    screenshot(page, "home")
    page.get_by_role("link", name="Online child sexual offences by platform").first.click()
    overdue = page.locator("tr.is-overdue th").all_inner_texts()
    assert overdue == ["Durham Constabulary", "Northamptonshire Police"]
    assert page.locator(".summary").inner_text().startswith("45 forces asked · 2 overdue")
    screenshot(page, "board")
    page.set_viewport_size(PHONE)
    # Nothing is wider than a phone: the table turns into one card per force.
    # A click returns once the new page commits: wait for its stylesheet before measuring.
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "board-phone", full_page=False)
    page.set_viewport_size({"width": 1280, "height": 860})

    page.get_by_role("link", name="Figures", exact=True).click()
    assert page.locator(".headline-share").inner_text() == "Between 51.0% and 52.1%"
    assert "(midpoint estimate 51.5%" in page.locator("#headline").inner_text()
    assert "9,477 counted exactly" in page.locator("#totals").inner_text()
    assert "Synthetic data." in page.locator(".synthetic-note").inner_text()
    screenshot(page, "figures")
    page.set_viewport_size(PHONE)
    # A click returns once the new page commits: wait for its stylesheet before measuring.
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # Chart text as drawn on a phone, and any label that sticks out of its chart.
    # A click returns once the new page commits: wait for its stylesheet before measuring.
    page.wait_for_load_state("load")
    drawn = page.evaluate(CHART_TEXT)
    assert min(drawn["sizes"]) >= 12, drawn["sizes"]
    assert drawn["outside"] == []


def test_a_researcher_reads_how_each_force_answered(page, screenshot):
    """Northamptonshire's answer was due Tue 1 Dec 2020 and never came. Working days after it
    up to Mon 1 Mar 2021, on the FOIA calendar (every UK bank holiday: Fri 25 and Mon 28 Dec,
    Fri 1 Jan, and Scotland's Mon 4 Jan for 2 Jan): Dec 2-4, 7-11, 14-18, 21-24, 29-31 make 20;
    Jan 5-8, 11-15, 18-22, 25-29 make 19; February's four weeks 20; and 1 Mar: 60."""
    page.get_by_role("link", name="Online child sexual offences by platform").first.click()
    page.get_by_role("link", name="How forces answered").click()
    rows = page.locator("table.compliance tbody tr")
    assert rows.count() == 45
    northamptonshire = rows.filter(has_text="Northamptonshire Police").locator("td")
    assert northamptonshire.nth(4).inner_text() == "No answer: 60 working days past the due date"
    assert page.locator("dl.totals dd").last.inner_text() == "2"
    screenshot(page, "compliance", full_page=False)


CHART_TEXT = """() => {
  const sizes = [], outside = [];
  for (const svg of document.querySelectorAll("figure.chart svg")) {
    const box = svg.getBoundingClientRect();
    const scale = box.width / svg.viewBox.baseVal.width;
    for (const text of svg.querySelectorAll("text")) {
      sizes.push(parseFloat(getComputedStyle(text).fontSize) * scale);
      const own = text.getBoundingClientRect();
      if (own.left < box.left - 0.5 || own.right > box.right + 0.5) outside.push(text.textContent);
    }
  }
  return {sizes, outside};
}"""


def test_recording_an_event_through_the_page_moves_the_deadline(page, live_server, screenshot):
    page.get_by_role("link", name="Online child sexual offences by platform").first.click()
    page.get_by_role("link", name="Northamptonshire Police").click()
    assert page.locator("#due").inner_text() == "1 Dec 2020 Overdue"

    extension = page.locator("#event-extension")
    extension.locator("summary").click()
    extension.get_by_label("On", exact=True).fill("2021-03-01")
    extension.get_by_label("Until", exact=True).fill("2021-02-01")
    extension.get_by_role("button", name="Record: public-interest extension").click()
    assert "must be after the event" in page.locator("#id_extension-until-error").inner_text()

    extension = page.locator("#event-extension")
    extension.get_by_label("Until", exact=True).fill("2021-03-29")
    extension.get_by_role("button", name="Record: public-interest extension").click()
    assert "The answer is now due 29 Mar 2021." in page.get_by_role("status").inner_text()
    assert page.locator("#due").inner_text() == "29 Mar 2021"
    assert page.locator("#status").inner_text() == "Public-interest extension"
    screenshot(page, "request")
