"""One pass over an imported file: the checked figure drafts as they are read, and afterwards
every problem found, by row and column.

The drafts can be written while the rest of the file is still being read (the importer does, on
PostgreSQL): once a problem is found no further draft is handed out, the reading goes on to list
every other problem, and `refuse_if_wrong` raises so that the caller's transaction rolls back.
"""

from __future__ import annotations

from collections.abc import Iterator

from responses_app.importing.lookups import ReferenceMaps
from responses_app.importing.reading import ImportRefused, RowError, open_sheet
from responses_app.importing.shapes import FigureDraft, Layout, read_drafts
from responses_app.models import Figure


class FigureReading:
    def __init__(self, *, response, content: bytes, layout: Layout) -> None:
        # Opening refuses a file that is not a table at all (ImportRefused) before any row.
        self.sheet = open_sheet(content, sheet_name=layout.sheet)
        self.layout = layout
        self.maps = ReferenceMaps.load()
        self.threshold = response.request.force.suppression_threshold
        self.existing = set(response.figures.values_list(*Figure.cell_columns()))
        self.errors: list[RowError] = []
        self.count = 0

    @property
    def warnings(self) -> list[str]:
        return self.sheet.warnings

    def drafts(self) -> Iterator[FigureDraft]:
        """Every good draft up to the first problem; the file is read to its end regardless."""
        seen: dict[tuple, int] = {}
        for item in read_drafts(self.sheet, self.layout, self.maps, self.threshold):
            if isinstance(item, RowError):
                self.errors.append(item)
                continue
            problem = self._duplicate(item, seen)
            if problem:
                self.errors.append(problem)
                continue
            seen[item.key()] = item.row
            item.owner_id = self.maps.owner_id(item.platform_id, item.period_start)
            self.count += 1
            if not (self.errors or self.sheet.errors):
                yield item

    def _duplicate(self, item: FigureDraft, seen: dict[tuple, int]) -> RowError | None:
        key, column = item.key(), item.cell.rstrip("0123456789")
        if key in seen:
            message = f"The same figure is already in row {seen[key]} of the file."
            return RowError(item.row, column, message)
        if key in self.existing:
            return RowError(
                item.row, column, "This response already has this figure; correct it instead."
            )
        return None

    def refuse_if_wrong(self) -> None:
        """Raise ImportRefused listing every problem, sorted by row and column."""
        # A formula or hidden cell is reported once, for what it is, not again as a bad value.
        flagged = {(e.row, e.column) for e in self.sheet.errors}
        errors = [e for e in self.errors if (e.row, e.column) not in flagged] + self.sheet.errors
        if not errors and not self.count:
            errors.append(RowError(None, "file", "The file has a header but no figures."))
        if errors:
            raise ImportRefused(sorted(errors, key=lambda e: (e.row or 0, e.column)))
