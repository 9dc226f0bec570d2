"""`make bench`: seed, measure, print the table, write docs/BENCHMARKS.md.

    python -m bench [--figures N] [--requests N] [--skip http,import,...]

The database is the benchmark's own: BENCH_DATABASE_URL if set; else, when DATABASE_URL points
at PostgreSQL, a database named foi_bench on the same server (created if missing); else a
temporary SQLite file, with smaller default sizes. Every run empties and reseeds it.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
STEPS = ["aggregates", "sweep", "lists", "export", "import", "http", "mail"]


def bench_database_url() -> str:
    url = os.environ.get("BENCH_DATABASE_URL", "")
    if not url:
        configured = os.environ.get("DATABASE_URL", "")
        if configured.startswith("postgres"):
            url = configured.rsplit("/", 1)[0] + "/foi_bench"
        else:
            url = f"sqlite:///{Path(tempfile.gettempdir()) / 'foi_bench.sqlite3'}"
    name = url.rsplit("/", 1)[1].split("?")[0]
    if name.startswith("test") or "test_" in name:
        sys.exit(f"Refusing to seed '{name}': it looks like a test database.")
    return url


def postgres_database_ensure(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        found = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not found.fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def arguments(postgres: bool) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--figures", type=int, default=1_000_000 if postgres else 50_000)
    parser.add_argument("--requests", type=int, default=100_000 if postgres else 20_000)
    parser.add_argument(
        "--figure-growth",
        default="10000,100000" if postgres else "10000",
        help="smaller figure counts to measure the aggregates at first (comma-separated)",
    )
    parser.add_argument(
        "--sweep-growth",
        default="10000,1000000" if postgres else "5000",
        help="other open-request counts to sweep at (comma-separated; larger ones run last)",
    )
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--import-rows", type=int, default=100_000 if postgres else 20_000)
    parser.add_argument("--http-seconds", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--skip", default="", help=f"steps to leave out: {', '.join(STEPS)}")
    parser.add_argument("--no-write", action="store_true", help="print only; leave the docs")
    return parser.parse_args()


def _sizes(text: str) -> list[int]:
    return sorted(int(part) for part in text.split(",") if part.strip())


def main() -> None:
    url = bench_database_url()
    postgres = url.startswith("postgres")
    args = arguments(postgres)
    if postgres:
        postgres_database_ensure(url)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from bench.suite import Suite

    started = time.perf_counter()
    suite = Suite(args, skip={s.strip() for s in args.skip.split(",") if s.strip()})
    suite.run(figure_growth=_sizes(args.figure_growth), sweep_growth=_sizes(args.sweep_growth))
    suite.finish(wall=time.perf_counter() - started, write=not args.no_write)
