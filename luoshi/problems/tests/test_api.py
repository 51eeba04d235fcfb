import pytest

from luoshi.audit.models import AuditEntry
from luoshi.problems.risks import risk_create, risk_review


def test_the_list_is_scoped_and_another_units_problem_is_404(client, personas, problem):
    client.force_login(personas.outsider)
    assert client.get("/api/problems").json()["count"] == 0
    assert client.get(f"/api/problems/{problem.pk}").status_code == 404
    client.force_login(personas.liaison)
    body = client.get("/api/problems").json()
    assert [row["title"] for row in body["results"]] == ["城南安置小区办证难"]


@pytest.mark.parametrize("who", ["office", "leader", "liaison"])
def test_key_people_are_present_for_the_office_the_responsible_leader_and_the_unit_head(client, personas, problem, who):
    client.force_login(getattr(personas, who))
    body = client.get(f"/api/problems/{problem.pk}").json()
    assert body["key_people"] == [{"name": "王某", "role": "上访代表", "contact": "13800000000"}]
    assert AuditEntry.objects.for_object(problem).filter(action="read_key_people").count() == 1


def test_key_people_are_null_for_a_unit_account_that_is_not_its_head(client, personas, problem):
    problem.lead_unit_head = None
    problem.save(update_fields=["lead_unit_head"])
    client.force_login(personas.liaison)
    body = client.get(f"/api/problems/{problem.pk}").json()
    assert body["key_people"] is None and body["contradiction"]


def test_escalate_moves_up_a_level_and_refuses_past_three(client, personas, problem):
    client.force_login(personas.office)
    for level in (1, 2, 3):
        response = client.post(
            f"/api/problems/{problem.pk}/escalate", {"reason": "未化解"}, content_type="application/json"
        )
        assert response.status_code == 200 and response.json()["level"] == level
    response = client.post(f"/api/problems/{problem.pk}/escalate", {"reason": "再升"}, content_type="application/json")
    assert response.status_code == 409 and "不能再升级" in response.json()["detail"]


def test_a_unit_cannot_escalate(client, personas, problem):
    client.force_login(personas.liaison)
    response = client.post(f"/api/problems/{problem.pk}/escalate", {"reason": "升"}, content_type="application/json")
    assert response.status_code == 403
    problem.refresh_from_db()
    assert problem.level == 0


def test_risks_carry_score_and_trend(client, personas):
    risk = risk_create(title="化工园区安全隐患", kind="black_swan", field="安全生产", likelihood=2, impact=5,
                       owner_unit=personas.finance, by=personas.office)  # fmt: skip
    risk_review(risk=risk, likelihood=3, impact=5, note="", by=personas.office)
    client.force_login(personas.liaison)
    row = client.get("/api/risks").json()["results"][0]
    assert (row["score"], row["trend"], row["rising"]) == (15, [10, 15], True)
    client.force_login(personas.outsider)
    assert client.get("/api/risks").json()["count"] == 0


def test_escalate_is_idempotent_by_token(client, personas, problem):
    client.force_login(personas.office)
    body = {"reason": "交专业小组", "token": "k-1"}
    client.post(f"/api/problems/{problem.pk}/escalate", body, content_type="application/json")
    second = client.post(f"/api/problems/{problem.pk}/escalate", body, content_type="application/json")
    assert second.status_code == 409
    problem.refresh_from_db()
    assert problem.level == 1
