"""Workflows of the reports: briefs, issuing packs and circulars, numbering notices.

Each runs in one transaction; a brief's steps are written to its timeline (BriefEvent) in it.
A refusal raises `ActionError` with a Chinese message that says what to fix.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from luoshi.lib import workdays
from luoshi.lib.errors import ActionError
from luoshi.notify import services as notify
from luoshi.org.models import Leader, Unit, User
from luoshi.work import services as work_services
from luoshi.work.models import Task
from luoshi.work.steps import _claim_token

from . import selectors
from .documents import lights_chart_png
from .models import Brief, BriefEvent, BriefOption, Circular, MeetingPack, Notice, NoticeCounter, option_label

Action = BriefEvent.Action


def _require_office(by: User) -> None:
    if not by.is_office:
        raise ActionError("只有督查室可以进行此操作。", status=403)


def _event(brief: Brief, by: User, action: str, *, note: str = "", before=None, after=None) -> BriefEvent:
    return BriefEvent.objects.create(
        brief=brief, actor=by, action=action, note=note, before=before or {}, after=after or {}
    )


# --- The brief ----------------------------------------------------------------


@dataclass
class OptionInput:
    title: str = ""
    pros: str = ""
    cons: str = ""

    def is_blank(self) -> bool:
        return not (self.title.strip() or self.pros.strip() or self.cons.strip())


@dataclass
class BriefInput:
    """What a unit writes. `recommended` is the number (1, 2, …) of an option in `options`."""

    subject: str = ""
    requirements: str = ""
    situation: str = ""
    peers: str = ""
    question: str = ""
    options: list[OptionInput] = field(default_factory=list)
    recommended: int | None = None

    def missing(self) -> list[str]:
        """What a brief still lacks before it can go to a leader, each in words a liaison acts on."""
        problems = []
        for name, label in [
            ("subject", "汇报事项"),
            ("requirements", "上级要求"),
            ("situation", "本县情况"),
            ("peers", "兄弟县情况"),
            ("question", "请示事项"),
        ]:
            if not getattr(self, name).strip():
                problems.append(f"请填写“{label}”。")
        options = self.options
        if len(options) < 2:
            problems.append(f"至少要提出两个方案供领导选择(现有{len(options)}个):汇报是选择题,不是问答题。")
        for number, option in enumerate(options, start=1):
            name = option_label(number)
            if not option.title.strip():
                problems.append(f"{name}:请写明方案内容。")
            if not option.pros.strip():
                problems.append(f"{name}:请写明“利”。")
            if not option.cons.strip():
                problems.append(f"{name}:请写明“弊”。")
        if self.recommended is None:
            problems.append("请选择推荐方案。")
        elif not 1 <= self.recommended <= len(options):
            problems.append(f"推荐方案({option_label(self.recommended)})不在所列方案之中,请从所列方案中选择。")
        return problems


def _brief_fields(brief: Brief) -> dict:
    return {
        "subject": brief.subject,
        "requirements": brief.requirements,
        "situation": brief.situation,
        "peers": brief.peers,
        "question": brief.question,
        "options": ";".join(f"{o.label}:{o.title}(利:{o.pros};弊:{o.cons})" for o in brief.options.all()),
        "recommended": option_label(brief.recommended) if brief.recommended else "",
    }


def _leader_for(unit: Unit) -> Leader | None:
    """The leader who 分管 the unit: the first in the leaders' order when several do."""
    return unit.leaders.filter(active=True).order_by("order", "id").first()


def brief_save(
    *, by: User, data: BriefInput, brief: Brief | None = None, submit: bool = False, token: str | None = None
) -> Brief:
    """Write a brief (new, or a draft or a returned one) and, with `submit`, send it to the leader.

    1. a liaison writes for their own unit, and only a brief that is a draft or was returned;
    2. with `submit`, refuse unless nothing is missing (BriefInput.missing);
    3. save the fields and replace the options;
    4. write the timeline: 起草 or 修改 with what changed, then 呈报 when submitted.
    """
    if by.role != User.Role.UNIT or not by.unit_id:
        raise ActionError("汇报由单位联络员起草。", status=403)
    if not data.subject.strip():
        raise ActionError("请填写“汇报事项”。")
    if len(data.subject.strip()) > 200:
        raise ActionError("“汇报事项”不能超过200字。")
    if submit:
        problems = data.missing()
        if problems:
            raise ActionError("还不能呈报:" + "".join(problems))
    elif data.recommended is not None and not 1 <= data.recommended <= len(data.options):
        raise ActionError(f"推荐方案({option_label(data.recommended)})不在所列方案之中,请从所列方案中选择。")
    now = timezone.now()
    with transaction.atomic():
        _claim_token(token, by)
        if brief is None:
            brief = Brief(unit_id=by.unit_id, created_by=by, created_at=now)
            before = {}
            action = Action.CREATE
        else:
            brief = Brief.objects.select_for_update().get(pk=brief.pk)
            if brief.unit_id != by.unit_id:
                raise ActionError("汇报不存在或无权查看。", status=404)
            if not brief.is_editable:
                raise ActionError(f"该汇报当前状态为“{brief.get_status_display()}”,不能修改。", status=409)
            before = _brief_fields(brief)
            action = Action.EDIT
        brief.subject = data.subject.strip()
        brief.requirements = data.requirements.strip()
        brief.situation = data.situation.strip()
        brief.peers = data.peers.strip()
        brief.question = data.question.strip()
        brief.recommended = data.recommended
        brief.updated_at = now
        brief.save()
        brief.options.all().delete()
        BriefOption.objects.bulk_create(
            [
                BriefOption(
                    brief=brief, position=number, title=o.title.strip(), pros=o.pros.strip(), cons=o.cons.strip()
                )
                for number, o in enumerate(data.options, start=1)
            ]
        )
        after = _brief_fields(brief)
        changed = [key for key in after if before.get(key) != after[key]]
        if action == Action.CREATE or changed:
            _event(
                brief, by, action,
                before={k: before[k] for k in changed if k in before},
                after={k: after[k] for k in changed},
            )  # fmt: skip
        if submit:
            _submit(brief, by, now)
    return brief


def _submit(brief: Brief, by: User, now) -> None:
    leader = _leader_for(brief.unit)
    if leader is None:
        raise ActionError(
            f"{brief.unit.display_name}还没有设置分管县领导,汇报无法呈报。请联系督查室在通讯录中设置分管关系。"
        )
    before = {"status": brief.get_status_display()}
    brief.status = Brief.Status.SUBMITTED
    brief.leader = leader
    brief.submitted_at = now
    brief.updated_at = now
    brief.save(update_fields=["status", "leader", "submitted_at", "updated_at"])
    _event(
        brief, by, Action.SUBMIT, note=f"呈报{leader.title}{leader.name}",
        before=before, after={"status": brief.get_status_display(), "leader": f"{leader.title} {leader.name}"},
    )  # fmt: skip
    notify.brief_submitted(brief=brief)


def brief_submit(*, brief: Brief, by: User, token: str | None = None) -> Brief:
    """Send a saved draft to the leader who 分管 the unit, if nothing is missing."""
    brief = Brief.objects.get(pk=brief.pk)
    options = [OptionInput(o.title, o.pros, o.cons) for o in brief.options.all()]
    data = BriefInput(
        subject=brief.subject, requirements=brief.requirements, situation=brief.situation, peers=brief.peers,
        question=brief.question, options=options, recommended=brief.recommended,
    )  # fmt: skip
    return brief_save(by=by, data=data, brief=brief, submit=True, token=token)


@dataclass
class FollowUp:
    """A task the leader's decision creates, for the brief's unit or another they 分管."""

    title: str
    lead: Unit
    deadline: date
    requirements: str = ""


def _require_deciding_leader(brief: Brief, by: User) -> None:
    if by.role != User.Role.LEADER or by.leader_id is None:
        raise ActionError("汇报由分管县领导作出决定。", status=403)
    if not Brief.objects.visible_to(by).filter(pk=brief.pk).exists():
        raise ActionError("汇报不存在或无权查看。", status=404)


def brief_decide(
    *,
    brief: Brief,
    by: User,
    chosen: int,
    note: str = "",
    follow_ups: Sequence[FollowUp] = (),
    token: str | None = None,
) -> Brief:
    """The leader picks an option (the recommended one or another) and may create follow-up tasks.

    1. claim the decision with a conditional UPDATE: of two decisions, only the first takes;
    2. check the chosen option exists;
    3. create the follow-up tasks through the work app's `task_create_many`, in the same transaction;
    4. write the timeline.
    """
    _require_deciding_leader(brief, by)
    numbers = list(brief.options.values_list("position", flat=True))
    if chosen not in numbers:
        raise ActionError(f"请从{'、'.join(option_label(n) for n in numbers)}中选择一个。")
    now = timezone.now()
    with transaction.atomic():
        _claim_token(token, by)
        claimed = Brief.objects.filter(pk=brief.pk, status=Brief.Status.SUBMITTED).update(
            status=Brief.Status.DECIDED,
            chosen=chosen,
            decision_note=note.strip(),
            decided_by=by,
            decided_at=now,
            updated_at=now,
        )
        if not claimed:
            _refuse_settled(brief)
        brief.refresh_from_db()
        option = brief.option(chosen)
        tasks = []
        if follow_ups:
            specs = [
                work_services.TaskSpec(
                    title=item.title.strip(),
                    lead=item.lead,
                    deadline=item.deadline,
                    leader=by.leader,
                    source_kind=Task.SourceKind.INSTRUCTION,
                    source_title=f"关于“{brief.subject}”的汇报",
                    source_date=timezone.localdate(now),
                    requirements=(
                        item.requirements.strip()
                        or f"按{by.leader.name}同志决定的{option_label(chosen)}落实:{option.title}"
                    ),
                )
                for item in follow_ups
            ]
            tasks = work_services.task_create_many(specs=specs, by=by, leader_decision=True)
            brief.follow_ups.add(*tasks)
        after = {
            "status": brief.get_status_display(),
            "chosen": option_label(chosen),
            "decision_note": brief.decision_note,
        }
        if tasks:
            after["follow_ups"] = "、".join(f"{task.title}(#{task.pk})" for task in tasks)
        note_text = f"选定{option_label(chosen)}" + ("(推荐方案)" if chosen == brief.recommended else "(非推荐方案)")
        _event(brief, by, Action.DECIDE, note=note_text, before={"status": "待领导决定"}, after=after)
        notify.brief_decided(brief=brief)
    return brief


def brief_return(*, brief: Brief, by: User, note: str, token: str | None = None) -> Brief:
    """退回完善: the leader sends the brief back to the unit with what is lacking."""
    _require_deciding_leader(brief, by)
    if not note.strip():
        raise ActionError("退回时请写明需要补充完善的内容。")
    now = timezone.now()
    with transaction.atomic():
        _claim_token(token, by)
        claimed = Brief.objects.filter(pk=brief.pk, status=Brief.Status.SUBMITTED).update(
            status=Brief.Status.RETURNED, decision_note=note.strip(), updated_at=now
        )
        if not claimed:
            _refuse_settled(brief)
        brief.refresh_from_db()
        _event(
            brief, by, Action.RETURN, note=note.strip(),
            before={"status": "待领导决定"}, after={"status": brief.get_status_display()},
        )  # fmt: skip
        notify.brief_decided(brief=brief)
    return brief


def _refuse_settled(brief: Brief):
    current = Brief.objects.select_related("decided_by").get(pk=brief.pk)
    if current.status == Brief.Status.DECIDED:
        when = f"{timezone.localtime(current.decided_at):%m-%d %H:%M}" if current.decided_at else ""
        raise ActionError(
            f"该汇报已由{current.decided_by or '领导'}于{when}作出决定({current.chosen_label}),本次操作未生效。",
            status=409,
        )
    raise ActionError(f"该汇报当前状态为“{current.get_status_display()}”,不能作出决定。", status=409)


# --- The executive-meeting pack -------------------------------------------------


def pack_issue(*, meeting_date: date, by: User, token: str | None = None) -> MeetingPack:
    """Compile the pack for a meeting from the live data and freeze it, chart included; later changes do not reach it."""
    _require_office(by)
    t = workdays.thresholds(meeting_date)
    snapshot = selectors.pack_compile(meeting_date, t)
    chart = lights_chart_png(snapshot["by_unit"]) if snapshot["by_unit"] else b""
    with transaction.atomic():
        _claim_token(token, by)
        if MeetingPack.objects.filter(meeting_date=meeting_date).exists():
            raise ActionError(f"{selectors.cn_day(meeting_date)}的常务会材料已经印发,可在列表中查看。", status=409)
        try:
            with transaction.atomic():
                pack = MeetingPack.objects.create(
                    meeting_date=meeting_date,
                    title=pack_title(meeting_date),
                    snapshot=snapshot,
                    chart=chart,
                    issued_by=by,
                )
                notify.pack_issued(pack=pack)
                return pack
        except IntegrityError:
            raise ActionError(f"{selectors.cn_day(meeting_date)}的常务会材料已经印发。", status=409) from None


def pack_title(meeting_date: date) -> str:
    return f"{meeting_date.year}年{meeting_date.month}月{meeting_date.day}日县政府常务会议督查工作汇报材料"


# --- The circular -----------------------------------------------------------------


DEFAULT_INTRO = (
    "为进一步压实工作责任,推动县委、县政府各项决策部署落地见效,县政府督查室对{period}各单位督办事项"
    "办理情况进行了统计。现将有关情况通报如下。"
)
DEFAULT_CLOSING = (
    "各单位要对照通报指出的问题,认真分析原因,制定整改措施,对逾期事项明确完成时限,按时反馈办理进展。"
    "县政府督查室将持续跟踪督办,对工作推进不力、多次催办仍未落实的单位,按有关规定严肃处理。"
)


def circular_create(*, kind: str, year: int, number: int, by: User, token: str | None = None,
                    weights: dict | None = None, min_tasks: int | None = None) -> Circular:  # fmt: skip
    """Draft a circular for a month or a quarter, with its figures computed now and the default text.

    The office sets the score's weights and the minimum volume to be ranked; they stay with the circular.
    """
    _require_office(by)
    from .models import default_weights

    weights = {**default_weights(), **(weights or {})}
    for key, label in (("done", "办结率"), ("on_time", "按期办结率"), ("reports", "反馈及时率"),
                       ("overdue", "逾期未办结扣分"), ("urges", "被催办扣分")):  # fmt: skip
        value = weights.get(key)
        if not isinstance(value, int | float) or isinstance(value, bool) or not 0 <= value <= 100:
            raise ActionError(f"评分权重“{label}”应为0到100之间的数。")
    if weights["done"] + weights["on_time"] + weights["reports"] <= 0:
        raise ActionError("办结率、按期办结率、反馈及时率的权重不能都为0。")
    min_tasks = 3 if min_tasks is None else min_tasks
    if not 1 <= min_tasks <= 100:
        raise ActionError("参与排名的最少交办事项数应为1到100。")
    if kind not in Circular.PeriodKind.values:
        raise ActionError("请选择月度或季度通报。")
    if kind == Circular.PeriodKind.MONTH and not 1 <= number <= 12:
        raise ActionError("月份应为1至12。")
    if kind == Circular.PeriodKind.QUARTER and not 1 <= number <= 4:
        raise ActionError("季度应为1至4。")
    if not 2000 <= year <= 2100:
        raise ActionError("请填写正确的年度。")
    start, end = selectors.period_bounds(kind, year, number)
    circular = Circular(period_kind=kind, year=year, period_number=number, start=start, end=end, created_by=by,
                        weights=weights, min_tasks=min_tasks)  # fmt: skip
    circular.title = f"关于{circular.period_label}督办事项办理情况的通报"
    circular.intro = DEFAULT_INTRO.format(period=circular.period_label)
    circular.closing = DEFAULT_CLOSING
    circular.snapshot = selectors.circular_compute(start, end, weights=weights, min_tasks=min_tasks)
    with transaction.atomic():
        _claim_token(token, by)
        circular.save()
    return circular


def circular_edit(*, circular: Circular, by: User, title: str, intro: str, closing: str) -> Circular:
    """The office's framing text; a circular once issued stays as it was issued."""
    _require_office(by)
    if not title.strip():
        raise ActionError("请填写通报标题。")
    with transaction.atomic():
        circular = Circular.objects.select_for_update().get(pk=circular.pk)
        if circular.status != Circular.Status.DRAFT:
            raise ActionError("通报已印发,不能再修改。", status=409)
        circular.title, circular.intro, circular.closing = title.strip(), intro.strip(), closing.strip()
        circular.save(update_fields=["title", "intro", "closing"])
    return circular


def circular_issue(*, circular: Circular, by: User) -> Circular:
    """Recompute the figures as of now and freeze them with the text."""
    _require_office(by)
    snapshot = selectors.circular_compute(
        circular.start, circular.end, weights=circular.weights, min_tasks=circular.min_tasks
    )
    with transaction.atomic():
        claimed = Circular.objects.filter(pk=circular.pk, status=Circular.Status.DRAFT).update(
            status=Circular.Status.ISSUED, snapshot=snapshot, issued_by=by, issued_at=timezone.now()
        )
        if not claimed:
            raise ActionError("该通报已经印发。", status=409)
        notify.circular_issued(circular=circular)
    circular.refresh_from_db()
    return circular


# --- Notices ----------------------------------------------------------------------


def _take_numbers(kind: str, year: int, count: int) -> int:
    """Reserve `count` consecutive numbers for a kind and year; the first is returned.

    The counter row is locked (SELECT … FOR UPDATE on PostgreSQL; SQLite's IMMEDIATE
    transactions serialise writers), so two offices never get the same number.
    """
    NoticeCounter.objects.get_or_create(kind=kind, year=year)
    counter = NoticeCounter.objects.select_for_update().get(kind=kind, year=year)
    first = counter.last + 1
    counter.last += count
    counter.save(update_fields=["last"])
    return first


def notice_create(
    *, kind: str, tasks: Sequence[Task], by: User, message: str = "", token: str | None = None
) -> list[Notice]:
    """Number and record a 督办通知单 or 催办通知单 for each task, all in one batch.

    1. refuse tasks with no lead unit or already done, paused or closed;
    2. take consecutive numbers for the year from the locked counter;
    3. record each notice with what it says, as it will be printed.
    """
    _require_office(by)
    if kind not in Notice.Kind.values:
        raise ActionError("请选择督办通知单或催办通知单。")
    if not tasks:
        raise ActionError("请至少选择一个事项。")
    for task in tasks:
        if task.lead_unit_id is None:
            raise ActionError(f"“{task.title[:20]}”是按单位分解的上级事项,请对各单位的子事项制发通知单。")
        if task.status not in Task.LIT_STATUSES:
            raise ActionError(f"“{task.title[:20]}”当前状态为“{task.get_status_display()}”,不需要制发通知单。")
    t = workdays.thresholds()
    today = t.today
    batch = uuid.uuid4()
    with transaction.atomic():
        _claim_token(token, by)
        first = _take_numbers(kind, today.year, len(tasks))
        notices = []
        for offset, task in enumerate(tasks):
            source = task.source_title or task.get_source_kind_display()
            if task.source_date:
                source += f"({selectors.cn_day(task.source_date)})"
            notices.append(
                Notice(
                    kind=kind,
                    year=today.year,
                    number=first + offset,
                    batch=batch,
                    task=task,
                    unit_id=task.lead_unit_id,
                    title=task.title[:300],
                    requirement=task.requirements,
                    source=source[:300],
                    deadline=task.deadline_label(),
                    overdue=selectors.notice_overdue_text(task, t) if kind == Notice.Kind.URGE else "",
                    message=message.strip(),
                    created_by=by,
                )
            )
        Notice.objects.bulk_create(notices)
        notify.notices_issued(notices=notices, by=by)
    return notices
