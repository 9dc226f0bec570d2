"""Your own API tokens: list them, make one (its key is in this response only), revoke one."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from accounts import selectors, services
from accounts.models import ApiToken
from accounts.serializers import (
    ApiTokenCreateSerializer,
    ApiTokenSerializer,
    IssuedTokenSerializer,
)


class ApiTokenViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ApiTokenSerializer
    ordering_fields = ["created_at"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return ApiToken.objects.none()
        # Only the caller's own: someone else's token is a 404.
        return selectors.tokens_of(self.request.user)

    @extend_schema(request=ApiTokenCreateSerializer, responses={201: IssuedTokenSerializer})
    def create(self, request: Request) -> Response:
        payload = ApiTokenCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        # A token made with a token is its child: it expires no later and is revoked with it.
        parent = request.auth if isinstance(request.auth, ApiToken) else None
        issued = services.token_create(user=request.user, parent=parent, **payload.validated_data)
        issued.token.key = issued.key
        body = IssuedTokenSerializer(issued.token).data
        return Response(body, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance) -> None:
        # Revoked, not deleted: the row stays to show when it stopped working.
        services.token_revoke(token=instance)
