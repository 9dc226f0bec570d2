"""The management commands: adduser, load_forces, local_admin."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from accounts.keys import digest_of
from accounts.models import ApiToken
from requests_app.management.commands import adduser
from requests_app.models import Force

User = get_user_model()


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def users_and_tokens() -> tuple[int, int]:
    return User.objects.count(), ApiToken.objects.count()


def test_adduser_creates_the_user_in_the_role_group_and_prints_a_working_token(db):
    output = run("adduser", "alice", "--role", "researcher", "--email", "alice@example.org")

    alice = User.objects.get(username="alice")
    assert alice.email == "alice@example.org"
    assert list(alice.groups.values_list("name", flat=True)) == ["researcher"]
    assert not alice.is_staff
    assert not alice.has_usable_password()
    key = output.splitlines()[-1]
    assert output == (
        "Created researcher 'alice' without a password: API token only (`changepassword alice` "
        f"gives one).\nAPI token (keep it; shown once):\n{key}\n"
    )
    # Only the key's digest is stored: the printed key cannot be read back from the database.
    token = ApiToken.objects.get(user=alice)
    assert token.digest == digest_of(key)
    assert key.startswith(f"{token.prefix}.")
    assert key not in str(ApiToken.objects.filter(user=alice).values().get())

    client = APIClient(HTTP_AUTHORIZATION=f"Token {output.splitlines()[-1]}")
    assert client.get("/api/v1/requests/").status_code == 200
    response = client.post(
        "/api/v1/campaigns/",
        {
            "title": "Stop and search",
            "question": "How many?",
            "period_start": "2024-04-01",
            "period_end": "2025-03-31",
        },
    )
    assert response.status_code == 201
    assert response.json()["owner"] == "alice"


def test_a_consumer_token_reads_but_cannot_write(db):
    token = run("adduser", "reader", "--role", "consumer").splitlines()[-1]
    client = APIClient(HTTP_AUTHORIZATION=f"Token {token}")
    # A consumer reads what is published (the reports), not the records behind them.
    assert client.get("/api/v1/releases/").status_code == 200
    assert client.get("/api/v1/campaigns/").status_code == 403
    assert client.post("/api/v1/campaigns/", {}).status_code == 403


def test_adduser_refuses_a_token_longer_than_the_longest_lifetime(db):
    with pytest.raises(CommandError, match=r"--expires-in-days must be 1 to 365\."):
        run("adduser", "reader", "--role", "consumer", "--expires-in-days", "366")
    assert not User.objects.filter(username="reader").exists()


def test_adduser_with_the_admin_role_makes_staff_who_can_sign_in(db):
    """Staff, not superusers: the admin role's group gives them the admin (test_admin_roles)."""
    run("adduser", "boss", "--role", "admin", "--password", "a-long-admin-password")
    boss = User.objects.get(username="boss")
    assert (boss.is_staff, boss.is_superuser) == (True, False)
    assert boss.check_password("a-long-admin-password")
    assert list(boss.groups.values_list("name", flat=True)) == ["admin"]
    assert boss.has_perm("responses_app.change_figure")


@pytest.mark.parametrize("role", ["researcher", "data_entry", "consumer"])
def test_adduser_gives_every_role_a_password_for_the_pages_and_never_prints_it(
    db, client, caplog, capsys, role
):
    output = run("adduser", "bob", "--role", role, "--password", "lighthouse-keeper-42")
    assert output.startswith(f"Created {role} 'bob' with a password to sign in to the pages.\n")
    user = User.objects.get(username="bob")
    assert (user.is_staff, user.check_password("lighthouse-keeper-42")) == (False, True)
    signed_in = client.post(
        "/accounts/login/", {"username": "bob", "password": "lighthouse-keeper-42"}
    )
    assert (signed_in.status_code, signed_in["Location"]) == (302, "/")
    printed = output + "".join(capsys.readouterr()) + caplog.text
    assert "lighthouse-keeper-42" not in printed


def test_adduser_asks_for_the_password_twice_when_given_no_value(db, monkeypatch):
    answers = iter(["lighthouse-keeper-42", "lighthouse-keeper-42"])
    prompts = []
    monkeypatch.setattr(
        adduser.getpass, "getpass", lambda prompt: prompts.append(prompt) or next(answers)
    )
    run("adduser", "bob", "--role", "data_entry", "--password")
    assert prompts == ["Password: ", "Password (again): "]
    assert User.objects.get(username="bob").check_password("lighthouse-keeper-42")


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (["lighthouse-keeper-42", "lighthouse-keeper-24"], "The two passwords differ"),
        (["short", "short"], "--password: This password is too short."),
        (["password123", "password123"], "--password: This password is too common."),
        (["harriet99", "harriet99"], "too similar to the username"),
    ],
)
def test_adduser_refuses_a_mistyped_or_weak_password_and_creates_nothing(
    db, monkeypatch, typed, message
):
    answers = iter(typed)
    monkeypatch.setattr(adduser.getpass, "getpass", lambda prompt: next(answers))
    before = users_and_tokens()
    with pytest.raises(CommandError, match=message):
        run("adduser", "harriet", "--role", "researcher", "--password")
    assert users_and_tokens() == before


def test_adduser_refuses_a_name_that_is_taken_and_creates_nothing(db):
    run("adduser", "alice", "--role", "researcher")
    before = users_and_tokens()
    with pytest.raises(CommandError, match=r"A user called 'alice' already exists\."):
        run("adduser", "alice", "--role", "consumer")
    assert users_and_tokens() == before
    assert list(User.objects.get(username="alice").groups.values_list("name", flat=True)) == [
        "researcher"
    ]


def test_adduser_refuses_an_unknown_role_and_creates_nothing(db):
    before = users_and_tokens()
    with pytest.raises(CommandError, match="invalid choice: 'superhero'"):
        run("adduser", "alice", "--role", "superhero")
    assert users_and_tokens() == before


def test_adduser_requires_a_role(db):
    with pytest.raises(CommandError, match="--role"):
        run("adduser", "alice")
    assert not User.objects.filter(username="alice").exists()


def test_adduser_refuses_a_bad_email_and_creates_nothing(db):
    before = users_and_tokens()
    message = r"--email: 'alice-at-example' is not an email address\."
    with pytest.raises(CommandError, match=message):
        run("adduser", "alice", "--role", "researcher", "--email", "alice-at-example")
    assert users_and_tokens() == before


def test_load_forces_is_idempotent_and_repairs_edited_rows(db):
    Force.objects.filter(slug="kent").update(name="Edited by hand", regime="foi-jersey-2011")
    assert run("load_forces") == "Force register loaded: 46 forces.\n"
    assert run("load_forces") == "Force register loaded: 46 forces.\n"
    assert Force.objects.count() == 46
    kent = Force.objects.get(slug="kent")
    assert (kent.name, kent.regime) == ("Kent Police", "foia-2000")


def test_load_forces_keeps_the_primary_keys_that_requests_point_at(db):
    before = dict(Force.objects.values_list("slug", "pk"))
    run("load_forces")
    assert dict(Force.objects.values_list("slug", "pk")) == before


def test_local_admin_creates_the_admin_once(db):
    first = run("local_admin")
    run("local_admin")
    admin = User.objects.get(username="admin")
    assert User.objects.filter(username="admin").count() == 1
    assert (admin.is_staff, admin.is_superuser) == (True, True)
    assert admin.check_password("foi-tracker-local")
    assert "Sign in at " in first and "'admin'" in first


def test_local_admin_leaves_a_changed_password_alone(db):
    run("local_admin")
    admin = User.objects.get(username="admin")
    admin.set_password("changed-by-the-user")
    admin.save()
    run("local_admin")
    admin.refresh_from_db()
    assert admin.check_password("changed-by-the-user")


def test_local_admin_is_refused_in_production(db, settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="local_admin is for a laptop"):
        run("local_admin")
    assert not User.objects.filter(username="admin").exists()
