import re
from pathlib import Path

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_visitor_is_sent_to_the_login_page(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_office_home_shows_the_organisation_and_the_missing_contacts(client, personas):
    client.force_login(personas.office)
    page = client.get(reverse("home")).content.decode()
    assert "联络信息待补的单位" in page
    assert "住建局" in page  # no liaison yet


def test_a_leaders_home_shows_the_units_they_oversee(client, personas):
    client.force_login(personas.leader)
    page = client.get(reverse("home")).content.decode()
    assert "常务副县长 · 分管(联系)单位" in page
    assert "财政局" in page and "城关镇" in page and "住建局" not in page


def test_a_liaisons_home_shows_their_unit_and_its_leader(client, personas):
    client.force_login(personas.liaison)
    page = client.get(reverse("home")).content.decode()
    assert "修改本单位联络信息" in page
    assert "常务副县长 李强" in page


def test_an_administrators_home_shows_recent_logins(client, personas):
    client.post(reverse("login"), {"username": "charlie", "password": "wrong1abc"})
    client.force_login(personas.admin)
    page = client.get(reverse("home")).content.decode()
    assert "最近登录" in page and "charlie" in page


def test_no_page_loads_anything_from_the_internet():
    root = Path(__file__).resolve().parents[2]
    files = [path for folder in ("templates", "static/css") for path in (root / folder).rglob("*") if path.is_file()]
    assert files
    offenders = [
        str(path) for path in files if re.search(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}/", path.read_text("utf-8"))
    ]
    assert offenders == []


def test_every_vendored_library_carries_its_licence():
    vendor = Path(__file__).resolve().parents[2] / "static" / "vendor"
    libraries = [path for path in vendor.iterdir() if path.is_dir()]
    assert {path.name for path in libraries} >= {"htmx", "pico"}
    for library in libraries:
        assert (library / "LICENSE").is_file(), library
