"""Who may open the pages: every page needs a signed-in user, except a release's public page
and files (web/views/releases.py); what each user sees is decided by the same selectors that
scope the API (a campaign outside the user's team, an unpublished release, is a 404)."""

from __future__ import annotations

from typing import TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.shortcuts import get_object_or_404

M = TypeVar("M", bound=Model)

signed_in = login_required(login_url="web:login")


def to_change_or_refuse(visible: QuerySet[M], writable: QuerySet[M], pk: int) -> M:
    """The object a page changes: 404 when the user may not see it (its existence does not
    leak), 403 when they may only read it."""
    found = get_object_or_404(visible, pk=pk)
    if not writable.filter(pk=pk).exists():
        raise PermissionDenied("Your role does not allow changes here.")
    return found
