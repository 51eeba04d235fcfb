"""Every task list as the ledger (台账) an office would make, streamed so that 100,000 tasks fit in memory.

The sheet has a title row, a frozen header, widths, wrapped 仿宋, the lights as
fills, an auto-filter and landscape printing fit to the width with the header
repeated. The latest progress report has its own columns, which a unit fills
in and sends back; the hidden 系统编号 column makes that file an update, not a
copy. A second sheet holds the per-unit summary from work.selectors.unit_stats.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from itertools import islice
from types import SimpleNamespace

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from openpyxl import Workbook

from luoshi.lib import xlsx
from luoshi.lib.workdays import Thresholds
from luoshi.org.models import Unit
from luoshi.org.reorg import moved_since
from luoshi.work.models import Assignment, Cadence, Light, ProgressReport, Task
from luoshi.work.selectors import unit_stats

from .reader import FIELDS

# (header, width, hidden). The headers are the import's own names, so a ledger that comes back maps by itself.
COLUMNS = [
    (FIELDS["seq"][0], 5),
    (FIELDS["category"][0], 6),
    (FIELDS["title"][0], 20),
    (FIELDS["requirements"][0], 18),
    (FIELDS["leader"][0], 8),
    (FIELDS["lead"][0], 9),
    (FIELDS["supporting"][0], 11),
    (FIELDS["deadline"][0], 15),
    (FIELDS["cadence"][0], 10),
    ("状态", 7),
    ("灯色", 5),
    (FIELDS["progress"][0], 26),
    (FIELDS["problems"][0], 14),
    (FIELDS["next_steps"][0], 14),
    ("反馈时间", 17),  # a date needs 17 units at 16 pt 仿宋, or it prints as ### or cut
    (FIELDS["note"][0], 6),
    ("系统编号(请勿修改)", 10),
    ("反馈版本(请勿修改)", 10),
]
# The printed ledger (A4 landscape, fit to the width) shrinks these 191 units to 0.59 in LibreOffice (measured):
# a 16 pt body prints at about 9.3 pt. Wider columns would print smaller; tests/test_print.py checks it.
FONT_SIZE = 16
ID_COLUMN = len(COLUMNS) - 1  # 1-based, hidden
LIGHT_COLUMN = [header for header, _ in COLUMNS].index("灯色") + 1
# The latest report the row shows, by ID (0: none yet), hidden: the import compares three ways with it.
VERSION_COLUMN = len(COLUMNS)
LIGHT_NAMES = dict(Light.choices)
STATUS_NAMES = dict(Task.Status.choices)  # get_status_display() costs more than the row on 100,000 tasks
_CHUNK = 2000


def ledger_title(*, year: int | None, as_of: date, scope: list[str] = ()) -> str:
    """示范县2022年重点工作任务台账(截至2022年6月30日), then what the list was narrowed to: (财政局 红灯)."""
    county = settings.LUOSHI_COUNTY_NAME
    year_part = f"{year}年" if year else ""
    title = f"{county}{year_part}重点工作任务台账(截至{as_of.year}年{as_of.month}月{as_of.day}日)"
    return title + (f"({' '.join(scope)})" if scope else "")


def export_scope(task_filter, user) -> list[str]:
    """What a filtered ledger holds, in words for its title and file name: 财政局, 李强, 红灯, 办理中, “河湖”."""
    from luoshi.org.models import Leader

    parts = []
    if task_filter.unit:
        unit = Unit.objects.filter(pk=task_filter.unit).first()
        if unit:
            parts.append(unit.display_name + ("(含配合)" if task_filter.with_support else ""))
    elif user.role == "unit" and user.unit_id:
        parts.append(user.unit.display_name)
    if task_filter.leader:
        leader = Leader.objects.filter(pk=task_filter.leader).first()
        if leader:
            parts.append(leader.name)
    if task_filter.light:
        parts.append(LIGHT_NAMES.get(task_filter.light, ""))
    status_names = {"open": "未办结", "unsigned": "超期未签收", **STATUS_NAMES}
    if task_filter.status:
        parts.append(status_names.get(task_filter.status, ""))
    if task_filter.source:
        parts.append(dict(Task.SourceKind.choices).get(task_filter.source, ""))
    if task_filter.deadline_from or task_filter.deadline_to:
        start = f"{task_filter.deadline_from:%Y-%m-%d}" if task_filter.deadline_from else ""
        end = f"{task_filter.deadline_to:%Y-%m-%d}" if task_filter.deadline_to else ""
        parts.append(f"时限{start}至{end}" if start and end else (f"时限{start}起" if start else f"时限至{end}"))
    if task_filter.q:
        parts.append(f"含“{task_filter.q[:20]}”")
    if task_filter.archive and not task_filter.year:
        parts.append("往年归档")
    return [part for part in parts if part]


_UNSAFE = str.maketrans(dict.fromkeys('\\/:*?"<>|\r\n\t', "_"))


def export_filename(*, year: int | None, as_of: date, scope: list[str]) -> str:
    """示范县2026年重点工作任务台账_财政局_红灯_2026-11-30.xlsx: what it holds and the day, safe on every disk."""
    county = settings.LUOSHI_COUNTY_NAME
    name = "_".join([f"{county}{f'{year}年' if year else ''}重点工作任务台账", *scope, f"{as_of:%Y-%m-%d}"])
    return name.translate(_UNSAFE)[:150] + ".xlsx"


_TASK_FIELDS = ("id", "title", "requirements", "category", "leader__name", "lead_unit_id", "lead_unit__name",
                "lead_unit__short_name", "group_label", "deadline", "standing", "cadence", "cadence_day", "status",
                "light")  # fmt: skip


def _chunks(queryset: QuerySet, t: Thresholds):
    """The tasks in list order, a few thousand at a time, as plain rows with what the ledger shows.

    Rows, not model instances: 100,000 tasks with their units and leaders would be 300,000 objects.
    """
    rows = queryset.with_light(t).values(*_TASK_FIELDS).iterator(chunk_size=_CHUNK)
    while batch := list(islice(rows, _CHUNK)):
        chunk = [row["id"] for row in batch]
        supporting = defaultdict(list)
        for task_id, unit_id, name, short in (
            Assignment.objects.filter(task_id__in=chunk, role=Assignment.Role.SUPPORT)
            .order_by("unit__kind", "unit__order", "unit_id")
            .values_list("task_id", "unit_id", "unit__name", "unit__short_name")
        ):
            supporting[task_id].append((unit_id, short or name))
        latest = {}
        for report in (
            ProgressReport.objects.filter(task_id__in=chunk, is_lead=True)
            .order_by("task_id", "-created_at", "-id")
            .values("id", "task_id", "done_text", "problems", "next_steps", "created_at")
        ):
            latest.setdefault(report["task_id"], report)
        for row in batch:
            yield SimpleNamespace(**row), supporting.get(row["id"], []), latest.get(row["id"])


def _cadence_text(task) -> str:
    """反馈周期 as the import reads it back beside 完成时限: 每月25日前, 每周五, 不定期."""
    if task.cadence == Cadence.NONE:
        return "不定期"
    return Task.cadence_label(task)


def _groups() -> list[tuple[str, set[int]]]:
    return [
        (label, set(Unit.objects.active().filter(kind=kind).values_list("pk", flat=True)))
        for label, kind in (("各乡镇", Unit.Kind.TOWNSHIP), ("县直各单位", Unit.Kind.DEPARTMENT))
    ]


def _supporting_text(units: list[tuple[int, str]], lead_id: int | None, groups) -> str:
    """As an office writes it: every township is 各乡镇, every other department 县直各单位."""
    ids = {unit_id for unit_id, _ in units}
    names, covered = [], set()
    for label, members in groups:
        members = members - {lead_id}
        if len(members) > 1 and members <= ids:
            names.append(label)
            covered |= members
    return "、".join([name for unit_id, name in units if unit_id not in covered] + names)


def write_ledger(workbook: Workbook, tasks: QuerySet, *, title: str, t: Thresholds) -> int:
    """The ledger sheet, streamed; returns the number of task rows."""
    groups = _groups()
    sheet = xlsx.LedgerSheet(
        workbook,
        name="台账",
        title=title,
        headers=[header for header, _ in COLUMNS],
        widths=[width for _, width in COLUMNS],
        hidden_columns=[ID_COLUMN, VERSION_COLUMN],
        font_size=FONT_SIZE,
    )
    count = 0
    for count, (task, supporting, report) in enumerate(_chunks(tasks, t), start=1):
        light = task.light or ""
        values = [
            count,
            task.category,
            task.title,
            task.requirements,
            task.leader__name or "",
            (task.lead_unit__short_name or task.lead_unit__name) if task.lead_unit_id else task.group_label,
            _supporting_text(supporting, task.lead_unit_id, groups),
            Task.deadline_label(task),
            _cadence_text(task),
            STATUS_NAMES.get(task.status, task.status),
            LIGHT_NAMES.get(light, ""),
            report["done_text"] if report else "",
            report["problems"] if report else "",
            report["next_steps"] if report else "",
            timezone.localtime(report["created_at"]).date() if report else None,
            "",
            task.id,
            report["id"] if report else 0,
        ]
        sheet.append(values, fills={LIGHT_COLUMN: light} if light else None)
    sheet.close()
    return count


def write_summary(
    workbook: Workbook, units, period: tuple[date, date], *, title: str, ledger_rows: int | None = None
) -> None:
    """The per-unit summary sheet, from the one source of unit figures."""
    rows = []
    stats = unit_stats(units, period)
    stats.sort(key=lambda s: (s.unit.kind, s.unit.order, s.unit.pk))
    for index, row in enumerate((s for s in stats if s.assigned), start=1):
        rows.append(
            [
                index,
                row.name,
                row.unit.get_kind_display(),
                row.assigned,
                row.done,
                xlsx.Percent(row.done_rate) if row.done_rate is not None else "—",
                row.on_time,
                xlsx.Percent(row.on_time_rate) if row.on_time_rate is not None else "—",
                row.overdue,
                row.reports_late,
                row.urges,
                round(row.mean_workdays, 1) if row.mean_workdays is not None else "—",
            ]
        )
    sheet = xlsx.LedgerSheet(
        workbook,
        name="单位汇总",
        title=title,
        headers=[
            "序号",
            "单位",
            "类型",
            "交办",
            "办结",
            "办结率",
            "按期办结",
            "按期率",
            "超期未办结",
            "逾期反馈",
            "被催办",
            "平均办理工作日",
        ],
        widths=[6, 24, 8, 8, 8, 8, 10, 8, 10, 10, 8, 14],
    )
    for row in rows:
        sheet.append(row)
    assigned = sum(s.assigned for s in stats)
    note = SUMMARY_NOTE
    if ledger_rows is not None:
        note = f"说明:本表交办合计{assigned}项,台账表共{ledger_rows}行。" + SUMMARY_NOTE.removeprefix("说明:")
    sheet.append(["", note])
    sheet.close()


# The summary's one-line note: why its 交办 column adds up to the ledger's rows.
SUMMARY_NOTE = (
    "说明:交办数为统计期内的在办事项(含往年结转,不含暂停和已关闭)加期内已办结事项,"
    "只计入牵头单位;台账表按筛选条件列出事项,两者不同时以此为准;与首页、督办事项列表和常务会材料的统计口径相同。"
)


def ledger_workbook(tasks: QuerySet, *, t: Thresholds, year: int | None, as_of: date,
                    period: tuple[date, date], units=None, scope: list[str] = ()) -> Workbook:  # fmt: skip
    """The whole download: the ledger and the per-unit summary of the units it names."""
    workbook = Workbook(write_only=True)
    rows = write_ledger(workbook, tasks, title=ledger_title(year=year, as_of=as_of, scope=scope), t=t)
    if units is None:
        unit_ids = tasks.exclude(lead_unit=None).values("lead_unit_id").distinct()
        units = Unit.objects.filter(pk__in=unit_ids)
        if period[1] < timezone.localdate():
            # 机构改革: a task moved since counts for the unit that led it then, which the summary lists too.
            then = moved_since(tasks.order_by(), period[1]).values("lead_then_id")
            units = Unit.objects.filter(Q(pk__in=unit_ids) | Q(pk__in=then))
    summary_title = (
        f"{settings.LUOSHI_COUNTY_NAME}各单位工作任务落实情况汇总(截至{as_of.year}年{as_of.month}月{as_of.day}日)"
    )
    write_summary(workbook, units, period, title=summary_title, ledger_rows=rows)
    return workbook
