"""The 争先进位 API: indicators with their latest rank, one indicator's periods, values in as JSON."""

import pytest

from luoshi.rankings.models import IndicatorValue, ValueImport
from luoshi.testing import PASSWORD

pytestmark = pytest.mark.usefixtures("november_2026")

GROWTH = {"示范": 10.8, "东山县": 20, "西河县": 12, "南岭县": 15.5, "北湖区": 9, "青松县": 4, "白云县": 8.2}


def _post(client, city, rows=None, **extra):
    rows = rows or [{"indicator_id": city["investment"].pk, "county": name, "value": 50, "growth": growth}
                    for name, growth in GROWTH.items()]  # fmt: skip
    return client.post("/api/rankings/values", {"year": 2026, "month": 10, "rows": rows, **extra},
                       content_type="application/json")  # fmt: skip


def test_values_in_as_json_rank_and_list_with_rule_and_status(client, city):
    client.login(username=city["p"].office.username, password=PASSWORD)
    response = _post(client, city)
    assert response.status_code == 200, response.json()
    assert response.json() == {"created": 7, "changed": 0}
    listing = client.get("/api/rankings/indicators").json()
    investment = next(item for item in listing if item["name"] == "实际利用省外资金")
    latest = investment["latest"]
    assert (latest["rank"], latest["counties_ranked"], latest["status"], investment["rule_label"]) == (
        4,
        7,
        "broken",
        "保三争一",
    )
    assert latest["gaps"]["to_above_text"] == "距第3名西河县差1.2个百分点"
    detail = client.get(f"/api/rankings/indicators/{city['investment'].pk}").json()
    period = detail["periods"][0]
    assert period["period"] == 202610 and period["counties"][0] == {
        "county": "东山县", "ours": False, "value": 50.0, "growth": 20.0, "rank": 1, "sheet_rank": None,
    }  # fmt: skip


def test_an_unknown_county_refuses_the_whole_batch_with_suggestions(client, city):
    client.login(username=city["p"].office.username, password=PASSWORD)
    rows = [{"indicator_id": city["investment"].pk, "county": "示范县", "growth": 1},
            {"indicator_id": city["investment"].pk, "county": "青松镇", "growth": 2}]  # fmt: skip
    response = _post(client, city, rows)
    assert response.status_code == 400
    assert response.json()["detail"] == "第2项:县(市、区)“青松镇”不在全市名单中。是否为:青松县?"
    assert IndicatorValue.objects.count() == 0


def test_the_same_idempotency_key_twice_saves_once(client, city):
    client.login(username=city["p"].office.username, password=PASSWORD)
    assert _post(client, city, token="k-1").status_code == 200
    assert _post(client, city, token="k-1").status_code == 409
    assert ValueImport.objects.count() == 1


def test_another_units_indicator_is_a_404_and_a_unit_cannot_post_where_not_allowed(client, city):
    client.login(username=city["p"].liaison.username, password=PASSWORD)
    assert client.get(f"/api/rankings/indicators/{city['gdp'].pk}").status_code == 404
    assert [item["name"] for item in client.get("/api/rankings/indicators").json()] == ["实际利用省外资金"]
    refused = _post(client, city)
    assert refused.status_code == 403 and "无权填报" in refused.json()["detail"]
    gdp = [{"indicator_id": city["gdp"].pk, "county": "示范县", "growth": 1}]
    assert _post(client, city, gdp).status_code == 404


def test_a_bad_month_is_refused_in_chinese(client, city):
    client.login(username=city["p"].office.username, password=PASSWORD)
    response = client.post("/api/rankings/values", {"year": 2026, "month": 13, "rows": []},
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 422 and "月份(month):不能大于 12" in response.json()["detail"]


def test_the_schema_documents_the_rankings_endpoints(client, city):
    client.login(username=city["p"].office.username, password=PASSWORD)
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {"/api/rankings/indicators", "/api/rankings/indicators/{indicator_id}", "/api/rankings/values"} <= set(paths)
