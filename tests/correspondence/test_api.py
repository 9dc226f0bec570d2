"""The correspondence API: a request's thread, a message with its text, the unmatched list,
and the one-action classification; scoped like the requests. The reply token opens nothing."""

from __future__ import annotations

import pytest

from correspondence.models import Message, State
from correspondence.services.filing import message_file
from requests_app.models import Force
from requests_app.services import request_create
from responses_app.models import FoiResponse
from tests.correspondence import corpus
from tests.factories import CampaignFactory


def filed(raw: bytes) -> Message:
    return Message.objects.get(pk=message_file(raw=raw).message.pk)


@pytest.fixture
def thread(sent_by_email, next_day):
    kent = sent_by_email.requests["kent"]
    token = sent_by_email.token("kent")
    ack = filed(corpus.acknowledgement(token, kent.pk))
    answer = filed(corpus.answer_with_files(token, kent.pk))
    return kent, sent_by_email.letters["kent"], ack, answer


def test_a_requests_thread_lists_both_directions_with_attachments(thread, client_for, colleague):
    kent, letter, ack, answer = thread
    listed = client_for(colleague).get(f"/api/v1/requests/{kent.pk}/messages/")
    assert listed.status_code == 200
    rows = listed.json()
    assert [
        (r["direction"], r["letter"], r["classification"], r["state"], r["date"]) for r in rows
    ] == [
        ("out", "request", "", "sent", "2026-03-02T10:00:00Z"),
        ("in", "", "acknowledgement", "filed", "2026-03-03T11:00:00Z"),
        ("in", "", "reply", "to_classify", "2026-03-03T11:00:00Z"),
    ]
    assert [r["id"] for r in rows] == [letter.pk, ack.pk, answer.pk]
    assert rows[0]["to"] == ["freedomofinformation@kent.police.uk"]
    assert rows[1]["from_address"] == (
        "Kent Police Freedom of Information <freedomofinformation@kent.police.uk>"
    )
    assert (rows[1]["force_reference"], rows[1]["event"]) == ("FOI 1234/26", ack.event_id)
    documents = {a.filename: a.document_id for a in answer.attachments.all()}
    assert [(a["filename"], a["document"]) for a in rows[2]["attachments"]] == [
        ("FOI.xlsx", documents["FOI.xlsx"]),
        ("Response.pdf", documents["Response.pdf"]),
        ("logo.png", None),
    ]
    assert "body_text" not in rows[2]


def test_a_message_shows_its_text_and_cleaned_html_only(sent_by_email, next_day, client_for, owner):
    message = filed(corpus.html_only(sent_by_email.token("kent")))
    body = client_for(owner).get(f"/api/v1/messages/{message.pk}/").json()
    assert body["body_text"] == "Dear Alex,\nWe hold 14 records & more.\nRegards"
    assert "<script" not in body["body_html"] and "pixel.gif" not in body["body_html"]
    assert "onclick" not in body["body_html"] and "<img" not in body["body_html"]


def test_outsiders_see_neither_the_thread_nor_its_messages(thread, client_for, outsider, consumer):
    kent, _, _, answer = thread
    for who in (outsider, consumer):
        assert client_for(who).get(f"/api/v1/requests/{kent.pk}/messages/").status_code == 404
        assert client_for(who).get(f"/api/v1/messages/{answer.pk}/").status_code == 404


def test_classifying_a_reply_as_a_refusal_records_the_response(thread, client_for, data_entry):
    kent, _, _, answer = thread
    url = f"/api/v1/messages/{answer.pk}/classify/"
    client = client_for(data_entry)
    wrong = client.post(url, {"kind": "sent"})
    assert wrong.status_code == 400
    assert wrong.json()["errors"] == [
        {"field": "kind", "message": "'sent' is not something a force's message is."}
    ]
    unknown = client.post(url, {"kind": "response", "outcome": "refused", "exemptions": ["art16"]})
    assert unknown.status_code == 400
    assert unknown.json()["errors"][0]["field"] == "exemptions"
    done = client.post(url, {"kind": "response", "outcome": "refused", "exemptions": ["s12"]})
    assert done.status_code == 200, done.json()
    assert (done.json()["state"], done.json()["event"]) == ("filed", kent.events.last().pk)
    response = FoiResponse.objects.get()
    assert (response.outcome, response.exemptions, response.documents.count()) == (
        "refused",
        ["s12"],
        2,
    )


def test_the_unmatched_list_is_for_staff_and_the_forces_correspondents(
    sent_by_email, next_day, client_for, owner, outsider, data_entry, staff
):
    # A second open request to Kent: mail from a Kent address no longer says which it is.
    request_create(
        campaign=CampaignFactory(owner=owner),
        force=Force.objects.get(slug="kent"),
        user=owner,
        sent_on=sent_by_email.requests["kent"].sent_on,
    )
    stray = filed(corpus.from_another_kent_address())
    nowhere = filed(
        corpus.from_another_kent_address("<x@example.com>").replace(
            b"john.smith@kent.police.uk", b"someone@example.com"
        )
    )
    seen = {
        who.username: [
            r["id"] for r in client_for(who).get("/api/v1/messages/unmatched/").json()["results"]
        ]
        for who in (owner, outsider, data_entry, staff)
    }
    assert seen == {
        "owner": [stray.pk],
        "outsider": [],
        "data_entry": [],
        "staff": [nowhere.pk, stray.pk],
    }


def test_assigning_an_unmatched_message_takes_one_of_your_teams_requests(
    sent_by_email, next_day, client_for, owner, outsider
):
    request_create(
        campaign=CampaignFactory(owner=owner),
        force=Force.objects.get(slug="kent"),
        user=owner,
        sent_on=sent_by_email.requests["kent"].sent_on,
    )
    stray = filed(corpus.from_another_kent_address())
    foreign = request_create(
        campaign=CampaignFactory(owner=outsider),
        force=Force.objects.get(slug="essex"),
        user=outsider,
    )
    client = client_for(owner)
    url = f"/api/v1/messages/{stray.pk}/assign/"
    refused = client.post(url, {"request": foreign.pk})
    assert refused.status_code == 400
    assert refused.json()["errors"] == [
        {"field": "request", "message": f"No request {foreign.pk} that you can file mail on."}
    ]
    kent = sent_by_email.requests["kent"]
    done = client.post(url, {"request": kent.pk})
    assert done.status_code == 200
    assert (done.json()["request"], done.json()["matched_by"], done.json()["state"]) == (
        kent.pk,
        "person",
        "to_classify",
    )
    again = client.post(url, {"request": kent.pk})
    assert again.status_code == 404  # no longer unmatched


def test_discarding_needs_a_reason(sent_by_email, next_day, client_for, staff):
    stray = filed(
        corpus.from_another_kent_address("<spam@example.com>").replace(
            b"john.smith@kent.police.uk", b"offers@example.com"
        )
    )
    client = client_for(staff)
    url = f"/api/v1/messages/{stray.pk}/discard/"
    assert client.post(url, {"reason": ""}).json()["errors"] == [
        {"field": "reason", "message": "This field may not be blank."}
    ]
    done = client.post(url, {"reason": "Spam"})
    assert (done.json()["state"], done.json()["note"]) == ("discarded", "Discarded: Spam")
    assert Message.objects.get(pk=stray.pk).state == State.DISCARDED


def test_the_reply_token_grants_nothing(sent_by_email, client_for):
    token = sent_by_email.token("kent")
    anonymous = client_for(None)
    as_api_token = anonymous.get("/api/v1/requests/", HTTP_AUTHORIZATION=f"Token {token}")
    assert as_api_token.status_code == 401
    assert anonymous.get(f"/api/v1/requests/?token={token}").status_code == 401
    kent = sent_by_email.requests["kent"]
    assert anonymous.get(f"/api/v1/requests/{kent.pk}/messages/").status_code == 401
