"""破难题 workflows. Each runs in one transaction and writes the trace (luoshi.audit) in it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from luoshi.audit.services import audit_record
from luoshi.lib import workdays
from luoshi.lib.errors import ActionError
from luoshi.org.models import Leader, Unit, User
from luoshi.work.models import Task
from luoshi.work.services import TaskSpec, task_create_many
from luoshi.work.steps import _claim_token

from .models import (
    CATEGORIES,
    LEVEL_GROUPS,
    LEVEL_NAMES,
    AccountabilityRecord,
    CollectiveDecision,
    Escalation,
    LevelMeeting,
    Petition,
    Problem,
    ProblemDocument,
    ProblemHistory,
    Risk,
    level_workdays,
)

# What the trace's keys read as on a problem's timeline.
LABELS = {
    "title": "问题名称", "category": "类别", "status": "状态", "level": "处理层级", "level_due": "本级时限",
    "lead_unit": "牵头单位", "leader": "责任县领导", "reason": "理由", "contradiction": "主要矛盾",
    "entry_point": "切入点", "worst_case": "最坏情况", "bottom_line": "底线", "money": "涉及金额(万元)",
}  # fmt: skip


def _require_office(by: User) -> None:
    if not by.is_office:
        raise ActionError("只有督查室可以进行此操作。", status=403)


def _lock(problem: Problem) -> Problem:
    return Problem.objects.select_for_update().get(pk=problem.pk)


def _open_tasks(problem: Problem) -> int:
    ids = set(
        LevelMeeting.tasks.through.objects.filter(levelmeeting__escalation__problem=problem).values_list(
            "task_id", flat=True
        )
    )
    ids |= set(
        CollectiveDecision.tasks.through.objects.filter(collectivedecision__problem=problem).values_list(
            "task_id", flat=True
        )
    )
    return Task.objects.filter(pk__in=ids).exclude(status__in=[Task.Status.DONE, Task.Status.CANCELLED]).count()


@dataclass
class ProblemInput:
    title: str
    lead_unit: Unit
    category: str = "其他"
    supporting: Sequence[Unit] = ()
    leader: Leader | None = None
    lead_unit_head: User | None = None
    contradiction: str = ""
    key_people: list[dict] = field(default_factory=list)
    entry_point: str = ""
    worst_case: str = ""
    bottom_line: str = ""
    laws: str = ""
    money: Decimal | None = None
    task_force_members: str = ""

    def check(self) -> None:
        if not self.title.strip():
            raise ActionError("请填写问题名称。")
        if len(self.title) > 200:
            raise ActionError(f"问题名称“{self.title[:20]}…”超过200字,请精简。")
        if self.category not in CATEGORIES:
            raise ActionError(f"类别“{self.category}”不在可选范围内,请选择:{'、'.join(CATEGORIES)}。")
        if self.lead_unit in self.supporting:
            raise ActionError("牵头单位不能同时是配合单位。")
        if self.lead_unit_head is not None and self.lead_unit_head.unit_id != self.lead_unit.pk:
            raise ActionError("牵头单位主要负责人账号须是牵头单位自己的账号。")
        for number, person in enumerate(self.key_people, start=1):
            if not str(person.get("name", "")).strip():
                raise ActionError(f"关键人物第 {number} 行:请填写姓名。")


def problem_create(*, data: ProblemInput, by: User, token: str | None = None, risk: Risk | None = None) -> Problem:
    _require_office(by)
    data.check()
    with transaction.atomic():
        _claim_token(token, by)
        problem = Problem.objects.create(
            title=data.title.strip(), category=data.category, lead_unit=data.lead_unit, leader=data.leader,
            lead_unit_head=data.lead_unit_head, contradiction=data.contradiction, key_people=data.key_people,
            entry_point=data.entry_point, worst_case=data.worst_case, bottom_line=data.bottom_line, laws=data.laws,
            money=data.money, task_force_members=data.task_force_members, created_by=by, risk=risk,
        )  # fmt: skip
        problem.supporting.set(data.supporting)
        audit_record(
            obj=problem, action="create", by=by,
            after={"title": problem.title, "category": problem.category, "lead_unit": problem.lead_unit.name},
            note=f"由风险“{risk.title}”转为遗留问题" if risk else "",
        )  # fmt: skip
    return problem


def problem_history_add(*, problem: Problem, day: date, text: str, by: User) -> ProblemHistory:
    """Add one line of 来龙去脉; earlier lines stay as written."""
    _require_office(by)
    if not text.strip():
        raise ActionError("来龙去脉:请填写经过。")
    if day > timezone.localdate():
        raise ActionError(f"来龙去脉:日期 {day:%Y-%m-%d} 晚于今天,请填写已发生事情的日期。")
    with transaction.atomic():
        entry = ProblemHistory.objects.create(problem=problem, day=day, text=text.strip(), added_by=by)
        audit_record(obj=problem, action="history", by=by, after={"日期": day, "经过": entry.text})
    return entry


def _document_label(document) -> str:
    # The problem's timeline is read by every unit that sees the problem: an internal file is named by its number only.
    if document.internal:
        return f"督查室内部文件(文件库第 {document.pk} 号)"
    return f"{document.title}({document.number})" if document.number else document.title


def problem_document_link(*, problem: Problem, document, article: str, by: User) -> ProblemDocument:
    """Link a library document the problem rests on (依据), with the article; the same document twice is refused."""
    from luoshi.library.models import Document

    _require_office(by)
    if len(article) > 200:
        raise ActionError("依据条款超过200字,请只写条款编号,如“第十二条”。")
    document = Document.objects.visible_to(by).filter(pk=document.pk).first()
    if document is None:
        raise ActionError("找不到该政策文件。", status=404)
    with transaction.atomic():
        problem = _lock(problem)
        if ProblemDocument.objects.filter(problem=problem, document=document).exists():
            raise ActionError(f"《{document.title}》已是该问题的依据文件。", status=409)
        link = ProblemDocument.objects.create(problem=problem, document=document, article=article.strip(), linked_by=by)
        audit_record(
            obj=problem, action="link_document", by=by,
            after={"依据文件": _document_label(document), "依据条款": link.article or "—"},
        )  # fmt: skip
    return link


def problem_document_unlink(*, problem: Problem, document, by: User) -> None:
    """Take a document off the problem's 依据; the trace keeps that it was linked, and by whom it was taken off."""
    _require_office(by)
    with transaction.atomic():
        problem = _lock(problem)
        link = ProblemDocument.objects.filter(problem=problem, document=document).first()
        if link is None:
            raise ActionError("该文件不是这个问题的依据文件,无需移除。", status=409)
        before = {"依据文件": _document_label(document), "依据条款": link.article or "—"}
        link.delete()
        audit_record(obj=problem, action="unlink_document", by=by, before=before)


def petition_add(*, problem: Problem, number: str, day: date, petitioners: int, level: str,
                 next_visit: date | None, by: User) -> Petition:  # fmt: skip
    """Record a petition; one that reached past the county turns the problem red."""
    _require_office(by)
    if not number.strip():
        raise ActionError("信访件:请填写编号。")
    if level not in Petition.Level.values:
        raise ActionError("信访件:到达层级应为 县、市、省 或 京。")
    if petitioners < 1:
        raise ActionError("信访件:信访人数至少为 1。")
    with transaction.atomic():
        problem = _lock(problem)
        petition = Petition.objects.create(
            problem=problem, number=number.strip(), day=day, petitioners=petitioners, level=level, next_visit=next_visit
        )
        if level != Petition.Level.COUNTY and not problem.petition_red:
            problem.petition_red = True
            problem.save(update_fields=["petition_red"])
        audit_record(
            obj=problem, action="petition", by=by,
            after={"编号": petition.number, "到达层级": petition.get_level_display(), "人数": petitioners},
        )  # fmt: skip
    return petition


def problem_escalate(
    *, problem: Problem, reason: str, by: User, group: str = "", chair: str = "", members: str = "",
    token: str | None = None,
) -> Escalation:  # fmt: skip
    """Start the next level (the first from 待处理), with its group and its time limit in working days.

    1. refuse past level 3, on a closed problem, or without a reason;
    2. open the level's Escalation, due after the level's working days (settings);
    3. move the problem to 处理中 at that level, and trace it.
    """
    if not (by.is_office or (by.role == User.Role.LEADER and by.leader_id and by.leader_id == problem.leader_id)):
        raise ActionError("只有督查室或责任县领导可以升级处理。", status=403)
    if not reason.strip():
        raise ActionError("升级理由:请写明为什么提交上一级处理。")
    with transaction.atomic():
        _claim_token(token, by)
        problem = _lock(problem)
        if problem.is_closed:
            raise ActionError(f"该问题已{problem.get_status_display()},不能再升级。", status=409)
        if problem.level >= 3:
            raise ActionError("该问题已在第三级(三重一大集体决策),不能再升级。", status=409)
        level = problem.level + 1
        today = timezone.localdate()
        due = workdays.calendar().add(today, level_workdays(level))
        escalation = Escalation.objects.create(
            problem=problem, level=level, group=group.strip() or LEVEL_GROUPS[level], chair=chair.strip(),
            members=members.strip(), reason=reason.strip(), started_on=today, due=due, by=by,
        )  # fmt: skip
        before = {"level": problem.level_name, "status": problem.get_status_display()}
        problem.level, problem.level_due, problem.level_concluded = level, due, False
        problem.level_flagged_on = None
        if problem.status == Problem.Status.OPEN:
            problem.status = Problem.Status.HANDLING
        problem.save(update_fields=["level", "level_due", "level_concluded", "level_flagged_on", "status"])
        audit_record(
            obj=problem, action="escalate", by=by, note=reason.strip(), before=before,
            after={"level": LEVEL_NAMES[level], "status": problem.get_status_display(), "level_due": due},
        )  # fmt: skip
    return escalation


def level_meeting_record(
    *, problem: Problem, day: date, attendees: str, options: str, conclusion: str, by: User,
    tasks: Sequence[TaskSpec] = (), brief=None, token: str | None = None,
) -> LevelMeeting:  # fmt: skip
    """Record the current level's meeting; a conclusion closes the level's clock; tasks go through task_create_many."""
    _require_office(by)
    if not attendees.strip():
        raise ActionError("会议记录:请填写参会人员。")
    if day > timezone.localdate():
        raise ActionError(f"会议记录:会议日期 {day:%Y-%m-%d} 晚于今天。")
    with transaction.atomic():
        _claim_token(token, by)
        problem = _lock(problem)
        if problem.level == 0:
            raise ActionError("该问题尚未启动分级处理,请先启动一级处理(专业小组)。", status=409)
        escalation = problem.escalations.get(level=problem.level)
        meeting = LevelMeeting.objects.create(
            escalation=escalation, day=day, attendees=attendees.strip(), options=options.strip(),
            conclusion=conclusion.strip(), brief=brief, by=by,
        )  # fmt: skip
        created = task_create_many(specs=list(tasks), by=by) if tasks else []
        meeting.tasks.set(created)
        if conclusion.strip():
            escalation.concluded_on = day
            escalation.save(update_fields=["concluded_on"])
            problem.level_concluded = True
            problem.save(update_fields=["level_concluded"])
        audit_record(
            obj=problem, action="meeting", by=by, note=conclusion.strip(),
            after={"层级": escalation.level_name, "会议日期": day, "交办事项": [task.title for task in created]},
        )  # fmt: skip
    return meeting


@dataclass
class DecisionInput:
    meeting: str
    day: date
    attendees: list[str]
    category: str
    matter: str
    resolution: str
    absent: list[str] = field(default_factory=list)
    amount: Decimal | None = None
    consensus: bool = False
    votes_for: int | None = None
    votes_against: int | None = None
    votes_abstain: int | None = None
    dissent: list[dict] = field(default_factory=list)

    def check(self) -> None:
        if not self.meeting.strip():
            raise ActionError("集体决策:请填写会议名称。")
        attendees = [name for name in self.attendees if name.strip()]
        if not attendees:
            raise ActionError("集体决策:请填写出席人员,没有出席人员不能形成集体决策。")
        total = len(attendees) + len([name for name in self.absent if name.strip()])
        quorum = settings.LUOSHI_DECISION_QUORUM_PERCENT
        if len(attendees) * 100 < quorum * total:
            raise ActionError(
                f"集体决策:应到 {total} 人,实到 {len(attendees)} 人,不足 {quorum}%,未达到法定人数,不能作出决策。"
            )
        if self.category not in CollectiveDecision.Category.values:
            raise ActionError("集体决策:请选择事项类别(重大决策、重要干部任免、重大项目安排、大额资金使用)。")
        if self.category == CollectiveDecision.Category.FUNDS and not self.amount:
            raise ActionError("集体决策:大额资金使用须填写金额(万元)。")
        if not self.matter.strip() or not self.resolution.strip():
            raise ActionError("集体决策:请填写决策事项和议定事项。")
        if not self.consensus and self.votes_for is None:
            raise ActionError("集体决策:请填写表决结果(赞成、反对、弃权),或勾选“一致同意”。")
        if self.consensus and self.dissent:
            raise ActionError("集体决策:有不同意见时不能勾选“一致同意”,请填写表决结果。")
        votes = (self.votes_for or 0) + (self.votes_against or 0) + (self.votes_abstain or 0)
        if not self.consensus and votes > len(attendees):
            raise ActionError(f"集体决策:表决票数 {votes} 多于出席人数 {len(attendees)}。")
        for number, item in enumerate(self.dissent, start=1):
            if not str(item.get("name", "")).strip():
                raise ActionError(f"集体决策:第 {number} 条不同意见请写明发表人姓名。")
            if item["name"].strip() not in attendees:
                raise ActionError(f"集体决策:第 {number} 条不同意见的发表人“{item['name']}”不在出席人员中。")


def decision_record(
    *, problem: Problem, data: DecisionInput, by: User, tasks: Sequence[TaskSpec] = (),
    corrects: CollectiveDecision | None = None, correction_reason: str = "", token: str | None = None,
) -> CollectiveDecision:  # fmt: skip
    """Record the 三重一大 decision at level 3, or a correction of one.

    1. check the input: attendees, quorum, category and sum, votes, dissent by name;
    2. refuse below level 3, and a correction without a reason or of a record already corrected;
    3. create the record and its tasks (task_create_many), conclude level 3, mark the problem 已决策;
    4. trace it, dissent included.
    """
    _require_office(by)
    data.check()
    if corrects is not None and not correction_reason.strip():
        raise ActionError("更正集体决策:请写明更正理由。")
    with transaction.atomic():
        _claim_token(token, by)
        problem = _lock(problem)
        if problem.level < 3:
            raise ActionError("只有进入第三级(三重一大)的问题才能记录集体决策,请先升级。", status=409)
        if corrects is not None:
            if corrects.problem_id != problem.pk:
                raise ActionError("更正的决策不属于该问题。")
            if CollectiveDecision.objects.filter(corrects=corrects).exists():
                raise ActionError("该决策已经更正过,请在最新的决策上更正。", status=409)
        decision = CollectiveDecision.objects.create(
            problem=problem, meeting=data.meeting.strip(), day=data.day,
            attendees=[name.strip() for name in data.attendees if name.strip()],
            absent=[name.strip() for name in data.absent if name.strip()], category=data.category,
            amount=data.amount, matter=data.matter.strip(), consensus=data.consensus, votes_for=data.votes_for,
            votes_against=data.votes_against, votes_abstain=data.votes_abstain,
            dissent=[{"name": item["name"].strip(), "opinion": str(item.get("opinion", "")).strip()} for item in data.dissent],
            resolution=data.resolution.strip(), corrects=corrects, correction_reason=correction_reason.strip(),
            recorded_by=by,
        )  # fmt: skip
        created = task_create_many(specs=list(tasks), by=by) if tasks else []
        decision.tasks.set(created)
        escalation = problem.escalations.get(level=3)
        if escalation.concluded_on is None:
            escalation.concluded_on = data.day
            escalation.save(update_fields=["concluded_on"])
        before = {"status": problem.get_status_display()}
        problem.status, problem.level_concluded = Problem.Status.DECIDED, True
        problem.save(update_fields=["status", "level_concluded"])
        audit_record(
            obj=problem, action="correct_decision" if corrects else "decide", by=by, before=before,
            note=correction_reason.strip(),
            after={
                "status": problem.get_status_display(), "会议": decision.meeting, "类别": decision.get_category_display(),
                "不同意见": [f"{item['name']}:{item['opinion']}" for item in decision.dissent],
                "交办事项": [task.title for task in created],
            },
        )  # fmt: skip
    return decision


def problem_close(*, problem: Problem, resolved: bool, reason: str, by: User) -> Problem:
    """Close as 已化解 or 未化解关闭. Unresolved, or with its tasks still open, needs a written reason."""
    _require_office(by)
    with transaction.atomic():
        problem = _lock(problem)
        if problem.is_closed:
            raise ActionError(f"该问题已{problem.get_status_display()}。", status=409)
        open_tasks = _open_tasks(problem)
        if open_tasks and not reason.strip():
            raise ActionError(f"该问题还有 {open_tasks} 项交办事项未办结,关闭须写明理由。")
        if not resolved and not reason.strip():
            raise ActionError("未化解关闭须写明理由。")
        before = {"status": problem.get_status_display()}
        problem.status = Problem.Status.RESOLVED if resolved else Problem.Status.CLOSED_UNRESOLVED
        problem.close_reason = reason.strip()
        problem.save(update_fields=["status", "close_reason"])
        audit_record(obj=problem, action="close", by=by, note=reason.strip(), before=before,
                     after={"status": problem.get_status_display()})  # fmt: skip
    return problem


def key_people_read(*, problem: Problem, by: User) -> list[dict]:
    """关键人物 for an allowed reader, the read logged; anyone else is logged and gets nothing (the view answers 404)."""
    allowed = problem.key_people_readers(by)
    with transaction.atomic():
        audit_record(obj=problem, action="read_key_people" if allowed else "denied_key_people", by=by)
    return list(problem.key_people) if allowed else []


# --- Accountability --------------------------------------------------------------


def accountability_create(
    *, case: str, unit: Unit, people: str, facts: str, by: User,
    answers: dict[str, tuple[bool, str]], problem: Problem | None = None,
) -> AccountabilityRecord:  # fmt: skip
    """Record a case with its three answers; each 是 needs its evidence."""
    _require_office(by)
    for label, text in (("案由", case), ("涉及人员", people), ("基本事实", facts)):
        if not text.strip():
            raise ActionError(f"问责记录:请填写{label}。")
    labels = {"intentional": "主观故意", "malicious": "恶意", "serious": "造成严重后果"}
    for key, label in labels.items():
        held, evidence = answers.get(key, (False, ""))
        if held and not evidence.strip():
            raise ActionError(f"问责记录:认定“{label}”须写明证据。")
    with transaction.atomic():
        record = AccountabilityRecord.objects.create(
            case=case.strip(), unit=unit, people=people.strip(), facts=facts.strip(), problem=problem, created_by=by,
            **{key: answers.get(key, (False, ""))[0] for key in labels},
            **{f"{key}_evidence": answers.get(key, (False, ""))[1].strip() for key in labels},
        )  # fmt: skip
        audit_record(obj=record, action="create", by=by, after={"建议": record.recommendation})
    return record


def accountability_decide(*, record: AccountabilityRecord, accountable: bool, grounds: str, by: User,
                          against_reason: str = "") -> AccountabilityRecord:  # fmt: skip
    """The decision and its grounds; a decision against the recommendation needs a written reason."""
    _require_office(by)
    if not grounds.strip():
        raise ActionError("问责决定:请写明决定依据。")
    if accountable != record.recommends_accountability and not against_reason.strip():
        raise ActionError("问责决定与系统建议不一致(慎重问责原则),须写明不一致的理由。")
    with transaction.atomic():
        record = AccountabilityRecord.objects.select_for_update().get(pk=record.pk)
        if record.decision != AccountabilityRecord.Decision.PENDING:
            raise ActionError("该问责记录已作出决定。", status=409)
        record.decision = (AccountabilityRecord.Decision.ACCOUNTABLE if accountable
                           else AccountabilityRecord.Decision.NOT_ACCOUNTABLE)  # fmt: skip
        record.grounds, record.against_reason = grounds.strip(), against_reason.strip()
        record.save(update_fields=["decision", "grounds", "against_reason"])
        audit_record(obj=record, action="decide", by=by, after={"决定": record.get_decision_display()},
                     note=against_reason.strip())  # fmt: skip
    return record


def accountability_list_read(*, records: Sequence[AccountabilityRecord], by: User) -> None:
    """A list shows each record's case and unit: that is a read of each, logged like opening it."""
    with transaction.atomic():
        for record in records:
            audit_record(obj=record, action="read", by=by, note="列表")


def accountability_read(*, record: AccountabilityRecord, by: User, denied: bool = False) -> None:
    """Every read of a record is logged, and so is every refused attempt."""
    with transaction.atomic():
        audit_record(obj=record, action="denied_read" if denied else "read", by=by)


def problem_import(*, items: Sequence[ProblemInput], by: User, token: str | None = None) -> list[Problem]:
    """Register a previewed ledger's problems: every row or none, each exactly as by hand."""
    _require_office(by)
    for number, item in enumerate(items, start=1):
        try:
            item.check()
        except ActionError as error:
            raise ActionError(f"第 {number} 个问题:{error.message}") from None
    with transaction.atomic():
        _claim_token(token, by)
        return [problem_create(data=item, by=by) for item in items]
