"""What every endpoint shares: one error shape and one pagination."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, negotiation, pagination
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler


class Conflict(exceptions.APIException):
    """409: the request repeats a change already made (the same event recorded twice)."""

    status_code = 409
    default_detail = "This repeats a change already made."
    default_code = "conflict"


class Pagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def paginate_queryset(self, queryset, request, view=None):
        try:
            return super().paginate_queryset(queryset, request, view)
        except exceptions.NotFound as missing:
            # DRF answers 404 to `page=0` or a page past the last; like a tampered cursor, that
            # is bad input about the list, not a missing resource.
            raise exceptions.ValidationError({self.page_query_param: missing.detail}) from missing


class CursorPagination(pagination.CursorPagination):
    """For the lists that grow large (requests, figures, reminders): no COUNT(*) over the table
    and stable pages while rows are added. The view's `ordering` decides the order."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    ordering = "-id"

    def decode_cursor(self, request):
        try:
            return super().decode_cursor(request)
        except exceptions.NotFound as tampered:
            # DRF answers 404; a page link someone edited is bad input, not a missing page.
            raise exceptions.ValidationError(
                {"cursor": "This page link is not valid; start again from the first page."}
            ) from tampered


class ContentNegotiation(negotiation.DefaultContentNegotiation):
    def filter_renderers(self, renderers, format):
        """DRF answers an unknown `?format=` with 404; it is bad input, so 400 naming the formats
        the endpoint has."""
        matching = [renderer for renderer in renderers if renderer.format == format]
        if not matching:
            known = ", ".join(dict.fromkeys(renderer.format for renderer in renderers))
            raise exceptions.ValidationError(
                {"format": f"Unknown format '{format}'. Allowed: {known}."}
            )
        return matching


def _child_name(field: str | None, key: Any) -> str:
    """`forces[3]` for the fourth item of a list, `owner.name` for a nested field."""
    if isinstance(key, int):
        return f"{field or ''}[{key}]"
    return str(key) if field is None else f"{field}.{key}"


def _flatten(detail: Any, field: str | None) -> list[dict[str, str | None]]:
    if isinstance(detail, dict):
        return [
            error
            for key, value in detail.items()
            for error in _flatten(value, _child_name(field, key))
        ]
    if isinstance(detail, list):
        if all(not isinstance(item, (dict, list)) for item in detail):
            return [{"field": field, "message": str(item)} for item in detail]
        return [
            error
            for index, item in enumerate(detail)
            for error in _flatten(item, _child_name(field, index))
        ]
    return [{"field": field, "message": str(detail)}]


# DRF's and Django's names for an error that concerns no single field.
WHOLE_REQUEST = ("non_field_errors", "__all__")


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """Every error answers `{"detail": "...", "errors": [{"field": ..., "message": ...}]}`.

    `field` names the input at fault (null when the error is about the request as a whole);
    services raise Django's ValidationError, which becomes a 400 like a serializer's."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = [
            {**error, "field": None if error["field"] in WHOLE_REQUEST else error["field"]}
            for error in _flatten(exc.detail, None)
        ]
        response.data = {
            "detail": errors[0]["message"] if errors else "Invalid input.",
            "errors": errors,
        }
    else:
        response.data = {"detail": str(response.data.get("detail", exc)), "errors": []}
    return response
