"""Importing a police answer as the force sent it: the file is read by itself
(`importing.answers.read_answer`) against the reference lists, the campaign's periods and
offence, and the clerk's hints and decisions; only a reading with nothing left to decide is
stored, all or nothing, each figure with the sheet and cell of the original file.

A preview writes nothing (no row, no file). The confirmation reads the same bytes again with the
same decisions and must arrive at the digest the preview showed: the reference lists, the
response's figures or a decision may have changed in between, and a reading that changed is
refused rather than imported unseen. The document is attached once: the same bytes (by
SHA-256) already on the response are the same document. Label decisions become aliases in the
same transaction, so the next force's same label reads by itself.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction

from core.dates import date_out_of_range
from responses_app import documents, selectors, services
from responses_app.importing.answers import read_answer, reading_digest
from responses_app.importing.labels import (
    NOT_RECORDED,
    OFFENCE,
    OTHER_PLATFORM,
    PLATFORM,
    SKIP,
    UNKNOWN,
    LabelMatcher,
    Vocabulary,
    normalise_label,
)
from responses_app.importing.outcome import SCANNED, Hints, Problem, ProposedFigure, Reading
from responses_app.importing.shapes import FigureDraft
from responses_app.importing.storing import figures_store
from responses_app.models import (
    Document,
    Figure,
    FoiResponse,
    LabelAlias,
    LabelMeaning,
    OffenceAlias,
    OffenceCategory,
    Platform,
    PlatformAlias,
    PlatformOwnership,
)

RAW_LENGTH = Figure._meta.get_field("raw").max_length
NOTE_LENGTH = Figure._meta.get_field("note").max_length
ALIAS_LENGTH = PlatformAlias._meta.get_field("name").max_length


class ReadingNotReady(Exception):
    """Nothing was imported: the reading has open questions or problems, or it is not the
    reading the preview showed (`changed`). `reading` is what the file reads as now."""

    def __init__(self, reading: Reading, *, changed: bool = False) -> None:
        if changed:
            message = (
                "The file now reads differently from the preview you confirmed (the reference "
                "lists, the response's figures or a decision changed): preview it again."
            )
        elif reading.outcome == SCANNED:
            message = "The file is a scan with no text to read: key its figures by hand."
        elif reading.problems:
            message = "The file cannot be imported as it reads: see the problems."
        else:
            message = "Something in the file is undecided: answer the questions and preview again."
        super().__init__(message)
        self.reading = reading
        self.changed = changed


@dataclass
class AnswerImport:
    reading: Reading
    created: int = 0
    document: Document | None = None


def answer_read(
    *, response: FoiResponse, content: bytes, name: str, hints: Hints | None = None
) -> Reading:
    """The reading of an answer file for this response, writing nothing. The campaign's offence
    stands in for a table that names none unless the hints name one. Raises AnswerRefused when
    the file cannot be read at all."""
    return _read(response, content, name, hints or Hints())[0]


def _read(
    response: FoiResponse, content: bytes, name: str, hints: Hints
) -> tuple[Reading, Hints, Vocabulary]:
    periods, offence = selectors.reading_defaults(response.request.campaign)
    if offence and not hints.offence:
        hints = dataclasses.replace(hints, offence=offence)
    vocabulary = selectors.reading_vocabulary()
    reading = read_answer(
        content,
        filename=name,
        vocabulary=vocabulary,
        periods=periods,
        hints=hints,
        threshold=response.request.force.suppression_threshold,
    )
    if storing := _storing_problems(response, reading):
        reading.problems.extend(storing)
        # The digest covers the problems: a reading refused here never confirms.
        reading.digest = reading_digest(reading, hints)
    return reading, hints, vocabulary


def answer_import(
    *,
    response: FoiResponse,
    content: bytes,
    name: str,
    user: AbstractBaseUser,
    hints: Hints | None = None,
    digest: str | None = None,
    document: Document | None = None,
) -> AnswerImport:
    """Store the figures of a ready reading, all or nothing, with the document they came from
    (attached unless given or already on the response) and the decisions kept as aliases.
    With `digest`, only the reading the preview showed is imported (ReadingNotReady, changed,
    otherwise). Raises AnswerRefused for a file that cannot be read at all."""
    services.response_check_standing(response)
    reading, hints, vocabulary = _read(response, content, name, hints or Hints())
    if digest is not None and digest != reading.digest:
        raise ReadingNotReady(reading, changed=True)
    if not reading.ready:
        raise ReadingNotReady(reading)
    drafts = _drafts(reading)
    try:
        with documents.files_removed_on_rollback(), transaction.atomic():
            if document is None:
                document = response.documents.filter(sha256=reading.sha256).first()
            if document is None:
                document = services.document_attach(
                    response=response, name=name, content=content, user=user
                )
            created = figures_store(drafts, response=response, document=document, user=user)
            label_aliases_keep(reading=reading, hints=hints, vocabulary=vocabulary)
    except IntegrityError as clash:
        # A figure keyed (or an alias added) between the reading and the write: the unique
        # constraints refuse it, the transaction took everything back, and the file reads
        # differently now.
        again = _read(response, content, name, hints)[0]
        raise ReadingNotReady(again, changed=True) from clash
    return AnswerImport(reading=reading, created=created, document=document)


def _storing_problems(response: FoiResponse, reading: Reading) -> list[Problem]:
    """What the database would refuse, named by sheet and cell before anything is written: a
    figure the response already has, a date outside the tracker's range, a value too long. A
    note too long is cut, with a warning (it is the table's footnote, not a figure)."""
    existing = set(response.figures.values_list(*Figure.cell_columns()))
    offences = dict(OffenceCategory.objects.values_list("slug", "pk"))
    platforms = dict(Platform.objects.values_list("slug", "pk"))
    problems = []
    for figure in reading.figures:
        key = (figure.period_start, figure.period_end, offences.get(figure.offence),
               platforms.get(figure.platform), figure.platform_scope, figure.unit)  # fmt: skip
        if message := _storing_problem(figure, key in existing):
            where = f"'{figure.sheet}' {figure.cell}"
            problems.append(Problem(f"{where}: {message}", figure.sheet, (figure.cell,)))
    if cut := [f"'{f.sheet}' {f.cell}" for f in reading.figures if len(f.note) > NOTE_LENGTH]:
        reading.warnings.append(
            f"The notes of {len(cut)} figures ({cut[0]} first) are kept to their first "
            f"{NOTE_LENGTH} characters."
        )
    return problems


def _storing_problem(figure: ProposedFigure, stored_already: bool) -> str:
    if stored_already:
        return "This response already has this figure; correct it instead."
    if problem := date_out_of_range(figure.period_start) or date_out_of_range(figure.period_end):
        return problem
    if len(figure.raw) > RAW_LENGTH:
        return f"The value is longer than {RAW_LENGTH} characters."
    return ""


def _drafts(reading: Reading) -> list[FigureDraft]:
    offences = dict(OffenceCategory.objects.values_list("slug", "pk"))
    platforms = dict(Platform.objects.values_list("slug", "pk"))
    ownerships = defaultdict(list)
    for ownership in PlatformOwnership.objects.all():
        ownerships[ownership.platform_id].append(ownership)
    drafts = []
    for figure in reading.figures:
        platform_id = platforms[figure.platform] if figure.platform else None
        drafts.append(
            FigureDraft(
                row=0,
                period_start=figure.period_start,
                period_end=figure.period_end,
                offence_id=offences[figure.offence],
                platform_id=platform_id,
                platform_scope=figure.platform_scope,
                unit=figure.unit,
                raw=figure.raw,
                status=figure.status,
                low=figure.low,
                high=figure.high,
                note=figure.note[:NOTE_LENGTH],
                sheet=figure.sheet,
                cell=figure.cell,
                owner_id=PlatformOwnership.owner_id_on(
                    ownerships.get(platform_id, ()), figure.period_start
                ),
            )
        )
    return drafts


def label_aliases_keep(*, reading: Reading, hints: Hints, vocabulary: Vocabulary) -> int:
    """Keep each label decision as an alias (a platform's, an offence's, or a label's meaning)
    where the label was unknown, so the next file with it reads by itself; returns how many.
    A label the lists already know is left alone (a decision overrides it for one file only),
    and so is a decision about a label this file does not have: nothing a clerk did not see."""
    matcher = LabelMatcher(vocabulary)
    in_file = {
        normalise_label(cell.text)
        for sheet in reading.sheets
        for table in sheet.tables
        for cell in table.cells
    }
    platforms = dict(Platform.objects.values_list("slug", "pk"))
    offences = dict(OffenceCategory.objects.values_list("slug", "pk"))
    kept = 0
    for key, decision in sorted(hints.decisions.items()):
        label = key.removeprefix("label:")
        if not key.startswith("label:") or label not in in_file or len(label) > ALIAS_LENGTH:
            continue
        if matcher.match(label).kind != UNKNOWN:
            continue
        kind, _, term = decision.partition(":")
        if kind == OTHER_PLATFORM:
            kind, term = PLATFORM, vocabulary.other_platform
        if _alias_taken(label):
            continue
        if kind == PLATFORM and term in platforms:
            PlatformAlias.objects.create(platform_id=platforms[term], name=label)
        elif kind == OFFENCE and term in offences:
            OffenceAlias.objects.create(offence_id=offences[term], name=label)
        elif kind in (NOT_RECORDED, SKIP):
            meaning = LabelMeaning.NOT_RECORDED if kind == NOT_RECORDED else LabelMeaning.SKIP
            LabelAlias.objects.create(name=label, meaning=meaning)
        else:
            continue
        kept += 1
    return kept


def _alias_taken(label: str) -> bool:
    # The lists compare labels normalised; the constraints compare them by case alone. A label
    # the matcher does not know can still clash by case (a rare spelling): keep the first.
    return any(
        model.objects.filter(name__iexact=label).exists()
        for model in (PlatformAlias, OffenceAlias, LabelAlias)
    )
