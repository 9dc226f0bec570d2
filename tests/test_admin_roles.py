"""The admin is the staff's screen: a member of staff in the admin role opens every admin page
through the role's group permissions, without the superuser flag; researchers, data entry and
consumers are refused by it (their work is in the pages)."""

from __future__ import annotations

import pytest
import time_machine
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.test import Client

from requests_app import roles
from requests_app.services import roles_create
from tests.api_world import NOW, documents_in, documents_restore, world_build
from tests.factories import UserFactory

# Every model the admin shows, as app_label.model_name; a new one fails until it is listed
# here and its app is one of roles.ADMIN_APPS.
ADMIN_MODELS = {
    "auth.group",
    "auth.user",
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
    "accounts.apitoken",
    "requests_app.force",
    "requests_app.campaign",
    "requests_app.foirequest",
    "requests_app.extraholiday",
    "requests_app.reminderpolicy",
    "requests_app.reminderpreference",
    "requests_app.reminderdigest",
    "requests_app.reminder",
    "responses_app.platformowner",
    "responses_app.platform",
    "responses_app.offencecategory",
    "responses_app.labelalias",
    "responses_app.foiresponse",
    "responses_app.figure",
    "responses_app.figureawaitingverification",
    "responses_app.figuredisagreement",
    "correspondence.forcecontact",
    "correspondence.requestmailbox",
    "correspondence.message",
}
# Made by the services or kept by other software, never added by hand in the admin.
NO_ADD_PAGE = {
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
    "accounts.apitoken",
    "requests_app.reminderpolicy",  # one row, which the migration makes
    "requests_app.reminderdigest",
    "requests_app.reminder",
    "responses_app.figureawaitingverification",
    "responses_app.figuredisagreement",
    "correspondence.requestmailbox",  # made when a request is first sent by email
    "correspondence.message",  # sent or received by the mail services, never typed in
}


def label(model) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


@pytest.fixture
def staff_member(db):
    """Staff in the admin role, not a superuser: what `adduser --role admin` makes."""
    call_command(
        "adduser", "boss", "--role", "admin", "--password", "a-long-admin-password", stdout=None
    )
    client = Client()
    # As the admin's sign-in form posts it, with where to go next.
    form = {"username": "boss", "password": "a-long-admin-password", "next": "/admin/"}
    signed_in = client.post("/admin/login/", form)
    assert (signed_in.status_code, signed_in["Location"]) == (302, "/admin/")
    return client


def test_the_list_of_admin_models_is_complete():
    assert {label(model) for model in admin.site._registry} == ADMIN_MODELS
    assert {name.split(".")[0] for name in ADMIN_MODELS} == set(roles.ADMIN_APPS)


def test_only_the_admin_role_holds_model_permissions(db):
    admin_role = Group.objects.get(name=roles.ADMIN)
    held = set(admin_role.permissions.values_list("content_type__app_label", flat=True))
    assert held == set(roles.ADMIN_APPS)
    every = Permission.objects.filter(content_type__app_label__in=roles.ADMIN_APPS).count()
    assert admin_role.permissions.count() == every
    others = Group.objects.exclude(name=roles.ADMIN)
    assert not Permission.objects.filter(group__in=others).exists()


def test_loading_the_roles_again_adds_nothing_and_keeps_a_permission_taken_away(db):
    admin_role = Group.objects.get(name=roles.ADMIN)
    before = admin_role.permissions.count()
    data_entry = Group.objects.get(name=roles.DATA_ENTRY)
    data_entry.permissions.add(Permission.objects.get(codename="view_figure"))
    roles_create()
    assert admin_role.permissions.count() == before
    assert list(data_entry.permissions.values_list("codename", flat=True)) == ["view_figure"]


@pytest.mark.parametrize("model", sorted(ADMIN_MODELS))
def test_staff_in_the_admin_role_open_every_list_and_add_page(staff_member, model):
    app_label, model_name = model.split(".")
    assert staff_member.get(f"/admin/{app_label}/{model_name}/").status_code == 200
    add = staff_member.get(f"/admin/{app_label}/{model_name}/add/").status_code
    assert add == (403 if model in NO_ADD_PAGE else 200)


def test_the_admin_index_lists_every_model_for_staff(staff_member):
    html = staff_member.get("/admin/").content.decode()
    for model in ADMIN_MODELS:
        app_label, model_name = model.split(".")
        assert f'href="/admin/{app_label}/{model_name}/"' in html, model


@pytest.mark.parametrize("role", [roles.RESEARCHER, roles.DATA_ENTRY, roles.CONSUMER])
def test_the_admin_refuses_every_other_role(db, role):
    user = UserFactory(username=f"a_{role}", password="a-long-test-password")
    user.groups.add(Group.objects.get(name=role))
    client = Client()
    client.force_login(user)
    answer = client.get("/admin/")
    assert (answer.status_code, answer["Location"]) == (302, "/admin/login/?next=/admin/")
    client.logout()
    refused = client.post(
        "/admin/login/", {"username": user.username, "password": "a-long-test-password"}
    )
    assert refused.status_code == 200
    assert "Please enter the correct username and password for a staff account" in (
        refused.content.decode()
    )
    # The same sign-in opens the pages.
    signed_in = client.post(
        "/accounts/login/", {"username": user.username, "password": "a-long-test-password"}
    )
    assert (signed_in.status_code, signed_in["Location"]) == (302, "/")


CHANGE_PAGES = [
    "/admin/auth/user/{owner}/change/",
    "/admin/accounts/apitoken/{token}/change/",
    "/admin/requests_app/campaign/{campaign}/change/",
    "/admin/requests_app/foirequest/{request}/change/",
    "/admin/responses_app/foiresponse/{response}/change/",
    "/admin/responses_app/figure/{figure}/change/",
    "/admin/responses_app/figure/{figure}/history/",
]


@pytest.fixture
def world_ids(db, tmp_path) -> dict[str, int]:
    """The API tests' world (one of everything), its documents in a temporary folder."""
    saved = documents_in(tmp_path)
    try:
        with time_machine.travel(NOW, tick=False):
            world = world_build()
    finally:
        documents_restore(saved)
    return {**world.ids(), "owner": get_user_model().objects.get(username="owner").pk}


@pytest.mark.parametrize("page", CHANGE_PAGES)
def test_staff_in_the_admin_role_open_the_change_pages(staff_member, world_ids, page):
    assert staff_member.get(page.format(**world_ids)).status_code == 200
