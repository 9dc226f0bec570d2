from __future__ import annotations

from rest_framework.permissions import SAFE_METHODS, BasePermission

from requests_app import roles


class RoleCanWrite(BasePermission):
    """Reads for any signed-in user (the view's queryset decides what they see); writes only for
    the roles the view names for that action in `write_roles`."""

    message = "Your role does not allow this change."

    def has_permission(self, request, view) -> bool:
        if not request.user.is_authenticated:
            return False
        if request.method in SAFE_METHODS:
            return True
        allowed = view.write_roles.get(view.action, view.write_roles.get("default", ()))
        return any(roles.has_role(request.user, role) for role in allowed)
