"""机构改革: units renamed, merged, split or dissolved, with their open tasks moved and their history kept.

Each operation is one service that runs in one transaction and can run as a preview (`dry_run=True`): the
same code runs and is rolled back, so that what the administrator confirms is exactly what the preview
showed. Every change is traced: the units, the accounts and leaders moved, in the audit trail; each task
moved, on its own timeline (through the 督办 services' timeline writer).

History is kept:
- closed tasks (done, cancelled) stay with the unit that carried them out;
- a renamed unit keeps its former names in `UnitNameHistory`, and `unit_name_on(unit, day)` gives the name
  of that day, which the figures of past periods (`work.selectors.unit_stats`) report under;
- a merged, split or dissolved unit is made inactive with its `dissolved_on` date, never deleted, so that
  the figures of the periods before it still list it (`Unit.objects.existing_during`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from luoshi.audit.services import audit_changes, audit_record, field_values
from luoshi.lib.errors import ActionError
from luoshi.lib.text import normalize

from .models import Leader, TaskLeadMove, Unit, UnitAlias, UnitNameHistory, User

# A reorganisation is dated by its document: at most a year ahead, and never before this.
EARLIEST = date(2000, 1, 1)
AHEAD_DAYS = 366

KIND_RENAME, KIND_MERGE, KIND_SPLIT, KIND_DISSOLVE = "rename", "merge", "split", "dissolve"
KIND_LABELS = {KIND_RENAME: "更名", KIND_MERGE: "合并", KIND_SPLIT: "拆分", KIND_DISSOLVE: "撤销"}
# The audit actions of a reorganisation as a whole; the page lists the trail's entries with these. The units,
# accounts and leaders it changes on the way are traced as reorg_create, reorg_retire, reorg_user_move, reorg_leader.
AUDIT_ACTIONS = tuple(f"reorg_{kind}" for kind in KIND_LABELS)


# --- The names of that time ---------------------------------------------------


def unit_names_on(units, day: date) -> dict[int, tuple[str, str]]:
    """{unit id: (full name, display name)} as each unit was called on `day`, in one query."""
    units = list(units)
    names = {unit.pk: (unit.name, unit.display_name) for unit in units}
    former = UnitNameHistory.objects.filter(unit_id__in=list(names), valid_to__gte=day).filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=day)
    )
    for row in former:
        names[row.unit_id] = (row.name, row.display_name)
    return names


def unit_name_on(unit: Unit, day: date) -> str:
    """The unit's full name on `day`: a former name before a rename, its current name since."""
    return unit_names_on([unit], day)[unit.pk][0]


def moved_since(tasks, day: date):
    """The tasks of `tasks` whose lead changed after `day`, each annotated `lead_then_id`: the unit that led it
    on `day` (the predecessor of its first move since). A period's figures count these under `lead_then_id`.

    One query, with the moves (a few per reorganisation) as its driving set: both conditions are ranges of
    `TaskLeadMove`'s indexes, so its cost follows the tasks moved, not the tasks there are.
    """
    from django.db.models import OuterRef, Subquery

    after = TaskLeadMove.objects.filter(moved_on__gt=day)
    first = after.filter(task_id=OuterRef("pk")).order_by("moved_on", "id").values("from_unit_id")[:1]
    return tasks.filter(pk__in=after.values("task_id")).annotate(lead_then_id=Subquery(first))


# --- What a reorganisation does -------------------------------------------------


@dataclass
class NewUnit:
    """A unit the reorganisation sets up (合并新设, 拆分新设); kind, order and parent default to its predecessor's."""

    name: str
    short_name: str = ""
    kind: str = ""


@dataclass
class TaskMove:
    task_id: int
    title: str
    role: str
    from_unit: str
    to_unit: str


@dataclass
class ReorgResult:
    """What a reorganisation moved where: the preview shows it, the confirmation reports it."""

    kind: str
    summary: str
    on: date
    moves: list[TaskMove] = field(default_factory=list)
    closed_kept: int = 0
    users_moved: list[str] = field(default_factory=list)
    users_left: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    leaders: list[str] = field(default_factory=list)
    created: list[str] = field(default_factory=list)
    # Pending 延期 and 办结 requests whose asking unit passed to the successor.
    requests: list[str] = field(default_factory=list)
    # The in-app notices the successors' liaisons get of the tasks they inherit.
    notices: list[str] = field(default_factory=list)
    # A split's successors, in order: the choice of successor per task is a position in this list.
    targets: list[str] = field(default_factory=list)
    applied: bool = False

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def counts(self) -> dict[str, int]:
        return {
            "转移在办事项": len({move.task_id for move in self.moves}),
            "保留原单位的已办结(已关闭)事项": self.closed_kept,
            "转移待审核申请": len(self.requests),
            "转移账号": len(self.users_moved),
            "留待处理的账号": len(self.users_left),
            "新增别名": len(self.aliases),
        }


class _Rollback(Exception):
    def __init__(self, result: ReorgResult):
        self.result = result


def _run(work, dry_run: bool) -> ReorgResult:
    """Run `work` in one transaction; a preview rolls it back and returns what it would have done."""
    try:
        with transaction.atomic():
            result = work()
            if dry_run:
                raise _Rollback(result)
    except _Rollback as rollback:
        return rollback.result
    result.applied = True
    return result


# --- Checks -----------------------------------------------------------------------


def _require_admin(by: User) -> None:
    if by is None or not by.is_active or by.role != User.Role.ADMIN:
        raise ActionError("机构改革(单位更名、合并、拆分、撤销)仅限系统管理员操作。", status=403)


def _locked(units: Sequence[Unit]) -> list[Unit]:
    """The units re-read under a row lock, in the order given: two reorganisations of one unit take turns."""
    rows = Unit.objects.select_for_update().in_bulk([unit.pk for unit in units])
    missing = [unit for unit in units if unit.pk not in rows]
    if missing:
        raise ActionError(f"单位“{missing[0]}”不存在。", status=404)
    return [rows[unit.pk] for unit in units]


def _check_date(on: date | None, units: Sequence[Unit], *, renaming: bool = False) -> date:
    if on is None:
        raise ActionError("请填写生效日期(机构改革文件规定的日期)。")
    latest = timezone.localdate() + timedelta(days=AHEAD_DAYS - 1)
    if on > latest:
        raise ActionError(f"生效日期 {on:%Y-%m-%d} 晚于一年以后({latest:%Y-%m-%d}),请核对。")
    if on < EARLIEST:
        raise ActionError(f"生效日期 {on:%Y-%m-%d} 过早,请填写 {EARLIEST:%Y年%m月%d日} 以后的日期。")
    for unit in units:
        if unit.established_on and on < unit.established_on:
            raise ActionError(
                f"生效日期 {on:%Y-%m-%d} 早于“{unit.name}”的设立日期 {unit.established_on:%Y-%m-%d},该单位当时尚未设立。"
            )
        last = unit.name_history.order_by("-valid_to").first()
        if last and (on <= last.valid_to + timedelta(days=1) if renaming else on <= last.valid_to):
            since = last.valid_to + timedelta(days=1)
            raise ActionError(
                f"生效日期 {on:%Y-%m-%d} 不晚于“{unit.name}”上一次更名的生效日期 {since:%Y-%m-%d},"
                "该单位当时还不叫这个名称,请核对。"
            )
    return on


def _clean_name(name: str, *, what: str = "名称", limit: int = 100) -> str:
    name = normalize(name or "")
    if not name:
        raise ActionError(f"请填写{what}。")
    if len(name) > limit:
        raise ActionError(f"{what}“{name[:20]}…”超过 {limit} 个字,请改短。")
    return name


def _check_name_free(name: str, *, besides: Sequence[Unit] = ()) -> None:
    """A new name must be no unit's full name, nor another unit's short name or alias (those of the units being
    reorganised may be taken over)."""
    mine = [unit.pk for unit in besides]
    # Full names are unique among all units, those being reorganised and the inactive ones included.
    other = Unit.objects.filter(name=name).first()
    if other:
        state = "" if other.active else "(已停用)"
        raise ActionError(f"“{name}”已是单位“{other.name}”{state}的名称,不能重名,请换一个名称。")
    short = Unit.objects.active().filter(short_name=name).exclude(pk__in=mine).first()
    if short:
        raise ActionError(f"“{name}”已是单位“{short.name}”的简称,不能重名,请换一个名称。")
    alias = UnitAlias.objects.filter(alias=name).exclude(unit_id__in=mine).select_related("unit").first()
    if alias:
        raise ActionError(f"“{name}”已是单位“{alias.unit.name}”的别名,不能用作新名称,请换一个名称。")


def _check_active(units: Sequence[Unit], doing: str) -> None:
    for unit in units:
        if not unit.active:
            raise ActionError(f"单位“{unit.name}”已停用,不能{doing}。", status=409)


def _new_unit(spec: NewUnit, like: Unit, on: date, by: User, besides: Sequence[Unit], result: ReorgResult) -> Unit:
    name = _clean_name(spec.name, what="新设单位的名称")
    short = normalize(spec.short_name or "")
    if len(short) > 50:
        raise ActionError(f"简称“{short[:20]}…”超过 50 个字,请改短。")
    _check_name_free(name, besides=besides)
    if short and short != name:
        _check_name_free(short, besides=besides)
    kind = spec.kind or like.kind
    if kind not in Unit.Kind.values:
        raise ActionError("请选择新设单位的类型。")
    unit = Unit.objects.create(
        name=name, short_name=short, kind=kind, order=like.order, parent=like.parent, established_on=on
    )
    audit_changes(obj=unit, before=None, by=by, action="reorg_create", note=f"机构改革:新设单位“{name}”")
    result.created.append(name)
    return unit


# --- Moving what a unit carries ---------------------------------------------------------


def _open_task_ids(units: Sequence[Unit]) -> list[int]:
    from luoshi.work.models import Assignment, Task

    closed = [Task.Status.DONE, Task.Status.CANCELLED]
    return list(
        Assignment.objects.filter(unit__in=units)
        .exclude(task__status__in=closed)
        .order_by("task_id")
        .values_list("task_id", flat=True)
        .distinct()
    )


def open_task_count(unit: Unit) -> int:
    """The tasks not done and not cancelled that `unit` leads or supports."""
    return len(_open_task_ids([unit]))


def _closed_task_count(units: Sequence[Unit]) -> int:
    from luoshi.work.models import Assignment, Task

    closed = [Task.Status.DONE, Task.Status.CANCELLED]
    return Assignment.objects.filter(unit__in=units, task__status__in=closed).values("task_id").distinct().count()


def _move_tasks(
    targets: dict[int, Unit], sources: Sequence[Unit], *, by: User, why: str, result: ReorgResult
) -> dict[Unit, list]:
    """Hand the open tasks in `targets` (task id → successor) from `sources` to their successors.

    For each task, under a row lock:
    1. the lead (牵头) passes to the successor when a source led it;
    2. a source's supporting part (配合) passes to the successor, unless the successor already takes part;
    3. a successor that supported a task its predecessor led becomes its lead, keeping the lead's signature;
    4. a pending 延期 or 办结 request a source asked passes to the successor, which now answers for it;
    5. one timeline entry records the lead and supporting units, and the requests' asker, before and after;
    6. each change of lead is recorded as a `TaskLeadMove`, so that the figures of the periods before it still
       count the task under its predecessor.

    Returns the tasks each successor inherits (those it took no part in before), for its liaisons' notice.
    """
    from luoshi.work import steps as work_steps
    from luoshi.work.models import Assignment, Task, TimelineEntry

    source_ids = {unit.pk for unit in sources}
    names = {unit.pk: unit.display_name for unit in sources}
    moves = result.moves
    inherited: dict[Unit, list] = {}
    now = timezone.now()
    # A reorganisation dated ahead moves the tasks at once: the successor leads them from today.
    moved_on = min(result.on, timezone.localdate())
    lead_moves: list[TaskLeadMove] = []
    tasks = Task.objects.select_for_update(of=("self",)).filter(pk__in=list(targets)).order_by("pk")
    requests = _pending_requests(list(targets), source_ids)
    for task in tasks:
        target = targets[task.pk]
        parts = list(Assignment.objects.select_for_update().filter(task=task).select_related("unit"))
        if target.pk not in {part.unit_id for part in parts}:
            inherited.setdefault(target, []).append(task)
        before_lead = next((a.unit for a in parts if a.role == Assignment.Role.LEAD), None)
        before_support = [a.unit.display_name for a in parts if a.role == Assignment.Role.SUPPORT]
        by_unit = {a.unit_id: a for a in parts}
        for part in sorted(parts, key=lambda a: a.role != Assignment.Role.LEAD):
            if part.unit_id not in source_ids:
                continue
            moves.append(
                TaskMove(task.pk, task.title, part.get_role_display(), names[part.unit_id], target.display_name)
            )
            present = by_unit.get(target.pk)
            del by_unit[part.unit_id]
            if present is None:
                part.unit = target
                part.save(update_fields=["unit"])
                by_unit[target.pk] = part
            elif part.role == Assignment.Role.LEAD:
                # The successor supported what its predecessor led: it now leads, under the lead's signature.
                present.delete()
                part.unit = target
                part.save(update_fields=["unit"])
                by_unit[target.pk] = part
            else:
                part.delete()
        after_parts = list(by_unit.values())
        after_lead = next((a.unit for a in after_parts if a.role == Assignment.Role.LEAD), None)
        after_support = sorted(
            (a.unit.display_name for a in after_parts if a.role == Assignment.Role.SUPPORT),
            key=lambda name: before_support.index(name) if name in before_support else len(before_support),
        )
        before, after = {}, {}
        if before_lead != after_lead:
            before["lead_unit"], after["lead_unit"] = before_lead, after_lead
        if before_support != after_support:
            before["supporting"], after["supporting"] = "、".join(before_support), "、".join(after_support)
        for request in requests.get(task.pk, ()):
            kind, asker = request._meta.verbose_name, names[request.unit_id]
            before[f"{kind}的申请单位"], after[f"{kind}的申请单位"] = asker, target.display_name
            request.unit = target
            request.save(update_fields=["unit"])
            result.requests.append(f"事项 {task.pk}“{task.title}”的待审核{kind}:{asker} → {target.display_name}")
        if task.lead_unit_id in source_ids:
            lead_moves.append(
                TaskLeadMove(task=task, from_unit_id=task.lead_unit_id, to_unit=target, moved_on=moved_on,
                             created_by=by, created_at=now)
            )  # fmt: skip
            task.lead_unit = target
            task.updated_at = now
            task.save(update_fields=["lead_unit", "updated_at"])
        work_steps._timeline(
            task, by, TimelineEntry.Action.EDIT, note=f"机构改革:{why},本事项转由“{target.display_name}”承办。",
            before=before, after=after, unit=target, at=now,
        )  # fmt: skip
    TaskLeadMove.objects.bulk_create(lead_moves, batch_size=500)
    return inherited


def _pending_requests(task_ids: list[int], source_ids: set[int]) -> dict[int, list]:
    """The pending 延期 and 办结 requests a source asked on these tasks, under a row lock, by task."""
    from luoshi.work.models import ClosureRequest, Decision, ExtensionRequest

    found: dict[int, list] = {}
    for model in (ExtensionRequest, ClosureRequest):
        pending = model.objects.select_for_update().filter(
            task_id__in=task_ids, unit_id__in=source_ids, status=Decision.PENDING
        )
        for request in pending.order_by("pk"):
            found.setdefault(request.task_id, []).append(request)
    return found


# The notice lists this many tasks by name; a longer list ends with the count and the link.
NOTICE_LIST_LIMIT = 20


def _notify_successors(inherited: dict[Unit, list], sources: Sequence[Unit], *, result: ReorgResult) -> None:
    """One in-app message per successor to its liaisons: how many open tasks it inherits, and where to find them.

    Each message's event carries a key made of the reorganisation (kind, date, predecessors, successor), so
    that a reorganisation retried after a failure, or replayed, does not tell a unit twice.
    """
    from luoshi.notify import services as notify
    from luoshi.notify.models import Event, Kind
    from luoshi.work.models import Task

    if inherited and not notify.rules()[Kind.ASSIGNED].enabled:
        result.notices.append(f"督查室已关闭“{Kind.ASSIGNED.label}”消息,承接单位未收到通知")
        return
    predecessors = "、".join(f"“{unit.display_name}”" for unit in sources)
    digest = hashlib.sha256(",".join(str(pk) for pk in sorted(unit.pk for unit in sources)).encode()).hexdigest()
    liaisons = notify.liaisons_of([unit.pk for unit in inherited])
    specs = []
    for target, tasks in inherited.items():
        # A draft is not yet anyone's work: the office assigns it later, and that assignment tells the unit.
        tasks = [task for task in tasks if task.status != Task.Status.DRAFT]
        if not tasks:
            continue
        key = f"reorg:{result.kind}:{result.on:%Y%m%d}:{target.pk}:{digest[:16]}"
        people = liaisons.get(target.pk, [])
        if Event.objects.filter(key=key).exists():
            result.notices.append(f"“{target.display_name}”已通知过,不再重复发送")
            continue
        if not people:
            result.notices.append(f"“{target.display_name}”没有联络员账号,承接的 {len(tasks)} 项事项未发通知")
            continue
        lines = [f"· {task.title}(完成时限:{task.deadline_label()})" for task in tasks[:NOTICE_LIST_LIMIT]]
        if len(tasks) > NOTICE_LIST_LIMIT:
            lines.append(f"……等共 {len(tasks)} 项,详见链接。")
        body = "\n".join([
            f"根据机构改革({result.summary}),原由{predecessors}承办的 {len(tasks)} 项在办事项"
            f"自 {result.on:%Y年%m月%d日} 起由本单位承办:", *lines, "请及时查看,按要求签收、反馈进展。",
        ])  # fmt: skip
        url = reverse("work:list") + f"?unit={target.pk}&with_support=on&status=open"
        spec = notify.EventSpec(
            kind=Kind.ASSIGNED, title=f"机构改革:本单位承接在办事项 {len(tasks)} 项", body=body, url=url,
            users=people, unit_id=target.pk, key=key,
        )  # fmt: skip
        specs.append(spec)
        result.notices.append(f"“{target.display_name}”的 {len(people)} 名联络员:承接在办事项 {len(tasks)} 项")
    notify.events_raise(specs)


def _move_users(sources: Sequence[Unit], target: Unit | None, *, by: User, why: str, result: ReorgResult) -> None:
    """The accounts of the predecessors: moved to `target`, or left where they are and listed for the administrator."""
    for user in User.objects.filter(unit__in=sources).select_related("unit").order_by("unit_id", "username"):
        label = f"{user.display_name}({user.username},{user.get_role_display()},原属“{user.unit.display_name}”)"
        if target is None:
            result.users_left.append(label)
            continue
        before = field_values(user)
        user.unit = target
        user.save(update_fields=["unit"])
        audit_changes(obj=user, before=before, by=by, action="reorg_user_move",
                      note=f"机构改革:{why},账号转入“{target.name}”")  # fmt: skip
        result.users_moved.append(f"{label} → “{target.display_name}”")


def _pass_leaders(sources: Sequence[Unit], target: Unit, *, by: User, why: str, result: ReorgResult) -> None:
    """The leaders who 分管 a predecessor 分管 its successor too, so that they still see the tasks that moved."""
    leaders = Leader.objects.filter(supervises__in=sources).exclude(supervises=target).distinct().order_by("order")
    for leader in leaders:
        before = field_values(leader)
        leader.supervises.add(target)
        audit_changes(obj=leader, before=before, by=by, action="reorg_leader",
                      note=f"机构改革:{why},分管单位增加“{target.name}”")  # fmt: skip
        result.leaders.append(f"{leader} 分管“{target.display_name}”")


def _add_alias(unit: Unit, alias: str, *, by: User, result: ReorgResult) -> None:
    alias = normalize(alias)
    if not alias or alias == unit.name or UnitAlias.objects.filter(alias=alias).exists():
        return
    if Unit.objects.filter(name=alias, active=True).exclude(pk=unit.pk).exists():
        return
    UnitAlias.objects.create(unit=unit, alias=alias, created_by=by)
    result.aliases.append(f"{alias} → {unit.name}")


def _dissolve(unit: Unit, on: date, *, by: User, note: str, action: str = "reorg_retire") -> None:
    before = field_values(unit)
    unit.active, unit.dissolved_on = False, on
    unit.save(update_fields=["active", "dissolved_on", "updated_at"])
    audit_changes(obj=unit, before=before, by=by, action=action, note=note)


# --- The four operations -----------------------------------------------------------------


def reorg_rename(
    *, unit: Unit, name: str, short_name: str = "", on: date | None, by: User, dry_run: bool = False
) -> ReorgResult:
    """更名: the unit is called `name` from `on`.

    1. its former name is kept in `UnitNameHistory` up to the day before, for the figures of past periods;
    2. its former full and short names become its aliases, so that documents using them still resolve;
    3. the change is traced. Its tasks, open or closed, stay with it.
    """
    _require_admin(by)

    def work() -> ReorgResult:
        (current,) = _locked([unit])
        _check_active([current], "更名")
        new = _clean_name(name, what="新名称")
        short = normalize(short_name or "")
        if len(short) > 50:
            raise ActionError(f"简称“{short[:20]}…”超过 50 个字,请改短。")
        if new == current.name:
            raise ActionError(f"新名称与现名称“{current.name}”相同,无需更名。")
        _check_name_free(new, besides=[current])
        if short and short != new:
            _check_name_free(short, besides=[current])
        day = _check_date(on, [current], renaming=True)
        last = current.name_history.order_by("-valid_to").first()
        UnitNameHistory.objects.create(
            unit=current, name=current.name, short_name=current.short_name,
            valid_from=last.valid_to + timedelta(days=1) if last else current.established_on,
            valid_to=day - timedelta(days=1), created_by=by,
        )  # fmt: skip
        old_name, old_short = current.name, current.short_name
        result = ReorgResult(KIND_RENAME, f"“{old_name}”自 {day:%Y年%m月%d日} 起更名为“{new}”", day)
        # The new name was one of the unit's own aliases: it is now the name.
        UnitAlias.objects.filter(unit=current, alias=new).delete()
        before = field_values(current)
        current.name, current.short_name = new, short
        current.save(update_fields=["name", "short_name", "updated_at"])
        for alias in (old_name, old_short):
            _add_alias(current, alias, by=by, result=result)
        result.closed_kept = _closed_task_count([current])
        audit_changes(obj=current, before=before, by=by, action="reorg_rename",
                      note=f"机构改革:{result.summary};曾用名转为别名")  # fmt: skip
        return result

    return _run(work, dry_run)


def reorg_merge(
    *, sources: Sequence[Unit], into: Unit | NewUnit, on: date | None, by: User, move_users: bool = True,
    dry_run: bool = False,
) -> ReorgResult:  # fmt: skip
    """合并: `sources` merge into `into` (an existing unit, or a new one) from `on`.

    1. each open task of a source passes to the successor, lead and supporting parts alike, with a timeline
       entry; closed tasks stay with the source;
    2. the sources become inactive (not deleted), dated `on`; their names and aliases become the successor's;
    3. their leaders 分管 the successor too; their accounts move to it, or are listed when `move_users` is off;
    4. everything is traced, the merger itself on the successor.
    """
    _require_admin(by)
    if not sources:
        raise ActionError("请选择要合并的单位。")
    if len({unit.pk for unit in sources}) != len(sources):
        raise ActionError("同一个单位选了两次,请检查要合并的单位。")
    if isinstance(into, Unit) and any(unit.pk == into.pk for unit in sources):
        raise ActionError(f"不能把“{into.name}”并入它自己:承接单位应是另一个单位。")

    def work() -> ReorgResult:
        olds = _locked(sources)
        _check_active(olds, "再合并")
        day = _check_date(on, olds)
        if isinstance(into, Unit):
            (target,) = _locked([into])
            _check_active([target], "承接合并")
            _check_date(day, [target])
            created = False
        else:
            result_stub = ReorgResult(KIND_MERGE, "", day)
            target = _new_unit(into, olds[0], day, by, olds, result_stub)
            created = True
        names = "、".join(f"“{unit.name}”" for unit in olds)
        why = f"{names}并入“{target.name}”"
        result = ReorgResult(
            KIND_MERGE, f"{names}自 {day:%Y年%m月%d日} 起并入{'新设的' if created else ''}“{target.name}”", day
        )
        if created:
            result.created = result_stub.created
        result.closed_kept = _closed_task_count(olds)
        task_ids = _open_task_ids(olds)
        inherited = _move_tasks(dict.fromkeys(task_ids, target), olds, by=by, why=why, result=result)
        _pass_leaders(olds, target, by=by, why=why, result=result)
        # Told before the predecessors' accounts join it: they carried these tasks and know them already.
        _notify_successors(inherited, olds, result=result)
        _move_users(olds, target if move_users else None, by=by, why=why, result=result)
        for old in olds:
            # Their names and aliases now name the successor: a document that says 国土局 means it.
            aliases = list(old.aliases.values_list("alias", flat=True))
            old.aliases.all().delete()
            _dissolve(old, day, by=by, note=f"机构改革:并入“{target.name}”,停用")
            for alias in [old.name, old.short_name, *aliases]:
                _add_alias(target, alias, by=by, result=result)
        audit_record(
            obj=target, action="reorg_merge", by=by, note=f"机构改革:{result.summary}",
            before={"并入单位": [unit.name for unit in olds]},
            after={"承接单位": target.name, "生效日期": day, **result.counts, "新增别名": result.aliases,
                   "转移待审核申请": result.requests, "转移账号": result.users_moved,
                   "留待处理的账号": result.users_left, "通知": result.notices},
        )  # fmt: skip
        return result

    return _run(work, dry_run)


def reorg_split(
    *, source: Unit, successors: Sequence[Unit | NewUnit], on: date | None, by: User,
    choices: dict[int, int] | None = None, users_to: int | None = 0, dry_run: bool = False,
) -> ReorgResult:  # fmt: skip
    """拆分: `source` is divided among `successors` (existing or new units) from `on`.

    1. each open task goes to the successor `choices` names for it (task id → position), the first by default,
       with a timeline entry; closed tasks stay with the source;
    2. the source becomes inactive (not deleted), dated `on`; its leaders 分管 every successor;
    3. its accounts move to the successor at position `users_to`, or are listed when it is None;
    4. everything is traced, the split itself on the source.
    """
    _require_admin(by)
    choices = dict(choices or {})
    if not successors:
        raise ActionError("拆分至少需要一个承接单位,请填写拆分后的单位。")
    existing = [unit.pk for unit in successors if isinstance(unit, Unit)]
    if source.pk in existing:
        raise ActionError(f"承接单位不能是“{source.name}”本身;拆分后原单位停用。")
    if len(set(existing)) != len(existing):
        raise ActionError("同一个承接单位填了两次,请检查。")
    new_names = [normalize(unit.name) for unit in successors if isinstance(unit, NewUnit)]
    if len(set(new_names)) != len(new_names):
        raise ActionError("两个新设单位的名称相同,请检查。")
    positions = range(len(successors))
    if users_to is not None and users_to not in positions:
        raise ActionError("账号转入的单位不在承接单位之中。")
    if any(position not in positions for position in choices.values()):
        raise ActionError("有事项选择的承接单位不在承接单位之中,请重新选择。")

    def work() -> ReorgResult:
        (old,) = _locked([source])
        _check_active([old], "再拆分")
        day = _check_date(on, [old])
        stub = ReorgResult(KIND_SPLIT, "", day)
        targets: list[Unit] = []
        for successor in successors:
            if isinstance(successor, Unit):
                (unit,) = _locked([successor])
                _check_active([unit], "承接拆分")
                _check_date(day, [unit])
            else:
                unit = _new_unit(successor, old, day, by, [old], stub)
            targets.append(unit)
        names = "、".join(f"“{unit.name}”" for unit in targets)
        why = f"“{old.name}”拆分为{names}"
        result = ReorgResult(KIND_SPLIT, f"“{old.name}”自 {day:%Y年%m月%d日} 起拆分为{names}", day)
        result.created = stub.created
        result.targets = [unit.display_name for unit in targets]
        task_ids = _open_task_ids([old])
        unknown = set(choices) - set(task_ids)
        if unknown:
            raise ActionError(f"事项(编号 {min(unknown)})不是“{old.name}”的在办事项,请刷新后重新选择。")
        inherited = _move_tasks(
            {task_id: targets[choices.get(task_id, 0)] for task_id in task_ids}, [old], by=by, why=why, result=result
        )
        result.closed_kept = _closed_task_count([old])
        for target in targets:
            _pass_leaders([old], target, by=by, why=why, result=result)
        _notify_successors(inherited, [old], result=result)
        _move_users([old], targets[users_to] if users_to is not None else None, by=by, why=why, result=result)
        _dissolve(old, day, by=by, note=f"机构改革:{result.summary},停用")
        audit_record(
            obj=old, action="reorg_split", by=by, note=f"机构改革:{result.summary}",
            before={"原单位": old.name},
            after={"承接单位": [unit.name for unit in targets], "生效日期": day, **result.counts,
                   "事项去向": [f"{m.title} → {m.to_unit}" for m in result.moves],
                   "转移待审核申请": result.requests, "转移账号": result.users_moved,
                   "留待处理的账号": result.users_left, "通知": result.notices},
        )  # fmt: skip
        return result

    return _run(work, dry_run)


def reorg_dissolve(*, unit: Unit, on: date | None, by: User, dry_run: bool = False) -> ReorgResult:
    """撤销: a unit with no open task is made inactive from `on`; one with open tasks needs a successor (合并, 拆分)."""
    _require_admin(by)

    def work() -> ReorgResult:
        (old,) = _locked([unit])
        _check_active([old], "撤销")
        day = _check_date(on, [old])
        open_count = len(_open_task_ids([old]))
        if open_count:
            raise ActionError(
                f"“{old.name}”还有 {open_count} 项未办结的事项,不能直接撤销:"
                "请用“合并”或“拆分”指定承接单位,事项会随之转移。",
                status=409,
            )
        result = ReorgResult(KIND_DISSOLVE, f"“{old.name}”自 {day:%Y年%m月%d日} 起撤销(停用)", day)
        result.closed_kept = _closed_task_count([old])
        _move_users([old], None, by=by, why="", result=result)
        _dissolve(old, day, by=by, action="reorg_dissolve",
                  note=f"机构改革:{result.summary};留待处理的账号:{'、'.join(result.users_left) or '无'}")  # fmt: skip
        return result

    return _run(work, dry_run)


def successor_resolve(text: str, *, short_name: str = "", kind: str = "") -> Unit | NewUnit:
    """A successor as the administrator writes it: an active unit by its full name, short name or alias, else a new one."""
    from .services import HOW_ALIAS, HOW_NAME, HOW_SHORT, unit_resolve

    name = _clean_name(text, what="承接单位的名称")
    resolution = unit_resolve(name)
    if len(resolution.units) == 1 and resolution.how in (HOW_NAME, HOW_SHORT, HOW_ALIAS):
        return resolution.units[0]
    return NewUnit(name=name, short_name=short_name, kind=kind)
