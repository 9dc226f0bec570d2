"""A reading of an answer file as the API and the import page show it: platforms and offences by
name (not id), every figure and cell with its reference in the original file and how it was
read, the totals checks, warnings, the questions with their choices, and the digest to confirm
with. Two queries, whatever the size of the file."""

from __future__ import annotations

from responses_app.importing.outcome import ProposedFigure, Reading, TotalCheck
from responses_app.models import OffenceCategory, Platform, PlatformScope

SCOPES = dict(PlatformScope.choices)


class Names:
    def __init__(self) -> None:
        self.platforms = dict(Platform.objects.values_list("slug", "name"))
        self.offences = dict(OffenceCategory.objects.values_list("slug", "name"))

    def platform(self, figure: ProposedFigure) -> str:
        if figure.platform:
            return self.platforms.get(figure.platform, figure.platform)
        return SCOPES.get(figure.platform_scope, figure.platform_scope)

    def offence(self, key: str) -> str:
        return self.offences.get(key, key)


def reading_as_data(reading: Reading) -> dict:
    names = Names()
    return {
        "filename": reading.filename,
        "format": reading.format,
        "sha256": reading.sha256,
        "outcome": reading.outcome,
        "ready": reading.ready,
        "digest": reading.digest,
        "figures": [figure_as_data(f, names) for f in reading.figures],
        "totals": [total_as_data(t) for s in reading.sheets for tb in s.tables for t in tb.totals],
        "sheets": [
            {
                "name": sheet.name,
                "hidden": sheet.hidden,
                "verdict": sheet.verdict,
                "notes": sheet.notes,
                "tables": [
                    {
                        "region": table.region,
                        "orientation": table.orientation,
                        "notes": table.notes,
                        "cells": [
                            {"ref": c.ref, "text": c.text, "kind": c.kind, "detail": c.detail}
                            for c in table.cells
                        ],
                    }
                    for table in sheet.tables
                ],
            }
            for sheet in reading.sheets
        ],
        "warnings": reading.warnings,
        "questions": [
            {
                "key": q.key,
                "kind": q.kind,
                "sheet": q.sheet,
                "cells": q.cells,
                "text": q.text,
                "choices": [{"value": c.value, "label": c.label} for c in q.choices],
                "any_of": list(q.any_of),
            }
            for q in reading.questions
        ],
        "problems": [
            {"message": p.message, "sheet": p.sheet, "cells": list(p.cells)}
            for p in reading.problems
        ],
    }


def figure_as_data(figure: ProposedFigure, names: Names) -> dict:
    return {
        "sheet": figure.sheet,
        "cell": figure.cell,
        "period_start": figure.period_start,
        "period_end": figure.period_end,
        "platform": names.platform(figure),
        "platform_scope": figure.platform_scope,
        "offence": names.offence(figure.offence),
        "unit": figure.unit,
        "raw": figure.raw,
        "status": figure.status,
        "low": figure.low,
        "high": figure.high,
        "note": figure.note,
    }


def total_as_data(total: TotalCheck) -> dict:
    return {
        "sheet": total.sheet,
        "cell": total.cell,
        "label": total.label,
        "stated_low": total.stated_low,
        "stated_high": total.stated_high,
        "parts_low": total.parts_low,
        "parts_high": total.parts_high,
        "parts": list(total.parts),
        "agrees": total.agrees,
    }
