"""Every answer file into one grid (responses_app.importing.grid), one module a format, the
format proved by the bytes rather than the name: `read_workbook`."""

from __future__ import annotations

import io
import zipfile

from responses_app.documents import OLE2_HEADER, XLSX, ZIP_HEADER, office_package_type
from responses_app.importing.grid import Budget, FileRefused, Limits, Workbook
from responses_app.importing.readers.csv_text import read_csv
from responses_app.importing.readers.ods import read_ods
from responses_app.importing.readers.pdf import read_pdf
from responses_app.importing.readers.word import read_docx
from responses_app.importing.readers.xls import read_xls
from responses_app.importing.readers.xlsx import read_xlsx

ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
MAX_PARTS = 10_000
# Declared sizes are summed before anything is inflated: a zip bomb is refused unopened.
MAX_UNPACKED_BYTES = 200_000_000


def read_workbook(content: bytes, *, limits: Limits | None = None) -> Workbook:
    """The file as a workbook of sheets. Raises FileRefused (why, naming the limit, sheet or
    cell) or ScannedDocument (a PDF without text)."""
    budget = Budget(limits or Limits())
    if not content:
        raise FileRefused("The file is empty.")
    try:
        workbook = _read(content, budget)
    except FileRefused as refused:
        refused.cells_visited = budget.visited
        raise
    workbook.cells_visited = budget.visited
    return workbook


def _read(content: bytes, budget: Budget) -> Workbook:
    if content.startswith(b"%PDF-"):
        return read_pdf(content, budget)
    if content.startswith(ZIP_HEADER):
        return _read_package(content, budget)
    if content.startswith(OLE2_HEADER):
        return read_xls(content, budget)
    return read_csv(content, budget)


def _read_package(content: bytes, budget: Budget) -> Workbook:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        entries = archive.infolist()
    except (zipfile.BadZipFile, EOFError, ValueError) as error:
        raise FileRefused("The file is damaged or truncated (not a valid zip).") from error
    declared = sum(entry.file_size for entry in entries)
    if len(entries) > MAX_PARTS or declared > MAX_UNPACKED_BYTES:
        raise FileRefused(
            f"The file would unpack to {declared:,} bytes in {len(entries):,} parts, over the "
            f"limit of {MAX_UNPACKED_BYTES:,} bytes: refused as a possible zip bomb."
        )
    names = set(archive.namelist())
    try:
        if "mimetype" in names and archive.read("mimetype").strip() == ODS_MIMETYPE:
            return read_ods(content, archive, budget)
        if "[Content_Types].xml" not in names:
            raise FileRefused("This zip file is not a spreadsheet or a Word document.")
        kind = office_package_type(archive.read("[Content_Types].xml"))
    except ValueError as error:
        raise FileRefused(str(error)) from error
    except (zipfile.BadZipFile, EOFError, OSError) as error:
        raise FileRefused("The file is damaged or truncated.") from error
    if kind == XLSX:
        return read_xlsx(content, archive, budget)
    return read_docx(content, archive, budget)
