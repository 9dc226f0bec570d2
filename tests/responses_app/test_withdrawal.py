"""A response is withdrawn with a reason, never deleted (issue 15, items 6 and 11).

Deleting a response used to take its documents with it (no history, files left on disk) and left
the request 'responded', so the force's real answer could not be recorded. Now the response,
its documents and figures stay; the request returns through its event log to the status the
response found; the reports leave the withdrawn figures out.

Kent was sent the question on Mon 2 Nov 2020 and answered on Fri 20 Nov; today is Mon 11 Jan
2021. Twenty working days from Mon 2 Nov (the day of receipt not counted): Tue 3 is day 1 and
Fri 27 day 19; Mon 30 Nov is St Andrew's Day, a bank holiday in Scotland and so in "any part of
the United Kingdom" (FOIA s.10(6)), so day 20, the due date, is Tue 1 Dec."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from requests_app.models import RequestEvent
from requests_app.services import request_record_event
from requests_app.status import EventKind, Status
from responses_app import services
from responses_app.coverage import coverage
from responses_app.models import Document, Figure, FoiResponse

TODAY = dt.date(2021, 1, 11)
DUE = dt.date(2020, 12, 1)
REASON = "Recorded against Kent by mistake: this was Surrey's answer."


@pytest.fixture
def with_figure(enter):
    return enter("12").figure


@pytest.fixture
def document(response, data_entry):
    return services.document_attach(
        response=response, name="kent.pdf", content=b"%PDF-1.7\n%%EOF\n", user=data_entry
    )


def withdraw(client_for, user, response, reason=REASON):
    return client_for(user).post(f"/api/v1/responses/{response.pk}/withdraw/", {"reason": reason})


def test_withdrawing_returns_the_request_to_awaiting_its_answer(
    client_for, data_entry, response, with_figure, document
):
    answer = withdraw(client_for, data_entry, response)

    assert answer.status_code == 200
    body = answer.json()
    assert (body["withdrawn_by"], body["withdrawal_reason"]) == ("data_entry", REASON)
    request = response.request
    request.refresh_from_db()
    assert request.status == Status.SENT
    # The clock runs to the original due date again; no review or complaint window runs from an
    # answer that was withdrawn.
    assert (request.current_due_on, request.review_request_by, request.complaint_by) == (
        DUE,
        None,
        None,
    )
    last = request.events.order_by("-id").first()
    # Dated as the response it withdraws (recorded today), so the log reads in order.
    assert (last.kind, last.on, last.created_at.date(), last.from_status, last.to_status) == (
        EventKind.RESPONSE_WITHDRAWN,
        dt.date(2020, 11, 20),
        TODAY,
        Status.RESPONDED,
        Status.SENT,
    )
    assert last.note == f"Response of 2020-11-20 withdrawn: {REASON}"
    # Nothing is deleted.
    assert FoiResponse.objects.filter(pk=response.pk).exists()
    assert list(Figure.objects.filter(response=response)) == [with_figure]
    assert list(Document.objects.filter(response=response)) == [document]
    assert document.file.storage.exists(document.file.name)


def test_the_request_can_then_take_the_forces_new_response(client_for, data_entry, response):
    withdraw(client_for, data_entry, response)
    again = client_for(data_entry).post(
        "/api/v1/responses/",
        {"request": response.request_id, "received_on": "2021-01-08", "outcome": "refused"},
    )
    assert again.status_code == 201
    request = response.request
    request.refresh_from_db()
    assert request.status == Status.RESPONDED
    # The review window now runs from the new answer: 40 working days after Fri 8 Jan 2021
    # end on Fri 5 Mar (Jan 11..29: 15; Feb 1..26: 20; Mar 1..5: 5); six weeks is 19 Feb.
    assert (request.review_request_by, request.complaint_by) == (
        dt.date(2021, 3, 5),
        dt.date(2021, 2, 19),
    )


def test_an_extended_request_is_extended_again(client_for, owner, data_entry, sent_request):
    """Extended on Fri 27 Nov until Mon 14 Dec, answered Fri 4 Dec, that answer withdrawn: the
    extended clock runs again, to 14 Dec."""
    request_record_event(
        request=sent_request,
        kind=EventKind.EXTENSION,
        on=dt.date(2020, 11, 27),
        until=dt.date(2020, 12, 14),
        user=owner,
    )
    answered = services.response_record(
        request=sent_request, received_on=dt.date(2020, 12, 4), outcome="granted", user=owner
    )
    assert withdraw(client_for, data_entry, answered).status_code == 200
    sent_request.refresh_from_db()
    assert (sent_request.status, sent_request.current_due_on) == (
        Status.EXTENDED,
        dt.date(2020, 12, 14),
    )


def test_the_reports_leave_a_withdrawn_response_out(
    client_for, owner, data_entry, response, with_figure
):
    def instances() -> int:
        answer = client_for(owner).get(
            "/api/v1/aggregates/",
            {"group_by": "platform", "campaign": response.request.campaign_id},
        )
        return answer.json()["total"]["reported"]

    assert instances() == 12
    withdraw(client_for, data_entry, response)
    assert instances() == 0
    dataset = client_for(owner).get(
        "/api/v1/dataset/", {"campaign": response.request.campaign_id, "format": "json"}
    )
    assert b"".join(dataset.streaming_content) == b"[]"
    # Kent is awaiting its answer again, and past its due date.
    kent = coverage(response.request.campaign.requests.all(), today=TODAY)
    assert (kent["answered_with_figures"]["count"], kent["overdue"]["forces"]) == (0, ["kent"])


def test_a_withdrawn_response_takes_no_more_figures(client_for, data_entry, response):
    withdraw(client_for, data_entry, response)
    answer = client_for(data_entry).post(
        "/api/v1/figures/",
        {
            "response": response.pk,
            "period_start": "2019-10-01",
            "period_end": "2020-03-31",
            "offence": "child-sexual-offences",
            "platform": "snapchat",
            "raw": "3",
        },
    )
    assert answer.status_code == 400
    assert answer.json()["errors"] == [
        {
            "field": "response",
            "message": "This response was withdrawn; record the force's new response and add "
            "to it.",
        }
    ]


def test_withdrawing_twice_is_a_conflict(client_for, data_entry, response):
    withdraw(client_for, data_entry, response)
    again = withdraw(client_for, data_entry, response, reason="Again")
    assert again.status_code == 409
    assert again.json()["errors"] == [
        {"field": "response", "message": "This response was withdrawn already, on 2021-01-11."}
    ]


def test_a_withdrawal_needs_a_reason(client_for, data_entry, response):
    before = RequestEvent.objects.count()
    answer = withdraw(client_for, data_entry, response, reason="   ")
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["field"] == "reason"
    assert RequestEvent.objects.count() == before


def test_the_events_api_sends_a_withdrawal_to_the_response(client_for, owner, response):
    answer = client_for(owner).post(
        f"/api/v1/requests/{response.request_id}/events/",
        {"kind": "response_withdrawn", "on": "2021-01-11"},
    )
    assert answer.status_code == 400
    assert answer.json()["errors"] == [
        {
            "field": "kind",
            "message": "Withdraw the response itself: POST /api/v1/responses/{id}/withdraw/ "
            "with a reason.",
        }
    ]


def test_the_admin_withdraws_a_response_and_never_deletes_one(staff, response, document):
    client = Client()
    client.force_login(staff)
    delete = client.post(f"/admin/responses_app/foiresponse/{response.pk}/delete/", {"post": "yes"})
    assert delete.status_code == 403
    change = client.post(
        f"/admin/responses_app/foiresponse/{response.pk}/change/",
        {
            "outcome": "granted",
            "other_exemptions": "",
            "caveats": "",
            "withdraw_reason": REASON,
            "documents-TOTAL_FORMS": "1",
            "documents-INITIAL_FORMS": "1",
            "documents-MIN_NUM_FORMS": "0",
            "documents-MAX_NUM_FORMS": "1000",
            "documents-0-id": str(document.pk),
            "documents-0-response": str(response.pk),
            "figures-TOTAL_FORMS": "0",
            "figures-INITIAL_FORMS": "0",
            "figures-MIN_NUM_FORMS": "0",
            "figures-MAX_NUM_FORMS": "1000",
        },
    )
    assert change.status_code == 302, change.content[:2000]
    response.refresh_from_db()
    assert (response.withdrawal_reason, response.withdrawn_by) == (REASON, staff)
    assert response.request.status == Status.SENT


def test_a_refused_import_leaves_no_file(client_for, data_entry, response, document_files):
    """A real import attaches its file as the figures' source, then reads it; a bad row rolls
    everything back, and the file it had written goes with the rows."""
    table = (
        b"period_start,period_end,offence,platform,value,unit,note\n"
        b"2019-10-01,2020-03-31,child-sexual-offences,Instagram,twelve,instances,\n"
    )
    answer = client_for(data_entry).post(
        f"/api/v1/responses/{response.pk}/import/",
        {"file": SimpleUploadedFile("kent.csv", table)},
        format="multipart",
    )
    assert answer.status_code == 400
    assert not Document.objects.exists()
    assert not document_files.exists() or list(document_files.iterdir()) == []


def test_a_documents_file_goes_only_when_its_row_is_deleted_and_committed(
    document, django_capture_on_commit_callbacks
):
    storage, name = document.file.storage, document.file.name
    with django_capture_on_commit_callbacks(execute=False) as waiting:
        Document.objects.filter(pk=document.pk).delete()
    assert storage.exists(name)  # the deletion has not committed yet
    for callback in waiting:
        callback()
    assert not storage.exists(name)
