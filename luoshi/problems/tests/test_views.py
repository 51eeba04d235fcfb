import io
from datetime import date

import pytest
from docx import Document

from luoshi.audit.models import AuditEntry
from luoshi.org.models import Leader, User
from luoshi.problems.models import CollectiveDecision, Problem
from luoshi.problems.risks import risk_create, risk_review
from luoshi.problems.services import accountability_create, problem_escalate
from luoshi.testing import PASSWORD


@pytest.fixture
def other_leader(personas):
    row = Leader.objects.create(name="王五", title="副县长", order=30)
    row.supervises.set([personas.housing])
    user = User(username="fiona", name="王五", role=User.Role.LEADER, leader=row)
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def finance_clerk(personas):
    """Another account of the finance bureau: not the head the office named on the problem."""
    user = User(username="gina", name="财政局另一账号", role=User.Role.UNIT, unit=personas.finance)
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def record(personas):
    return accountability_create(
        case="安置资金拨付滞后", unit=personas.finance, people="张某(科长)", facts="资金滞留三个月",
        answers={"intentional": (False, ""), "malicious": (False, ""), "serious": (True, "审计报告")},
        by=personas.office,
    )  # fmt: skip


def _reads(obj, action):
    return AuditEntry.objects.for_object(obj).filter(action=action)


def test_the_ledger_lists_what_the_user_may_see(client, personas, problem):
    client.force_login(personas.liaison)
    assert "城南安置小区办证难" in client.get("/problems/").content.decode()
    client.force_login(personas.outsider)
    assert "城南安置小区办证难" not in client.get("/problems/").content.decode()


def test_it_refuses_another_units_problem(client, personas, problem):
    client.force_login(personas.outsider)
    assert client.get(f"/problems/{problem.pk}/").status_code == 404


@pytest.mark.parametrize("who", ["office", "leader", "liaison"])
def test_key_people_show_to_the_office_the_responsible_leader_and_the_unit_head_and_each_read_is_logged(
    client, personas, problem, who
):
    user = getattr(personas, who)
    client.force_login(user)
    page = client.get(f"/problems/{problem.pk}/").content.decode()
    assert "上访代表" in page and "13800000000" in page
    assert _reads(problem, "read_key_people").filter(actor=user).count() == 1


def test_key_people_are_hidden_from_other_units_and_leaders_not_concerned_and_the_attempt_is_logged(
    client, personas, problem, other_leader, finance_clerk
):
    # A clerk of the lead unit sees the problem, not its key people.
    client.force_login(finance_clerk)
    page = client.get(f"/problems/{problem.pk}/")
    assert page.status_code == 200 and "13800000000" not in page.content.decode()
    assert client.get(f"/problems/{problem.pk}/people/").status_code == 404
    # Another unit and a leader who does not 分管 the lead unit see neither.
    for user in (personas.outsider, other_leader):
        client.force_login(user)
        assert client.get(f"/problems/{problem.pk}/").status_code == 404
        assert client.get(f"/problems/{problem.pk}/people/").status_code == 404
    denied = _reads(problem, "denied_key_people")
    assert set(denied.values_list("actor__username", flat=True)) == {"gina", "dave", "fiona"}


def test_the_lead_units_head_account_marked_in_org_reads_key_people_and_another_units_head_does_not(
    client, personas, problem, finance_clerk
):
    head_of_housing = User(username="hank", name="住建局局长", role=User.Role.UNIT, unit=personas.housing,
                           is_unit_head=True)  # fmt: skip
    head_of_housing.save()
    problem.supporting.add(personas.housing)  # it sees the problem, as a supporting unit
    User.objects.filter(pk=finance_clerk.pk).update(is_unit_head=True)
    client.force_login(finance_clerk)
    assert "13800000000" in client.get(f"/problems/{problem.pk}/").content.decode()
    assert client.get(f"/problems/{problem.pk}/people/").status_code == 200
    client.force_login(head_of_housing)
    page = client.get(f"/problems/{problem.pk}/")
    assert page.status_code == 200 and "13800000000" not in page.content.decode()
    assert client.get(f"/problems/{problem.pk}/people/").status_code == 404
    assert client.get(f"/api/problems/{problem.pk}").json()["key_people"] is None
    assert _reads(problem, "read_key_people").filter(actor=finance_clerk).count() == 2
    assert _reads(problem, "denied_key_people").filter(actor=head_of_housing).count() == 1


def test_accountability_records_are_hidden_from_other_units_and_leaders_not_concerned(
    client, personas, record, other_leader
):
    for user in (personas.outsider, personas.leader, other_leader):
        client.force_login(user)
        assert "安置资金拨付滞后" not in client.get("/problems/accountability/").content.decode()
        assert client.get(f"/problems/accountability/{record.pk}/").status_code == 404
    assert _reads(record, "denied_read").count() == 3
    client.force_login(personas.liaison)
    assert "安置资金拨付滞后" in client.get("/problems/accountability/").content.decode()
    assert _reads(record, "read").filter(actor=personas.liaison, note="列表").count() == 1
    page = client.get(f"/problems/accountability/{record.pk}/").content.decode()
    assert "建议不予问责:主观故意、恶意不成立" in page and "慎重问责" in page
    assert _reads(record, "read").filter(actor=personas.liaison).count() == 2


def test_the_principal_leader_sees_accountability_records(client, personas, record):
    personas.leader_row.is_principal = True
    personas.leader_row.save()
    client.force_login(personas.leader)
    assert client.get(f"/problems/accountability/{record.pk}/").status_code == 200


def test_the_office_registers_a_problem_and_a_double_submit_creates_it_once(client, personas):
    client.force_login(personas.office)
    form = {"title": "某企业改制职工安置", "category": "企业改制", "lead_unit": personas.finance.pk,
            "key_people": "李某|职工代表|139", "token": "t-1"}  # fmt: skip
    assert client.post("/problems/new/", form).status_code == 302
    client.post("/problems/new/", form)
    problem = Problem.objects.get()
    assert problem.key_people == [{"name": "李某", "role": "职工代表", "contact": "139"}]


def test_an_escalation_past_level_three_is_refused_in_chinese(client, personas, problem):
    for _ in range(3):
        problem_escalate(problem=problem, reason="未化解", by=personas.office)
    client.force_login(personas.office)
    response = client.post(f"/problems/{problem.pk}/escalate/", {"reason": "再升"}, follow=True)
    assert "不能再升级" in response.content.decode()


def test_the_decision_prints_its_dissent_in_the_minutes(client, personas, problem):
    for _ in range(3):
        problem_escalate(problem=problem, reason="未化解", by=personas.office)
    client.force_login(personas.office)
    response = client.post(f"/problems/{problem.pk}/decide/", {
        "meeting": "县政府第12次常务会议", "day": "2026-03-16", "attendees": "张县长、李强、王副县长",
        "category": "funds", "amount": "1200", "matter": "垫付土地出让金", "votes_for": "2", "votes_against": "1",
        "dissent": "王副县长|垫付先例不宜开", "resolution": "由县财政垫付,分三年追缴",
        "tasks": "拨付垫付资金|财政局|2026-04-30\n分割办证|住建局|2026-05-30", "token": "d-1",
    })  # fmt: skip
    decision = CollectiveDecision.objects.get()
    assert response.status_code == 302 and decision.tasks.count() == 2
    page = client.get(decision.get_absolute_url()).content.decode()
    assert "王副县长" in page and "垫付先例不宜开" in page
    docx = client.get(f"/problems/decisions/{decision.pk}/docx/")
    text = "\n".join(p.text for p in Document(io.BytesIO(b"".join(docx.streaming_content))).paragraphs)
    assert "王副县长：垫付先例不宜开" in text and "拨付垫付资金" in text


def test_a_bad_task_line_is_refused_naming_its_line(client, personas, problem):
    for _ in range(3):
        problem_escalate(problem=problem, reason="未化解", by=personas.office)
    client.force_login(personas.office)
    response = client.post(f"/problems/{problem.pk}/decide/", {
        "meeting": "常务会", "day": "2026-03-16", "attendees": "张县长", "category": "major_decision",
        "matter": "某事", "consensus": "on", "resolution": "同意", "tasks": "拨付资金|不存在的局|2026-04-30",
    })  # fmt: skip
    assert "交办事项第 1 行:找不到牵头单位“不存在的局”" in response.content.decode()
    assert not CollectiveDecision.objects.exists()


def test_the_risk_register_shows_the_heat_map_data_and_each_trend(client, personas, clock):
    risk = risk_create(title="城投平台债务集中到期", kind="grey_rhino", field="债务", likelihood=3, impact=4,
                       owner_unit=personas.finance, by=personas.office)  # fmt: skip
    clock(date(2026, 4, 16))
    risk_review(risk=risk, likelihood=4, impact=5, note="", by=personas.office)
    client.force_login(personas.liaison)
    page = client.get("/problems/risks/").content.decode()
    assert "[[4, 5, 1]]" in page and "12 → 20" in page
    client.force_login(personas.outsider)
    assert "城投平台债务集中到期" not in client.get("/problems/risks/").content.decode()
    assert client.get(f"/problems/risks/{risk.pk}/").status_code == 404


def test_the_overdue_snippet_lists_a_problem_whose_level_ran_out(client, personas, problem, clock):
    problem_escalate(problem=problem, reason="交专业小组", by=personas.office)
    client.force_login(personas.office)
    assert "城南安置小区办证难" not in client.get("/problems/overdue/").content.decode()
    clock(date(2026, 4, 15))
    client.force_login(personas.office)  # a month later the session has expired
    page = client.get("/problems/overdue/").content.decode()
    assert "待升级的遗留问题" in page and "城南安置小区办证难" in page
    assert "本级处理时限(2026-04-14)已到" in client.get(f"/problems/{problem.pk}/").content.decode()


def test_the_timeline_reads_in_chinese(client, personas, problem):
    problem_escalate(problem=problem, reason="交专业小组研究", by=personas.office)
    client.force_login(personas.office)
    timeline = client.get(f"/problems/{problem.pk}/").content.decode().split("<h2>留痕</h2>")[1]
    assert "升级处理:交专业小组研究" in timeline and "处理层级:未启动 → 一级:专业小组" in timeline
    assert "level" not in timeline and "status" not in timeline


def test_another_unit_gets_404_for_a_decision_and_its_minutes(client, personas, problem):
    from luoshi.problems.services import DecisionInput, decision_record

    for _ in range(3):
        problem_escalate(problem=problem, reason="未化解", by=personas.office)
    decision = decision_record(
        problem=problem, by=personas.office,
        data=DecisionInput(meeting="常务会", day=date(2026, 3, 16), attendees=["张县长"], category="major_decision",
                           matter="某事", resolution="同意", consensus=True),
    )  # fmt: skip
    client.force_login(personas.outsider)
    assert client.get(f"/problems/decisions/{decision.pk}/").status_code == 404
    assert client.get(f"/problems/decisions/{decision.pk}/docx/").status_code == 404
    client.force_login(personas.liaison)
    assert client.get(f"/problems/decisions/{decision.pk}/").status_code == 200


def test_a_level_meeting_keeps_the_brief_it_studied_with_its_options(client, personas, problem, clock):
    from luoshi.problems.models import LevelMeeting
    from luoshi.reports.tests.helpers import submitted_brief

    brief = submitted_brief(personas, subject="安置小区办证资金筹措")  # by the finance bureau, the lead unit
    other = submitted_brief(personas, subject="别的汇报")
    type(other).objects.filter(pk=other.pk).update(unit=personas.housing)  # another unit's brief: not offered
    problem_escalate(problem=problem, reason="交专业小组研究", by=personas.office)
    client.force_login(personas.office)
    form = {"day": "2026-03-16", "attendees": "专业小组全体", "options": "见汇报", "conclusion": "", "tasks": ""}
    client.post(f"/problems/{problem.pk}/meetings/", {**form, "brief": other.pk, "token": "m1"})
    assert not LevelMeeting.objects.exists()
    client.post(f"/problems/{problem.pk}/meetings/", {**form, "brief": brief.pk, "token": "m2"})
    assert LevelMeeting.objects.get().brief == brief
    page = client.get(f"/problems/{problem.pk}/").content.decode()
    assert "附汇报" in page and "安置小区办证资金筹措" in page
    assert "申请专项债券(推荐)" in page and "利:成本低、期限长" in page
