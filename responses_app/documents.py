"""What an uploaded file really is, judged from its bytes, never from its name or the browser's
claim; and the checks that keep a hostile file (a zip bomb, a path in the name) harmless."""

from __future__ import annotations

import codecs
import io
import re
import unicodedata
import xml.etree.ElementTree as ElementTree
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import PureWindowsPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLS = "application/vnd.ms-excel"
CSV = "text/csv"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
# Excel's "Unicode text" (UTF-16, tab-separated) is saved as .txt.
TEXT = "text/plain"

EXTENSIONS = {
    PDF: ".pdf", XLSX: ".xlsx", DOCX: ".docx", XLS: ".xls", CSV: ".csv", ODS: ".ods", TEXT: ".txt",
}  # fmt: skip
ACCEPTED = "PDF, XLSX, XLS, ODS, CSV, TXT or DOCX"
# What the answer reader reads tables from (a scanned PDF it names, for the manual grid).
READABLE_ANSWERS = (XLSX, XLS, ODS, CSV, TEXT, DOCX, PDF)
# The answers that are tables by nature: a reply bringing one is waiting for its figures.
SPREADSHEETS = (XLSX, XLS, ODS, CSV)

OLE2_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_HEADER = b"PK\x03\x04"
# The main part each Office Open XML package declares in [Content_Types].xml.
SPREADSHEET_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
CONTENT_TYPES_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
# Macros ride in a vbaProject part, or make the main part a macro-enabled one (.xlsm, .docm).
MACRO_MARKS = ("macroenabled", "vbaproject")
MAX_ZIP_ENTRIES = 10_000


def max_bytes() -> int:
    return settings.DOCUMENT_MAX_BYTES


def check_size(size: int, field: str = "file") -> None:
    limit = max_bytes()
    if size > limit:
        raise ValidationError(
            {field: f"The file is {_megabytes(size)}, over the limit of {_megabytes(limit)}."}
        )
    if size == 0:
        raise ValidationError({field: "The file is empty."})


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 100_000 else f"{size:,} bytes"


def safe_name(name: str) -> str:
    """The file's own name without any folder part or control characters, for display only:
    files are stored under a random name."""
    base = PureWindowsPath(name or "").name  # drops both '/' and '\\' folder parts
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip(" .")
    base = re.sub(r"\s+", " ", base)
    return base[-150:] or "document"


def content_type_of(content: bytes, name: str, field: str = "file") -> str:
    """The content type proved by the bytes; the name's extension must agree with it."""
    extension = PureWindowsPath(name).suffix.lower()
    if content.startswith(b"%PDF-"):
        found = PDF
    elif content.startswith(ZIP_HEADER):
        found = _office_package(content, field)
    elif content.startswith(OLE2_HEADER):
        # The old binary format also holds .doc and .ppt: only a .xls name is taken as a sheet.
        if extension != ".xls":
            raise ValidationError(
                {
                    field: f"An old-style Office file is accepted only as .xls; "
                    f"accepted types: {ACCEPTED}."
                }
            )
        found = XLS
    elif extension in (".csv", ".txt") and _is_text(content):
        found = CSV if extension == ".csv" else TEXT
    else:
        raise ValidationError({field: f"This file is not a {ACCEPTED} file."})
    if extension != EXTENSIONS[found]:
        raise ValidationError(
            {
                field: f"The name ends in '{extension or 'nothing'}' but the file is a "
                f"{EXTENSIONS[found]} file; rename it and upload again."
            }
        )
    return found


def _is_text(content: bytes) -> bool:
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            content.decode("utf-16")
        except UnicodeDecodeError:
            return False
        return True
    if b"\x00" in content[:65536]:
        return False
    try:
        decode_text(content)
    except UnicodeDecodeError:
        return False
    return True


def decode_text(content: bytes) -> str:
    """UTF-8 (with or without a byte-order mark), else Windows-1252, which spreadsheet programs
    on Windows still write; cp1252 leaves five bytes undefined, so it can still fail."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1252")


def open_zip(content: bytes, field: str = "file") -> zipfile.ZipFile:
    """Open an Office package after checking its directory: the uncompressed sizes it declares
    must fit the limit, so a zip bomb is refused before a byte is inflated."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        entries = archive.infolist()
    except (zipfile.BadZipFile, EOFError, ValueError) as error:
        raise ValidationError(
            {field: "The file is damaged or truncated (not a valid zip)."}
        ) from error
    limit = settings.DOCUMENT_MAX_UNCOMPRESSED_BYTES
    declared = sum(entry.file_size for entry in entries)
    if len(entries) > MAX_ZIP_ENTRIES or declared > limit:
        raise ValidationError(
            {
                field: f"The file would unpack to {_megabytes(declared)} in {len(entries)} parts, "
                f"over the limit of {_megabytes(limit)}: it is refused as a possible zip bomb."
            }
        )
    return archive


def _office_package(content: bytes, field: str) -> str:
    archive = open_zip(content, field)
    if _is_open_document_spreadsheet(archive):
        return ODS
    try:
        # The declared size was checked above; zipfile also stops at it when reading.
        types = archive.read("[Content_Types].xml")
    except KeyError as error:
        raise ValidationError({field: f"This zip file is not a {ACCEPTED} file."}) from error
    except (zipfile.BadZipFile, EOFError, ValueError) as error:
        raise ValidationError({field: "The file is damaged or truncated."}) from error
    try:
        return office_package_type(types)
    except ValueError as error:
        raise ValidationError({field: str(error)}) from error


def _is_open_document_spreadsheet(archive: zipfile.ZipFile) -> bool:
    # An OpenDocument file names its type in a first, stored part called 'mimetype'.
    try:
        return archive.read("mimetype").strip() == ODS.encode()
    except KeyError:
        return False
    except (zipfile.BadZipFile, EOFError, ValueError):
        return False


def office_package_type(content_types: bytes) -> str:
    """XLSX or DOCX, from the content types the package declares for its parts, parsed as XML
    (a comment or an unused string that merely mentions a type proves nothing); ValueError
    names what else it is. Expat refuses entity expansion beyond its amplification limit, so a
    crafted entity costs nothing."""
    try:
        root = ElementTree.fromstring(content_types)
    except ElementTree.ParseError as error:
        raise ValueError("The package's list of parts is not valid XML: damaged?") from error
    declared = [
        element.get("ContentType", "")
        for element in root
        if element.tag in (f"{CONTENT_TYPES_NS}Override", f"{CONTENT_TYPES_NS}Default")
    ]
    if any(mark in kind.casefold() for kind in declared for mark in MACRO_MARKS):
        raise ValueError(
            "This Office file holds macros (a macro-enabled workbook or document): save it as "
            "a plain .xlsx or .docx and upload that."
        )
    if SPREADSHEET_MAIN in declared:
        return XLSX
    if WORD_MAIN in declared:
        return DOCX
    raise ValueError(f"This Office file is not a {ACCEPTED} file.")


# The files of documents written inside the innermost `files_removed_on_rollback` block.
_written: ContextVar[list | None] = ContextVar("document_files_written", default=None)


@contextmanager
def files_removed_on_rollback() -> Iterator[None]:
    """Around a transaction that attaches documents: if it rolls back, the files it wrote go
    too. A file is written before its row commits (never a row without its file), and Django has
    no hook for a rollback, so the block that owns the transaction deletes the files when it
    raises. A block inside another hands its files to the outer one, which may still roll back
    (a refused import, after its document was attached, left the file behind)."""
    outer = _written.get()
    files: list = []
    token = _written.set(files)
    try:
        yield
    except BaseException:
        for file in files:
            file.delete(save=False)
        raise
    finally:
        _written.reset(token)
    if outer is not None:
        outer.extend(files)


def file_written(file) -> None:
    """Note a document's file just written, for the enclosing block to delete on a rollback."""
    files = _written.get()
    if files is not None:
        files.append(file)


def file_remove_after_commit(sender, instance, **kwargs) -> None:
    """post_delete of a Document: its file goes only once the row's deletion has committed, so
    a deletion rolled back keeps both."""
    storage, name = instance.file.storage, instance.file.name
    if name:
        transaction.on_commit(lambda: storage.delete(name))
