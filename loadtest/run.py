"""`make loadtest`: a fresh PostgreSQL database, seeded; gunicorn on loopback; a steady run, then
a run with PostgreSQL restarted part-way; figures and checks printed as Markdown.

    python -m loadtest.run --seconds 60 --restart-command "pg_ctlcluster ... restart"
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import psycopg

from loadtest import driver, report

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
WSGI_APP = "foitracker.wsgi:application"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def fresh_database(server: str, name: str) -> None:
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def wait_until_ready(port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/health/ready/", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not become ready")


def consistency(database_url: str) -> dict:
    """Every request's status is where its own event log leads, and every event is whole."""
    with psycopg.connect(database_url) as connection:
        rows = connection.execute(
            """
            SELECT r.id, r.status,
                   (SELECT e.to_status FROM requests_app_requestevent e
                     WHERE e.request_id = r.id ORDER BY e.on DESC, e.id DESC LIMIT 1),
                   (SELECT count(*) FROM requests_app_requestevent e WHERE e.request_id = r.id)
              FROM requests_app_foirequest r
              JOIN requests_app_campaign c ON c.id = r.campaign_id
             WHERE c.title LIKE 'Load test%%'
            """
        ).fetchall()
    mismatched = [row[0] for row in rows if row[1] != row[2]]
    return {
        "requests": len(rows),
        "events": sum(row[3] for row in rows),
        "status_mismatches": mismatched,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--restart-seconds", type=float, default=30)
    parser.add_argument("--consumers", type=int, default=12)
    parser.add_argument("--workers", type=int, default=5)
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="foi_load")
    parser.add_argument("--restart-command", default="", help="Restarts PostgreSQL; empty: skip.")
    options = parser.parse_args()

    database_url = f"{options.server}/{options.database}"
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_ENV": "development",
        "DEBUG": "0",
        "REDIS_URL": "",
        # The per-consumer budgets would turn most of this load into 429s: measured here is
        # what the server can do, not the budget.
        "API_RATE_USER": "10000000/hour",
        "API_RATE_HEAVY": "10000000/hour",
        "GUNICORN_WORKERS": str(options.workers),
        "GUNICORN_BIND": f"{HOST}:{port}",
        "LOG_LEVEL": "WARNING",
    }
    fresh_database(options.server, options.database)
    seeded = subprocess.run(
        [sys.executable, "-m", "loadtest.seed"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    seeded = json.loads(seeded.stdout.strip().splitlines()[-1])

    with gunicorn(env, port) as log_name:
        # Warm every worker's connection and caches so the figures are of a running service.
        driver.run(HOST, port, seeded, 5, options.consumers)
        before = consistency(database_url)
        steady = driver.run(HOST, port, seeded, options.seconds, options.consumers)
        after_steady = consistency(database_url)
        restart = restarted_at = None
        if options.restart_command:
            restart, restarted_at = run_with_restart(port, seeded, options)
        after = consistency(database_url)
    print(
        report.markdown(
            options=options,
            researchers=len(seeded["writers"]),
            steady=steady,
            restart=restart,
            restarted_at=restarted_at,
            before=before,
            after_steady=after_steady,
            after=after,
        )
    )
    print(f"\n(gunicorn log: {log_name})", file=sys.stderr)


@contextmanager
def gunicorn(env: dict, port: int):
    """gunicorn with the project's config, stopped (by its own pid) whatever happens."""
    with tempfile.NamedTemporaryFile("w", prefix="loadtest-gunicorn-", delete=False) as log:
        web = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", WSGI_APP],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_until_ready(port)
            yield log.name
        finally:
            web.send_signal(signal.SIGTERM)
            web.wait(timeout=60)


def run_with_restart(port, seeded, options):
    """Restart PostgreSQL a third of the way through a run of the same load."""
    timing = {}

    def restart_later():
        time.sleep(options.restart_seconds / 3)
        timing["start"] = time.monotonic()
        subprocess.run(shlex.split(options.restart_command), check=True, capture_output=True)
        timing["end"] = time.monotonic()

    restarter = threading.Thread(target=restart_later)
    restarter.start()
    results = driver.run(HOST, port, seeded, options.restart_seconds, options.consumers)
    restarter.join()
    return results, (timing["start"], timing["end"])


if __name__ == "__main__":
    main()
