"""Writes: recording a response (an event on its request), attaching documents, entering,
confirming and correcting figures, and importing a table of figures all-or-nothing."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.answer_cache import data_changed
from core.conflicts import Conflict
from core.dates import check_date_in_range
from requests_app.models import Campaign, FoiRequest
from requests_app.services import event_check, request_record_event
from requests_app.status import EventKind
from responses_app import documents
from responses_app.importing.checking import FigureReading
from responses_app.importing.shapes import FigureDraft, Layout
from responses_app.importing.storing import figures_store
from responses_app.models import (
    EXEMPTIONS,
    CampaignCategories,
    Document,
    Figure,
    FoiResponse,
    OffenceCategory,
    Platform,
    PlatformAlias,
    PlatformOwner,
    PlatformOwnership,
    PlatformScope,
)
from responses_app.values import ParsedValue, ValueRejected, parse_value

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


def reference_lists_load(
    platforms: Path = FIXTURES / "platforms.json", offences: Path = FIXTURES / "offences.csv"
) -> None:
    """Insert the shipped platforms, owners, aliases and offence categories that are missing.
    Rows already there are left alone: the admin may have edited them since."""
    data = json.loads(platforms.read_text(encoding="utf-8"))
    with transaction.atomic():
        PlatformOwner.objects.bulk_create(
            [PlatformOwner(**owner) for owner in data["owners"]], ignore_conflicts=True
        )
        Platform.objects.bulk_create(
            [Platform(slug=p["slug"], name=p["name"]) for p in data["platforms"]],
            ignore_conflicts=True,
        )
        owners = dict(PlatformOwner.objects.values_list("slug", "pk"))
        by_slug = dict(Platform.objects.values_list("slug", "pk"))
        owned = set(PlatformOwnership.objects.values_list("platform_id", flat=True))
        PlatformAlias.objects.bulk_create(
            [
                PlatformAlias(platform_id=by_slug[p["slug"]], name=alias)
                for p in data["platforms"]
                for alias in p["aliases"]
            ],
            ignore_conflicts=True,
        )
        PlatformOwnership.objects.bulk_create(
            PlatformOwnership(
                platform_id=by_slug[p["slug"]],
                owner_id=owners[o["owner"]],
                valid_from=o.get("valid_from"),
                valid_to=o.get("valid_to"),
            )
            # A platform whose ownerships the admin has set keeps them.
            for p in data["platforms"]
            if by_slug[p["slug"]] not in owned
            for o in p["owners"]
        )
        with offences.open(newline="", encoding="utf-8") as rows:
            OffenceCategory.objects.bulk_create(
                [OffenceCategory(**row) for row in csv.DictReader(rows)], ignore_conflicts=True
            )
        data_changed()  # bulk inserts send no signals


def campaign_categories_set(
    *,
    campaign: Campaign,
    offences: Sequence[OffenceCategory],
    platforms: Sequence[Platform],
) -> CampaignCategories:
    """Name the offences and platforms a campaign asks about (the defaults when its answers are
    read), replacing those named before."""
    with transaction.atomic():
        categories, _ = CampaignCategories.objects.get_or_create(campaign=campaign)
        categories.offences.set(offences)
        categories.platforms.set(platforms)
    return categories


def response_check_exemptions(*, request: FoiRequest, exemptions: Sequence[str]) -> None:
    """Raise ValidationError unless every code is on the pick-list of the request's regime."""
    allowed = EXEMPTIONS.get(request.force.regime, {})
    unknown = [code for code in exemptions if code not in allowed]
    if unknown:
        known = ", ".join(allowed) or "none: use other_exemptions"
        raise ValidationError(
            {"exemptions": f"Not on this regime's list: {', '.join(unknown)}. Known: {known}."}
        )


def response_record(
    *,
    request: FoiRequest,
    received_on: dt.date,
    outcome: str,
    user: AbstractBaseUser,
    exemptions: list[str] | tuple[str, ...] = (),
    other_exemptions: str = "",
    caveats: str = "",
) -> FoiResponse:
    """Record what a force sent back. The 'response' event moves the request's status and
    starts the internal review and complaint clocks; if the status machine refuses (a draft, a
    request already answered), nothing is written."""
    exemptions = list(dict.fromkeys(exemptions))
    response = FoiResponse(
        request=request,
        received_on=received_on,
        outcome=outcome,
        exemptions=exemptions,
        other_exemptions=other_exemptions,
        caveats=caveats,
        entered_by=user,
    )
    response._history_user = user
    with transaction.atomic():
        response_check(request=request, received_on=received_on, exemptions=exemptions)
        response.full_clean()
        try:
            request_record_event(
                request=request,
                kind=EventKind.RESPONSE,
                on=received_on,
                user=user,
                note=f"Outcome: {response.get_outcome_display()}.",
            )
        except ValidationError as refused:
            raise _in_response_terms(refused) from refused
        response.save()
    return response


def response_record_with_documents(
    *,
    request: FoiRequest,
    received_on: dt.date,
    outcome: str,
    user: AbstractBaseUser,
    files: Sequence[tuple[str, bytes]],
    **details,
) -> FoiResponse:
    """Record a response with the files that came with it, all or nothing. A rollback takes
    back rows, not files: the files of a refused attempt are deleted here."""
    attached: list[Document] = []
    try:
        with transaction.atomic():
            response = response_record(
                request=request, received_on=received_on, outcome=outcome, user=user, **details
            )
            for name, content in files:
                attached.append(
                    document_attach(response=response, name=name, content=content, user=user)
                )
    except Exception:
        for document in attached:
            document.file.delete(save=False)
        raise
    return response


def response_check(
    *, request: FoiRequest, received_on: dt.date, exemptions: list[str] | tuple[str, ...]
) -> None:
    """Raise ValidationError unless a response with these details may be recorded now. Forms
    call it to show errors beside their fields before anything is written; `response_record`
    checks again, the status machine under the request's lock."""
    response_check_exemptions(request=request, exemptions=exemptions)
    try:
        event_check(request, kind=EventKind.RESPONSE, on=received_on, until=None)
    except ValidationError as refused:
        raise _in_response_terms(refused) from refused


def _in_response_terms(error: ValidationError) -> ValidationError:
    """The status machine speaks of the event's kind and date; here they are the request and
    the date of receipt."""
    names = {"kind": "request", "on": "received_on"}
    return ValidationError(
        {names.get(field, field): messages for field, messages in error.message_dict.items()}
    )


def response_update(*, response: FoiResponse, user: AbstractBaseUser, **changes) -> FoiResponse:
    """Correct the outcome, exemptions or caveats; the date of receipt is part of the request's
    event log and is not edited here."""
    allowed = {"outcome", "exemptions", "other_exemptions", "caveats"}
    for name, value in changes.items():
        if name not in allowed:
            raise ValidationError({name: "This cannot be changed once the response is recorded."})
        setattr(response, name, value)
    response._history_user = user
    with transaction.atomic():
        response_check_exemptions(request=response.request, exemptions=response.exemptions)
        response.full_clean()
        response.save()
    return response


def document_attach(
    *,
    name: str,
    content: bytes,
    user: AbstractBaseUser | None,
    response: FoiResponse | None = None,
    request: FoiRequest | None = None,
) -> Document:
    """Store a file under a random name, with its type proved from its bytes and its SHA-256.
    It belongs to the response's request, or to `request` alone when no response is recorded yet
    (an attachment to a force's email); `documents_link` ties it to the response later."""
    if (response is None) == (request is None):
        raise TypeError("document_attach takes a response or a request, not both.")
    original_name, content_type = document_check(name=name, content=content)
    document = Document(
        request_id=response.request_id if response is not None else request.pk,
        response=response,
        original_name=original_name,
        content_type=content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=user,
    )
    stored_name = f"{uuid.uuid4().hex}{documents.EXTENSIONS[content_type]}"
    # The file is written before its row commits, so a row never lacks its file; if the
    # transaction rolls back (here, or in a caller's block around this), the file goes too.
    with documents.files_removed_on_rollback(), transaction.atomic():
        _check_standing(response, "response")
        document.file.save(stored_name, ContentFile(content), save=False)
        documents.file_written(document.file)
        # The request and response are the caller's rows: no query to check they exist.
        document.full_clean(exclude=["request", "response", "uploaded_by"])
        document.save()
    return document


def documents_link(*, response: FoiResponse, documents: list[Document]) -> int:
    """Tie documents that arrived with the request's correspondence to the response they carry;
    returns how many. A document of another request, or already another response's, is refused."""
    foreign = [d.original_name for d in documents if d.request_id != response.request_id]
    taken = [d.original_name for d in documents if d.response_id not in (None, response.pk)]
    if foreign or taken:
        names = ", ".join(foreign + taken)
        raise ValidationError({"documents": f"Not this request's unanswered documents: {names}."})
    ids = [d.pk for d in documents]
    data_changed()  # an update sends no signal; the dataset names each figure's document
    return Document.objects.filter(pk__in=ids, response__isnull=True).update(response=response)


def document_check(*, name: str, content: bytes) -> tuple[str, str]:
    """The file's safe name and its type proved from its bytes, or ValidationError (too large,
    a zip bomb, not a type we take, a name that disagrees with the bytes). Writes nothing."""
    documents.check_size(len(content))
    original_name = documents.safe_name(name)
    return original_name, documents.content_type_of(content, original_name)


@dataclass
class FigureEntry:
    """The result of entering a figure: a new row, or the existing row confirmed or disputed."""

    figure: Figure
    created: bool
    confirmed: bool = False
    disputed: bool = False


def figure_enter(
    *,
    response: FoiResponse,
    period_start: dt.date,
    period_end: dt.date,
    offence: OffenceCategory,
    platform: Platform | None,
    platform_scope: str = PlatformScope.NAMED,
    unit: str,
    raw: str,
    user: AbstractBaseUser,
    note: str = "",
    document: Document | None = None,
    sheet: str = "",
    cell: str = "",
    page: int | None = None,
    marks: tuple[tuple[str, str], ...] = (),
) -> FigureEntry:
    """Key in one figure. If the same cell is already entered by someone else, this is the
    second entry of double-entry verification: the same value confirms it, another value is a
    disagreement kept on the figure until someone corrects it. The same person keying the cell
    again is a Conflict. `marks` is what the answer's own marks mean, as the value parser takes
    them (('-', 'zero') where the answer says '-' is nil)."""
    parsed = figure_check(
        response=response,
        period_start=period_start,
        period_end=period_end,
        platform=platform,
        platform_scope=platform_scope,
        raw=raw,
        marks=marks,
    )
    figure = Figure(
        response=response,
        period_start=period_start,
        period_end=period_end,
        offence=offence,
        platform=platform,
        platform_scope=platform_scope,
        owner_id=platform.owner_on(period_start) if platform else None,
        unit=unit,
        raw=str(raw).strip(),
        status=parsed.status,
        low=parsed.low,
        high=parsed.high,
        note=note,
        document=document,
        sheet=sheet,
        cell=cell,
        page=page,
        entered_by=user,
    )
    try:
        return _first_or_second_entry(figure, raw, parsed, user)
    except IntegrityError:
        # Another entry of this cell was inserted between our look and our insert (there was
        # no row to lock yet): the cell's unique constraint let that one in. It is the first
        # entry now, and ours the second.
        figure.pk = None
        return _first_or_second_entry(figure, raw, parsed, user)


def _first_or_second_entry(figure: Figure, raw, parsed: ParsedValue, user) -> FigureEntry:
    with transaction.atomic():
        existing = (
            Figure.objects.select_for_update()
            .filter(response=figure.response, **figure.cell_lookup())
            .first()
        )
        if existing is not None:
            return _second_entry(existing, raw, parsed, user)
        _check_document(figure)
        figure._history_user = user
        # The cell's uniqueness is the look above and the database's constraint (excluding
        # `response` leaves that constraint out): checked here too, it would refuse the loser
        # of a race with a 400 instead of making it the second entry.
        figure.full_clean(exclude=["response"])
        figure.save()
    return FigureEntry(figure, created=True)


def figure_check(
    *,
    response: FoiResponse,
    period_start: dt.date,
    period_end: dt.date,
    platform: Platform | None,
    platform_scope: str,
    raw: object,
    marks: tuple[tuple[str, str], ...] = (),
) -> ParsedValue:
    """The value as parsed, or ValidationError naming the field; forms call it before saving."""
    _check_standing(response, "response")
    parsed = _parse(raw, response, marks)
    _check_cell(period_start, period_end, platform, platform_scope)
    return parsed


def figure_check_value(
    *, figure: Figure, raw: object, marks: tuple[tuple[str, str], ...] = ()
) -> ParsedValue:
    """A corrected value as parsed, or ValidationError on `raw`."""
    return _parse(raw, figure.response, marks)


def _check_cell(start: dt.date, end: dt.date, platform: Platform | None, scope: str) -> None:
    check_date_in_range(start, "period_start")
    check_date_in_range(end, "period_end")
    if end < start:
        raise ValidationError(
            {"period_end": f"The period ends ({end}) before it starts ({start})."}
        )
    if scope == PlatformScope.NAMED and platform is None:
        raise ValidationError(
            {
                "platform": "Name the platform, or set platform_scope to "
                "'not_recorded' or 'all_platforms'."
            }
        )
    if scope != PlatformScope.NAMED and platform is not None:
        raise ValidationError({"platform": f"A figure for '{scope}' takes no platform."})


def _check_standing(response: FoiResponse | None, field: str) -> None:
    if response is not None and response.withdrawn_at is not None:
        raise ValidationError(
            {field: "This response was withdrawn; record the force's new response and add to it."}
        )


def response_check_standing(response: FoiResponse) -> None:
    """ValidationError if figures may not be added to the response (it was withdrawn)."""
    _check_standing(response, "response")


def response_withdraw(*, response: FoiResponse, reason: str, user: AbstractBaseUser) -> FoiResponse:
    """Withdraw a response recorded in error or taken back by the force. Nothing is deleted: the
    response keeps its documents and figures (out of the live dataset from now on) and records
    who withdrew it and why; its request returns, by a 'response withdrawn' event, to the status
    the response found, so its clock runs again and it can take a new response."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why the response is withdrawn."})
    with transaction.atomic():
        locked = (
            FoiResponse.objects.select_for_update().select_related("request").get(pk=response.pk)
        )
        if locked.withdrawn_at is not None:
            withdrawn = f"{locked.withdrawn_at:%Y-%m-%d}"
            raise Conflict({"response": f"This response was withdrawn already, on {withdrawn}."})
        try:
            # Dated as the response it withdraws, so the log reads in order and the force's
            # real answer, often already in hand, can be recorded from that day on.
            request_record_event(
                request=locked.request,
                kind=EventKind.RESPONSE_WITHDRAWN,
                on=locked.received_on,
                user=user,
                note=f"Response of {locked.received_on} withdrawn: {reason}",
            )
        except ValidationError as refused:
            raise _in_response_terms(refused) from refused
        locked.withdrawn_at, locked.withdrawn_by, locked.withdrawal_reason = (
            timezone.now(),
            user,
            reason,
        )
        locked._history_user = user
        locked.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
    return locked


def _check_document(figure: Figure) -> None:
    document = figure.document
    if document is None:
        return
    if document.response_id not in (None, figure.response_id) or (
        document.request_id != figure.response.request_id
    ):
        raise ValidationError({"document": "The document belongs to another response."})


def _parse(raw: object, response: FoiResponse, marks: tuple = ()) -> ParsedValue:
    try:
        threshold = response.request.force.suppression_threshold
        return parse_value(raw, threshold=threshold, marks=marks)
    except ValueRejected as rejected:
        raise ValidationError({"raw": str(rejected)}) from rejected


def _second_entry(figure: Figure, raw, parsed, user) -> FigureEntry:
    if figure.entered_by_id == user.pk:
        raise Conflict({"raw": "You already entered this figure; a second person must confirm it."})
    figure._history_user = user
    if figure.same_value(parsed.status, parsed.low, parsed.high):
        _confirm(figure, user)
        return FigureEntry(figure, created=False, confirmed=True)
    figure.verified, figure.verified_by = False, None
    figure.disputed, figure.disputed_raw, figure.disputed_by = True, str(raw).strip(), user
    figure.save()
    return FigureEntry(figure, created=False, disputed=True)


def _confirm(figure: Figure, user: AbstractBaseUser) -> None:
    figure.verified, figure.verified_by = True, user
    figure.disputed, figure.disputed_raw, figure.disputed_by = False, "", None
    figure.save()


def figure_verify(*, figure: Figure, user: AbstractBaseUser) -> Figure:
    """A second person approves the figure as entered."""
    if figure.entered_by_id == user.pk:
        raise ValidationError(
            {"verified": "You entered this figure; a second person must confirm it."}
        )
    figure._history_user = user
    with transaction.atomic():
        _confirm(figure, user)
    return figure


# The history table keeps a correction's reason in a column of this width (simple_history).
REASON_LENGTH = 100


def figure_correct(
    *,
    figure: Figure,
    raw: str,
    user: AbstractBaseUser,
    note: str | None = None,
    reason: str = "",
    marks: tuple[tuple[str, str], ...] = (),
) -> Figure:
    """Replace the value. The old one stays in the history with the reason for the change,
    which the next release lists beside the figure; the corrected figure needs a second person
    again, so its verification and any disagreement are cleared."""
    parsed = figure_check_value(figure=figure, raw=raw, marks=marks)
    reason = reason.strip()
    if len(reason) > REASON_LENGTH:
        raise ValidationError(
            {"reason": f"Give the reason in at most {REASON_LENGTH} characters ({len(reason)})."}
        )
    figure.raw, figure.status, figure.low, figure.high = (
        str(raw).strip(),
        parsed.status,
        parsed.low,
        parsed.high,
    )
    if note is not None:
        figure.note = note
    figure.entered_by = user
    figure.verified, figure.verified_by = False, None
    figure.disputed, figure.disputed_raw, figure.disputed_by = False, "", None
    figure._history_user = user
    figure._change_reason = reason or None
    with transaction.atomic():
        figure.full_clean()
        figure.save()
    return figure


@dataclass
class ImportResult:
    drafts: list[FigureDraft]
    warnings: list[str] = field(default_factory=list)
    created: int = 0
    document: Document | None = None


def figures_import(
    *,
    response: FoiResponse,
    content: bytes,
    name: str,
    layout: Layout,
    user: AbstractBaseUser,
    dry_run: bool = False,
    document: Document | None = None,
) -> ImportResult:
    """Import a CSV or XLSX table of figures, all or nothing: any bad row raises ImportRefused
    listing every bad row by number and column, and nothing is written. Unless given an
    already attached document, the file is attached to the response as the figures' source.
    A dry run returns the drafts it would create."""
    if dry_run:
        drafts, warnings = figures_read(response=response, content=content, layout=layout)
        return ImportResult(drafts=drafts, warnings=warnings)
    _check_standing(response, "response")
    reading = FigureReading(response=response, content=content, layout=layout)
    # A refused import takes back its document's file as well as its rows.
    with documents.files_removed_on_rollback(), transaction.atomic():
        if document is None:
            document = document_attach(response=response, name=name, content=content, user=user)
        # Figures are written while the file is still being read; a problem anywhere raises
        # here and the transaction takes back everything, the document included.
        created = figures_store(reading.drafts(), response=response, document=document, user=user)
        reading.refuse_if_wrong()
    return ImportResult(drafts=[], warnings=reading.warnings, created=created, document=document)


def figures_read(
    *, response: FoiResponse, content: bytes, layout: Layout
) -> tuple[list[FigureDraft], list[str]]:
    """Every figure the file would create, checked against the reference lists and against the
    response's figures already stored (one query each, whatever the number of rows)."""
    reading = FigureReading(response=response, content=content, layout=layout)
    drafts = list(reading.drafts())
    reading.refuse_if_wrong()
    return drafts, reading.warnings
