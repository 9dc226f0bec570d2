from __future__ import annotations

from rest_framework.permissions import SAFE_METHODS, BasePermission

from requests_app import roles

RECORDS_REFUSED = (
    "Your role reads what is published: /api/v1/aggregates/, /api/v1/dataset/ and "
    "/api/v1/releases/."
)


class ReadsRecords(BasePermission):
    """For a read-only view of the working records: the roles of roles.RECORD_READERS."""

    message = RECORDS_REFUSED

    def has_permission(self, request, view) -> bool:
        if not request.user.is_authenticated:
            return False
        return request.method not in SAFE_METHODS or roles.reads_records(request.user)


class RoleCanWrite(BasePermission):
    """Reads for signed-in users, or only for the roles the view names in `read_roles` (the
    working records: see roles.RECORD_READERS); the view's queryset decides what they see. Writes
    only for the roles the view names for that action in `write_roles`."""

    message = "Your role does not allow this change."

    def has_permission(self, request, view) -> bool:
        if not request.user.is_authenticated:
            return False
        if request.method in SAFE_METHODS:
            readers = getattr(view, "read_roles", None)
            if readers is None or any(roles.has_role(request.user, r) for r in readers):
                return True
            self.message = RECORDS_REFUSED
            return False
        allowed = view.write_roles.get(view.action, view.write_roles.get("default", ()))
        return any(roles.has_role(request.user, role) for role in allowed)
