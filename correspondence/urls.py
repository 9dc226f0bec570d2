from django.urls import path
from rest_framework.routers import SimpleRouter

from correspondence import api

router = SimpleRouter()
router.register("messages", api.MessageViewSet, basename="message")

urlpatterns = [
    path("requests/<int:pk>/messages/", api.RequestMessagesView.as_view(), name="request-messages"),
    *router.urls,
]
