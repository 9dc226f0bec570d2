"""A laptop after `make run`: a sign-in for each role, each able to sign in to the pages, and the
demo campaign published so that a consumer reads its figures at once."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client

from requests_app.models import Campaign

User = get_user_model()
PRINTED = """\
Sign in at http://127.0.0.1:8000/ (local only, refused in production):
  researcher  demo / foi-demo-local      owns the demo: creates and sends campaigns, records what forces do
  data entry  clerk / foi-clerk-local    records responses, imports and confirms figures (Data entry)
  consumer    reader / foi-reader-local  reads the figures of published campaigns, the demo among them
  admin       admin / foi-tracker-local  staff: users, roles and reference lists at /admin/
"""  # noqa: E501


def run(command: str) -> str:
    out = io.StringIO()
    call_command(command, stdout=out)
    return out.getvalue()


def signs_in(username: str, password: str) -> bool:
    answer = Client().post("/accounts/login/", {"username": username, "password": password})
    return answer.status_code == 302 and answer["Location"] == "/"


def memberships() -> list[tuple]:
    return sorted(User.objects.values_list("username", "groups__name", "is_staff", "password"))


def test_it_prints_a_sign_in_for_every_role_and_each_one_works(db, settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    assert run("local_signins") == PRINTED
    roles = {u: (g, staff) for u, g, staff, _ in memberships()}
    assert roles == {
        "admin": (None, True),
        "clerk": ("data_entry", False),
        "demo": ("researcher", False),
        "reader": ("consumer", False),
    }
    for username, password in (
        ("demo", "foi-demo-local"),
        ("clerk", "foi-clerk-local"),
        ("reader", "foi-reader-local"),
        ("admin", "foi-tracker-local"),
    ):
        assert signs_in(username, password), username


def test_a_second_run_writes_nothing_and_keeps_a_changed_password(db):
    run("local_signins")
    clerk = User.objects.get(username="clerk")
    clerk.set_password("changed-by-the-clerk")
    clerk.save()
    before = memberships()
    run("local_signins")
    assert memberships() == before
    assert signs_in("clerk", "changed-by-the-clerk")


def test_it_is_refused_in_production(db, settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="local_signins is for a laptop"):
        run("local_signins")
    assert not User.objects.exists()


def test_a_consumer_reads_the_published_demo_and_the_clerk_finds_its_figures_to_check(db):
    """The demo's 35 forces with figures were keyed by its researcher, so every one of them is
    on the clerk's list of figures to confirm."""
    run("load_demo")
    run("local_signins")
    demo = Campaign.objects.get(owner__username="demo")
    assert demo.published
    reader, clerk = Client(), Client()
    reader.force_login(User.objects.get(username="reader"))
    clerk.force_login(User.objects.get(username="clerk"))
    assert demo.title in reader.get("/").content.decode()
    figures = reader.get(f"/campaigns/{demo.pk}/figures/")
    assert figures.status_code == 200
    assert 'class="headline-share">Between 51.0% and 52.1%<' in figures.content.decode()
    to_do = clerk.get("/entry/").content.decode()
    assert "Figures to check <span" in to_do and "(35 answers)" in to_do
