"""Writes: recording a response (an event on its request), attaching its documents, and
withdrawing it with its history kept."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from core.answer_cache import data_changed
from core.conflicts import Conflict
from requests_app.models import FoiRequest
from requests_app.services import event_check, request_record_event
from requests_app.status import EventKind
from responses_app import documents
from responses_app.models import (
    EXEMPTIONS,
    Document,
    FoiResponse,
)


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
    # The file is written before its row commits, so a row never lacks its file; if the row
    # is refused (here, or by a rollback of a caller's block around this), the file goes too.
    # The row is one INSERT, atomic by itself: no savepoint (two round trips inside a caller's
    # transaction, as for every attachment of a force's email).
    with documents.files_removed_on_rollback():
        response_check_standing(response)
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


WITHDRAWN = "This response was withdrawn; record the force's new response and add to it."


def response_check_standing(response: FoiResponse | None) -> None:
    """ValidationError if documents or figures may not be added to the response (it was
    withdrawn). No response (a document of the request alone) is nothing to check."""
    if response is not None and response.withdrawn_at is not None:
        raise ValidationError({"response": WITHDRAWN})


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
