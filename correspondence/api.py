"""The correspondence API: a request's thread, the unmatched list, and what a person does with
a message. Scoped like the requests: whoever sees a request sees its mail; an unmatched message
is for staff and the researchers whose team writes to the force it came from."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from core.api import CursorPagination
from correspondence import selectors
from correspondence.models import Direction, Message
from correspondence.serializers import (
    AssignSerializer,
    ClassifySerializer,
    DiscardSerializer,
    MessageDetailSerializer,
    MessageSerializer,
)
from correspondence.services import actions, sending
from requests_app import roles
from requests_app.permissions import RoleCanWrite
from requests_app.selectors import campaigns_editable_by, requests_visible_to

TEAM = (roles.RESEARCHER, roles.ADMIN)


class RequestMessagesView(generics.ListAPIView):
    """The request's whole correspondence, both ways, oldest first."""

    serializer_class = MessageSerializer
    pagination_class = None
    filter_backends: list = []

    def get_queryset(self):
        request = get_object_or_404(requests_visible_to(self.request.user), pk=self.kwargs["pk"])
        return selectors.request_thread(request)


class MessageViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """One message with its text; the unmatched list; assigning, discarding, classifying and
    resending."""

    serializer_class = MessageDetailSerializer
    permission_classes = [RoleCanWrite]
    write_roles = {"default": TEAM, "classify": (*TEAM, roles.DATA_ENTRY)}
    filter_backends: list = []

    def get_queryset(self):
        user = self.request.user
        if self.action == "unmatched":
            return selectors.unmatched_list(user)
        if self.action == "assign":
            return selectors.unmatched_visible_to(user)
        if self.action == "discard":
            return selectors.unmatched_visible_to(user) | self._team_mail()
        if self.action == "classify":
            return selectors.messages_writable_by(user)
        if self.action == "resend":
            return self._team_mail().filter(direction=Direction.OUT)
        return selectors.messages_visible_to(user)

    def _team_mail(self):
        editable = campaigns_editable_by(self.request.user).values("pk")
        return Message.objects.filter(request__campaign__in=editable)

    @extend_schema(responses={200: MessageSerializer(many=True)})
    @action(
        detail=False,
        methods=["get"],
        serializer_class=MessageSerializer,
        pagination_class=CursorPagination,
    )
    def unmatched(self, request: Request) -> Response:
        """Mail no rule matched to a request, newest first, for a person to assign or discard."""
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(MessageSerializer(page, many=True).data)

    @extend_schema(request=AssignSerializer, responses={200: MessageDetailSerializer})
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, pk: str | None = None) -> Response:
        """File an unmatched message on one of your team's requests."""
        message = self.get_object()
        payload = AssignSerializer(data=request.data)
        payload.fields["request"].queryset = selectors.requests_for_filing(request.user)
        payload.is_valid(raise_exception=True)
        done = actions.message_assign(
            message=message, request=payload.validated_data["request"], user=request.user
        )
        return Response(MessageDetailSerializer(done).data)

    @extend_schema(request=DiscardSerializer, responses={200: MessageDetailSerializer})
    @action(detail=True, methods=["post"])
    def discard(self, request: Request, pk: str | None = None) -> Response:
        """Put a message aside, saying why; it stays on record."""
        message = self.get_object()
        payload = DiscardSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        done = actions.message_discard(message=message, user=request.user, **payload.validated_data)
        return Response(MessageDetailSerializer(done).data)

    @extend_schema(request=ClassifySerializer, responses={200: MessageDetailSerializer})
    @action(detail=True, methods=["post"])
    def classify(self, request: Request, pk: str | None = None) -> Response:
        """Say what a reply is: the event it records on its request (a response also records
        the answer, with the message's files)."""
        message = self.get_object()
        payload = ClassifySerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        done = actions.message_classify(
            message=message, user=request.user, **payload.validated_data
        )
        return Response(MessageDetailSerializer(done).data)

    @extend_schema(request=None, responses={201: MessageDetailSerializer})
    @action(detail=True, methods=["post"])
    def resend(self, request: Request, pk: str | None = None) -> Response:
        """Send a failed or returned letter again, to the force's address as it is now."""
        copy = sending.letter_resend(message=self.get_object(), user=request.user)
        return Response(MessageDetailSerializer(copy).data, status=status.HTTP_201_CREATED)
