"""The campaign dashboard: server-rendered pages for researchers, over the same selectors and
services as the API (no JavaScript; charts are SVG drawn by the templates)."""
