"""The board's mark of each request's letter by email (waiting, accepted, not sent, returned
with the mail server's reason) and the data-entry list of spreadsheets that came by email.

The campaign went by email to Kent, Essex and BTP on Mon 2 Mar 2026; mail arrives Tue 3 Mar."""

from __future__ import annotations

import html
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from correspondence.models import RequestMailbox
from correspondence.services.filing import message_file
from correspondence.services.sending import campaign_send_by_email
from requests_app.models import Force
from tests.correspondence import corpus
from tests.factories import CampaignFactory

ACCEPTED = "Request: accepted by the mail server"


def text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def board_marks(client, campaign) -> dict[str, tuple[str, str]]:
    """Force -> (its letter's mark, the next action)."""
    page = client.get(f"/campaigns/{campaign.pk}/").content.decode()
    rows = {}
    for row in re.findall(r'<th scope="row">(.*?)</tr>', page, re.S):
        cells = [text(cell) for cell in re.split(r"</t[hd]>", row)]
        rows[cells[0]] = (cells[4], cells[5])
    return rows


def test_the_board_marks_each_letter_and_a_returned_one_with_its_reason(
    browser_for, owner, sent_by_email, next_day
):
    client = browser_for(owner)
    campaign = sent_by_email.requests["kent"].campaign
    marks = board_marks(client, campaign)
    assert {force: mark for force, (mark, _) in marks.items()} == {
        "British Transport Police": ACCEPTED,
        "Essex Police": ACCEPTED,
        "Kent Police": ACCEPTED,
    }
    letter = sent_by_email.letters["kent"]
    message_file(
        raw=corpus.postfix_bounce(sent_by_email.token("kent"), letter.message_id, letter.to_list[0])
    )
    reason = RequestMailbox.objects.get(request=sent_by_email.requests["kent"]).undelivered_reason
    assert reason.startswith("freedomofinformation@kent.police.uk: 5.1.1 smtp; 550 5.1.1")
    assert board_marks(client, campaign)["Kent Police"] == (
        f"Undelivered Returned: {reason}",
        "Correct the force's address, then resend the letter from the request's page",
    )
    assert board_marks(client, campaign)["Essex Police"][0] == ACCEPTED


def test_letters_waiting_to_go_out_are_marked_with_what_to_do(
    browser_for, owner, mail_campaign, frozen, django_capture_on_commit_callbacks
):
    forces = [Force.objects.get(slug=slug) for slug in ("kent", "essex")]
    # Not yet handed to the queue: the commit has not happened.
    with django_capture_on_commit_callbacks(execute=False):
        campaign_send_by_email(campaign=mail_campaign, forces=forces, user=owner)
    waiting = ("Request: waiting to be sent", "Wait for the letter to go out by email")
    assert board_marks(browser_for(owner), mail_campaign) == {
        "Essex Police": waiting,
        "Kent Police": waiting,
    }


def test_a_letter_refused_for_good_is_marked_not_sent(
    browser_for, owner, mail_campaign, frozen, smtp_server, django_capture_on_commit_callbacks
):
    smtp_server.refuse.append("550 5.7.1 Relaying denied")  # a 5xx answer is final
    with django_capture_on_commit_callbacks(execute=True):
        campaign_send_by_email(
            campaign=mail_campaign, forces=[Force.objects.get(slug="kent")], user=owner
        )
    assert smtp_server.received == []
    mark, action = board_marks(browser_for(owner), mail_campaign)["Kent Police"]
    assert (mark, action) == (
        "Not sent Request: not sent",
        "Resend the letter from the request's page",
    )


def test_the_boards_query_count_does_not_grow_with_the_letters(
    browser_for, owner, sent_by_email, next_day
):
    client = browser_for(owner)
    campaign = sent_by_email.requests["kent"].campaign
    other = CampaignFactory(owner=owner, requester_name="Alex Researcher")

    def queries(on) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/campaigns/{on.pk}/").status_code == 200
        return len(captured)

    few = queries(other)
    assert queries(campaign) == few


def test_a_reply_with_a_spreadsheet_waits_on_the_data_entry_list(
    browser_for, data_entry, sent_by_email, next_day
):
    kent = sent_by_email.requests["kent"]
    message_file(raw=corpus.answer_with_files(sent_by_email.token("kent"), kent.pk))
    page = browser_for(data_entry).get("/entry/").content.decode()
    assert 'Spreadsheets that came by email <span class="count">(1 request)</span>' in page
    row = re.search(rf'<tr id="sheets-{kent.pk}">(.*?)</tr>', page, re.S).group(1)
    cells = [" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in re.split(r"</t[hd]>", row)]
    # FOI.xlsx; the PDF is not a spreadsheet.
    assert cells[:4] == ["Kent Police", kent.campaign.title, "Sent, awaiting response", "1"]
    assert f'href="/requests/{kent.pk}/#thread-h"' in row
