"""The API's routes as the URL resolver knows them, for the tests that must cover every one (the
permission matrix, the list query counts): a new endpoint fails them until it is added."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, get_resolver


def api_routes(patterns=None, prefix: str = "") -> dict[str, set[str]]:
    """{url name: the methods its view answers} for every route under /api/v1/."""
    routes: dict[str, set[str]] = {}
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            for name, methods in api_routes(pattern.url_patterns, route).items():
                routes.setdefault(name, set()).update(methods)
        elif isinstance(pattern, URLPattern) and route.startswith("api/v1/"):
            routes.setdefault(pattern.name, set()).update(methods_of(pattern.callback))
    return routes


def methods_of(view) -> set[str]:
    actions = getattr(view, "actions", None)  # a viewset's route: the methods it maps
    if actions is not None:
        names = set(actions)
    else:
        view_class = getattr(view, "cls", None) or view.view_class
        names = {name for name in view_class.http_method_names if hasattr(view_class, name)}
    # HEAD answers as GET (DRF adds it to a viewset's map on the first GET) and OPTIONS
    # describes the route; the table holds GET and the four methods that write.
    return {name.upper() for name in names} - {"HEAD", "OPTIONS"}
