"""The unmatched-mail page: a researcher files a message no rule matched on one of their team's
requests, or discards it with a reason; the home page and the navigation lead to it.

Kent has two open requests (the owner's campaign went by email on Mon 2 Mar 2026, and the
outsider's was sent the same day), so a message from a Kent address with no reference and no
thread matches neither: it waits on the page (correspondence/matching.py)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from correspondence.models import MatchedBy, Message, State
from correspondence.services.filing import message_file
from requests_app.models import Force
from requests_app.services import campaign_send
from tests.correspondence import corpus
from tests.factories import CampaignFactory


def unmatched_from_kent(number: int = 1) -> Message:
    raw = corpus.from_another_kent_address(f"<smith-{number}@kent.police.uk>")
    return Message.objects.get(pk=message_file(raw=raw).message.pk)


@pytest.fixture
def others_kent(outsider, sent_by_email, next_day):
    campaign = CampaignFactory(owner=outsider, requester_name="Sam Other")
    kent = Force.objects.get(slug="kent")
    return campaign_send(
        campaign=campaign, forces=[kent], sent_on=dt.date(2026, 3, 2), user=outsider
    )[0]


@pytest.fixture
def stray(others_kent, next_day) -> Message:
    message = unmatched_from_kent()
    assert (message.state, message.request_id) == (State.UNMATCHED, None)
    return message


def chooser(page: str, message: Message) -> list[tuple[str, str]]:
    select = re.search(rf'<select name="a{message.pk}-request".*?</select>', page, re.S).group(0)
    return re.findall(r'<option value="(\d*)"[^>]*>([^<]*)</option>', select)


def test_the_page_lists_the_message_with_a_chooser_of_the_teams_requests_only(
    browser_for, owner, sent_by_email, others_kent, stray
):
    page = browser_for(owner).get("/mail/unmatched/").content.decode()
    assert '<p id="unmatched-count">1 message to sort.</p>' in page
    assert "Question about your request" in page
    title = sent_by_email.requests["kent"].campaign.title
    requests = sent_by_email.requests
    # The owner's three requests by force name, never the outsider's Kent request.
    assert chooser(page, stray) == [
        ("", "Choose the request"),
        *[
            (
                str(requests[slug].pk),
                f"{name}: {title} (sent, awaiting response, request {requests[slug].pk})",
            )
            for slug, name in [
                ("btp", "British Transport Police"),
                ("essex", "Essex Police"),
                ("kent", "Kent Police"),
            ]
        ],
    ]
    # Among the owner's requests only one to Kent is open: it is proposed.
    assert re.search(rf'<option value="{requests["kent"].pk}" selected>', page)


def test_assigning_files_the_message_on_the_request_for_a_person_to_classify(
    browser_for, owner, sent_by_email, stray
):
    kent = sent_by_email.requests["kent"]
    client = browser_for(owner)
    response = client.post(f"/messages/{stray.pk}/assign/", {f"a{stray.pk}-request": kent.pk})
    assert response["Location"] == "/mail/unmatched/"
    stray.refresh_from_db()
    assert (stray.request_id, stray.matched_by, stray.state, stray.handled_by) == (
        kent.pk,
        MatchedBy.PERSON,
        State.TO_CLASSIFY,
        owner,
    )
    assert (
        '<p id="unmatched-count">0 messages to sort.</p>'
        in client.get("/mail/unmatched/").content.decode()
    )
    # And it is on the request's thread, waiting for its one click.
    assert (
        f'action="/messages/{stray.pk}/classify/"'
        in client.get(f"/requests/{kent.pk}/").content.decode()
    )


def test_assigning_to_a_request_outside_the_team_is_refused_beside_the_chooser(
    browser_for, owner, others_kent, stray
):
    refused = browser_for(owner).post(
        f"/messages/{stray.pk}/assign/", {f"a{stray.pk}-request": others_kent.pk}
    )
    assert refused.status_code == 400
    assert (
        f'id="id_a{stray.pk}-request-error" role="alert">Choose one of your team&#x27;s requests'
        in refused.content.decode()
    )
    stray.refresh_from_db()
    assert (stray.state, stray.request_id) == (State.UNMATCHED, None)


def test_discarding_needs_a_reason_and_keeps_the_message_on_record(browser_for, owner, stray):
    client = browser_for(owner)
    refused = client.post(f"/messages/{stray.pk}/discard/", {f"d{stray.pk}-reason": ""})
    assert refused.status_code == 400
    assert f'id="id_d{stray.pk}-reason-error" role="alert">Say why' in refused.content.decode()
    assert Message.objects.get(pk=stray.pk).state == State.UNMATCHED
    done = client.post(f"/messages/{stray.pk}/discard/", {f"d{stray.pk}-reason": "Sent twice"})
    assert done["Location"] == "/mail/unmatched/"
    stray.refresh_from_db()
    assert (stray.state, stray.note) == (State.DISCARDED, "Discarded: Sent twice")


def test_the_home_page_and_the_navigation_lead_researchers_to_it(
    browser_for, owner, data_entry, stray
):
    home = browser_for(owner).get("/").content.decode()
    assert re.search(
        r'<a href="/mail/unmatched/">1 message from the forces matched no request</a>', home
    )
    assert '<a href="/mail/unmatched/">Unmatched mail</a>' in home
    other = browser_for(data_entry).get("/").content.decode()
    assert "/mail/unmatched/" not in other
    assert browser_for(data_entry).get("/mail/unmatched/").status_code == 403


def test_the_pages_query_count_does_not_grow_with_the_messages(browser_for, owner, stray):
    client = browser_for(owner)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/mail/unmatched/").status_code == 200
        return len(captured)

    few = queries()
    for number in range(2, 6):
        unmatched_from_kent(number)
    assert queries() == few


def test_a_message_assigned_twice_is_filed_once(
    browser_for, owner, colleague, sent_by_email, stray
):
    kent = sent_by_email.requests["kent"]
    body = {f"a{stray.pk}-request": kent.pk}
    assert browser_for(owner).post(f"/messages/{stray.pk}/assign/", body).status_code == 302
    again = browser_for(colleague).post(f"/messages/{stray.pk}/assign/", body, follow=True)
    assert again.redirect_chain == [(f"/requests/{kent.pk}/#message-{stray.pk}", 302)]
    assert "is already waiting for a person to classify: nothing was written." in (
        again.content.decode()
    )
    stray.refresh_from_db()
    assert (stray.request_id, stray.handled_by) == (kent.pk, owner)
