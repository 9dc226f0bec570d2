"""The request page's correspondence: the whole thread, one action to classify a reply into
the status machine's event, resending a returned letter once the address is corrected, and
the internal review and complaint letters drafted, edited and sent.

The campaign went by email on Mon 2 Mar 2026 (tests/correspondence/conftest.py); replies
arrive on Tue 3 Mar 2026 at 11:00. Kent's answer of Tue 3 Mar opens two windows: an internal
review is asked within 40 working days (requests_app/deadlines.py), on the FOIA calendar, which
leaves out every UK nation's holidays: Mar 4-6 are days 1-3, 9-13 4-8, 16 and 18-20 9-12 (St
Patrick's Day, Tue 17 Mar, is off), 23-27 13-17, 30-31 18-19, Apr 1-2 20-21, Good Friday 3 Apr
and Easter Monday 6 Apr are off, 7-10 Apr 22-25, 13-17 26-30, 20-24 31-35, 27 Apr-1 May 36-40:
Fri 1 May 2026. A complaint to the ICO within six weeks: Tue 14 Apr 2026.
"""

from __future__ import annotations

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from correspondence.models import ForceContact, Message, State
from correspondence.services.filing import message_file
from requests_app.models import FoiRequest, RequestEvent
from responses_app.models import FoiResponse
from tests.correspondence import corpus


def filed(raw: bytes) -> Message:
    return Message.objects.get(pk=message_file(raw=raw).message.pk)


def page_of(client, request: FoiRequest) -> str:
    response = client.get(f"/requests/{request.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def article(page: str, message: Message) -> str:
    return re.search(rf'<article [^>]*id="message-{message.pk}".*?</article>', page, re.S).group(0)


def text_of(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def buttons(fragment: str) -> list[str]:
    return re.findall(r'<button type="submit" name="m\d+-kind" value="(\w+)">', fragment)


def written() -> tuple:
    return (
        RequestEvent.objects.count(),
        FoiResponse.objects.count(),
        list(Message.objects.order_by("pk").values_list("state", flat=True)),
    )


@pytest.fixture
def kent(sent_by_email):
    return sent_by_email.requests["kent"]


@pytest.fixture
def answer(sent_by_email, kent, next_day) -> Message:
    return filed(corpus.answer_with_files(sent_by_email.token("kent"), kent.pk))


def test_the_thread_shows_each_message_both_ways_with_its_files(
    browser_for, owner, sent_by_email, kent, answer
):
    acknowledgement = filed(corpus.acknowledgement(sent_by_email.token("kent"), kent.pk))
    page = page_of(browser_for(owner), kent)
    letter = sent_by_email.letters["kent"]
    assert re.findall(r'<article [^>]*id="message-(\d+)"', page) == [
        str(letter.pk),
        str(answer.pk),
        str(acknowledgement.pk),
    ]
    sent = text_of(article(page, letter))
    assert sent.startswith(f"To the force: Freedom of Information request: {kent.campaign.title}")
    assert "To freedomofinformation@kent.police.uk" in sent
    assert "Date 2 Mar 2026 10:00" in sent
    assert "Letter Request Status Accepted by the mail server: sent on 2 Mar 2026" in sent
    reply = article(page, answer)
    assert (
        "From Kent Police Freedom of Information <freedomofinformation@kent.police.uk>"
        in text_of(reply)
    )
    assert "Classification Reply Status Waiting for a person to classify" in text_of(reply)
    # The spreadsheet and the PDF became documents, linked; the signature's logo was refused.
    documents = dict(
        Message.objects.get(pk=answer.pk).attachments.values_list("filename", "document_id")
    )
    assert re.findall(r'<a href="/api/v1/documents/(\d+)/download/">([\w.]+)</a>', reply) == [
        (str(documents["FOI.xlsx"]), "FOI.xlsx"),
        (str(documents["Response.pdf"]), "Response.pdf"),
    ]
    assert documents["logo.png"] is None and 'logo.png <span class="tag">Not kept:' in reply
    ack = text_of(article(page, acknowledgement))
    assert (
        "Classification Acknowledgement Status Filed: acknowledged by the force on 3 Mar 2026"
    ) in ack


def test_an_html_body_is_shown_as_text_never_as_html(browser_for, owner, sent_by_email, kent):
    with_script = filed(corpus.html_only(sent_by_email.token("kent")))
    page = page_of(browser_for(owner), kent)
    shown = article(page, with_script)
    assert "<script" not in shown and "<img" not in shown and "pixel.gif" not in shown
    assert "onclick" not in shown and "<b>" not in shown
    assert "We hold 14 records" in text_of(shown)


def test_a_reply_offers_the_events_the_status_machine_allows_and_one_click_records_it(
    browser_for, data_entry, kent, answer
):
    client = browser_for(data_entry)
    reply = article(page_of(client, kent), answer)
    # The force's own steps from `sent` (correspondence/services/actions.py FROM_THE_FORCE).
    assert buttons(reply) == [
        "acknowledged",
        "clarification_requested",
        "fee_notice",
        "extension",
        "response",
    ]
    assert f'name="m{answer.pk}-on" value="2026-03-03"' in reply
    # Data entry classifies but does not discard mail: that is the campaign team's.
    assert "Discard it" not in reply
    posted = client.post(
        f"/messages/{answer.pk}/classify/",
        {f"m{answer.pk}-kind": "clarification_requested", f"m{answer.pk}-on": "2026-03-03"},
    )
    assert posted.status_code == 302
    assert posted["Location"] == f"/requests/{kent.pk}/#message-{answer.pk}"
    kent.refresh_from_db()
    answer.refresh_from_db()
    assert kent.status == "awaiting_clarification"
    assert (answer.state, answer.event.kind, answer.event.on.isoformat()) == (
        State.FILED,
        "clarification_requested",
        "2026-03-03",
    )
    # Classified: no form any more.
    assert buttons(article(page_of(client, kent), answer)) == []


def test_a_response_is_recorded_with_its_outcome_and_the_messages_files(
    browser_for, owner, kent, answer
):
    client = browser_for(owner)
    body = {
        f"m{answer.pk}-kind": "response",
        f"m{answer.pk}-on": "2026-03-03",
        f"m{answer.pk}-outcome": "granted",
        f"m{answer.pk}-force_reference": "FOI 1234/26",
    }
    assert client.post(f"/messages/{answer.pk}/classify/", body).status_code == 302
    response = FoiResponse.objects.get()
    assert (response.request_id, str(response.received_on), response.outcome) == (
        kent.pk,
        "2026-03-03",
        "granted",
    )
    assert sorted(response.documents.values_list("original_name", flat=True)) == [
        "FOI.xlsx",
        "Response.pdf",
    ]
    kent.refresh_from_db()
    assert (kent.status, kent.reference) == ("responded", "FOI 1234/26")


def test_a_response_without_its_outcome_is_refused_beside_the_field_and_nothing_is_written(
    browser_for, owner, kent, answer
):
    before = written()
    refused = browser_for(owner).post(
        f"/messages/{answer.pk}/classify/",
        {f"m{answer.pk}-kind": "response", f"m{answer.pk}-on": "2026-03-03"},
    )
    assert refused.status_code == 400
    page = refused.content.decode()
    assert re.search(
        rf'id="id_m{answer.pk}-outcome-error" role="alert">Say what the answer was', page
    )
    assert written() == before


def test_an_event_the_status_machine_refuses_is_shown_and_nothing_is_written(
    browser_for, owner, kent, answer
):
    before = written()
    refused = browser_for(owner).post(
        f"/messages/{answer.pk}/classify/",
        {f"m{answer.pk}-kind": "internal_review_response", f"m{answer.pk}-on": "2026-03-03"},
    )
    assert refused.status_code == 400
    assert "Select a valid choice" in refused.content.decode()
    assert written() == before


def test_who_may_act_on_a_message(browser_for, outsider, consumer, colleague, kent, answer):
    body = {f"m{answer.pk}-kind": "acknowledged", f"m{answer.pk}-on": "2026-03-03"}
    assert browser_for(outsider).post(f"/messages/{answer.pk}/classify/", body).status_code == 404
    assert browser_for(consumer).post(f"/messages/{answer.pk}/classify/", body).status_code == 404
    discard = {f"d{answer.pk}-reason": "spam"}
    assert browser_for(outsider).post(f"/messages/{answer.pk}/discard/", discard).status_code == 404
    assert written()[2].count(State.DISCARDED) == 0
    assert (
        browser_for(colleague).post(f"/messages/{answer.pk}/discard/", discard).status_code == 302
    )
    assert Message.objects.get(pk=answer.pk).note == "Discarded: spam"


def test_a_discard_without_a_reason_names_the_field(browser_for, owner, kent, answer):
    before = written()
    refused = browser_for(owner).post(
        f"/messages/{answer.pk}/discard/", {f"d{answer.pk}-reason": " "}
    )
    assert refused.status_code == 400
    assert f'id="id_d{answer.pk}-reason-error" role="alert">Say why' in refused.content.decode()
    assert written() == before


def test_a_returned_letter_is_resent_once_to_the_corrected_address(
    browser_for, owner, sent_by_email, kent, next_day
):
    letter = sent_by_email.letters["kent"]
    filed(
        corpus.postfix_bounce(
            sent_by_email.token("kent"), letter.message_id, "freedomofinformation@kent.police.uk"
        )
    )
    client = browser_for(owner)
    shown = text_of(article(page_of(client, kent), Message.objects.get(pk=letter.pk)))
    assert "Status Returned by the force's mail server" in shown
    # Not corrected yet: the page says so beside the button.
    assert "the one that returned it: correct it in the admin's force contacts first" in shown
    ForceContact.objects.create(force=kent.force, address="foi.requests@kent.police.uk")
    shown = text_of(article(page_of(client, kent), Message.objects.get(pk=letter.pk)))
    assert "Send again to foi.requests@kent.police.uk" in shown
    assert "correct it in the admin" not in shown
    assert client.post(f"/messages/{letter.pk}/resend/").status_code == 302
    copy = Message.objects.get(replaces=letter)
    assert (copy.to_addresses, copy.state, copy.letter) == (
        "foi.requests@kent.police.uk",
        State.QUEUED,
        "request",
    )
    before = written()
    again = client.post(f"/messages/{letter.pk}/resend/", follow=True)
    assert "already sent again: nothing was written" in again.content.decode()
    assert written() == before


def test_an_internal_review_is_drafted_with_its_dates_edited_and_sent(
    browser_for, owner, kent, answer, smtp_server, django_capture_on_commit_callbacks
):
    client = browser_for(owner)
    body = {
        f"m{answer.pk}-kind": "response",
        f"m{answer.pk}-on": "2026-03-03",
        f"m{answer.pk}-outcome": "refused",
        f"m{answer.pk}-exemptions": ["s12"],
    }
    assert client.post(f"/messages/{answer.pk}/classify/", body).status_code == 302
    page = page_of(client, kent)
    review = re.search(r'id="draft-internal_review".*?</div>', page, re.S).group(0)
    assert "Send it by 1 May 2026." in review
    complaint = re.search(r'id="draft-complaint".*?</div>', page, re.S).group(0)
    assert "Send it by 14 Apr 2026." in complaint
    drafted = client.post(
        f"/requests/{kent.pk}/letters/internal_review/",
        {"internal_review-grounds": "Section 12 was applied without any advice under s.16."},
    )
    draft = Message.objects.get(letter="internal_review")
    assert drafted["Location"] == f"/messages/{draft.pk}/draft/"
    form = client.get(f"/messages/{draft.pk}/draft/").content.decode()
    assert '<dd id="send-by">1 May 2026</dd>' in form
    assert "Section 12 was applied without any advice under s.16." in form
    edited = {"to": draft.to_addresses, "subject": draft.subject, "body": "Please review it."}
    assert (
        client.post(f"/messages/{draft.pk}/draft/", {**edited, "action": "save"}).status_code == 302
    )
    assert Message.objects.get(pk=draft.pk).body_text == "Please review it."
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(f"/messages/{draft.pk}/draft/", {**edited, "action": "send"})
    assert sent["Location"] == f"/requests/{kent.pk}/"
    # Sent after the commit (eager tasks in the tests): the mail server has it, and the
    # request records the review asked for on the day it was accepted.
    assert [d.rcpt_tos for d in smtp_server.received] == [["freedomofinformation@kent.police.uk"]]
    kent.refresh_from_db()
    assert kent.status == "review_requested"
    assert kent.events.order_by("-id").first().on.isoformat() == "2026-03-03"


def test_a_draft_sent_without_an_address_is_refused_and_stays_a_draft(
    browser_for, owner, kent, answer
):
    client = browser_for(owner)
    body = {
        f"m{answer.pk}-kind": "response",
        f"m{answer.pk}-on": "2026-03-03",
        f"m{answer.pk}-outcome": "refused",
    }
    client.post(f"/messages/{answer.pk}/classify/", body)
    client.post(f"/requests/{kent.pk}/letters/complaint/", {"complaint-grounds": ""})
    draft = Message.objects.get(letter="complaint")
    before = written()
    refused = client.post(
        f"/messages/{draft.pk}/draft/",
        {"to": "", "subject": draft.subject, "body": "I complain.", "action": "send"},
    )
    assert refused.status_code == 400
    assert "Give the address to send it to" in refused.content.decode()
    assert written() == before
    assert Message.objects.get(pk=draft.pk).body_text == draft.body_text


def test_the_request_pages_query_count_does_not_grow_with_the_thread(
    browser_for, owner, sent_by_email, kent, next_day
):
    client = browser_for(owner)
    token = sent_by_email.token("kent")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            page_of(client, kent)
        return len(captured)

    filed(corpus.answer_with_files(token, kent.pk))
    few = queries()
    filed(corpus.html_only(token))
    filed(corpus.in_charset(token, "windows-1252", "Caf\u00e9 figures", "<cp-1@kent.police.uk>"))
    filed(corpus.in_charset(token, "iso-8859-1", "Na\u00efve figures", "<l1-1@kent.police.uk>"))
    assert queries() == few


def test_a_classification_sent_twice_is_recorded_once(browser_for, owner, kent, answer):
    client = browser_for(owner)
    body = {f"m{answer.pk}-kind": "acknowledged", f"m{answer.pk}-on": "2026-03-03"}
    assert client.post(f"/messages/{answer.pk}/classify/", body).status_code == 302
    before = written()
    again = client.post(f"/messages/{answer.pk}/classify/", body, follow=True)
    assert again.redirect_chain == [(f"/requests/{kent.pk}/#message-{answer.pk}", 302)]
    assert "is already filed: nothing was written." in again.content.decode()
    assert written() == before


def test_a_letter_the_status_machine_refuses_is_explained_and_not_drafted(browser_for, owner, kent):
    # Kent has not answered: an internal review cannot be asked yet.
    refused = browser_for(owner).post(
        f"/requests/{kent.pk}/letters/internal_review/", {"internal_review-grounds": ""}
    )
    assert refused.status_code == 400
    assert 'class="message error"' in refused.content.decode()
    assert not Message.objects.filter(letter="internal_review").exists()
