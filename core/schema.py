"""OpenAPI additions: the one error shape, described on every operation that can answer it."""

from __future__ import annotations

ERROR_SCHEMA = {
    "type": "object",
    "description": "Every error answers in this shape.",
    "properties": {
        "detail": {"type": "string", "description": "The first (or only) problem, in words."},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "field": {
                        "type": "string",
                        "nullable": True,
                        "description": "The input at fault; null when it is the whole request.",
                    },
                    "message": {"type": "string"},
                    "row": {"type": "integer", "description": "Imports: the file's row."},
                    "column": {"type": "string", "description": "Imports: the file's column."},
                },
                "required": ["message"],
            },
        },
    },
    "required": ["detail", "errors"],
}

WHY = {
    "400": "Bad input: the errors name each field and say why; nothing was written.",
    "401": "No credentials, or a token that is not valid.",
    "403": "Your role does not allow this.",
    "404": "Not found, or not visible to you.",
    "409": "What this would create exists already (an identical submission, or one a moment "
    "earlier); nothing was written.",
    "415": "The body's content type is not one this operation reads (see its request body).",
    "429": "Too many requests: wait the seconds the Retry-After header gives.",
}


def _codes(path: str, method: str, operation: dict) -> list[str]:
    codes = ["401", "403", "429"]
    if method in ("post", "put", "patch") or operation.get("parameters"):
        codes.append("400")
    if method == "post":
        codes.append("409")
    if "{" in path:
        codes.append("404")
    if "requestBody" in operation:
        codes.append("415")
    return codes


def add_error_responses(result: dict, generator, request, public) -> dict:
    """drf-spectacular postprocessing hook: document the error answers of every operation."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    reference = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for code in _codes(path, method, operation):
                responses.setdefault(code, {"description": WHY[code], "content": reference})
    return result
