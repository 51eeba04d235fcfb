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
    schema = client.get("/api/openapi.json").json()
    assert "/api/org/me" in schema["paths"]
    client.force_login(personas.office)
    docs = client.get("/api/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle" in docs
    assert "cdn" not in docs.lower()
