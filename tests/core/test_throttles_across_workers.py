"""The budget holds across web processes: three gunicorn workers on loopback share Redis, so
150 requests at 30 a minute get 30 answers (the review counted 81 with a cache per process).

The server runs on a SQLite file of its own (migrated, with one consumer and a token), with
REDIS_URL pointing at the test Redis and a key prefix of its own. Five threads send the 150
requests at once, so the three workers count at the same moments; every request has a timeout
and the server is stopped at the end."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import redis

from tests.conftest import service_missing

pytestmark = pytest.mark.redis

ROOT = Path(__file__).resolve().parents[2]
REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")
HOST = "127.0.0.1"
REQUESTS, RATE = 150, 30


def redis_answers(url: str) -> bool:
    try:
        return redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping()
    except redis.RedisError:
        return False


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def server_environment(tmp_path: Path, port: int) -> dict[str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    return {
        **environment,
        "DJANGO_ENV": "development",
        "DEBUG": "0",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'server.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "REDIS_URL": REDIS_TEST_URL,
        "CACHE_KEY_PREFIX": f"throttle-test-{uuid.uuid4().hex}",
        "API_RATE_USER": f"{RATE}/minute",
        "GUNICORN_WORKERS": "3",
        "GUNICORN_BIND": f"{HOST}:{port}",
    }


def manage(environment: dict[str, str], *arguments: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return done.stdout


def wait_until_ready(port: int, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and server.poll() is None:
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/health/ready/", timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    pytest.fail("gunicorn did not become ready")


def status_of(url: str, key: str) -> int:
    request = urllib.request.Request(url, headers={"Authorization": f"Token {key}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status
    except urllib.error.HTTPError as refused:
        return refused.code


@pytest.fixture
def server(tmp_path):
    if not redis_answers(REDIS_TEST_URL):
        service_missing(f"no Redis at {REDIS_TEST_URL}")
    port = free_port()
    environment = server_environment(tmp_path, port)
    manage(environment, "migrate", "--noinput")
    key = manage(environment, "adduser", "reader", "--role", "consumer").split()[-1]
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "foitracker.wsgi:application"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_until_ready(port, process)
        yield f"http://{HOST}:{port}", key
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def test_three_workers_let_through_thirty_of_150_requests_at_30_a_minute(server):
    base, key = server
    with ThreadPoolExecutor(max_workers=5) as pool:
        codes = Counter(pool.map(lambda _: status_of(f"{base}/api/v1/forces/", key), range(150)))
    assert codes == {200: RATE, 429: REQUESTS - RATE}
