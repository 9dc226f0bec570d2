"""What the correspondence tests share: a real SMTP server on loopback (aiosmtpd) that records
what it is given or refuses it as told, documents stored in a temporary folder, and a campaign
with a requester's name."""

from __future__ import annotations

import datetime as dt
import email
import zoneinfo
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import default as default_policy

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.core.files.storage import FileSystemStorage

from responses_app.models import Document
from tests.conftest import service_missing
from tests.correspondence.dovecot import Dovecot, free_port, unavailable

LONDON = zoneinfo.ZoneInfo("Europe/London")
REQUESTER = "Alex Researcher"


def at(iso: str, hour: int = 10) -> dt.datetime:
    """A London time on the day, for time_machine."""
    return dt.datetime.combine(dt.date.fromisoformat(iso), dt.time(hour), tzinfo=LONDON)


@dataclass
class Delivery:
    mail_from: str
    rcpt_tos: list[str]
    content: bytes

    def parsed(self) -> EmailMessage:
        return email.message_from_bytes(self.content, policy=default_policy)


@dataclass
class SmtpRecorder:
    """aiosmtpd's handler: keeps every message it accepts; `refuse` holds the answers to give
    instead, one per message, in order (e.g. '451 4.3.0 Try again later')."""

    received: list[Delivery] = field(default_factory=list)
    refuse: list[str] = field(default_factory=list)
    tried: int = 0

    async def handle_DATA(self, server, session, envelope) -> str:
        self.tried += 1
        if self.refuse:
            return self.refuse.pop(0)
        self.received.append(
            Delivery(envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.content))
        )
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on a loopback port, and Django's SMTP backend pointed at it."""
    recorder = SmtpRecorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 10
    try:
        yield recorder
    finally:
        controller.stop()


@pytest.fixture(autouse=True)
def mail_settings(settings):
    settings.CORRESPONDENCE_FROM_EMAIL = "foi@tracker.example.org"
    settings.REPLY_ADDRESS = "foi+{token}@replies.example.org"
    settings.MAIL_REFERENCE_PREFIX = "FT"
    settings.MAIL_SEND_RATE_PER_MINUTE = 20
    settings.MAIL_SEND_ATTEMPTS = 3


@pytest.fixture(autouse=True)
def document_files(tmp_path):
    """Attachments are stored in a temporary folder, never in the project's media folder."""
    storage_field = Document._meta.get_field("file")
    saved = storage_field.storage
    storage_field.storage = FileSystemStorage(location=tmp_path / "documents")
    yield tmp_path / "documents"
    storage_field.storage = saved


@pytest.fixture
def mail_campaign(campaign):
    campaign.requester_name = REQUESTER
    campaign.save()
    return campaign


@pytest.fixture
def frozen():
    """Mon 2 Mar 2026, 10:00 in London."""
    with time_machine.travel(at("2026-03-02"), tick=False) as traveller:
        yield traveller


@dataclass
class SentByEmail:
    """A campaign sent by email to Kent, Essex and BTP on Mon 2 Mar 2026: each request is
    `sent`, with its token and its letter's Message-ID."""

    requests: dict
    tokens: dict
    letters: dict

    def token(self, slug: str) -> str:
        return self.tokens[slug]


@pytest.fixture
def sent_by_email(mail_campaign, owner, settings, django_capture_on_commit_callbacks):
    from correspondence.models import Message
    from correspondence.services.sending import campaign_send_by_email
    from requests_app.models import Force

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    forces = [Force.objects.get(slug=slug) for slug in ("kent", "essex", "btp")]
    with (
        time_machine.travel(at("2026-03-02"), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        created = campaign_send_by_email(campaign=mail_campaign, forces=forces, user=owner)
    requests = {request.force.slug: request for request in created}
    for request in requests.values():
        request.refresh_from_db()
    letters = {
        slug: Message.objects.get(request=request, letter="request")
        for slug, request in requests.items()
    }
    tokens = {slug: request.mailbox.token for slug, request in requests.items()}
    return SentByEmail(requests=requests, tokens=tokens, letters=letters)


@pytest.fixture
def next_day():
    """Tue 3 Mar 2026, 11:00 in London: the replies arrive."""
    with time_machine.travel(at("2026-03-03", 11), tick=False) as traveller:
        yield traveller


@pytest.fixture
def imap_server(settings):
    """A real Dovecot IMAP server on loopback, with IMAP_URL pointing at its inbox."""
    reason = unavailable()
    if reason:
        service_missing(reason)
    server = Dovecot()
    server.start()
    settings.IMAP_URL = server.url
    settings.IMAP_FILED_FOLDER = ""
    try:
        yield server
    finally:
        server.remove()
