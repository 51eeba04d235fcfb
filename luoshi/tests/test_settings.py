"""Start-up refuses bad configuration, and `check --deploy` is clean in production."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "k8Jm2vQ9xZr4Lw7Tn1Bp6Yc3Hd5Fg0Ks9Ue2Ra7Wi4Oq1Mz8Nv3Xb6Cy5Pt0Lh"


def _manage(*args, **env):
    base = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "LUOSHI_", "DEBUG", "SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS"))
    }
    base.update({"DJANGO_SETTINGS_MODULE": "luoshi.settings", "LUOSHI_VAR_DIR": str(ROOT / "var"), **env})
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=base, capture_output=True, text=True, timeout=120
    )


def test_a_missing_secret_key_with_debug_off_stops_start_up_naming_it(tmp_path):
    # An empty var/: no secret_key file written by `make run` to fall back on.
    result = _manage("check", DEBUG="0", LUOSHI_VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "key",
    [
        "short-key-1234567890",
        "请替换为至少50个随机字符",
        "a" * 60,
        "please-replace-this-secret-key-here-0123456789abcdefghij",
    ],
)
def test_a_weak_secret_key_stops_start_up_when_debug_is_off(key, tmp_path):
    result = _manage("check", DEBUG="0", SECRET_KEY=key, LUOSHI_VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "SECRET_KEY 太弱" in result.stderr and "Traceback" not in result.stderr


def test_the_secret_make_run_writes_into_var_is_read_when_the_variable_is_unset(tmp_path):
    (tmp_path / "secret_key").write_text(STRONG_KEY + "\n")
    result = _manage(
        "shell", "-c", "from django.conf import settings; print(settings.SECRET_KEY)",
        DEBUG="0", LUOSHI_VAR_DIR=str(tmp_path),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == STRONG_KEY


@pytest.mark.parametrize("url", ["mysql://root@localhost/luoshi", "oracle://x@y/z", "nosuchscheme://whatever"])
def test_an_unknown_database_url_scheme_stops_start_up_naming_it(url):
    result = _manage("check", DEBUG="1", DATABASE_URL=url)
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DEBUG", "maybe"),
        ("LUOSHI_SESSION_IDLE_MINUTES", "半小时"),
        ("LUOSHI_SESSION_IDLE_MINUTES", "0"),
        ("LUOSHI_HTTPS", "是"),
    ],
)
def test_a_bad_value_stops_start_up_naming_the_variable(name, value):
    result = _manage("check", **{"DEBUG": "1", name: value})
    assert result.returncode != 0
    assert name in result.stderr


def _deploy_warnings(**env) -> set[str]:
    result = _manage(
        "check", "--deploy", "--fail-level", "CRITICAL",
        DEBUG="0", SECRET_KEY=STRONG_KEY, ALLOWED_HOSTS="luoshi.county.gov.cn", **env,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return set(re.findall(r"\(([a-z_.]+\.[WE]\d+)\)", result.stderr + result.stdout))


def test_check_deploy_reports_nothing_with_https_on():
    assert _deploy_warnings(LUOSHI_HTTPS="1") == set()


def test_check_deploy_reports_only_the_four_https_warnings_with_https_off():
    assert _deploy_warnings(LUOSHI_HTTPS="0") <= {"security.W004", "security.W008", "security.W012", "security.W016"}
    assert _deploy_warnings(LUOSHI_HTTPS="0") == {"security.W004", "security.W008", "security.W012", "security.W016"}


def test_the_settings_follow_the_house_rules(settings):
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.USE_TZ
    assert settings.SESSION_SAVE_EVERY_REQUEST
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
        assert "journal_mode=WAL" in database["OPTIONS"]["init_command"]
