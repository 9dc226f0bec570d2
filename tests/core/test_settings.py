"""Production settings are checked in a fresh process, as a deployment would start them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "k3y-" + "x7Qp9Lm2Zr8Vt5Nw" * 4


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DJANGO_ENV")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_under_production_settings():
    result = manage(
        "check",
        "--deploy",
        DJANGO_ENV="production",
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="foi.example.org",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNINGS" not in result.stderr


PRODUCTION = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": STRONG_KEY,
    "ALLOWED_HOSTS": "foi.example.org",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_start_up_fails_clearly_without_a_secret(missing):
    env = dict(PRODUCTION)
    env[missing] = ""
    result = manage("check", **env)
    assert result.returncode != 0
    assert f"{missing} must be set when DJANGO_ENV=production." in result.stderr


def test_development_settings_need_no_secret():
    result = manage("check")
    assert result.returncode == 0, result.stderr


def test_production_refuses_to_start_without_a_broker():
    result = manage("check", **{**PRODUCTION, "REDIS_URL": ""})
    assert result.returncode != 0
    assert "REDIS_URL must be set when DJANGO_ENV=production" in result.stderr


def test_production_runs_tasks_in_process_only_when_asked_by_name():
    result = manage("check", **{**PRODUCTION, "REDIS_URL": "", "TASKS_IN_PROCESS": "1"})
    assert result.returncode == 0, result.stderr
