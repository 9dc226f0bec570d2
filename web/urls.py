from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy
from django.views.decorators.http import require_GET

from web.access import signed_in
from web.views import campaigns, figures, requests, sending

app_name = "web"

urlpatterns = [
    path("", campaigns.home, name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            template_name="web/login.html",
            redirect_authenticated_user=True,
            next_page=reverse_lazy("web:home"),
        ),
        name="login",
    ),
    path(
        "accounts/logout/",
        auth_views.LogoutView.as_view(next_page=reverse_lazy("web:login")),
        name="logout",
    ),
    path("campaigns/new/", campaigns.campaign_new, name="campaign-new"),
    path("campaigns/<int:pk>/", campaigns.board, name="board"),
    path("campaigns/<int:pk>/edit/", campaigns.campaign_edit, name="campaign-edit"),
    path("campaigns/<int:pk>/repeat/", campaigns.campaign_repeat_page, name="campaign-repeat"),
    path("campaigns/<int:pk>/forces/", sending.choose_forces, name="forces"),
    path("campaigns/<int:pk>/send/", sending.send, name="send"),
    # The figures page answers GET only (signed in first, so anonymous callers are sent to
    # sign in whatever the method).
    path("campaigns/<int:pk>/figures/", signed_in(require_GET(figures.figures)), name="figures"),
    path("requests/<int:pk>/", requests.request_page, name="request"),
    path("requests/<int:pk>/reask/", requests.reask, name="reask"),
]
