from rest_framework.routers import DefaultRouter

from accounts import api

router = DefaultRouter()
router.include_root_view = False
router.register("tokens", api.ApiTokenViewSet, basename="token")

urlpatterns = router.urls
