"""The dataset export, streamed through the whole HTTP stack and read to the end, in a process of
its own so that its peak memory is its own:

    python -m bench.export --session KEY [--campaign ID]

Prints one JSON line: rows, seconds, rows per second, peak resident memory in MB.
"""

from __future__ import annotations

import argparse
import json
import os
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")


def main() -> None:
    import django

    django.setup()
    from django.test import Client

    from bench.measure import peak_memory_mb

    parser = argparse.ArgumentParser()
    parser.add_argument("--session", required=True)
    parser.add_argument("--campaign", type=int)
    args = parser.parse_args()
    params = {"campaign": args.campaign} if args.campaign else {}
    started = time.perf_counter()
    answer = Client().get(
        "/api/v1/dataset/", params, HTTP_COOKIE=f"sessionid={args.session}", HTTP_ACCEPT="text/csv"
    )
    if answer.status_code != 200 or not answer.streaming:
        raise SystemExit(f"the export answered {answer.status_code}, streaming={answer.streaming}")
    lines = 0
    for chunk in answer.streaming_content:
        lines += chunk.count(b"\n")
    elapsed = time.perf_counter() - started
    rows = lines - 1  # the header
    print(
        json.dumps(
            {"rows": rows, "seconds": elapsed, "rate": rows / elapsed, "peak_mb": peak_memory_mb()}
        )
    )


if __name__ == "__main__":
    main()
