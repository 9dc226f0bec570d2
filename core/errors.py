"""What a caller sees when the server fails: a short generic message, never a stack trace or a
database error's text (those go to the log, with the request id, for whoever is on call)."""

from __future__ import annotations

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"
DATABASE_UNAVAILABLE = "The service is briefly unavailable. Please try again in a few seconds."
SERVER_ERROR = "Something went wrong on our side. Please try again later."
NOT_FOUND = "Not found."


def _answer(request: HttpRequest, message: str, status: int) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": message, "errors": []}, status=status)
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


class DatabaseUnavailableMiddleware:
    """A database that drops connections (a restart, a failover) answers 503 with Retry-After,
    so clients and load balancers know to try again; the transaction the view was in has been
    rolled back by then, so nothing is half-written."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        # Errors of the database's state (lost connection, restart, lock timeout), not of the
        # query: IntegrityError and ProgrammingError stay 500s, which are bugs.
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        logger.error(
            "Database unavailable",
            exc_info=exception,
            extra={"path": request.path, "error": type(exception).__name__},
        )
        response = _answer(request, DATABASE_UNAVAILABLE, 503)
        response["Retry-After"] = "5"
        return response


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler404: a path under /api/ that names no endpoint (or an id of the wrong shape, such as
    `/figures/1.5/`) answers in the API's error shape like every other 404."""
    return _answer(request, NOT_FOUND, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: Django has already logged the exception with its traceback."""
    return _answer(request, SERVER_ERROR, 500)
