from datetime import date

import pytest
from django.db import DatabaseError, transaction

from luoshi.audit.models import AuditEntry
from luoshi.lib.errors import ActionError
from luoshi.problems.models import CollectiveDecision, Problem, ProblemHistory
from luoshi.problems.risks import risk_create, risk_review, risk_to_problem
from luoshi.problems.selectors import overdue_escalations
from luoshi.problems.services import (
    DecisionInput,
    accountability_create,
    accountability_decide,
    decision_record,
    level_meeting_record,
    petition_add,
    problem_close,
    problem_escalate,
    problem_history_add,
)
from luoshi.work.models import Task
from luoshi.work.services import TaskSpec


def _decision(**extra) -> DecisionInput:
    values = {
        "meeting": "县政府第12次常务会议", "day": date(2026, 3, 16), "attendees": ["张县长", "李强", "王副县长"],
        "absent": [], "category": CollectiveDecision.Category.FUNDS, "amount": 1200, "matter": "垫付土地出让金",
        "resolution": "由县财政垫付,分三年追缴", "votes_for": 2, "votes_against": 1,
        "dissent": [{"name": "王副县长", "opinion": "垫付先例不宜开"}],
    }  # fmt: skip
    values.update(extra)
    return DecisionInput(**values)


def _to_level(problem, level, by):
    for _ in range(level):
        problem_escalate(problem=problem, reason="本级未能化解", by=by)
    problem.refresh_from_db()
    return problem


def test_escalation_starts_a_level_with_its_working_day_limit(problem, personas):
    problem_escalate(problem=problem, reason="交专业小组研究", by=personas.office)
    problem.refresh_from_db()
    assert (problem.level, problem.status) == (1, Problem.Status.HANDLING)
    # 20 working days from Monday 16 March 2026, skipping 清明 (Monday 6 April), is Tuesday 14 April.
    assert problem.level_due == date(2026, 4, 14)


def test_it_refuses_escalating_past_level_three(problem, personas):
    _to_level(problem, 3, personas.office)
    with pytest.raises(ActionError, match="不能再升级"):
        problem_escalate(problem=problem, reason="再升", by=personas.office)


def test_it_refuses_an_escalation_without_a_reason(problem, personas):
    with pytest.raises(ActionError, match="升级理由"):
        problem_escalate(problem=problem, reason=" ", by=personas.office)


def test_a_level_whose_time_ran_out_without_a_conclusion_is_flagged(problem, personas, clock):
    _to_level(problem, 1, personas.office)
    assert list(overdue_escalations(date(2026, 4, 14))) == []
    assert list(overdue_escalations(date(2026, 4, 15))) == [problem]
    clock(date(2026, 4, 10))
    level_meeting_record(problem=problem, day=date(2026, 4, 10), attendees="县政府办副主任、自然资源局",
                         options="方案一…方案二…", conclusion="分割办证", by=personas.office)  # fmt: skip
    assert list(overdue_escalations(date(2026, 4, 15))) == []


def test_a_meeting_creates_its_tasks_through_the_task_service(problem, personas):
    _to_level(problem, 1, personas.office)
    meeting = level_meeting_record(
        problem=problem, day=date(2026, 3, 16), attendees="专业小组全体", options="", conclusion="",
        tasks=[TaskSpec(title="摸清欠缴底数", lead=personas.finance, deadline=date(2026, 4, 30))], by=personas.office,
    )  # fmt: skip
    assert [task.title for task in meeting.tasks.all()] == ["摸清欠缴底数"]
    assert Task.objects.get(title="摸清欠缴底数").timeline.count() == 1


def test_a_decision_records_dissent_by_name_and_creates_two_tasks(problem, personas):
    _to_level(problem, 3, personas.office)
    decision = decision_record(
        problem=problem, data=_decision(), by=personas.office,
        tasks=[TaskSpec(title="拨付垫付资金", lead=personas.finance, deadline=date(2026, 4, 30)),
               TaskSpec(title="分割办证", lead=personas.housing, deadline=date(2026, 5, 30))],
    )  # fmt: skip
    problem.refresh_from_db()
    assert problem.status == Problem.Status.DECIDED
    assert decision.dissent == [{"name": "王副县长", "opinion": "垫付先例不宜开"}]
    assert decision.tasks.count() == 2
    entry = AuditEntry.objects.for_object(problem).last()
    assert entry.action == "decide" and entry.after["不同意见"] == ["王副县长:垫付先例不宜开"]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"attendees": []}, "没有出席人员"),
        (
            {"attendees": ["张县长"], "absent": ["李强", "王副县长"], "dissent": [], "votes_against": 0},
            "未达到法定人数",
        ),
        ({"dissent": [{"name": "赵某", "opinion": "反对"}]}, "不在出席人员中"),
        ({"amount": None}, "须填写金额"),
    ],
)
def test_it_refuses_a_bad_decision_in_chinese(problem, personas, extra, message):
    _to_level(problem, 3, personas.office)
    with pytest.raises(ActionError, match=message):
        decision_record(problem=problem, data=_decision(**extra), by=personas.office)
    assert not CollectiveDecision.objects.exists()


def test_a_recorded_decision_cannot_be_edited_only_corrected(problem, personas):
    _to_level(problem, 3, personas.office)
    decision = decision_record(problem=problem, data=_decision(), by=personas.office)
    decision.matter = "改过"
    with pytest.raises(TypeError):
        decision.save()
    with pytest.raises(DatabaseError), transaction.atomic():
        CollectiveDecision.objects.filter(pk=decision.pk).update(matter="改过")
    with pytest.raises(ActionError, match="更正理由"):
        decision_record(problem=problem, data=_decision(), by=personas.office, corrects=decision)
    correction = decision_record(problem=problem, data=_decision(amount=1100), by=personas.office,
                                 corrects=decision, correction_reason="金额笔误")  # fmt: skip
    decision.refresh_from_db()
    assert decision.matter == "垫付土地出让金" and decision.is_superseded and correction.corrects == decision


def test_history_is_added_never_rewritten(problem, personas):
    entry = problem_history_add(problem=problem, day=date(2015, 6, 1), text="项目开工", by=personas.office)
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(DatabaseError), transaction.atomic():
        ProblemHistory.objects.filter(pk=entry.pk).update(text="改写")


def test_a_petition_past_the_county_turns_the_problem_red(problem, personas):
    petition_add(problem=problem, number="X-1", day=date(2026, 3, 1), petitioners=3, level="county",
                 next_visit=None, by=personas.office)  # fmt: skip
    problem.refresh_from_db()
    assert problem.light(date(2026, 3, 16)) != "red"
    petition_add(problem=problem, number="X-2", day=date(2026, 3, 10), petitioners=12, level="province",
                 next_visit=date(2026, 4, 1), by=personas.office)  # fmt: skip
    problem.refresh_from_db()
    assert problem.light(date(2026, 3, 16)) == "red"


def test_closing_with_open_tasks_needs_a_reason(problem, personas):
    _to_level(problem, 3, personas.office)
    decision_record(problem=problem, data=_decision(), by=personas.office,
                    tasks=[TaskSpec(title="拨付垫付资金", lead=personas.finance, deadline=date(2026, 4, 30))])  # fmt: skip
    with pytest.raises(ActionError, match="1 项交办事项未办结"):
        problem_close(problem=problem, resolved=True, reason="", by=personas.office)
    problem_close(problem=problem, resolved=True, reason="主体问题已化解,余下事项按期督办", by=personas.office)
    problem.refresh_from_db()
    assert problem.status == Problem.Status.RESOLVED


def test_closing_unresolved_needs_a_reason(problem, personas):
    with pytest.raises(ActionError, match="未化解关闭须写明理由"):
        problem_close(problem=problem, resolved=False, reason="", by=personas.office)


def test_a_risk_keeps_its_score_trend_and_can_become_a_problem(personas, clock):
    risk = risk_create(title="城投平台债务集中到期", kind="grey_rhino", field="债务", likelihood=3, impact=4,
                       owner_unit=personas.finance, by=personas.office)  # fmt: skip
    clock(date(2026, 4, 16))
    risk_review(risk=risk, likelihood=4, impact=5, note="到期压力加大", by=personas.office)
    risk.refresh_from_db()
    assert risk.score == 20
    assert list(risk.reviews.values_list("score", flat=True)) == [12, 20]
    with pytest.raises(ActionError, match="可能性应为 1 至 5"):
        risk_review(risk=risk, likelihood=6, impact=5, note="", by=personas.office)
    problem = risk_to_problem(risk=risk, by=personas.office, category="历史欠账")
    assert problem.risk == risk and problem.lead_unit == personas.finance


def test_accountability_recommends_against_unless_all_three_hold(personas):
    record = accountability_create(
        case="某项目资金滞留", unit=personas.finance, people="张某", facts="资金滞留三个月", by=personas.office,
        answers={"intentional": (True, "会议记录"), "malicious": (False, ""), "serious": (True, "审计报告")},
    )  # fmt: skip
    assert record.recommendation.startswith("建议不予问责:恶意不成立")
    assert "慎重问责" in record.recommendation
    with pytest.raises(ActionError, match="须写明不一致的理由"):
        accountability_decide(record=record, accountable=True, grounds="纪律规定", by=personas.office)
    accountability_decide(record=record, accountable=False, grounds="慎重问责原则", by=personas.office)
    with pytest.raises(ActionError, match="须写明证据"):
        accountability_create(case="另案", unit=personas.finance, people="李某", facts="…", by=personas.office,
                              answers={"intentional": (True, "")})  # fmt: skip


def test_the_pack_takes_risks_above_the_line_or_rising(personas, clock, settings):
    from luoshi.problems.models import Risk
    from luoshi.problems.selectors import pack_risks

    settings.LUOSHI_RISK_PACK_SCORE = 15
    high = risk_create(title="债务到期", kind="grey_rhino", field="债务", likelihood=4, impact=5,
                       owner_unit=personas.finance, by=personas.office)  # fmt: skip
    rising = risk_create(title="内涝", kind="grey_rhino", field="自然灾害", likelihood=2, impact=3,
                         owner_unit=personas.finance, by=personas.office)  # fmt: skip
    falling = risk_create(title="传染病", kind="black_swan", field="公共卫生", likelihood=3, impact=4,
                          owner_unit=personas.finance, by=personas.office)  # fmt: skip
    clock(date(2026, 4, 16))
    risk_review(risk=rising, likelihood=3, impact=3, note="", by=personas.office)
    risk_review(risk=falling, likelihood=2, impact=4, note="", by=personas.office)
    assert [(risk.title, trend) for risk, trend in pack_risks(Risk.objects.all())] == [
        ("债务到期", [20]),
        ("内涝", [6, 9]),
    ]
    assert high.score == 20
