from __future__ import annotations

from django.utils.functional import cached_property
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.metadata import SimpleMetadata
from rest_framework.request import Request
from rest_framework.response import Response

from core.api import SLUG_IN_PATH, CursorPagination
from correspondence.services.sending import campaign_send_by_email
from requests_app import roles, selectors, services
from requests_app.filters import FoiRequestFilter, ForceFilter
from requests_app.models import Force
from requests_app.permissions import RoleCanWrite
from requests_app.reminders.preferences import reminder_preference_set
from requests_app.reminders.selectors import receives_reminders, reminders_visible_to
from requests_app.serializers import (
    CampaignSendSerializer,
    CampaignSentSerializer,
    CampaignSerializer,
    FoiRequestSerializer,
    ForceSerializer,
    ReasonSerializer,
    ReminderPreferenceSerializer,
    ReminderSerializer,
    RequestEventSerializer,
)

TEAM = (roles.RESEARCHER, roles.ADMIN)


class RouteMetadata(SimpleMetadata):
    """OPTIONS for a route with no id in its path. DRF's default looks up the object to say what
    PUT takes, and there is none to look up (a 500)."""

    def determine_actions(self, request, view) -> dict:
        return {}


class ForceViewSet(viewsets.ReadOnlyModelViewSet):
    """The force register: every police body a campaign can be sent to."""

    queryset = Force.objects.all()
    serializer_class = ForceSerializer
    lookup_field = "slug"
    lookup_value_regex = SLUG_IN_PATH
    filterset_class = ForceFilter
    ordering_fields = ["name", "slug"]


class CampaignViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Campaigns: one question, many forces. Researchers see their team's and published ones."""

    serializer_class = CampaignSerializer
    permission_classes = [RoleCanWrite]
    read_roles = roles.RECORD_READERS
    write_roles = {"default": TEAM}
    ordering_fields = ["created_at", "title"]
    filterset_fields = ["published"]

    def get_queryset(self):
        user = self.request.user
        if self.request.method in ("GET", "HEAD", "OPTIONS"):
            return selectors.campaigns_visible_to(user).prefetch_related("collaborators")
        # A non-member gets 404 for a change, so a campaign's existence does not leak.
        return selectors.campaigns_editable_by(user).prefetch_related("collaborators")

    def perform_create(self, serializer: CampaignSerializer) -> None:
        data = dict(serializer.validated_data)
        period = (data.pop("period_start"), data.pop("period_end"))
        serializer.instance = services.campaign_create(
            owner=self.request.user, periods=[period], **data
        )

    def perform_update(self, serializer: CampaignSerializer) -> None:
        campaign, data = serializer.instance, dict(serializer.validated_data)
        span = (campaign.period_start, campaign.period_end)
        period = (data.pop("period_start", span[0]), data.pop("period_end", span[1]))
        # A campaign of several periods keeps them unless the API names a different span,
        # which then becomes its one period.
        periods = [period] if period != span else None
        serializer.instance = services.campaign_update(
            campaign=campaign, user=self.request.user, periods=periods, **data
        )

    @extend_schema(request=ReasonSerializer, responses={200: CampaignSerializer})
    @action(detail=True, methods=["post"])
    def archive(self, request: Request, pk: str | None = None) -> Response:
        """Archive the campaign (it is never deleted): each open request is withdrawn, or closed
        if answered, by an event in its log."""
        campaign = self.get_object()
        payload = ReasonSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.campaign_archive(campaign=campaign, user=request.user, **payload.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=campaign.pk)).data)

    @extend_schema(request=CampaignSendSerializer, responses={201: CampaignSentSerializer})
    # Its own serializer, so the browsable API's form asks for forces and a date, not for the
    # campaign's fields and a list of every user.
    @action(detail=True, methods=["post"], serializer_class=CampaignSendSerializer)
    def send(self, request: Request, pk: str | None = None) -> Response:
        """Send the campaign to a list of forces: one request each, created in one step. With
        `by_email`, each force's letter is queued and its request stays a draft until the mail
        server accepts the letter."""
        campaign = self.get_object()
        payload = CampaignSendSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        if data.pop("by_email"):
            created = campaign_send_by_email(
                campaign=campaign, forces=data["forces"], user=request.user
            )
        else:
            created = services.campaign_send(campaign=campaign, user=request.user, **data)
        created_requests = selectors.requests_visible_to(request.user).filter(
            pk__in=[r.pk for r in created]
        )
        data = FoiRequestSerializer(
            created_requests, many=True, context={"calendars": selectors.working_calendars()}
        ).data
        # `campaign` was annotated with `includes_guernsey` before this send: read it again.
        warnings = self.get_queryset().get(pk=campaign.pk).warnings()
        return Response({"requests": data, "warnings": warnings}, status.HTTP_201_CREATED)


class FoiRequestViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """FOI requests with their stored legal deadlines; their status moves only by events."""

    serializer_class = FoiRequestSerializer
    permission_classes = [RoleCanWrite]
    read_roles = roles.RECORD_READERS
    write_roles = {"default": TEAM, "events": (*TEAM, roles.DATA_ENTRY)}
    filterset_class = FoiRequestFilter
    ordering_fields = ["id", "sent_on", "due_on", "current_due_on", "status"]
    ordering = ["id"]
    pagination_class = CursorPagination

    def get_queryset(self):
        user = self.request.user
        if self.request.method in ("GET", "HEAD", "OPTIONS"):
            return selectors.requests_visible_to(user)
        return selectors.requests_writable_by(user)

    @cached_property
    def calendars(self):
        return selectors.working_calendars()

    def get_serializer_context(self) -> dict:
        return {**super().get_serializer_context(), "calendars": self.calendars}

    def perform_create(self, serializer: FoiRequestSerializer) -> None:
        serializer.instance = services.request_create(
            user=self.request.user, **serializer.validated_data
        )

    @extend_schema(
        methods=["GET"], responses={200: RequestEventSerializer(many=True)}, request=None
    )
    @extend_schema(
        methods=["POST"], request=RequestEventSerializer, responses={201: RequestEventSerializer}
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def events(self, request: Request, pk: str | None = None) -> Response:
        """The request's event log; post an event to move its status and deadlines."""
        foi_request = self.get_object()
        if request.method == "GET":
            timeline = selectors.request_timeline(foi_request)
            return Response(RequestEventSerializer(timeline, many=True).data)
        payload = RequestEventSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        # An event already in the log is a Conflict, which the error handler answers 409.
        event = services.request_record_event(
            request=foi_request, user=request.user, **payload.validated_data
        )
        return Response(RequestEventSerializer(event).data, status=status.HTTP_201_CREATED)


class ReminderViewSet(viewsets.ReadOnlyModelViewSet):
    """The reminder log: what was sent, to whom, for which deadline. Each person sees the
    reminders addressed to them; staff see everyone's."""

    serializer_class = ReminderSerializer
    filterset_fields = ["kind", "deadline"]
    ordering_fields = ["id", "deadline"]
    ordering = ["-id"]
    pagination_class = CursorPagination

    def get_queryset(self):
        return reminders_visible_to(self.request.user)

    @extend_schema(request=ReminderPreferenceSerializer, responses=ReminderPreferenceSerializer)
    @action(
        detail=False,
        methods=["get", "put"],
        pagination_class=None,
        filter_backends=[],
        metadata_class=RouteMetadata,
    )
    def preference(self, request: Request) -> Response:
        """Whether you receive the daily email of deadlines; PUT false to stop it."""
        if request.method == "PUT":
            payload = ReminderPreferenceSerializer(data=request.data)
            payload.is_valid(raise_exception=True)
            reminder_preference_set(user=request.user, **payload.validated_data)
        data = {"receives_reminders": receives_reminders(request.user)}
        return Response(ReminderPreferenceSerializer(data).data)
