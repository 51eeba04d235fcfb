"""The plans API: a project posted with its steps and links, its schedule, a unit's plans."""

import pytest
from django.test import Client

from luoshi.org.services import api_token_create
from luoshi.plans.models import Project

pytestmark = pytest.mark.django_db


def _client(user):
    _, secret = api_token_create(user=user, name="脚本")
    return Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {secret}"})


def _body(personas, **extra):
    body = {
        "name": "县第二高中建设",
        "unit": personas.finance.pk,
        "deadline": "2026-06-30",
        "steps": [
            {"name": "立项", "duration": 10},
            {"name": "可研", "duration": 20, "unit": personas.township.pk},
            {"name": "用地", "duration": 5},
        ],
        "dependencies": [
            {"predecessor": 1, "successor": 2},
            {"predecessor": 2, "successor": 3, "type": "SS", "lag": 5},
        ],
    }
    body.update(extra)
    return body


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_the_office_posts_a_project_and_reads_its_schedule(clock, personas):
    api = _client(personas.office)
    response = post(api, "/api/plans/projects", _body(personas, token="p-1"))
    assert response.status_code == 201, response.content.decode()
    data = response.json()
    assert [s["name"] for s in data["steps"]] == ["立项", "可研", "用地"]
    # Backward from Tue 30 June: 可研 ends on it; 用地 starts 5 working days after 可研 and ends on it too.
    assert data["steps"][1]["latest_finish"] == "2026-06-30"
    assert data["steps"][2]["latest_finish"] == "2026-06-30"
    assert data["steps"][1]["unit"] == "城关镇"
    assert data["steps"][0]["earliest_start"] == "2026-03-02"
    assert [s["critical"] for s in data["steps"]] == [True, True, False]
    assert data["buffer"] > 0 and 0 <= data["front_share"] <= 1
    schedule = api.get(f"/api/plans/projects/{data['id']}/schedule").json()
    assert schedule["steps"] == data["steps"]
    # The same idempotency key creates nothing twice.
    assert post(api, "/api/plans/projects", _body(personas, token="p-1")).status_code == 409
    assert Project.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"dependencies": [{"predecessor": 1, "successor": 2}, {"predecessor": 2, "successor": 1}]}, "循环"),
        ({"steps": [{"name": "立项", "duration": -3}], "dependencies": []}, "“立项”的工期应为正数"),
        ({"deadline": "2026-02-27"}, "早于今天"),
        ({"dependencies": [{"predecessor": 1, "successor": 2, "type": "SS", "lag": -2}]}, "早于项目开始日"),
        ({"dependencies": [{"predecessor": 1, "successor": 9}]}, "步骤序号 9 不存在"),
    ],
    ids=["cycle", "duration", "deadline", "lag", "step"],
)
def test_bad_input_is_refused_in_chinese(clock, personas, change, message):
    response = post(_client(personas.office), "/api/plans/projects", _body(personas, **change))
    assert response.status_code == 400
    assert message in response.json()["detail"]
    assert not Project.objects.exists()


def test_an_unattainable_deadline_is_accepted_with_a_red_light(clock, personas):
    response = post(_client(personas.office), "/api/plans/projects", _body(personas, deadline="2026-03-20"))
    assert response.status_code == 201
    assert response.json()["light"] == "red"
    assert response.json()["buffer"] < 0


def test_a_liaison_cannot_create_and_another_unit_gets_404(clock, personas):
    assert post(_client(personas.liaison), "/api/plans/projects", _body(personas)).status_code == 403
    project_id = post(_client(personas.office), "/api/plans/projects", _body(personas)).json()["id"]
    outsider = _client(personas.outsider)
    assert outsider.get(f"/api/plans/projects/{project_id}/schedule").status_code == 404
    assert outsider.get(f"/api/plans/units/{personas.finance.pk}/plans").status_code == 404
    assert _client(personas.liaison).get(f"/api/plans/projects/{project_id}/schedule").status_code == 200


def test_a_units_plans_list_its_projects(clock, personas):
    post(_client(personas.office), "/api/plans/projects", _body(personas))
    data = _client(personas.liaison).get(f"/api/plans/units/{personas.finance.pk}/plans").json()
    assert data["name"] == "财政局"
    assert [p["name"] for p in data["projects"]] == ["县第二高中建设"]
    assert data["projects"][0]["deadline"] == "2026-06-30"


def test_a_units_plans_carry_their_items_actuals_and_lights(clock, personas):
    from datetime import date

    from luoshi.plans import cascade
    from luoshi.plans.cascade import ItemInput
    from luoshi.plans.models import Plan

    plan = cascade.plan_save(
        unit=personas.finance, horizon=Plan.Horizon.ANNUAL, year=2026, by=personas.liaison,
        items=[ItemInput("固定资产投资", "完成投资", "亿元", 12.0)],
    )  # fmt: skip
    clock(date(2026, 4, 8))
    cascade.plan_actuals_save(plan=plan, month=3, values={plan.items.get().pk: (6.0, "")}, by=personas.liaison)
    data = _client(personas.leader).get(f"/api/plans/units/{personas.finance.pk}/plans").json()
    (item,) = data["plans"][0]["items"]
    assert data["plans"][0]["horizon"] == "annual"
    assert item["actuals"] == {"3": 6.0}
    assert item["expected"] == cascade.default_profile(12.0)[2]
    assert item["light"] == "green"
