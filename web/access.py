"""Who may open the pages: every page needs a signed-in user, except a release's public page
and files (web/views/releases.py); what each user sees is decided by the same selectors that
scope the API (a campaign outside the user's team, an unpublished release, is a 404)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required

signed_in = login_required(login_url="web:login")
