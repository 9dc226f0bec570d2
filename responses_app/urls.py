from rest_framework.routers import DefaultRouter

from responses_app import api

router = DefaultRouter()
router.include_root_view = False  # the requests app's router already serves the API root
router.register("platforms", api.PlatformViewSet, basename="platform")
router.register("owners", api.PlatformOwnerViewSet, basename="owner")
router.register("offences", api.OffenceCategoryViewSet, basename="offence")
router.register("responses", api.FoiResponseViewSet, basename="response")
router.register("documents", api.DocumentViewSet, basename="document")
router.register("figures", api.FigureViewSet, basename="figure")

urlpatterns = router.urls
