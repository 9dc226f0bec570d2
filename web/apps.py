from django.apps import AppConfig


class WebConfig(AppConfig):
    """Server-rendered pages for researchers, data-entry staff and readers, over the same
    selectors and services as the API (no JavaScript needed; charts are SVG drawn by the
    templates)."""

    name = "web"
    verbose_name = "Web pages"
