"""Import figures into a response from the file the force sent: choose it, see the table drawn as
the force wrote it with each cell marked by how it was read (nothing is written), answer what the
reader cannot decide (each change gives a new preview), then confirm exactly the reading shown."""

from __future__ import annotations

import re
from types import SimpleNamespace

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from responses_app import selectors
from responses_app.answer_import import ReadingNotReady, answer_import, answer_read
from responses_app.importing.grid import column_letters
from responses_app.importing.outcome import AnswerRefused, Reading, TableReading
from responses_app.models import FoiResponse
from responses_app.readings import reading_as_data
from web.access import GET_POST, signed_in, to_change_or_refuse
from web.figure_import import AnswerImportForm, Previewed, decision_choices

PREVIEW_ROWS = 200
R1C1 = re.compile(r"R\d+C\d+")


@signed_in
@GET_POST
def figures_import(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    response = to_change_or_refuse(
        selectors.responses_visible_to(user), selectors.responses_writable_by(user), pk
    )
    form = AnswerImportForm(
        request.POST or None, request.FILES or None, response=response, user=user
    )
    context = {"response": response, "campaign": response.request.campaign, "form": form}
    refused = False
    if request.method == "POST" and form.is_valid():
        try:
            if form.confirms and not form.decisions_changed:
                return _confirm(request, response, form)
            reading = answer_read(
                response=response, content=form.content, name=form.name, hints=form.hints()
            )
            context.update(_preview(form, reading))
        except AnswerRefused as not_read:
            context["problems"] = not_read.problems
        except ReadingNotReady as not_ready:
            context.update(_preview(form, not_ready.reading))
            context["not_imported"] = str(not_ready)
            refused = True
    unreadable = "reading" in context and bool(context["reading"]["problems"])
    refused = refused or unreadable or bool(form.errors) or context.get("problems") is not None
    return render(request, "web/entry/import.html", context, status=400 if refused else 200)


def _confirm(request: HttpRequest, response: FoiResponse, form: AnswerImportForm):
    previous: Previewed = form.previous
    result = answer_import(
        response=response,
        content=form.content,
        name=form.name,
        user=request.user,
        hints=form.hints(),
        digest=previous.digest,
        document=form.chosen_document,
    )
    messages.success(
        request, f"Imported {result.created} figures from {result.document.original_name}."
    )
    return redirect("web:response", pk=response.pk)


def _preview(form: AnswerImportForm, reading: Reading) -> dict:
    data = reading_as_data(reading)
    token = form.preview_token(reading)
    asked = Previewed.unsign(token).asked
    open_keys = {q.key: q for q in reading.questions}
    decisions = form.hints().decisions
    return {
        "reading": data,
        "grids": [_grid(table) for sheet in reading.sheets for table in sheet.tables],
        # As objects, for the same template filters as stored figures.
        "figures": [SimpleNamespace(**f) for f in data["figures"][:PREVIEW_ROWS]],
        "questions": [
            {
                "key": key,
                "text": text,
                "open": key in open_keys,
                "where": _where(open_keys[key]) if key in open_keys else "",
                "options": decision_choices(choices, any_of),
                "current": decisions.get(key, ""),
            }
            for key, text, choices, any_of in asked
        ],
        "confirm": {
            "token": token,
            "count": len(reading.figures),
            "ready": reading.ready,
            "needs_file": form.chosen_document is None,
            "name": form.name,
        },
    }


def _where(question) -> str:
    return f"Sheet '{question.sheet}', {', '.join(question.cells)}" if question.sheet else ""


def _grid(table: TableReading) -> dict:
    """The table as the force drew it: its rows and columns with each read cell in place."""
    by_place = {(c.row, c.column): c for c in table.cells}
    rows = sorted({c.row for c in table.cells})
    columns = sorted({c.column for c in table.cells})
    columns = list(range(columns[0], columns[-1] + 1)) if columns else []
    r1c1 = bool(table.cells) and R1C1.fullmatch(table.cells[0].ref) is not None
    return {
        "sheet": table.sheet,
        "region": table.region,
        "notes": table.notes,
        "columns": [f"C{n}" if r1c1 else column_letters(n) for n in columns],
        "rows": [
            (f"R{row}" if r1c1 else str(row), [by_place.get((row, column)) for column in columns])
            for row in (range(rows[0], rows[-1] + 1) if rows else ())
        ],
    }
