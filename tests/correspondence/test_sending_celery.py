"""A real Celery worker against a real Redis sends a campaign's letters to a real SMTP server,
each once, retrying a server that refuses for a while. Skipped without Redis, unless
FOI_REQUIRE_SERVICES=1. The worker runs in a thread of this process on a queue of its own
(as in tests/requests_app/test_reminders_celery.py); every wait is bounded."""

from __future__ import annotations

import time
from unittest import mock

import pytest
import time_machine

from correspondence import tasks
from correspondence.models import Message, State
from correspondence.services import sending
from requests_app.models import FoiRequest, Force
from tests.conftest import service_missing
from tests.correspondence.conftest import at
from tests.requests_app.test_reminders_celery import (
    REDIS_TEST_URL,
    redis_answers,
    wait_until,
    worker_db_connections_close,  # noqa: F401 (a fixture)
    worker_on,
)

pytestmark = [
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("worker_db_connections_close"),
]


@pytest.fixture
def redis_url() -> str:
    if not redis_answers(REDIS_TEST_URL):
        service_missing(f"no Redis at {REDIS_TEST_URL}")
    return REDIS_TEST_URL


@pytest.fixture
def quick_sends(settings):
    # A letter every 50 ms, so three go out within the test's patience.
    settings.MAIL_SEND_RATE_PER_MINUTE = 1200


def send_three(campaign, owner) -> list[FoiRequest]:
    forces = [Force.objects.get(slug=slug) for slug in ("kent", "essex", "btp")]
    return sending.campaign_send_by_email(campaign=campaign, forces=forces, user=owner)


def test_a_real_worker_sends_each_letter_once_and_the_requests_become_sent(
    redis_url, mail_campaign, owner, smtp_server, quick_sends
):
    with time_machine.travel(at("2026-03-02"), tick=True), worker_on(redis_url):
        send_three(mail_campaign, owner)
        wait_until(lambda: len(smtp_server.received) == 3, 60, "three letters")
        wait_until(
            lambda: not FoiRequest.objects.filter(status="draft").exists(), 30, "three `sent`"
        )
        # The sweep of waiting letters finds nothing to queue again, and nothing else arrives.
        assert sending.letters_requeue(now=at("2026-03-02", 12), send=tasks.queue_letters) == 0
        time.sleep(1)
    assert sorted(r for d in smtp_server.received for r in d.rcpt_tos) == [
        "foi@btp.pnn.police.uk",
        "freedomofinformation@kent.police.uk",
        "info.rights.freedom@essex.police.uk",
    ]
    assert set(Message.objects.values_list("state", "attempts")) == {(State.SENT, 1)}


def test_a_real_worker_retries_a_refusing_server_until_it_accepts(
    redis_url, mail_campaign, owner, smtp_server, quick_sends
):
    smtp_server.refuse = ["451 4.3.0 Try again later"] * 2
    # Retries a second apart instead of the deployment's 30 s, 1 min... (the worker is a
    # thread of this process, and Celery reads the interval from this function each time).
    backoff = mock.patch("celery.app.autoretry.get_exponential_backoff_interval", return_value=1)
    with time_machine.travel(at("2026-03-02"), tick=True), backoff, worker_on(redis_url):
        [request] = sending.campaign_send_by_email(
            campaign=mail_campaign, forces=[Force.objects.get(slug="kent")], user=owner
        )
        wait_until(lambda: len(smtp_server.received) == 1, 60, "the letter, third time")
        wait_until(
            lambda: Message.objects.filter(state=State.SENT).exists(), 30, "the letter marked"
        )
    letter = Message.objects.get(request=request)
    assert (letter.state, letter.attempts, smtp_server.tried) == (State.SENT, 3, 3)
