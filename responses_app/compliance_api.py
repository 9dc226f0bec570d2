"""The compliance report: how well each force answers, per campaign or per force."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from responses_app import selectors
from responses_app.compliance_serializers import ComplianceQuerySerializer, ComplianceSerializer
from responses_app.dataset_api import HEAVY, PublicOrSignedIn


class ComplianceView(APIView):
    """Answers in time and in extended time, working days to answer, extensions, refusals by
    exemption, internal reviews and what is overdue now, for one campaign or one force."""

    throttle_scope = HEAVY
    permission_classes = [PublicOrSignedIn]
    public_name = "compliance"

    @extend_schema(parameters=[ComplianceQuerySerializer], responses={200: ComplianceSerializer})
    def get(self, request: Request) -> Response:
        query = ComplianceQuerySerializer(data=request.query_params, context={"request": request})
        query.is_valid(raise_exception=True)
        report = selectors.compliance_report(
            user=request.user, today=timezone.localdate(), **query.validated_data
        )
        return Response(ComplianceSerializer(report, context={"request": request}).data)
