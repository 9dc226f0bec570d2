"""The load itself: threads of API consumers and researchers for a fixed time, each request
timed; stops by itself. Loopback only."""

from __future__ import annotations

import datetime as dt
import http.client
import json
import random
import threading
import time
from dataclasses import dataclass, field

# What a consumer reads when a story breaks: the headline aggregates and the dataset export.
CONSUMER_PATHS = [
    "/api/v1/aggregates/?campaign={c}&group_by=platform",
    "/api/v1/aggregates/?campaign={c}&group_by=owner,quarter",
    "/api/v1/aggregates/?campaign={c}&group_by=force",
    "/api/v1/dataset/?campaign={c}&format=json",
    "/api/v1/dataset/?campaign={c}",
    "/api/v1/requests/?campaign={c}&page_size=50",
]
# A researcher asks for clarification and records it received: the request moves back and forth
# between two statuses, so every write is a real transition with a deadline recomputation.
CYCLE = ["clarification_requested", "clarification_received"]


@dataclass
class Outcome:
    kind: str  # "read" or "write"
    status: int  # 0: no HTTP answer (connection refused or reset)
    seconds: float
    at: float
    body: bytes = b""


@dataclass
class Results:
    outcomes: list[Outcome] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, outcome: Outcome) -> None:
        with self.lock:
            self.outcomes.append(outcome)


def call(host: str, port: int, method: str, path: str, key: str, body: dict | None = None):
    connection = http.client.HTTPConnection(host, port, timeout=30)
    headers = {"Authorization": f"Token {key}", "Accept": "application/json"}
    payload = None
    if body is not None:
        payload = json.dumps(body)
        headers["Content-Type"] = "application/json"
    try:
        connection.request(method, path, body=payload, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    except (OSError, http.client.HTTPException) as error:
        # No answer, or one cut off mid-stream: a streamed export whose database went away
        # after its 200 header was sent cannot turn into a 5xx any more.
        return 0, repr(error).encode()
    finally:
        connection.close()


def consumer(host, port, key, campaign, until, results: Results, seed: int) -> None:
    rng = random.Random(seed)
    while time.monotonic() < until:
        path = rng.choice(CONSUMER_PATHS).format(c=campaign)
        started = time.monotonic()
        status, body = call(host, port, "GET", path, key)
        elapsed = time.monotonic() - started
        keep = body if status >= 500 or status == 0 else b""
        results.add(Outcome("read", status, elapsed, started, keep))


def researcher(host, port, key, request_ids, until, results: Results) -> None:
    # Unknown until read: an earlier run may have left a request in either status.
    step: dict[int, int | None] = dict.fromkeys(request_ids)
    today = dt.date.today().isoformat()
    while time.monotonic() < until:
        for request_id in request_ids:
            if time.monotonic() >= until:
                return
            if step[request_id] is None:
                step[request_id] = _resync(host, port, key, request_id, results)
                if step[request_id] is None:
                    continue
            kind = CYCLE[step[request_id] % 2]
            started = time.monotonic()
            status, body = call(
                host,
                port,
                "POST",
                f"/api/v1/requests/{request_id}/events/",
                key,
                {"kind": kind, "on": today},
            )
            elapsed = time.monotonic() - started
            if status == 201:
                step[request_id] += 1
            else:
                # No clean answer: the write may or may not have been made. Read the status
                # before the next write of this request.
                step[request_id] = None
            keep = body if status != 201 else b""
            results.add(Outcome("write", status, elapsed, started, keep))


def _resync(host, port, key, request_id, results: Results) -> int | None:
    started = time.monotonic()
    status, body = call(host, port, "GET", f"/api/v1/requests/{request_id}/", key)
    keep = body if status >= 500 or status == 0 else b""
    results.add(Outcome("resync", status, time.monotonic() - started, started, keep))
    if status != 200:
        return None
    return 1 if json.loads(body)["status"] == "awaiting_clarification" else 0


def run(host, port, seeded: dict, seconds: float, consumers: int) -> Results:
    results = Results()
    until = time.monotonic() + seconds
    threads = [
        threading.Thread(
            target=consumer,
            args=(
                host,
                port,
                seeded["consumer_keys"][n % len(seeded["consumer_keys"])],
                seeded["demo_campaign"],
                until,
                results,
                n,
            ),
        )
        for n in range(consumers)
    ]
    threads += [
        threading.Thread(
            target=researcher,
            args=(host, port, writer["key"], writer["requests"], until, results),
        )
        for writer in seeded["writers"]
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
