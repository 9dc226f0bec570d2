"""The order of work: seed and measure the aggregates as the figures grow, seed and sweep as the
requests grow, then everything else on the full load, then the larger sweeps."""

from __future__ import annotations

import argparse
import math
import time

import django
from django.core.management import call_command
from django.db import InterfaceError, OperationalError, connection
from django.test import Client

from bench import aggregates, http, lists, mail, scopes, seed, sweep
from bench.measure import ServiceUnavailable, in_subprocess
from bench.report import (
    TARGET_EXPORT_GROWTH,
    TARGET_IMPORT_MB,
    TARGET_IMPORT_RATE,
    TARGET_LIST_QUERIES,
    TARGET_RATIO,
    TARGET_SWEEP_SECONDS,
    Report,
    machine,
    seconds,
    write,
)


def _database_version() -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0]}"
        cursor.execute("SELECT sqlite_version()")
        return f"SQLite {cursor.fetchone()[0]}"


class Suite:
    def __init__(self, args: argparse.Namespace, skip: set[str]) -> None:
        self.args = args
        self.skip = skip
        self.report = Report()
        self.client = Client()
        self.figures = 0
        self.sweep_inserted = 0
        self.aggregate_rows: list[list[str]] = []
        self.largest_aggregates: list[aggregates.AggregateFigures] = []
        self.sweeps: list[sweep.SweepFigures] = []
        self.seeding: list[list[str]] = []
        self.scope_results: list[tuple[str, scopes.ScopeFigures]] = []

    def log(self, message: str) -> None:
        print(f"[bench] {message}", flush=True)

    def steady(self, step, *args, **kwargs):
        """Run a step again (up to three times) when the database went away under it: the
        machine is shared, and the load test restarts PostgreSQL on purpose. Each step writes
        in one transaction or not at all, so a step cut short leaves nothing behind."""
        for attempt in range(1, 4):
            try:
                return step(*args, **kwargs)
            except (OperationalError, InterfaceError, ServiceUnavailable) as error:
                if attempt == 3:
                    raise
                self.log(f"the database went away ({error!s:.80}); again in 15 s")
                connection.close()
                time.sleep(15)
        return None

    # Seeding

    def setup(self) -> None:
        self.log(f"migrating and emptying the benchmark database ({_database_version()})")
        call_command("migrate", verbosity=0)
        seed.truncate_all()
        self.cast = seed.cast_create()
        seed.figure_campaigns_create(self.cast)
        self.responses = seed.figures_responses()
        self.campaign_ids = sorted({r.request.campaign_id for r in self.responses})
        self.consumer_session = scopes.consumer_session()

    def figures_grow(self, target: int) -> None:
        started = time.perf_counter()
        added = seed.figures_insert(self.responses, self.cast, self.figures, target)
        seed.analyze()
        self.figures += added
        elapsed = time.perf_counter() - started
        self.seeding.append([f"{added:,} figures", seconds(elapsed)])
        self.log(f"{self.figures:,} figures ({added:,} added in {elapsed:.1f} s)")

    def requests_grow(self, open_requests: int) -> None:
        target = math.ceil(open_requests / seed.OPEN_SHARE)
        started = time.perf_counter()
        added = seed.sweep_requests_insert(self.sweep_inserted, target)
        seed.analyze()
        self.sweep_inserted += added
        elapsed = time.perf_counter() - started
        self.seeding.append([f"{added:,} requests", seconds(elapsed)])
        self.log(f"{self.sweep_inserted:,} sweep requests ({added:,} added in {elapsed:.1f} s)")

    # Measuring

    def run(self, *, figure_growth: list[int], sweep_growth: list[int]) -> None:
        self.steady(self.setup)
        largest = self.args.figures
        for size in [s for s in figure_growth if s < largest] + [largest]:
            self.steady(self.figures_grow, size)
            if "aggregates" not in self.skip:
                self.aggregates_at(size, final=size == largest)
        main_sweep = self.args.requests
        sizes = sorted({*sweep_growth, main_sweep})
        for size in [s for s in sizes if s <= main_sweep]:
            self.steady(self.requests_grow, size)
            if "sweep" not in self.skip:
                self.steady(self.sweep_at, size)
        self.everything_else()
        for size in [s for s in sizes if s > main_sweep]:
            self.steady(self.requests_grow, size)
            if "sweep" not in self.skip:
                self.steady(self.sweep_at, size)
        sweep.reminder_log_empty()

    def sweep_at(self, size: int) -> None:
        result = sweep.measure(size)
        self.sweeps.append(result)
        self.log(
            f"sweep over {size:,} open requests: first {result.first:.2f} s "
            f"({result.first_queries} queries, {result.claimed:,} claimed), second "
            f"{result.second:.2f} s ({result.second_queries} queries)"
        )

    def aggregates_at(self, size: int, *, final: bool) -> None:
        for group_by in aggregates.GROUP_BYS:
            result = self.steady(
                aggregates.measure,
                self.client,
                self.cast.owner_session,
                self.campaign_ids,
                group_by,
                repeat=self.args.repeat,
            )
            self.log(
                f"aggregates {group_by} at {size:,}: {result.endpoint:.3f} s vs "
                f"{result.bare:.3f} s bare ({result.ratio:.2f}x), same numbers: "
                f"{result.same_numbers}"
            )
            self.aggregate_rows.append(
                [
                    f"{self.figures:,}",
                    group_by,
                    str(result.groups),
                    seconds(result.endpoint),
                    str(result.endpoint_queries),
                    seconds(result.bare),
                    f"{result.ratio:.2f}x",
                    "yes" if result.same_numbers else "**NO**",
                ]
            )
            if final:
                self.largest_aggregates.append(result)
        self.scopes_at(f"{self.figures:,}")

    def scopes_at(self, load: str) -> None:
        release = self.steady(scopes.release_make, self.cast, self.campaign_ids)
        for scope in scopes.scopes(self.cast, self.consumer_session, self.campaign_ids, release):
            result = self.steady(scopes.measure, self.client, scope, repeat=self.args.repeat)
            self.log(
                f"aggregates, {result.scope} ({result.figures:,} figures): {result.endpoint:.3f} s "
                f"uncached vs {result.bare:.3f} s bare ({result.ratio:.2f}x), cached "
                f"{result.cached * 1000:.1f} ms, same numbers: {result.same_numbers}"
            )
            self.scope_results.append((load, result))

    def everything_else(self) -> None:
        if "aggregates" not in self.skip:
            self.scopes_at(f"{self.figures:,}, {self.sweep_inserted:,} more requests")
        if "lists" not in self.skip:
            self.lists()
        if "export" not in self.skip:
            self.steady(self.export)
        if "import" not in self.skip:
            self.steady(self.importer)
        if "http" not in self.skip:
            self.steady(self.throughput)
        if "mail" not in self.skip:
            self.mail_figures = self.steady(mail.measure, self.cast)

    def lists(self) -> None:
        self.list_rows = []
        self.list_results = []
        users = [("owner", self.cast.owner_session), ("staff", self.cast.staff_session)]
        for path in lists.LISTS:
            for who, session in users:
                result = self.steady(
                    lists.measure, self.client, who, session, path, repeat=self.args.repeat
                )
                self.list_results.append(result)
                self.list_rows.append(
                    [path, who, f"{result.rows:,}", str(result.queries), seconds(result.median)]
                )
        self.log("list endpoints measured")

    def export(self) -> None:
        session = self.cast.staff_session
        self.exports = [
            (
                "one campaign",
                in_subprocess(
                    "bench.export", "--session", session, "--campaign", str(self.campaign_ids[0])
                ),
            ),
            ("all campaigns", in_subprocess("bench.export", "--session", session)),
        ]
        self.log("export measured")

    def importer(self) -> None:
        rows = str(self.args.import_rows)
        self.imports = [
            (kind, in_subprocess("bench.importer", "--format", kind, "--rows", rows))
            for kind in ("csv", "xlsx")
        ]
        self.log("importer measured")

    def throughput(self) -> None:
        args = self.args
        one = self.campaign_ids[0]
        campaign = f"/api/v1/aggregates/?group_by=platform&campaign={one}"
        everything = "/api/v1/aggregates/?group_by=platform"
        owner, staff = self.cast.owner_session, self.cast.staff_session
        consumer = self.consumer_session
        paths = [
            ("do-nothing Django view", "/bench/nothing/", owner),
            ("aggregates, one campaign, cached", campaign, owner),
            ("aggregates, all the owner's campaigns, cached", everything, owner),
            ("aggregates, every campaign as staff, cached", everything, staff),
            ("aggregates, published campaigns as a consumer, cached", everything, consumer),
        ]
        self.http_results = []

        def run(server, label, path, session):
            result = http.load(
                server,
                label,
                path,
                session,
                clients=args.clients,
                seconds=args.http_seconds,
                max_requests=20_000,
            )
            self.http_results.append(result)

        with http.Server() as server:
            for label, path, session in paths:
                run(server, label, path, session)
            if scopes.cache_shared():
                undo = scopes.figure_correct_one(self.cast, one)
                first = scopes.first_call(server, campaign, owner)
                label = f"... one campaign, after a figure is corrected (first call {first:.3f} s)"
                run(server, label, campaign, owner)
                undo()
        self.log("HTTP throughput measured")

    # The table

    def finish(self, *, wall: float, write: bool = True) -> None:
        report = self.report
        args = self.args
        report.setup = [
            *machine(),
            ("database", _database_version()),
            ("Django", django.get_version()),
            (
                "load",
                f"{self.figures:,} figures in {len(self.responses)} answers; "
                f"{self.sweep_inserted:,} sweep requests (mixed states) and "
                f"{len(self.responses)} answered ones",
            ),
            ("runs", f"median of {args.repeat} after one warm-up run"),
            ("whole run", f"{wall / 60:.1f} minutes, seeding included"),
            (
                "note",
                "times on this virtual machine move by up to a third between runs: medians, and "
                "ratios measured in turns",
            ),
        ]
        report.table("Seeding", ["what", "time"], self.seeding)
        self._aggregates_table()
        scopes.report_to(self.report, self.scope_results)
        self._sweep_table()
        self._lists_table()
        self._export_table()
        self._import_table()
        self._http_table()
        mail.report(report, getattr(self, "mail_figures", None))
        if write:
            _write(report)

    def _aggregates_table(self) -> None:
        if not self.aggregate_rows:
            self.report.target("aggregates within 1.25x of bare SQL at 1M", "", None)
            return
        self.report.table(
            "Aggregates endpoint (full HTTP stack) against the bare SQL GROUP BY",
            ["figures", "group_by", "groups", "endpoint", "queries", "bare SQL", "ratio", "same"],
            self.aggregate_rows,
        )
        worst = max(self.largest_aggregates, key=lambda r: r.ratio)
        same = all(r.same_numbers for r in self.largest_aggregates)
        self.report.target(
            f"aggregates within {TARGET_RATIO}x of bare SQL at {self.figures:,} figures",
            f"worst {worst.ratio:.2f}x ({worst.group_by}); numbers equal: {same}",
            worst.ratio <= TARGET_RATIO and same,
        )

    def _sweep_table(self) -> None:
        if not self.sweeps:
            self.report.target("sweep over 100k open requests < 10 s", "", None)
            return
        rows = [
            [
                f"{s.requests:,}",
                f"{seconds(s.dry_run)} / {s.dry_run_queries}",
                f"{seconds(s.first)} / {s.first_queries}",
                f"{s.claimed:,}",
                f"{seconds(s.second)} / {s.second_queries}",
                str(s.second_claimed),
            ]
            for s in self.sweeps
        ]
        self.report.table(
            "Reminder sweep (time / queries)",
            ["open requests", "dry run", "first sweep", "claimed", "second sweep", "claimed"],
            rows,
        )
        main = next(s for s in self.sweeps if s.requests == self.args.requests)
        self.report.target(
            f"sweep over {main.requests:,} open requests < {TARGET_SWEEP_SECONDS:.0f} s, "
            "bounded queries",
            f"{main.first:.2f} s, {main.first_queries} queries "
            f"(queries at each size: {', '.join(str(s.first_queries) for s in self.sweeps)})",
            main.first < TARGET_SWEEP_SECONDS,
        )

    def _lists_table(self) -> None:
        if not hasattr(self, "list_rows"):
            self.report.target("list endpoints <= 6 queries", "", None)
            return
        self.report.table(
            "List endpoints at page_size=100 (full HTTP stack, session authentication)",
            ["endpoint", "as", "rows", "queries", "median"],
            self.list_rows,
        )
        worst = max(r.queries for r in self.list_results)
        self.report.target(
            f"every list endpoint at most {TARGET_LIST_QUERIES} queries, constant",
            f"at most {worst} (constancy: tests/test_list_queries.py)",
            worst <= TARGET_LIST_QUERIES,
        )

    def _export_table(self) -> None:
        if not hasattr(self, "exports"):
            self.report.target("export memory flat within 20%", "", None)
            return
        rows = [
            [
                label,
                f"{r['rows']:,}",
                seconds(r["seconds"]),
                f"{r['rate']:,.0f}",
                f"{r['peak_mb']:.0f} MB",
            ]
            for label, r in self.exports
        ]
        self.report.table(
            "Dataset export (CSV, streamed, read to the end)",
            ["scope", "rows", "time", "rows/s", "peak memory"],
            rows,
        )
        small, large = self.exports[0][1], self.exports[1][1]
        growth = large["peak_mb"] / small["peak_mb"]
        self.report.target(
            f"export memory flat within 20% ({small['rows']:,} to {large['rows']:,} rows)",
            f"{small['peak_mb']:.0f} MB to {large['peak_mb']:.0f} MB ({growth:.2f}x)",
            growth <= TARGET_EXPORT_GROWTH,
        )

    def _import_table(self) -> None:
        if not hasattr(self, "imports"):
            self.report.target("import >= 20,000 rows/s from CSV, < 300 MB", "", None)
            return
        rows = [
            [
                kind.upper(),
                f"{r['rows']:,}",
                f"{r['file_mb']:.1f} MB",
                seconds(r["seconds"]),
                f"{r['rate']:,.0f}",
                seconds(r["floor_seconds"]),
                f"{r['seconds'] / r['floor_seconds']:.2f}x",
                f"{r['before_mb']:.0f} MB",
                f"{r['peak_mb']:.0f} MB",
            ]
            for kind, r in self.imports
        ]
        self.report.table(
            "Importer (long format, all or nothing, history rows included)",
            [
                "file",
                "rows",
                "size",
                "time",
                "rows/s",
                "bare SQL",
                "ratio",
                "memory before",
                "peak memory",
            ],
            rows,
        )
        csv = self.imports[0][1]
        self.report.target(
            f"import >= {TARGET_IMPORT_RATE:,} rows/s from CSV, peak < {TARGET_IMPORT_MB} MB "
            f"({csv['rows']:,} rows)",
            f"{csv['rate']:,.0f} rows/s, {csv['peak_mb']:.0f} MB",
            csv["rate"] >= TARGET_IMPORT_RATE and csv["peak_mb"] < TARGET_IMPORT_MB,
        )

    def _http_table(self) -> None:
        if not hasattr(self, "http_results"):
            return
        floor = self.http_results[0].per_second
        rows = [
            [
                r.label,
                str(r.clients),
                f"{r.requests:,}",
                str(r.errors),
                f"{r.per_second:,.1f}",
                seconds(r.median_latency),
                f"{r.per_second / floor:.3f}",
            ]
            for r in self.http_results
        ]
        cached = [r.per_second / floor for r in self.http_results[1:] if "cached" in r.label]
        if cached:
            self.report.target(
                "repeated identical aggregates, cached, at least 0.5 of the do-nothing view",
                f"worst {min(cached):.3f} of the floor",
                min(cached) >= 0.5,
            )
        self.report.table(
            "HTTP throughput under gunicorn on loopback "
            f"({self.args.http_seconds:.0f} s a run, sync workers: two per core plus one)",
            ["view", "clients", "requests", "errors", "requests/s", "median latency", "of floor"],
            rows,
        )


def _write(report: Report) -> None:
    write(report)
    print("\n[bench] docs/BENCHMARKS.md updated")
