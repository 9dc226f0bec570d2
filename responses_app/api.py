from __future__ import annotations

from django.db.models import Prefetch
from django.http import FileResponse, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from core.api import SLUG_IN_PATH, CursorPagination, JSONParser
from requests_app import roles
from requests_app.permissions import ReadsRecords, RoleCanWrite
from requests_app.serializers import ReasonSerializer
from responses_app import answer_import, selectors, services
from responses_app.documents import EXTENSIONS
from responses_app.filters import FigureFilter, FoiResponseFilter
from responses_app.importing.outcome import AnswerRefused
from responses_app.importing.reading import ImportRefused
from responses_app.importing.shapes import FigureDraft
from responses_app.importing.template import is_long_template, long_template_csv
from responses_app.models import OffenceCategory, Platform, PlatformOwner, PlatformOwnership
from responses_app.readings import reading_as_data
from responses_app.serializers import (
    DocumentSerializer,
    DocumentUploadSerializer,
    FigureCreatedSerializer,
    FigureMismatchSerializer,
    FigureSerializer,
    FoiResponseSerializer,
    ImportSerializer,
    OffenceCategorySerializer,
    PlatformOwnerSerializer,
    PlatformSerializer,
)

WRITERS = (roles.RESEARCHER, roles.DATA_ENTRY, roles.ADMIN)
MAX_LISTED_ERRORS = 1000
PREVIEW_ROWS = 50


class PlatformViewSet(viewsets.ReadOnlyModelViewSet):
    """Platforms with their aliases and owners over time."""

    # The owners come with their ownerships in one query: a page costs count, platforms,
    # aliases and ownerships, whatever its size.
    queryset = Platform.objects.prefetch_related(
        "aliases", Prefetch("ownerships", PlatformOwnership.objects.select_related("owner"))
    )
    serializer_class = PlatformSerializer
    lookup_field = "slug"
    lookup_value_regex = SLUG_IN_PATH
    ordering_fields = ["name", "slug"]


class PlatformOwnerViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = PlatformOwner.objects.all()
    serializer_class = PlatformOwnerSerializer
    lookup_field = "slug"
    lookup_value_regex = SLUG_IN_PATH
    ordering_fields = ["name", "slug"]


class OffenceCategoryViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = OffenceCategory.objects.all()
    serializer_class = OffenceCategorySerializer
    lookup_field = "slug"
    lookup_value_regex = SLUG_IN_PATH
    ordering_fields = ["name", "slug", "home_office_code"]


class ScopedByRole:
    """Reads see what the user's campaigns allow; writes only what they may change (404 for the
    rest, so a campaign's existence does not leak)."""

    permission_classes = [RoleCanWrite]
    read_roles = roles.RECORD_READERS
    write_roles = {"default": WRITERS}
    visible = writable = None

    def get_queryset(self):
        user = self.request.user
        if self.request.method in ("GET", "HEAD", "OPTIONS"):
            return type(self).visible(user)
        return type(self).writable(user)


class FoiResponseViewSet(
    ScopedByRole,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Responses: recording one is an event on its request, which moves the request's status."""

    serializer_class = FoiResponseSerializer
    filterset_class = FoiResponseFilter
    ordering_fields = ["id", "received_on"]
    ordering = ["id"]
    visible = staticmethod(selectors.responses_visible_to)
    writable = staticmethod(selectors.responses_writable_by)
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def perform_create(self, serializer: FoiResponseSerializer) -> None:
        serializer.instance = services.response_record(
            user=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer: FoiResponseSerializer) -> None:
        serializer.instance = services.response_update(
            response=serializer.instance, user=self.request.user, **serializer.validated_data
        )

    @extend_schema(request=ReasonSerializer, responses={200: FoiResponseSerializer})
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        """Withdraw the response with a reason (it is never deleted): its documents and figures
        stay, out of the live dataset, and the request can take a new response."""
        foi_response = self.get_object()
        payload = ReasonSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        withdrawn = services.response_withdraw(
            response=foi_response, user=request.user, **payload.validated_data
        )
        return Response(FoiResponseSerializer(withdrawn).data)

    @extend_schema(methods=["GET"], request=None, responses={200: DocumentSerializer(many=True)})
    @extend_schema(
        methods=["POST"], request=DocumentUploadSerializer, responses={201: DocumentSerializer}
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def documents(self, request: Request, pk: str | None = None) -> Response:
        """The response's documents; post a multipart `file` to attach one."""
        foi_response = self.get_object()
        if request.method == "GET":
            attached = foi_response.documents.select_related("uploaded_by")
            return Response(DocumentSerializer(attached, many=True).data)
        payload = DocumentUploadSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        upload = payload.validated_data["file"]
        document = services.document_attach(
            response=foi_response, name=upload.name, content=upload.read(), user=request.user
        )
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ImportSerializer, responses={200: dict, 201: dict, 400: dict})
    @action(detail=True, methods=["post"], url_path="import")
    def import_figures(self, request: Request, pk: str | None = None) -> Response:
        """Import the figures of an answer file as the force sent it, all or nothing: the table
        is found and read by itself. `dry_run=true` returns the reading (figures by name, cell
        references, how each cell was read, totals checks, warnings, questions and its digest);
        confirm with that `digest` and the same decisions. `shape=long` imports the long-format
        template instead. The file is attached to the response once, as the figures' source."""
        foi_response = self.get_object()
        payload = ImportSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        upload = payload.validated_data["file"]
        content = upload.read()
        shape = payload.validated_data["shape"] or ("long" if is_long_template(content) else "")
        if shape == "long":
            return self._import_long(foi_response, payload, request, content)
        arguments = {
            "response": foi_response,
            "content": content,
            "name": upload.name,
            "hints": payload.hints(),
        }
        try:
            if payload.validated_data["dry_run"]:
                return Response(reading_as_data(answer_import.answer_read(**arguments)))
            result = answer_import.answer_import(
                **arguments, user=request.user, digest=payload.validated_data["digest"] or None
            )
        except AnswerRefused as refused:
            return Response(answer_refused(refused), status=status.HTTP_400_BAD_REQUEST)
        except answer_import.ReadingNotReady as not_ready:
            body = {"detail": str(not_ready), **reading_as_data(not_ready.reading)}
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        body = {"created": result.created, "document": result.document.pk}
        body |= {"digest": result.reading.digest, "warnings": result.reading.warnings}
        return Response(body, status=status.HTTP_201_CREATED)

    def _import_long(
        self, foi_response, payload: ImportSerializer, request: Request, content: bytes
    ) -> Response:
        dry_run = payload.validated_data["dry_run"]
        try:
            result = services.figures_import(
                response=foi_response,
                content=content,
                name=payload.validated_data["file"].name,
                layout=payload.layout(),
                user=request.user,
                dry_run=dry_run,
            )
        except ImportRefused as refused:
            return Response(import_errors(refused), status=status.HTTP_400_BAD_REQUEST)
        if dry_run:
            preview = [draft_as_dict(d) for d in result.drafts[:PREVIEW_ROWS]]
            body = {"would_create": len(result.drafts), "preview": preview}
            return Response({**body, "warnings": result.warnings})
        body = {"created": result.created, "document": result.document.pk}
        return Response({**body, "warnings": result.warnings}, status=status.HTTP_201_CREATED)


def answer_refused(refused: AnswerRefused) -> dict:
    problems = [
        {"message": p.message, "sheet": p.sheet, "cells": list(p.cells)} for p in refused.problems
    ]
    return {"detail": f"Nothing was imported: {refused}", "problems": problems}


def import_errors(refused: ImportRefused) -> dict:
    errors = refused.errors
    count = len(errors)
    detail = f"Nothing was imported: {count} problem{'s' if count != 1 else ''} in the file."
    if count > MAX_LISTED_ERRORS:
        detail += f" The first {MAX_LISTED_ERRORS} are listed."
    return {"detail": detail, "errors": [e.as_dict() for e in errors[:MAX_LISTED_ERRORS]]}


def draft_as_dict(draft: FigureDraft) -> dict:
    return {
        "row": draft.row,
        "period_start": draft.period_start,
        "period_end": draft.period_end,
        "offence": draft.offence_id,
        "platform": draft.platform_id,
        "platform_scope": draft.platform_scope,
        "unit": draft.unit,
        "raw": draft.raw,
        "status": draft.status,
        "low": draft.low,
        "high": draft.high,
        "sheet": draft.sheet,
        "cell": draft.cell,
    }


class DocumentViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A document's details, and its file, for the people who run campaigns and can see the
    campaign: a force's original letter is not published with its figures."""

    serializer_class = DocumentSerializer
    permission_classes = [ReadsRecords]

    def get_queryset(self):
        return selectors.documents_visible_to(self.request.user)

    # Served as the type its bytes proved at upload: one of the accepted ones.
    @extend_schema(
        responses={(200, content_type): OpenApiTypes.BINARY for content_type in EXTENSIONS}
    )
    @action(detail=True, methods=["get"])
    def download(self, request: Request, pk: str | None = None) -> FileResponse:
        document = self.get_object()
        response = FileResponse(
            document.file.open("rb"),
            as_attachment=True,
            filename=document.original_name,
            content_type=document.content_type,
        )
        # Never let a browser guess the type or run anything the file holds.
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response


class FigureViewSet(ScopedByRole, viewsets.ModelViewSet):
    """Figures: the force's raw text, its status and interval, where it came from, and its
    verification. Posting a cell someone else entered is the second entry that confirms it."""

    serializer_class = FigureSerializer
    filterset_class = FigureFilter
    ordering_fields = ["id", "period_start", "entered_at"]
    ordering = ["id"]
    pagination_class = CursorPagination
    visible = staticmethod(selectors.figures_visible_to)
    writable = staticmethod(selectors.figures_writable_by)

    @extend_schema(responses={200: FigureCreatedSerializer, 201: FigureCreatedSerializer})
    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # A reason explains a correction; a new figure has nothing to explain.
        serializer.validated_data.pop("reason", None)
        entry = services.figure_enter(user=request.user, **serializer.validated_data)
        figure = entry.figure
        figure.entry = (
            "created" if entry.created else "confirmed" if entry.confirmed else ("disputed")
        )
        answer = status.HTTP_201_CREATED if entry.created else status.HTTP_200_OK
        return Response(FigureCreatedSerializer(figure).data, status=answer)

    def perform_update(self, serializer: FigureSerializer) -> None:
        data = serializer.validated_data
        serializer.instance = services.figure_correct(
            figure=serializer.instance,
            raw=data.get("raw", serializer.instance.raw),
            note=data.get("note"),
            reason=data.get("reason", ""),
            user=self.request.user,
        )

    def perform_destroy(self, instance) -> None:
        instance._history_user = self.request.user
        instance.delete()

    @extend_schema(request=None, responses={200: FigureSerializer})
    @action(detail=True, methods=["post"])
    def verify(self, request: Request, pk: str | None = None) -> Response:
        """A second person confirms the figure as entered."""
        figure = services.figure_verify(figure=self.get_object(), user=request.user)
        return Response(FigureSerializer(figure).data)

    @extend_schema(responses={200: FigureMismatchSerializer(many=True)})
    @action(detail=False, methods=["get"])
    def mismatches(self, request: Request) -> Response:
        """Stated totals outside the interval their parts sum to."""
        figures = selectors.total_mismatches(self.filter_queryset(self.get_queryset()))
        page = self.paginate_queryset(figures)
        return self.get_paginated_response(FigureMismatchSerializer(page, many=True).data)

    @extend_schema(responses={(200, "text/csv"): str})
    @action(detail=False, methods=["get"])
    def template(self, request: Request) -> HttpResponse:
        """The long-format template to fill in and import."""
        response = HttpResponse(long_template_csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="figures-template.csv"'
        return response
