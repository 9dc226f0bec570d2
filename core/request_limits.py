"""Refuse an oversize body before anything reads it.

Django caps form fields (DATA_UPLOAD_MAX_MEMORY_SIZE) but not a JSON body read by the API, nor a
whole multipart upload; the proxy caps both too, and this is the same limit where the proxy is
missing or misconfigured. Chunked bodies carry no length: the proxy must buffer those."""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import HttpRequest, JsonResponse

logger = logging.getLogger(__name__)

# A multipart body is the document plus its boundaries and the form's other fields.
MULTIPART_OVERHEAD = 64 * 1024


def body_limit(request: HttpRequest) -> int:
    if request.content_type == "multipart/form-data":
        return settings.DOCUMENT_MAX_BYTES + MULTIPART_OVERHEAD
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


class BodySizeLimitMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = body_limit(request)
        if length > limit:
            logger.warning(
                "Request body too large",
                extra={"path": request.path, "content_length": length, "limit": limit},
            )
            detail = f"The request body is {length:,} bytes, over the limit of {limit:,} bytes."
            return JsonResponse({"detail": detail, "errors": []}, status=413)
        return self.get_response(request)
