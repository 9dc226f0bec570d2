"""The figures as a table: printed, and written between the markers of docs/BENCHMARKS.md (the
prose around them, and the load-test section, are written by people and left alone)."""

from __future__ import annotations

import os
import platform
import sys
from dataclasses import dataclass, field
from pathlib import Path

BEGIN = "<!-- bench:begin (written by `make bench`; edit outside these markers) -->"
END = "<!-- bench:end -->"
DOC = Path(__file__).resolve().parent.parent / "docs" / "BENCHMARKS.md"

TARGET_RATIO = 1.25
TARGET_LIST_QUERIES = 6
TARGET_SWEEP_SECONDS = 10.0
TARGET_IMPORT_RATE = 20_000
TARGET_IMPORT_MB = 300
TARGET_EXPORT_GROWTH = 1.20


@dataclass
class Report:
    setup: list[tuple[str, str]] = field(default_factory=list)
    sections: list[tuple[str, list[str], list[list[str]]]] = field(default_factory=list)
    targets: list[tuple[str, str, bool | None]] = field(default_factory=list)

    def table(self, title: str, header: list[str], rows: list[list[str]]) -> None:
        self.sections.append((title, header, rows))
        print_table(title, header, rows)

    def target(self, name: str, achieved: str, met: bool | None) -> None:
        self.targets.append((name, achieved, met))

    def markdown(self) -> str:
        lines = [BEGIN, "", "### Setup", ""]
        lines += [f"- {name}: {value}" for name, value in self.setup]
        for title, header, rows in self.sections:
            lines += ["", f"### {title}", "", _md_row(header), _md_row(["---"] * len(header))]
            lines += [_md_row(row) for row in rows]
        lines += ["", "### Targets", "", _md_row(["target", "achieved", ""]), _md_row(["---"] * 3)]
        lines += [_md_row([name, got, _verdict(met)]) for name, got, met in self.targets]
        return "\n".join([*lines, "", END])


def _verdict(met: bool | None) -> str:
    return "not measured" if met is None else "met" if met else "**missed**"


def _md_row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def print_table(title: str, header: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    print(f"\n{title}")
    for row in [header, ["-" * w for w in widths], *rows]:
        print("  " + "  ".join(str(cell).ljust(w) for cell, w in zip(row, widths, strict=True)))
    sys.stdout.flush()


def write(report: Report) -> None:
    """Replace what is between the markers; a new file gets the headings people fill in."""
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else _skeleton()
    if BEGIN not in text or END not in text:
        text = _skeleton()
    before, rest = text.split(BEGIN, 1)
    after = rest.split(END, 1)[1]
    DOC.write_text(before + report.markdown() + after, encoding="utf-8")


def _skeleton() -> str:
    return f"# Benchmarks\n\n## Latest figures\n\n{BEGIN}\n{END}\n\n## Load test\n"


def machine() -> list[tuple[str, str]]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory_kb = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
        memory = f"{memory_kb / 1024 / 1024:.0f} GB"
    except (OSError, StopIteration):
        memory = "unknown"
    return [
        ("machine", f"{cpu}, {os.cpu_count()} cores, {memory} RAM, {platform.system()}"),
        ("Python", platform.python_version()),
    ]


def seconds(value: float) -> str:
    if value < 1:
        return f"{value * 1000:.1f} ms"
    return f"{value:.2f} s"
