"""Import figures into a response: choose a file and say how to read it, see every figure it
would create (nothing is written), then confirm exactly that. The form (web.figure_import) gives
the bytes and the layout; a new table reader replaces those two and keeps this view."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from responses_app import selectors, services
from responses_app.importing.reading import ImportRefused
from responses_app.importing.shapes import FigureDraft
from responses_app.models import FoiResponse, OffenceCategory, Platform, PlatformScope
from web.access import GET_POST, signed_in, to_change_or_refuse
from web.figure_import import FigureImportForm

PREVIEW_ROWS = 200


@signed_in
@GET_POST
def figures_import(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    response = to_change_or_refuse(
        selectors.responses_visible_to(user), selectors.responses_writable_by(user), pk
    )
    form = FigureImportForm(
        request.POST or None, request.FILES or None, response=response, user=user
    )
    context = {"response": response, "campaign": response.request.campaign, "form": form}
    if request.method == "POST" and form.is_valid():
        try:
            if form.confirms:
                return _confirm(request, response, form)
            context.update(_preview(response, form))
        except ImportRefused as refused:
            context["problems"] = form.import_errors(refused.errors)
    if form.confirms and form.confirming is not None:
        context["confirm"] = {
            "token": form.data["previewed"],
            "count": form.confirming.count,
            "needs_file": form.confirming.document is None,
            "name": form.confirming.name,
        }
    failed = form.errors or context.get("problems") is not None
    return render(request, "web/entry/import.html", context, status=400 if failed else 200)


def _preview(response: FoiResponse, form: FigureImportForm) -> dict:
    result = services.figures_import(
        response=response,
        content=form.content,
        name=form.name,
        layout=form.layout(),
        user=form.user,
        dry_run=True,
    )
    count = len(result.drafts)
    return {
        "preview": _described(result.drafts[:PREVIEW_ROWS]),
        "warnings": result.warnings,
        "confirm": {
            "token": form.preview_token(count),
            "count": count,
            "needs_file": form.chosen_document is None,
            "name": form.name,
        },
    }


def _confirm(request: HttpRequest, response: FoiResponse, form: FigureImportForm):
    previewed = form.confirming
    result = services.figures_import_previewed(
        response=response,
        content=form.content,
        name=form.name,
        layout=form.layout(),
        user=request.user,
        sha256=previewed.sha256,
        count=previewed.count,
        document=form.chosen_document,
    )
    messages.success(
        request, f"Imported {result.created} figures from {result.document.original_name}."
    )
    return redirect("web:response", pk=response.pk)


def _described(drafts: list[FigureDraft]) -> list[dict]:
    """The drafts with the names of their offence and platform (one query each)."""
    offences = OffenceCategory.objects.in_bulk({d.offence_id for d in drafts})
    platforms = Platform.objects.in_bulk({d.platform_id for d in drafts if d.platform_id})
    scopes = dict(PlatformScope.choices)
    return [
        {
            "draft": draft,
            "offence": offences[draft.offence_id].name,
            "platform": (
                platforms[draft.platform_id].name
                if draft.platform_id
                else scopes[draft.platform_scope]
            ),
        }
        for draft in drafts
    ]
