"""A real Celery worker against a real Redis: the emails that come out, including when Redis
goes down in the middle of a sweep. Skipped without Redis, unless FOI_REQUIRE_SERVICES=1.

The worker runs in a thread of this process (celery.contrib.testing), on a queue of its own so
that no other worker on the same Redis takes its tasks; mail goes to Django's locmem outbox.
Every wait is bounded."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from unittest import mock

import pytest
import redis
from celery import Celery
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.db import connections
from kombu.exceptions import OperationalError as BrokerUnavailable

from foitracker.celery import app as project_app
from requests_app import reminders, tasks
from requests_app.models import Reminder, ReminderDigest
from tests.conftest import service_missing
from tests.requests_app.reminder_helpers import day, outbox_to, sent_request

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")
SWEEP_DAY = day("2026-02-25")  # requests sent Mon 2 Feb 2026 are due soon (due Mon 2 Mar)
BOTH = ["colleague@example.org", "owner@example.org"]


def redis_answers(url: str) -> bool:
    try:
        return redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping()
    except redis.RedisError:
        return False


def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up after {timeout} s waiting for {what}")
        time.sleep(0.1)


@pytest.fixture
def worker_db_connections_close():
    """The worker thread opens its own database connection; close it after each task so the
    test database can be flushed and dropped."""
    settings_dict = connections.settings["default"]
    before = settings_dict["CONN_MAX_AGE"]
    settings_dict["CONN_MAX_AGE"] = 0
    yield
    settings_dict["CONN_MAX_AGE"] = before


@contextmanager
def worker_on(broker_url: str) -> Iterator[Celery]:
    """A worker consuming a queue of its own on `broker_url`, with the project's settings."""
    app = Celery("reminders-test", set_as_current=False)
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.conf.update(
        broker_url=broker_url,
        task_always_eager=False,
        task_default_queue=f"reminders-test-{uuid.uuid4().hex}",
        worker_hijack_root_logger=False,
    )
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            # The project's tasks are shared tasks: they publish through the current app.
            app.set_current()
            yield app
    finally:
        project_app.set_default()
        project_app.set_current()


@pytest.fixture
def due_soon_for_two(campaign, owner, worker_db_connections_close):
    sent_request(campaign, owner, day("2026-02-02"))


def sweep_and_queue() -> reminders.SweepResult:
    """What the hourly task does, with the day fixed."""
    return reminders.reminders_sweep(today=SWEEP_DAY, send=tasks.queue_digest)


def test_a_real_worker_sends_each_digest_once(due_soon_for_two):
    if not redis_answers(REDIS_TEST_URL):
        service_missing(f"no Redis at {REDIS_TEST_URL}")
    with worker_on(REDIS_TEST_URL):
        sweep_and_queue()
        wait_until(lambda: len(mail.outbox) == 2, 30, "two digests")
        again = sweep_and_queue()
        time.sleep(1)  # give a wrongly queued second send the time to arrive

    assert (again.claimed, again.digests) == (0, [])
    assert outbox_to() == BOTH
    assert "Answer due soon (Mon 2 Mar 2026)" in mail.outbox[0].body
    assert set(ReminderDigest.objects.values_list("state", flat=True)) == {"sent"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class OwnRedis:
    """A redis-server of this test's own, on a loopback port, that it can kill and restart."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(lambda: redis_answers(self.url), 10, "redis-server to start")

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


@pytest.fixture
def own_redis() -> Iterator[OwnRedis]:
    if shutil.which("redis-server") is None:
        service_missing("redis-server is not installed")
    server = OwnRedis()
    server.start()
    try:
        yield server
    finally:
        server.kill()


def test_redis_dying_during_the_sweep_loses_nothing_and_sends_nothing_twice(
    due_soon_for_two, own_redis
):
    queued = []

    def queue_then_kill_redis(digest_id: int) -> None:
        # Redis dies just after the first digest is queued: the worker may or may not have
        # taken it; the second cannot be queued.
        tasks.queue_digest(digest_id)
        queued.append(digest_id)
        own_redis.kill()

    with worker_on(own_redis.url):
        with pytest.raises(BrokerUnavailable):
            reminders.reminders_sweep(today=SWEEP_DAY, send=queue_then_kill_redis)
        time.sleep(1)  # let a send that was under way finish

        # Nothing is marked sent that was not sent; both reminders stay claimed.
        marked_sent = ReminderDigest.objects.filter(state="sent")
        emailed = set(outbox_to())
        assert set(marked_sent.values_list("recipient__email", flat=True)) <= emailed
        assert Reminder.objects.count() == 2

        own_redis.start()  # same port: the worker reconnects by itself
        wait_until(sweep_again_until_all_sent, 90, "every digest sent")
        time.sleep(1)

    assert len(queued) == 1
    assert outbox_to() == BOTH


def sweep_again_until_all_sent() -> bool:
    """The next hourly sweep, run every second here: it queues the digest left waiting."""
    sweep_and_queue()
    time.sleep(1)
    return not ReminderDigest.objects.exclude(state="sent").exists()


@pytest.mark.parametrize("run", range(3))
def test_two_sweeps_at_the_same_moment_claim_each_reminder_once(postgres, due_soon_for_two, run):
    """Both sweeps read what is owed, then meet at a barrier and claim together."""
    barrier = threading.Barrier(2, timeout=10)
    claim = reminders.reminders_claim
    results = []

    def claim_together(**kwargs):
        barrier.wait()
        return claim(**kwargs)

    def sweep():
        try:
            results.append(reminders.reminders_sweep(today=SWEEP_DAY).claimed)
        finally:
            connections.close_all()

    with mock.patch("requests_app.reminders.sweep.reminders_claim", claim_together):
        threads = [threading.Thread(target=sweep) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)

    assert sorted(results) == [0, 2]
    assert Reminder.objects.count() == 2
    assert ReminderDigest.objects.count() == 2
