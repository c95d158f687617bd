"""Production settings refuse to start on a missing or placeholder secret, pass Django's
deployment checks with good secrets, and log JSON lines carrying the request id. Each case
runs in a subprocess with a controlled environment."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[2]
GOOD_SECRET = secrets.token_urlsafe(64)[:64]
GOOD_KEY = Fernet.generate_key().decode()

pytestmark = pytest.mark.slow


def _run(args: list[str], env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess:
    clean = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", str(tmp_path)),
        "DJANGO_SETTINGS_MODULE": "huntaze.config.settings.production",
        "HUNTAZE_VAR_DIR": str(tmp_path / "var"),
        **env,
    }
    return subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _import_production(env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess:
    return _run(["-c", "import huntaze.config.settings.production"], env, tmp_path)


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"TOKEN_ENCRYPTION_KEY": GOOD_KEY}, "NEXTAUTH_SECRET"),
        ({"NEXTAUTH_SECRET": "", "TOKEN_ENCRYPTION_KEY": GOOD_KEY}, "NEXTAUTH_SECRET"),
        ({"NEXTAUTH_SECRET": "changeme" * 8, "TOKEN_ENCRYPTION_KEY": GOOD_KEY}, "NEXTAUTH_SECRET"),
        (
            {
                "NEXTAUTH_SECRET": "<generate-with-openssl-rand-base64-32>",
                "TOKEN_ENCRYPTION_KEY": GOOD_KEY,
            },
            "NEXTAUTH_SECRET",
        ),
        ({"NEXTAUTH_SECRET": "short", "TOKEN_ENCRYPTION_KEY": GOOD_KEY}, "NEXTAUTH_SECRET"),
        ({"NEXTAUTH_SECRET": GOOD_SECRET}, "TOKEN_ENCRYPTION_KEY"),
        (
            {
                "NEXTAUTH_SECRET": GOOD_SECRET,
                "TOKEN_ENCRYPTION_KEY": "your-key-here-placeholder-0000000",
            },
            "TOKEN_ENCRYPTION_KEY",
        ),
    ],
)
def test_production_refuses_a_missing_or_placeholder_secret(tmp_path, env, named):
    result = _import_production(env, tmp_path)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert named in result.stderr


def test_production_accepts_good_secrets(tmp_path):
    result = _import_production(
        {"NEXTAUTH_SECRET": GOOD_SECRET, "TOKEN_ENCRYPTION_KEY": GOOD_KEY}, tmp_path
    )

    assert result.returncode == 0, result.stderr


def test_the_deployment_checks_pass_with_good_secrets(tmp_path):
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        {
            "NEXTAUTH_SECRET": GOOD_SECRET,
            "TOKEN_ENCRYPTION_KEY": GOOD_KEY,
            "NEXTAUTH_URL": "https://app.example.com",
        },
        tmp_path,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


_REQUEST_SCRIPT = """
import django
django.setup()
from django.test import Client
client = Client()
client.get("/api/v1/me", headers={"X-Request-Id": "trace-42"}, secure=True)
client.get("/api/v1/no-such-route", headers={"X-Request-Id": "trace-43"}, secure=True)
"""


def test_a_request_logs_json_lines_with_its_request_id(tmp_path):
    result = _run(
        ["-c", _REQUEST_SCRIPT],
        {
            "NEXTAUTH_SECRET": GOOD_SECRET,
            "TOKEN_ENCRYPTION_KEY": GOOD_KEY,
            "NEXTAUTH_URL": "https://app.example.com",
            "ALLOWED_HOSTS": "testserver",
            "LOG_FORMAT": "json",
            "LOG_LEVEL": "INFO",
        },
        tmp_path,
    )

    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    records = [json.loads(line) for line in lines]  # every line is JSON
    access = [r for r in records if r.get("event") == "request"]
    assert [(r["request_id"], r["path"], r["status"]) for r in access] == [
        ("trace-42", "/api/v1/me", 401),
        ("trace-43", "/api/v1/no-such-route", 404),
    ]
    assert all(r["level"] == "info" and "timestamp" in r for r in access)
    # Django's own records (here: "Not Found") are JSON too, with the request id.
    django_records = [r for r in records if r.get("logger") == "django.request"]
    assert django_records
    assert {r["request_id"] for r in django_records} <= {"trace-42", "trace-43"}
