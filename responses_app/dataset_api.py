"""Reports over the combined dataset: aggregates, the tidy export and frozen releases."""

from __future__ import annotations

import json

from django.conf import settings
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, renderers, status, viewsets
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core import answer_cache
from requests_app import roles
from requests_app.permissions import RoleCanWrite
from requests_app.selectors import campaign_ids_visible_to
from responses_app import aggregates, dataset, releases
from responses_app.coverage import coverage
from responses_app.dataset import dataset_scope
from responses_app.dataset_serializers import (
    AggregateQuerySerializer,
    AggregateSerializer,
    DatasetQuerySerializer,
    ReleaseCreateSerializer,
    ReleaseSerializer,
)

HEAVY = "heavy"


def public_read(request, view) -> bool:
    """An anonymous read of what FOI_PUBLIC_ENDPOINTS names (the published releases by
    default); the view's scope then shows published campaigns only."""
    return request.method in SAFE_METHODS and view.public_name in settings.FOI_PUBLIC_ENDPOINTS


class PublicOrSignedIn(BasePermission):
    """Signed-in callers always; anonymous ones only for the reports FOI_PUBLIC_ENDPOINTS names
    (they then see published campaigns only, like a consumer)."""

    def has_permission(self, request, view) -> bool:
        return request.user.is_authenticated or public_read(request, view)


class PublicReadsOrRoleCanWrite(RoleCanWrite):
    """As RoleCanWrite, and anonymous reads where FOI_PUBLIC_ENDPOINTS names the view."""

    def has_permission(self, request, view) -> bool:
        if not request.user.is_authenticated:
            return public_read(request, view)
        return super().has_permission(request, view)


class CSVRenderer(renderers.BaseRenderer):
    """Lets `?format=csv` through content negotiation; the view streams the body itself."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class AggregatesView(APIView):
    """Aggregated counts with honest denominators, intervals, coverage and method."""

    throttle_scope = HEAVY
    permission_classes = [PublicOrSignedIn]
    public_name = "aggregates"

    @extend_schema(parameters=[AggregateQuerySerializer], responses={200: AggregateSerializer})
    def get(self, request: Request) -> Response:
        query = AggregateQuerySerializer(data=request.query_params, context={"request": request})
        query.is_valid(raise_exception=True)
        visible_ids, stamp = answer_stamp("aggregates", request, query.validated_data)
        if not_modified := unchanged_since(request, stamp):
            return not_modified
        # Kept as the JSON it is sent as: a staff-wide answer lists a force for each of a
        # million requests, and reading that back as objects to render again took 0.56 s.
        body = stamp.kept(
            lambda: renderers.JSONRenderer().render(self.computed(request, query, visible_ids))
        )
        if request.accepted_renderer.format == "json":
            return stamped(HttpResponse(body, content_type="application/json"), stamp)
        return stamped(Response(json.loads(body)), stamp)  # the browsable API

    def computed(self, request: Request, query, visible_ids) -> dict:
        group_by, ordering = query.validated_data["group_by"], query.validated_data["ordering"]
        scope = dataset_scope(
            user=request.user,
            columns=aggregates.columns_read(group_by),
            visible_ids=visible_ids,
            **query.scope_filters(),
        )
        result = aggregates.aggregate(scope.rows, group_by, ordering=ordering)
        if scope.coverage is None:
            scope.coverage = coverage(scope.requests, today=timezone.localdate())
        payload = aggregates.as_payload(
            result,
            coverage=scope.coverage,
            unit=query.validated_data["unit"],
            synthetic=scope.synthetic,
            release_id=scope.release.pk if scope.release else None,
            ordering=ordering,
        )
        return AggregateSerializer(payload).data


def answer_stamp(kind: str, request: Request, params: dict):
    """The campaigns the caller sees (None: all) and where the answer to `params` is kept."""
    release = params.get("release")
    if release is not None:
        return None, answer_cache.release_stamp(kind, release=release, params=params)
    if params.get("campaign") is not None:
        # Checked visible to the caller already: the answer is the campaign's, the same for
        # everyone who may see it, so the campaigns they may see need not be read.
        return None, answer_cache.live_stamp(kind, scope="one campaign", params=params)
    visible_ids = campaign_ids_visible_to(request.user)
    scope = answer_cache.scope_digest(visible_ids)
    return visible_ids, answer_cache.live_stamp(kind, scope=scope, params=params)


def unchanged_since(request: Request, stamp: answer_cache.Stamp) -> HttpResponse | None:
    """304 Not Modified, with its validators, when the client holds this answer already. Only
    the ETag decides: it carries the caller's scope, and a date does not (a caller given a new
    role sees more campaigns with no data changed), so If-Modified-Since is not honoured."""
    response = get_conditional_response(request._request, etag=stamp.etag)
    return None if response is None else stamped(response, stamp)


def stamped(response: HttpResponse, stamp: answer_cache.Stamp) -> HttpResponse:
    response["ETag"] = stamp.etag
    if stamp.last_modified is not None:
        response["Last-Modified"] = http_date(stamp.last_modified)
    # Each caller's answer is theirs (their scope): no shared cache keeps it, and a client asks
    # again with If-None-Match before using its copy.
    patch_cache_control(response, private=True, no_cache=True)
    return response


class DatasetView(APIView):
    """The tidy long dataset, one row per figure, streamed as CSV (default) or JSON."""

    throttle_scope = HEAVY
    permission_classes = [PublicOrSignedIn]
    public_name = "dataset"
    renderer_classes = [CSVRenderer, renderers.JSONRenderer]

    def finalize_response(self, request, response, *args, **kwargs):
        # Errors (400, 401, 429...) are JSON in the API's one error shape, even on a CSV request.
        if isinstance(response, Response) and response.status_code >= 400:
            request.accepted_renderer = renderers.JSONRenderer()
            request.accepted_media_type = "application/json"
        return super().finalize_response(request, response, *args, **kwargs)

    @extend_schema(
        parameters=[
            DatasetQuerySerializer,
            OpenApiParameter("format", str, enum=["csv", "json"], description="Default csv."),
        ],
        responses={
            (200, "text/csv"): OpenApiTypes.STR,
            (200, "application/json"): OpenApiTypes.OBJECT,
        },
    )
    def get(self, request: Request, release_id: int | None = None) -> StreamingHttpResponse:
        params = request.query_params.dict()
        if release_id is not None:
            # The path names the release: one the caller cannot see is not found, as on
            # /releases/{id}/, rather than a bad filter.
            params["release"] = get_object_or_404(
                releases.releases_visible_to(request.user), pk=release_id
            ).pk
        query = DatasetQuerySerializer(data=params, context={"request": request})
        query.is_valid(raise_exception=True)
        columns = dataset.columns_for(request.user)
        # The body is streamed, not kept; the validators let a client skip reading it again.
        kind = f"dataset-{request.accepted_renderer.format}-{len(columns)}"
        visible_ids, stamp = answer_stamp(kind, request, query.validated_data)
        if not_modified := unchanged_since(request, stamp):
            return not_modified
        scope = dataset_scope(user=request.user, visible_ids=visible_ids, **query.scope_filters())
        rows = dataset.dataset_rows(scope.rows, columns)
        if request.accepted_renderer.format == "json":
            body, content_type, extension = dataset.json_chunks(rows), "application/json", "json"
        else:
            body = dataset.csv_lines(rows, columns)
            content_type, extension = "text/csv", "csv"
        response = StreamingHttpResponse(body, content_type=f"{content_type}; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{scope.filename}.{extension}"'
        return stamped(response, stamp)


class ReleaseDatasetView(DatasetView):
    """One release's rows: public with the releases (a published campaign's only)."""

    public_name = "releases"


class ReleaseViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Frozen, numbered snapshots of a campaign's dataset, so a published figure can be
    reproduced after later corrections."""

    serializer_class = ReleaseSerializer
    permission_classes = [PublicReadsOrRoleCanWrite]
    public_name = "releases"
    write_roles = {"default": (roles.RESEARCHER, roles.ADMIN)}
    ordering_fields = ["created_at", "number"]
    ordering = ["campaign_id", "number"]
    filterset_fields = ["campaign"]

    def get_queryset(self):
        return releases.releases_visible_to(self.request.user)

    @extend_schema(request=ReleaseCreateSerializer, responses={201: ReleaseSerializer})
    def create(self, request: Request) -> Response:
        payload = ReleaseCreateSerializer(data=request.data, context={"request": request})
        payload.is_valid(raise_exception=True)
        release = releases.release_create(user=request.user, **payload.validated_data)
        return Response(
            ReleaseSerializer(release, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )
