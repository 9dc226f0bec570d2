"""Keying figures by hand: a response's grid of the campaign's platforms x periods for one offence
and unit, beside the response's documents, saved all or nothing; and the blind second keying of
the same grid, whose page never shows the first values and lists every disagreement."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from responses_app import selectors
from responses_app.keying import selectors as grids
from responses_app.keying.services import (
    figures_enter_grid,
    figures_verify_grid,
    grid_check_second_keyer,
)
from responses_app.keying.shapes import GridRefused
from responses_app.models import FoiResponse, Unit
from web.access import GET_POST, posted, signed_in, to_change_or_refuse
from web.keying_forms import GridChoiceForm, GridKeyingForm


@signed_in
@GET_POST
def figures_grid(request: HttpRequest, pk: int) -> HttpResponse:
    return _grid_page(request, pk, blind=False)


@signed_in
@GET_POST
def figures_grid_verify(request: HttpRequest, pk: int) -> HttpResponse:
    return _grid_page(request, pk, blind=True)


def _grid_page(request: HttpRequest, pk: int, *, blind: bool) -> HttpResponse:
    user = request.user
    response = to_change_or_refuse(
        selectors.responses_visible_to(user), selectors.responses_writable_by(user), pk
    )
    campaign = response.request.campaign
    choice = GridChoiceForm(request.GET, default_offence=grids.grid_offence(response))
    context = {"response": response, "campaign": campaign, "choice": choice, "blind": blind}
    if not choice.is_valid():
        return render(request, "web/entry/grid.html", context, status=400)
    offence = grids.grid_offence(response, choice.cleaned_data["offence"])
    unit = choice.cleaned_data["unit"]
    grid = grids.grid_layout(campaign)
    stored = grids.grid_figures(response=response, offence=offence, unit=unit)
    if blind:
        grid_check_second_keyer(stored, user)  # a 403 with its reason
    form = GridKeyingForm(posted(request), response=response, blind=blind)
    names = grid.names_by_key()
    shown = {} if blind else {names[k]: f.raw for k, f in stored.items() if k in names}
    context |= {
        "offence": offence,
        "unit": unit,
        "unit_label": Unit(unit).label,
        "form": form,
        "documents": response.documents.all(),
        "keyed": len(stored),
        # Figures of this offence and unit for other periods or platforms (an import's).
        "outside": sum(1 for key in stored if key not in names),
    }
    status = 200
    if request.method == "POST":
        if not form.is_valid():
            status = 400
        else:
            cells = grid.cells_from(request.POST)
            # What was typed is shown again if the grid is refused, to be put right.
            shown = {cell.field_name: cell.raw for cell in cells}
            keyed = {"offence": offence, "unit": unit, "cells": cells, **form.cleaned_data}
            try:
                if not blind:
                    entry = figures_enter_grid(response=response, user=user, **keyed)
                    return _entered(request, response, choice, entry)
                context["verification"] = figures_verify_grid(response=response, user=user, **keyed)
            except GridRefused as refused:
                context["problems"], status = refused.problems, 400
            except ValidationError as refused:
                form.add_error(None, refused.messages)
                status = 400
    context["periods"] = grid.periods
    context["table"] = _table(grid, shown, context.get("problems", []))
    return render(request, "web/entry/grid.html", context, status=status)


def _table(grid, shown: dict[str, str], problems) -> list[dict]:
    """The grid's rows as the template draws them: each cell's input name, its label for a
    screen reader, the text it shows and its problem if it has one."""
    errors = {problem.cell.field_name: problem.message for problem in problems}
    return [
        {
            "row": row,
            "cells": [
                {
                    "name": grid.field_name(row, period),
                    "label": f"{row.label}, {period.label}",
                    "value": shown.get(grid.field_name(row, period), ""),
                    "error": errors.get(grid.field_name(row, period)),
                }
                for period in grid.periods
            ],
        }
        for row in grid.rows
    ]


def _entered(request, response: FoiResponse, choice: GridChoiceForm, entry) -> HttpResponse:
    created, corrected = len(entry.created), len(entry.corrected)
    messages.success(
        request,
        f"Saved the grid: {created} figure{'s' * (created != 1)} keyed, {corrected} corrected, "
        f"{entry.unchanged} unchanged. A second person now keys it blind to verify it.",
    )
    return redirect(reverse("web:figures-grid", args=[response.pk]) + choice.query())
