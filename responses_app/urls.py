from django.urls import path
from rest_framework.routers import DefaultRouter

from responses_app import api, compliance_api, dataset_api

router = DefaultRouter()
router.include_root_view = False  # the requests app's router already serves the API root
router.register("platforms", api.PlatformViewSet, basename="platform")
router.register("owners", api.PlatformOwnerViewSet, basename="owner")
router.register("offences", api.OffenceCategoryViewSet, basename="offence")
router.register("responses", api.FoiResponseViewSet, basename="response")
router.register("documents", api.DocumentViewSet, basename="document")
router.register("figures", api.FigureViewSet, basename="figure")
router.register("releases", dataset_api.ReleaseViewSet, basename="release")

urlpatterns = [
    path("aggregates/", dataset_api.AggregatesView.as_view(), name="aggregates"),
    path("compliance/", compliance_api.ComplianceView.as_view(), name="compliance"),
    path("dataset/", dataset_api.DatasetView.as_view(), name="dataset"),
    path(
        "releases/<int:release_id>/dataset/",
        dataset_api.ReleaseDatasetView.as_view(),
        name="release-dataset",
    ),
    *router.urls,
]
