"""The figures of a run, as the Markdown that docs/BENCHMARKS.md quotes."""

from __future__ import annotations

import json
import math

from loadtest.driver import Outcome, Results

GENERIC = {
    "The service is briefly unavailable. Please try again in a few seconds.",
    "Something went wrong on our side. Please try again later.",
}


def percentile(values: list[float], share: float) -> float:
    """Nearest rank: the smallest value with at least `share` of the values at or below it."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def summary(outcomes: list[Outcome], seconds: float) -> dict:
    times = [o.seconds * 1000 for o in outcomes]
    errors = [o for o in outcomes if o.status >= 400 or o.status == 0]
    return {
        "requests": len(outcomes),
        "rps": len(outcomes) / seconds,
        "p50": percentile(times, 0.50),
        "p95": percentile(times, 0.95),
        "p99": percentile(times, 0.99),
        "errors": len(errors),
        "by_status": _count(o.status for o in errors),
    }


def _count(values) -> dict:
    counts: dict = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return dict(sorted(counts.items()))


def is_generic(body: bytes) -> bool:
    """A 5xx body is our short JSON message: no traceback, no database words."""
    try:
        data = json.loads(body)
    except ValueError:
        return False
    return data.get("detail") in GENERIC and data.get("errors") == [] and len(data) == 2


def table(rows: list[tuple[str, dict]]) -> str:
    lines = [
        "| traffic | requests | req/s | p50 ms | p95 ms | p99 ms | errors |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, s in rows:
        lines.append(
            f"| {name} | {s['requests']} | {s['rps']:.1f} | {s['p50']:.0f} | {s['p95']:.0f} "
            f"| {s['p99']:.0f} | {s['errors']} {s['by_status'] or ''} |"
        )
    return "\n".join(lines)


def markdown(
    *,
    options,
    researchers: int,
    steady: Results,
    restart,
    restarted_at,
    before,
    after_steady,
    after,
):
    seconds = options.seconds
    reads = [o for o in steady.outcomes if o.kind == "read"]
    writes = [o for o in steady.outcomes if o.kind == "write"]
    written = sum(o.status == 201 for o in writes)
    out = [
        f"Steady run: {seconds:g} s, {options.consumers} consumer threads + "
        f"{researchers} researcher threads, gunicorn {options.workers} sync workers.",
        "",
        table(
            [
                ("all", summary(steady.outcomes, seconds)),
                ("consumers (aggregates, dataset, lists)", summary(reads, seconds)),
                ("researchers (POST events)", summary(writes, seconds)),
            ]
        ),
        "",
        f"Events written (201): {written}; events in the database grew by "
        f"{after_steady['events'] - before['events']}; requests whose status is not where their "
        f"log leads: {len(after_steady['status_mismatches'])}.",
    ]
    if restart is not None:
        out += ["", restart_section(options, restart, restarted_at, after_steady, after)]
    return "\n".join(out)


def restart_section(options, results: Results, restarted_at, after_steady, after) -> str:
    start, end = restarted_at
    failed = [o for o in results.outcomes if o.status >= 500 or o.status == 0]
    server_errors = [o for o in failed if o.status >= 500]
    generic = sum(is_generic(o.body) for o in server_errors)
    traceback = sum(b"Traceback" in o.body for o in server_errors)
    after_back = [o for o in results.outcomes if o.at > end]
    first_ok = min((o.at for o in after_back if o.status < 400), default=None)
    late_failures = [o for o in after_back if o.status >= 400 or o.status == 0]
    last_failure = max((o.at + o.seconds for o in failed), default=None)
    writes = [o for o in results.outcomes if o.kind == "write"]
    ambiguous = sum(o.status >= 500 or o.status == 0 for o in writes)
    written = sum(o.status == 201 for o in writes)
    grew = after["events"] - after_steady["events"]
    return "\n".join(
        [
            f"Database-restart run: {options.restart_seconds:g} s of the same load; PostgreSQL "
            f"restarted {start - results.outcomes[0].at:.1f} s in, back after {end - start:.1f} s.",
            "",
            table([("all", summary(results.outcomes, options.restart_seconds))]),
            "",
            f"- Failed requests: {len(failed)} ({_count(o.status for o in failed)}); "
            f"5xx bodies that are the generic JSON message: {generic} of {len(server_errors)}; "
            f"bodies with a traceback: {traceback}.",
            f"- Last failure ended {((last_failure or end) - end):+.2f} s after the restart "
            f"command returned; first success after it: "
            f"{'none' if first_ok is None else f'{first_ok - end:+.2f} s'}; failures among the "
            f"{len(after_back)} requests started after it: {len(late_failures)}.",
            f"- Writes: {written} answered 201, {ambiguous} had no clean answer; events in the "
            f"database grew by {grew} (so {grew - written} of the unanswered writes had "
            f"committed); requests whose status is not where their log leads: "
            f"{len(after['status_mismatches'])} of {after['requests']}.",
        ]
    )
