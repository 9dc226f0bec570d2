from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy
from django.views.decorators.http import require_GET

from web.access import signed_in
from web.views import (
    campaigns,
    compliance,
    entry,
    figures,
    forces,
    imports,
    keying,
    letters,
    mail,
    releases,
    requests,
    responses,
    sending,
)

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
    path(
        "campaigns/<int:pk>/compliance/",
        signed_in(require_GET(compliance.compliance)),
        name="compliance",
    ),
    # Forces across campaigns: each force's compliance over the campaigns the user may read.
    path("forces/", signed_in(require_GET(forces.forces_index)), name="forces-index"),
    path("forces/<slug:slug>/", signed_in(require_GET(forces.force_page)), name="force"),
    path("requests/<int:pk>/", requests.request_page, name="request"),
    path("requests/<int:pk>/reask/", requests.reask, name="reask"),
    # Correspondence: a request's letters and the forces' replies, and mail no rule matched.
    path("requests/<int:pk>/letters/<slug:letter>/", letters.draft_new, name="draft-new"),
    path("messages/<int:pk>/draft/", letters.draft_page, name="draft"),
    path("messages/<int:pk>/classify/", mail.classify, name="message-classify"),
    path("messages/<int:pk>/discard/", mail.discard, name="message-discard"),
    path("messages/<int:pk>/resend/", mail.resend, name="message-resend"),
    path("messages/<int:pk>/assign/", mail.assign, name="message-assign"),
    path("mail/unmatched/", mail.unmatched, name="unmatched"),
    # A campaign's releases, and making one: whoever reads its figures; whoever may release it.
    path("campaigns/<int:pk>/releases/", releases.releases, name="releases"),
    # A release's page and files: public when its campaign is published; the address is the
    # one its citation gives, so it never changes.
    path(
        "campaigns/<int:campaign>/releases/<int:number>/",
        releases.release_page,
        name="release",
    ),
    path(
        "campaigns/<int:campaign>/releases/<int:number>/data.csv",
        releases.release_data_csv,
        name="release-csv",
    ),
    path(
        "campaigns/<int:campaign>/releases/<int:number>/data.json",
        releases.release_data_json,
        name="release-json",
    ),
    path(
        "campaigns/<int:campaign>/releases/<int:number>/datapackage.json",
        releases.release_datapackage_json,
        name="release-datapackage",
    ),
    # Data entry: the to-do list, a response with its documents, its figures' import and checks.
    path("entry/", entry.to_do, name="to-do"),
    path("requests/<int:pk>/response/", responses.response_new, name="response-new"),
    path("responses/<int:pk>/", responses.response_page, name="response"),
    path("responses/<int:pk>/documents/", responses.document_new, name="document-new"),
    path("responses/<int:pk>/import/", imports.figures_import, name="figures-import"),
    # Keying by hand from an answer the importer cannot read, and the blind second keying.
    path("responses/<int:pk>/grid/", keying.figures_grid, name="figures-grid"),
    path("responses/<int:pk>/grid/verify/", keying.figures_grid_verify, name="figures-grid-verify"),
    path("figures/<int:pk>/check/", responses.figure_check, name="figure-check"),
]
