"""HTTP throughput under gunicorn on loopback: the aggregates endpoint against a do-nothing
Django view on the same server, with concurrent clients (threads with keep-alive connections),
each run bounded in time and in requests."""

from __future__ import annotations

import http.client
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


@dataclass
class Throughput:
    label: str
    clients: int
    requests: int
    errors: int
    seconds: float
    median_latency: float

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn with the benchmark settings, started and stopped by this process only."""

    def __init__(self) -> None:
        self.port = _free_port()
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        environment = {**os.environ, "BENCH_BIND": f"127.0.0.1:{self.port}"}
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--config",
                str(BASE_DIR / "bench" / "gunicorn_conf.py"),
                "bench.wsgi:application",
            ],
            cwd=BASE_DIR,
            env=environment,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                time.sleep(0.2)
        self.__exit__()
        raise RuntimeError("gunicorn did not start within 30 s")

    def __exit__(self, *exc) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def load(
    server: Server,
    label: str,
    path: str,
    session: str,
    *,
    clients: int,
    seconds: float,
    max_requests: int,
) -> Throughput:
    """`clients` threads, each on one keep-alive connection, until `seconds` have passed or
    `max_requests` have been answered in all."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    headers = {"Cookie": f"sessionid={session}"}

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
        while time.monotonic() < stop_at:
            with lock:
                if len(latencies) + errors[0] >= max_requests:
                    return
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                answer = connection.getresponse()
                answer.read()
                ok = answer.status == 200
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
                ok = False
            with lock:
                if ok:
                    latencies.append(time.perf_counter() - started)
                else:
                    errors[0] += 1
        connection.close()

    # One request first, so the workers have imported everything and opened their connections.
    warm = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
    for _ in range(clients):
        warm.request("GET", path, headers=headers)
        warm.getresponse().read()
    warm.close()
    started = time.monotonic()
    stop_at = started + seconds
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    median = statistics.median(latencies) if latencies else float("nan")
    return Throughput(label, clients, len(latencies), errors[0], elapsed, median)
