import pytest

pytestmark = pytest.mark.django_db


def test_the_api_answers_401_without_a_login(client):
    response = client.get("/api/org/me")
    assert response.status_code == 401


def test_the_api_tells_who_is_logged_in(client, personas):
    client.force_login(personas.liaison)
    data = client.get("/api/org/me").json()
    assert data == {
        "username": "charlie",
        "name": "赵敏",
        "role": "unit",
        "role_label": "单位联络员",
        "unit_id": personas.finance.pk,
        "leader_id": None,
    }


def test_the_api_lists_the_directory(client, personas):
    client.force_login(personas.outsider)
    data = client.get("/api/org/units", {"kind": "department"}).json()
    assert [unit["short_name"] for unit in data] == ["财政局", "住建局"]
    assert data[0]["aliases"] == ["财政"]


def test_the_schema_and_the_docs_are_served_without_the_internet(client, personas):
    client.force_login(personas.office)
    schema = client.get("/api/openapi.json").json()
    assert "/api/org/me" in schema["paths"]
    docs = client.get("/api/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle" in docs
    assert "cdn" not in docs.lower()


def test_the_schema_and_the_docs_need_a_login_or_a_token(client, personas, settings):
    from luoshi.org.services import api_token_create

    schema = client.get("/api/openapi.json")
    assert schema.status_code == 401 and "请登录" in schema.json()["detail"]
    docs = client.get("/api/docs")
    assert docs.status_code == 302 and docs["Location"].startswith("/login/?next=/api/docs")

    _, secret = api_token_create(user=personas.liaison, name="脚本")
    with_token = client.get("/api/openapi.json", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert with_token.status_code == 200 and "/api/org/me" in with_token.json()["paths"]
    assert client.get("/api/openapi.json", HTTP_AUTHORIZATION="Bearer ls_wrong").status_code == 401

    settings.LUOSHI_API_DOCS_PUBLIC = True
    assert client.get("/api/openapi.json").status_code == 200
