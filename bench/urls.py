"""The product's URLs plus the floor: a Django view that does nothing, served by the same stack."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def nothing(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"{}", content_type="application/json")


urlpatterns = [
    path("bench/nothing/", nothing, name="bench-nothing"),
    path("", include("foitracker.urls")),
]
