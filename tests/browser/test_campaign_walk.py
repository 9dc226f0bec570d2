"""A researcher runs a campaign from the browser, from "New campaign" to the due dates on the
board, with the server's clock at Monday 14 April 2025, 10:00.

The dates, counted on a printed calendar (docs/deadlines.md; the worked examples of the FOI
law notes give the same three):
- The four Welsh forces answer under FOIA 2000, whose working days skip the bank holidays of
  any part of the UK: from Mon 14 Apr 2025, 15-17 Apr are working days 1-3, Good Friday 18 Apr
  and Easter Monday 21 Apr are holidays, 22-25 Apr are 4-7, 28 Apr-2 May 8-12, Mon 5 May (early
  May bank holiday) is a holiday, 6-9 May 13-16, 12-15 May 17-20: due Thu 15 May 2025.
- Jersey and Guernsey stop on the same days and on Liberation Day, Fri 9 May: 6-8 May are
  13-15, 12-16 May 16-20: due Fri 16 May 2025.
- Gwent's extension, given without an "until" date, runs to the ICO ceiling, 20 working days
  after its due date: 16 May is 1, 19-23 May 2-6, Mon 26 May (spring bank holiday) a holiday,
  27-30 May 7-10, 2-6 Jun 11-15, 9-13 Jun 16-20: Fri 13 Jun 2025.
On 14 April each due date is 20 working days away (40 for Gwent's extension).
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from requests_app.models import FoiRequest, RequestEvent
from tests.browser.conftest import from_database, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"  # the factory's
TITLE = "Online grooming by platform, 2024"
WELSH = ["Dyfed-Powys Police", "Gwent Police", "North Wales Police", "South Wales Police"]
JERSEY = "States of Jersey Police"
GUERNSEY = "Guernsey Police (Bailiwick Law Enforcement)"


@pytest.fixture
def monday_14_april_2025():
    with time_machine.travel(dt.datetime(2025, 4, 14, 10, 0), tick=True):
        yield


@pytest.fixture
def page(monday_14_april_2025, owner, browser_context, live_server):
    page = browser_context.new_page()
    sign_in(page, live_server.url, "owner", PASSWORD)
    return page


def _board(page) -> dict[str, tuple[str, str, str]]:
    """Force -> (status, due date, working days left), as the board shows them."""
    rows = {}
    for row in page.locator("table.board tbody tr").all():
        force = row.locator("th a").first.inner_text()
        cells = row.locator("td").all_inner_texts()
        rows[force] = (cells[0], cells[1], cells[2])
    return rows


def test_a_researcher_creates_sends_acknowledges_and_extends(page, live_server, screenshot):
    page.get_by_role("link", name="New campaign").click()
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Question").fill(
        "Please tell me how many offences of sexual communication with a child were recorded, "
        "by platform, in each half of 2024."
    )
    page.get_by_label("From (period 1)").fill("2024-01-01")
    page.get_by_label("To (period 1)").fill("2024-06-30")
    page.get_by_label("From (period 2)").fill("2024-07-01")
    page.get_by_label("To (period 2)").fill("2024-12-31")
    page.get_by_label("Instagram").check()
    page.get_by_label("WhatsApp").check()
    screenshot(page, "campaign-new")
    page.get_by_role("button", name="Create and choose forces").click()

    page.get_by_label("Country").select_option("Wales")
    page.get_by_role("button", name="Tick these").click()
    page.get_by_label(JERSEY).check()
    page.get_by_label(GUERNSEY).check()
    screenshot(page, "choose-forces")
    page.get_by_role("button", name="Continue to confirm").click()

    sending = page.locator("table.send-list tbody th").all_inner_texts()
    assert sending == sorted([GUERNSEY, JERSEY, *WELSH])  # by name
    assert page.get_by_label("Date sent").input_value() == "2025-04-14"
    page.get_by_role("button", name="Send to 6 forces").click()
    # Guernsey's Code is for Bailiwick residents: the page asks, and nothing is sent until then.
    assert (
        "confirm the requester's eligibility"
        in page.locator("#id_guernsey_eligible-error").inner_text()
    )
    assert from_database(FoiRequest.objects.count) == 0
    page.get_by_label("I confirm that the requester lives in the Bailiwick of Guernsey").check()
    screenshot(page, "send")
    page.get_by_role("button", name="Send to 6 forces").click()
    assert page.get_by_role("status").inner_text() == "Sent to 6 forces on 14 Apr 2025."

    for force in (GUERNSEY, JERSEY, "Gwent Police"):
        page.get_by_label(f"Tick {force}").check()
    page.locator("#bulk").get_by_label("What happened").select_option("acknowledged")
    screenshot(page, "board-bulk")
    page.get_by_role("button", name="Record for the ticked forces").click()
    assert page.get_by_role("status").inner_text() == (
        "Recorded: Acknowledged by the force on 14 Apr 2025 for 3 forces."
    )
    acknowledged = RequestEvent.objects.filter(kind="acknowledged")
    slugs = from_database(lambda: list(acknowledged.values_list("request__force__slug", flat=True)))
    assert sorted(slugs) == [
        "guernsey",
        "gwent",
        "jersey",
    ]

    page.get_by_role("link", name="Gwent Police").click()
    extension = page.locator("#event-extension")
    extension.locator("summary").click()
    assert "the ICO ceiling, 20 working days after the due date: 13 June 2025." in (
        extension.inner_text()
    )
    screenshot(page, "request-events")
    extension.get_by_role("button", name="Record: public-interest extension").click()
    assert "The answer is now due 13 Jun 2025." in page.get_by_role("status").inner_text()

    page.get_by_role("link", name="Board").click()
    on_time = "Sent, awaiting response"
    assert _board(page) == {
        "Dyfed-Powys Police": (on_time, "15 May 2025", "20"),
        GUERNSEY: (on_time, "16 May 2025", "20"),
        "Gwent Police": ("Public-interest extension", "13 Jun 2025", "40"),
        "North Wales Police": (on_time, "15 May 2025", "20"),
        "South Wales Police": (on_time, "15 May 2025", "20"),
        JERSEY: (on_time, "16 May 2025", "20"),
    }
    screenshot(page, "board-after-send")
