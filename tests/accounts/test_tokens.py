"""API tokens: stored as a digest, shown once, revocable, optionally expiring; refusals are 401s
in the API's error shape and logged without the key."""

from __future__ import annotations

import datetime as dt
import logging
from io import StringIO

import pytest
import time_machine
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.management import CommandError, call_command
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.keys import digest_of
from accounts.models import ApiToken
from accounts.services import token_create, token_revoke

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def with_key(key: str) -> APIClient:
    return APIClient(HTTP_AUTHORIZATION=f"Token {key}")


def test_it_stores_only_the_digest_of_a_key_that_signs_in(owner):
    issued = token_create(user=owner, name="laptop")
    row = ApiToken.objects.values().get(pk=issued.token.pk)
    assert row["digest"] == digest_of(issued.key)
    assert issued.key not in str(row)
    assert issued.key.startswith(f"{row['prefix']}.")
    assert len(issued.key) == 8 + 1 + 54  # hex prefix, dot, 40 random bytes in base64
    assert with_key(issued.key).get("/api/v1/requests/").status_code == 200
    assert ApiToken.objects.get(pk=issued.token.pk).last_used_at == NOW


@pytest.mark.parametrize(
    "key",
    [
        "not-a-real-token",
        "0123abcd." + "x" * 54,  # the right shape, but no such key
    ],
)
def test_it_refuses_a_forged_token_with_401_and_logs_it_without_the_key(db, caplog, key):
    with caplog.at_level(logging.WARNING, logger="accounts.authentication"):
        response = with_key(key).get("/api/v1/requests/")
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token.", "errors": []}
    [record] = [r for r in caplog.records if r.name == "accounts.authentication"]
    assert (record.getMessage(), record.reason, record.path) == (
        "API token refused",
        "unknown",
        "/api/v1/requests/",
    )
    assert key not in str(vars(record))


def test_a_known_prefix_with_the_wrong_secret_is_refused(owner):
    issued = token_create(user=owner)
    forged = issued.key[:9] + ("A" if issued.key[9] != "A" else "B") + issued.key[10:]
    assert with_key(forged).get("/api/v1/requests/").status_code == 401


def test_it_refuses_an_expired_token_from_the_moment_it_expires(owner, caplog):
    issued = token_create(user=owner, expires_at=NOW + dt.timedelta(days=30))
    with time_machine.travel(NOW + dt.timedelta(days=30, seconds=-1), tick=False):
        assert with_key(issued.key).get("/api/v1/requests/").status_code == 200
    with (
        time_machine.travel(NOW + dt.timedelta(days=30), tick=False),
        caplog.at_level(logging.WARNING, logger="accounts.authentication"),
    ):
        response = with_key(issued.key).get("/api/v1/requests/")
    assert response.status_code == 401
    assert response.json() == {"detail": "This token has expired.", "errors": []}
    [record] = [r for r in caplog.records if r.name == "accounts.authentication"]
    assert (record.reason, record.token_prefix) == ("expired", issued.token.prefix)


def test_it_refuses_a_revoked_token(owner):
    issued = token_create(user=owner)
    assert token_revoke(token=issued.token) is True
    assert token_revoke(token=issued.token) is False
    response = with_key(issued.key).get("/api/v1/requests/")
    assert response.status_code == 401
    assert response.json()["detail"] == "This token has been revoked."


def test_it_refuses_the_token_of_a_deactivated_user(owner):
    issued = token_create(user=owner)
    owner.is_active = False
    owner.save()
    assert with_key(issued.key).get("/api/v1/requests/").status_code == 401


def test_it_refuses_an_expiry_in_the_past_and_makes_nothing(owner, client_for):
    response = client_for(owner).post(
        "/api/v1/tokens/", {"expires_at": "2026-03-01T09:00:00Z"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "expires_at", "message": "The expiry must be in the future."}
    ]
    assert not ApiToken.objects.exists()


def test_a_user_makes_lists_and_revokes_their_own_tokens_and_sees_the_key_once(
    owner, colleague, client_for
):
    me = client_for(owner)
    made = me.post("/api/v1/tokens/", {"name": "newsroom"}, format="json")
    assert made.status_code == 201
    body = made.json()
    key = body["key"]
    assert body["name"] == "newsroom" and key.startswith(body["prefix"] + ".")
    listed = me.get("/api/v1/tokens/").json()["results"]
    assert [t["prefix"] for t in listed] == [body["prefix"]]
    assert "key" not in listed[0]
    assert "key" not in me.get(f"/api/v1/tokens/{body['id']}/").json()
    # A colleague can neither see nor revoke it.
    assert client_for(colleague).delete(f"/api/v1/tokens/{body['id']}/").status_code == 404
    assert with_key(key).get("/api/v1/campaigns/").status_code == 200
    # The key revokes itself: DELETE signed in with it.
    assert with_key(key).delete(f"/api/v1/tokens/{body['id']}/").status_code == 204
    assert with_key(key).get("/api/v1/campaigns/").status_code == 401
    assert ApiToken.objects.get(pk=body["id"]).revoked_at == NOW


def test_revoke_token_by_prefix_and_by_user(owner):
    first, second = token_create(user=owner), token_create(user=owner)
    out = StringIO()
    call_command("revoke_token", first.token.prefix, stdout=out)
    assert out.getvalue() == f"Revoked token {first.token.prefix} of 'owner'.\n"
    out = StringIO()
    call_command("revoke_token", "--user", "owner", stdout=out)
    assert out.getvalue() == "Revoked 1 token(s) of 'owner'.\n"
    assert ApiToken.objects.filter(revoked_at__isnull=True).count() == 0
    assert with_key(second.key).get("/api/v1/requests/").status_code == 401
    with pytest.raises(CommandError, match="No token starts with 'ffffffff'"):
        call_command("revoke_token", "ffffffff")


def test_the_admin_revoke_action_is_in_the_admin_history(owner, staff):
    issued = token_create(user=owner)
    client = APIClient()
    client.force_login(staff)
    response = client.post(
        "/admin/accounts/apitoken/",
        {"action": "revoke", "_selected_action": [issued.token.pk]},
        format="multipart",
    )
    assert response.status_code == 302
    issued.token.refresh_from_db()
    assert issued.token.revoked_at == NOW
    entry = LogEntry.objects.get()
    assert (entry.user, entry.action_flag, entry.object_id, entry.change_message) == (
        staff,
        CHANGE,
        str(issued.token.pk),
        "Revoked.",
    )


def test_the_admin_cannot_make_a_token_for_someone_else(staff):
    client = APIClient()
    client.force_login(staff)
    assert client.get("/admin/accounts/apitoken/add/").status_code == 403
    assert client.get("/admin/accounts/apitoken/").status_code == 200


def test_use_is_recorded_at_most_once_an_hour(owner):
    issued = token_create(user=owner)
    with_key(issued.key).get("/api/v1/forces/?page_size=1")
    later = timezone.now() + dt.timedelta(minutes=59)
    with time_machine.travel(later, tick=False):
        with_key(issued.key).get("/api/v1/forces/?page_size=1")
    assert ApiToken.objects.get().last_used_at == NOW
