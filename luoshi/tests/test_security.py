"""Start-up refusals and the headers and limits every page shares (issue 20 §3)."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_every_page_carries_a_policy_that_allows_no_inline_script(client, personas):
    client.force_login(personas.office)
    for path in ["/", "/work/", "/login/", "/api/org/me", "/no-such-page/"]:
        policy = client.get(path)["Content-Security-Policy"]
        assert "script-src 'self';" in policy
        assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
        assert "frame-ancestors 'none'" in policy


def test_no_template_carries_an_inline_script_or_event_handler():
    import re

    inline = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
    handler = re.compile(r"\son[a-z]+\s*=", re.I)
    offenders = []
    for template in (ROOT / "templates").rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        if inline.search(text) or handler.search(text):
            offenders.append(str(template.relative_to(ROOT)))
    assert offenders == []


@pytest.mark.django_db
def test_the_api_is_rate_limited_per_account_with_a_chinese_json_answer(client, personas, settings):
    settings.LUOSHI_RATE_API_PER_MINUTE = 10
    client.force_login(personas.liaison)
    answers = [client.get("/api/org/me").status_code for _ in range(12)]
    assert answers[:10] == [200] * 10 and answers[10:] == [429, 429]
    refused = client.get("/api/org/me")
    assert "调用接口过于频繁" in refused.json()["detail"] and int(refused["Retry-After"]) > 0
    # Another account on the same address still gets through.
    client.force_login(personas.outsider)
    assert client.get("/api/org/me").status_code == 200


@pytest.mark.django_db
def test_uploads_are_rate_limited_per_account_and_per_address(client, personas, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.LUOSHI_RATE_UPLOADS_PER_10_MINUTES = 3
    settings.LUOSHI_RATE_IP_FACTOR = 2
    client.force_login(personas.liaison)

    def upload():
        return client.post("/ledger/import/", {"file": SimpleUploadedFile("a.xlsx", b"not a workbook")})

    codes = [upload().status_code for _ in range(4)]
    assert 429 not in codes[:3] and codes[3] == 429
    page = upload().content.decode()
    assert "本账号上传文件过于频繁" in page
    # The address allows 6 in all: a colleague behind the same address gets the remaining 3, then waits too.
    client.force_login(personas.outsider)
    codes = [upload().status_code for _ in range(4)]
    assert 429 not in codes[:3] and codes[3] == 429


@pytest.mark.django_db
def test_login_posts_are_rate_limited_per_address(client, settings):
    settings.LUOSHI_RATE_LOGIN_PER_IP = 10
    codes = [client.post("/login/", {"username": f"u{i}", "password": "x"}).status_code for i in range(11)]
    assert 429 not in codes[:10] and codes[10] == 429
