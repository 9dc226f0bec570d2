from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from core import health

urlpatterns = [
    path("", include("web.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("requests_app.urls")),
    path("api/v1/", include("responses_app.urls")),
    path("api/v1/", include("accounts.urls")),
    path("api/v1/", include("correspondence.urls")),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its script as a file, so the docs pass the content security policy.
    path("api/v1/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("health/", health.health, name="health"),
    path("health/ready/", health.ready, name="ready"),
]

# A plain message for pages, the API's error shape for the API; never a traceback.
handler403 = "web.access.refused"
handler404 = "core.errors.not_found"
handler500 = "core.errors.server_error"
