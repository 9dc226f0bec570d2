"""A researcher sends a three-force campaign by email from the browser, a real SMTP server on
loopback receives the three letters, a force's reply comes in through `receive_email` (a mail
server's pipe) and lands on the request's thread, and the researcher classifies it as the
response with one click.

The server's clock runs from Monday 2 March 2026, 10:00 in London. The dates, counted on a
printed calendar (FOIA 2000 s.10(1): 20 working days, skipping the bank holidays of any part
of the UK): from Mon 2 Mar, 3-6 Mar are working days 1-4, 9-13 Mar 5-9, Mon 16 Mar 10, Tue
17 Mar (St Patrick's Day, Northern Ireland) a holiday, 18-20 Mar 11-13, 23-27 Mar 14-18,
30-31 Mar 19-20: due Tue 31 Mar 2026. Kent answers on Tue 3 Mar; an internal review is then
asked within 40 working days: 4-6 Mar 1-3, 9-13 4-8, 16 and 18-20 9-12, 23-27 13-17, 30-31
18-19, 1-2 Apr 20-21, Good Friday 3 Apr and Easter Monday 6 Apr holidays, 7-10 Apr 22-25,
13-17 26-30, 20-24 31-35, 27 Apr-1 May 36-40: Fri 1 May 2026.
"""

from __future__ import annotations

import io
import sys

import pytest
import time_machine
from django.core.management import call_command

from correspondence.models import Message, RequestMailbox
from requests_app.models import FoiRequest
from responses_app.models import FoiResponse
from tests.browser.conftest import from_database, sign_in
from tests.correspondence import corpus
from tests.correspondence.conftest import (  # noqa: F401  (fixtures)
    at,
    document_files,
    mail_settings,
    smtp_server,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"  # the factory's
FORCES = {
    "British Transport Police": "foi@btp.pnn.police.uk",
    "Essex Police": "info.rights.freedom@essex.police.uk",
    "Kent Police": "freedomofinformation@kent.police.uk",
}


@pytest.fixture
def page(owner, campaign, browser_context, live_server):
    with time_machine.travel(at("2026-03-02"), tick=True):
        page = browser_context.new_page()
        sign_in(page, live_server.url, "owner", PASSWORD)
        yield page


def _board(page) -> dict[str, tuple[str, str, str]]:
    """Force -> (status, due date, the letter's mark), as the board shows them."""
    rows = {}
    for row in page.locator("table.board tbody tr").all():
        cells = row.locator("td").all_inner_texts()
        rows[row.locator("th a").first.inner_text()] = (cells[0], cells[1], cells[3])
    return rows


def _pipe(raw: bytes) -> str:
    """`receive_email` as the mail server runs it, the message on standard input."""
    saved = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO(raw))
    try:
        out = io.StringIO()
        from_database(lambda: call_command("receive_email", stdout=out))
        return out.getvalue()
    finally:
        sys.stdin = saved


def test_a_campaign_goes_by_email_and_a_reply_is_classified_from_the_thread(
    page,
    live_server,
    campaign,
    smtp_server,  # noqa: F811  (the fixture imported above)
    screenshot,
):
    # The requester's name signs the letters (FOIA s.8): set on the campaign's form.
    page.goto(f"{live_server.url}/campaigns/{campaign.pk}/edit/")
    page.get_by_label("Requester's name").fill("Alex Researcher")
    page.get_by_role("button", name="Save").click()

    page.get_by_role("link", name="Choose forces").click()
    for force in FORCES:
        page.get_by_label(force).check()
    page.get_by_role("button", name="Continue to confirm").click()
    # Every force has an FOI address and the campaign a name: email is proposed.
    assert page.get_by_label("Send by email from the tracker").is_checked()
    assert page.locator("#email-from").inner_text() == "Alex Researcher <foi@tracker.example.org>"
    assert page.locator("#letter-body").inner_text().startswith("Dear British Transport Police,")
    screenshot(page, "send-by-email")
    page.get_by_role("button", name="Send to 3 forces").click()
    assert page.get_by_role("status").inner_text().startswith("3 letters queued to be emailed.")

    # The queue runs after the commit (in process here): the SMTP server has exactly three.
    requests = from_database(
        lambda: {
            r.force.name: (r.pk, r.mailbox.token)
            for r in FoiRequest.objects.select_related("force", "mailbox")
        }
    )
    received = {d.rcpt_tos[0]: d.parsed() for d in smtp_server.received}
    assert sorted(received) == sorted(FORCES.values())
    for force, address in FORCES.items():
        letter = received[address]
        pk, token = requests[force]
        assert letter["Reply-To"] == f"foi+{token}@replies.example.org"
        assert letter["Subject"].endswith(f"[FT-{pk}]")
        assert f"Dear {force}," in letter.get_content()
    page.reload()
    accepted = ("Sent, awaiting response", "31 Mar 2026", "Request: accepted by the mail server")
    assert _board(page) == {force: accepted for force in FORCES}

    # Kent answers the next day, through the mail server's pipe.
    with time_machine.travel(at("2026-03-03", 11), tick=True):
        kent, token = requests["Kent Police"]
        filed = _pipe(corpus.answer_with_files(token, kent))
        assert filed.endswith(": waiting for a person to classify.\n")
        page.get_by_role("link", name="Kent Police").click()
        reply = page.locator("article.mail-in")
        assert reply.locator("h3").inner_text() == (
            f"From the force: RE: Freedom of Information request [FT-{kent}] - FOI 1234/26"
        )
        assert reply.get_by_role("link", name="FOI.xlsx").is_visible()
        reply.locator("details.more summary").click()
        reply.get_by_label("Answer's outcome (a response)").select_option("granted")
        screenshot(page, "request-thread")
        reply.get_by_role("button", name="Response received").click()
        assert page.get_by_role("status").inner_text() == (
            "Recorded from the force's message: Response received."
        )
        assert page.locator("#status").inner_text() == "Responded"
        assert "1 May 2026" in page.locator("dl.facts").inner_text()
    response = from_database(lambda: FoiResponse.objects.select_related("request").get())
    assert (response.request_id, str(response.received_on), response.outcome) == (
        kent,
        "2026-03-03",
        "granted",
    )
    assert from_database(lambda: Message.objects.filter(direction="in").count()) == 1
    assert from_database(lambda: RequestMailbox.objects.count()) == 3
