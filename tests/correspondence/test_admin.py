"""The admin over the correspondence: every page opens for staff, an HTML body is shown as
text, and a returned letter is resent through the service."""

from __future__ import annotations

import pytest
from django.test import Client

from correspondence.models import ForceContact, Message, State
from correspondence.services.filing import message_file
from tests.correspondence import corpus


@pytest.fixture
def staff_client(staff) -> Client:
    client = Client()
    client.force_login(staff)
    return client


@pytest.fixture
def mail(sent_by_email, next_day):
    kent = sent_by_email.requests["kent"]
    token = sent_by_email.token("kent")
    answer = message_file(raw=corpus.answer_with_files(token, kent.pk)).message
    html = message_file(raw=corpus.html_only(token)).message
    letter = sent_by_email.letters["kent"]
    message_file(raw=corpus.postfix_bounce(token, letter.message_id, letter.to_addresses))
    contact = ForceContact.objects.create(force=kent.force, address="foi@kent.police.uk")
    return {
        "answer": answer.pk,
        "html": html.pk,
        "letter": letter.pk,
        "kent": kent.pk,
        "force": contact.pk,
    }


@pytest.mark.parametrize(
    "page",
    [
        "/admin/correspondence/message/",
        "/admin/correspondence/message/?state__exact=to_classify&q=response",
        "/admin/correspondence/message/{answer}/change/",
        "/admin/correspondence/message/{letter}/change/",
        "/admin/correspondence/requestmailbox/",
        "/admin/correspondence/requestmailbox/?undelivered_at__isempty=0",
        "/admin/correspondence/requestmailbox/{kent}/change/",
        "/admin/correspondence/forcecontact/",
        "/admin/correspondence/forcecontact/add/",
        "/admin/correspondence/forcecontact/{force}/change/",
    ],
)
def test_every_correspondence_page_opens_for_staff(staff_client, mail, page):
    assert staff_client.get(page.format(**mail)).status_code == 200


def test_an_html_body_is_shown_as_text_never_rendered(staff_client, mail):
    page = staff_client.get(f"/admin/correspondence/message/{mail['html']}/change/")
    content = page.content.decode()
    assert "&lt;b&gt;14&lt;/b&gt;" in content
    assert "<b>14</b>" not in content


def test_a_returned_letter_is_resent_from_the_admin(
    staff_client, mail, settings, django_capture_on_commit_callbacks
):
    assert Message.objects.get(pk=mail["letter"]).state == State.UNDELIVERED
    with django_capture_on_commit_callbacks(execute=True):
        answer = staff_client.post(
            "/admin/correspondence/message/",
            {"action": "resend", "_selected_action": [mail["letter"], mail["answer"]]},
            follow=True,
        )
    assert answer.status_code == 200
    shown = [str(m) for m in answer.context["messages"]]
    assert shown == [
        f"Message {mail['answer']}: Only a letter that failed or came back is resent.",
        "1 letter(s) queued again.",
    ]
    resent = Message.objects.get(replaces=mail["letter"])
    assert (resent.state, resent.to_addresses) == (State.SENT, "foi@kent.police.uk")
