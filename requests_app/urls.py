from rest_framework.routers import DefaultRouter

from requests_app import api

router = DefaultRouter()
router.register("forces", api.ForceViewSet, basename="force")
router.register("campaigns", api.CampaignViewSet, basename="campaign")
router.register("requests", api.FoiRequestViewSet, basename="request")
router.register("reminders", api.ReminderViewSet, basename="reminder")

urlpatterns = router.urls
