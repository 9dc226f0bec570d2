"""Responses: recording what a force sent back with its documents, the response's page, and a
second person's check of its figures. Reads go through the selectors that scope the API and
writes through the same services."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.views.decorators.http import require_POST, require_safe

from requests_app.models import FoiRequest
from requests_app.selectors import requests_visible_to, requests_writable_by
from requests_app.status import EventKind, TransitionRefused, next_status
from responses_app import selectors, services
from responses_app.models import EXEMPTIONS, Figure, FoiResponse
from web.access import GET_POST, records_to_read, signed_in, to_change_or_refuse
from web.response_forms import DocumentForm, FigureCheckForm, ResponseForm, form_errors_from

FIGURES_PER_PAGE = 100


def response_may_be_recorded(foi_request: FoiRequest) -> bool:
    """Whether the status machine takes a response now (a sent request still open)."""
    try:
        next_status(foi_request.status, EventKind.RESPONSE)
    except TransitionRefused:
        return False
    return True


@signed_in
@GET_POST
def response_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    foi_request = to_change_or_refuse(requests_visible_to(user), requests_writable_by(user), pk)
    form = ResponseForm(request.POST or None, request.FILES or None, foi_request=foi_request)
    if request.method == "POST" and form.is_valid():
        try:
            response = services.response_record_with_documents(
                request=foi_request, user=user, files=form.documents_read, **form.details()
            )
        except ValidationError as refused:
            # Someone recorded an event on the request since the form was checked.
            form_errors_from(form, refused)
        else:
            attached = len(form.documents_read)
            messages.success(
                request,
                f"Recorded the response of {date_format(response.received_on, 'j M Y')}: "
                f"{response.get_outcome_display()}, {attached} document{'s' * (attached != 1)}.",
            )
            return redirect("web:response", pk=response.pk)
    context = {
        "foi_request": foi_request,
        "campaign": foi_request.campaign,
        "form": form,
        "response_allowed": response_may_be_recorded(foi_request),
    }
    status = 400 if form.errors else 200
    return render(request, "web/entry/response_new.html", context, status=status)


@signed_in
@require_safe
def response_page(request: HttpRequest, pk: int) -> HttpResponse:
    response = get_object_or_404(selectors.responses_visible_to(request.user), pk=pk)
    records_to_read(request, response.request.campaign)
    return _response_page(request, response)


@dataclass
class FigureRow:
    figure: Figure
    form: FigureCheckForm | None


def _response_page(
    request: HttpRequest,
    response: FoiResponse,
    *,
    document_form: DocumentForm | None = None,
    checking: FigureCheckForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The response with its documents and a page of its figures; a form that was refused is
    shown again with its errors (the document form, or one figure's check)."""
    user = request.user
    writable = selectors.responses_writable_by(user).filter(pk=response.pk).exists()
    # By period and offence, named platforms A to Z, then the rows without one.
    figures = (
        selectors.figures_visible_to(user)
        .filter(response=response)
        .order_by(
            "period_start",
            "period_end",
            "offence__name",
            F("platform__name").asc(nulls_last=True),
            "platform_scope",
            "pk",
        )
    )
    page = Paginator(figures, FIGURES_PER_PAGE).get_page(request.GET.get("page"))
    refused = checking.figure.pk if checking else None
    rows = [FigureRow(f, checking if f.pk == refused else None) for f in page.object_list]
    labels = EXEMPTIONS.get(response.request.force.regime, {})
    context = {
        "response": response,
        "foi_request": response.request,
        "campaign": response.request.campaign,
        "exemptions": [labels.get(code, code) for code in response.exemptions],
        "documents": response.documents.select_related("uploaded_by"),
        "rows": rows,
        "page": page,
        "writable": writable,
        "document_form": (document_form or DocumentForm()) if writable else None,
    }
    return render(request, "web/entry/response.html", context, status=status)


@signed_in
@require_POST
def document_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    response = to_change_or_refuse(
        selectors.responses_visible_to(user), selectors.responses_writable_by(user), pk
    )
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        name, content = form.document_read
        try:
            document = services.document_attach(
                response=response, name=name, content=content, user=user
            )
        except ValidationError as refused:
            form_errors_from(form, refused)
        else:
            messages.success(request, f"Attached {document.original_name}.")
            return redirect("web:response", pk=response.pk)
    return _response_page(request, response, document_form=form, status=400)


@signed_in
@require_POST
def figure_check(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    figure = to_change_or_refuse(
        selectors.figures_visible_to(user), selectors.figures_writable_by(user), pk
    )
    response = selectors.responses_visible_to(user).get(pk=figure.response_id)
    figure.response = response
    form = FigureCheckForm(request.POST, figure=figure)
    if form.is_valid():
        try:
            verdict = _check(form, user)
        except ValidationError as refused:
            form_errors_from(form, refused)
        else:
            messages.success(request, f"{_cell(figure)}: {verdict}")
            page = request.GET.get("page", "1")
            url = reverse("web:response", args=[response.pk])
            return redirect(f"{url}?page={page}#figure-{figure.pk}")
    return _response_page(request, response, checking=form, status=400)


def _cell(figure: Figure) -> str:
    where = figure.platform or figure.get_platform_scope_display()
    start, end = (date_format(day, "j M Y") for day in (figure.period_start, figure.period_end))
    return f"{where}, {start} to {end}"


def _check(form: FigureCheckForm, user) -> str:
    figure, data = form.figure, form.cleaned_data
    if data["action"] == FigureCheckForm.CONFIRM:
        services.figure_verify(figure=figure, user=user)
        return f"confirmed {figure.raw} as entered."
    if data["action"] == FigureCheckForm.CORRECT:
        # An empty note keeps the one the figure has.
        note = data["note"] or None
        services.figure_correct(
            figure=figure, raw=data["raw"], user=user, note=note, reason=data["reason"]
        )
        return f"corrected to {figure.raw}; a second person must now confirm it."
    entry = services.figure_enter(
        response=figure.response,
        period_start=figure.period_start,
        period_end=figure.period_end,
        offence=figure.offence,
        platform=figure.platform,
        platform_scope=figure.platform_scope,
        unit=figure.unit,
        raw=data["raw"],
        user=user,
    )
    if entry.confirmed:
        return f"your value agrees with {figure.raw}: confirmed."
    return f"your value {data['raw'].strip()} differs from {figure.raw}: marked disputed."
