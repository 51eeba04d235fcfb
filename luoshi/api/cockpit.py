"""The cockpit router: the caller's counts by light, 无灯 and 结转, per unit, and the red tasks.

The same live set (work.selectors.live_set) as `GET /api/work/tasks`, so that the two agree.
"""

from datetime import date

from django.http import Http404
from ninja import Field, Router, Schema

from luoshi.lib import workdays
from luoshi.org.models import Leader
from luoshi.work.models import Task
from luoshi.work.selectors import counts_of, leader_tasks, red_lines, units_lights, year_period

router = Router(tags=["驾驶舱"])


class Counts(Schema):
    red: int
    yellow: int
    green: int
    none: int = Field(description="无灯:本年已办结")
    carried: int = Field(description="其中往年登记、尚未办结的结转事项")
    total: int
    note: str = Field(description="一句话说明各数如何相加")


class UnitCounts(Schema):
    unit_id: int
    unit: str
    red: int
    yellow: int
    green: int
    none: int
    carried: int
    total: int


class RedTask(Schema):
    id: int
    title: str
    unit_id: int
    unit: str
    why: str = Field(description="已逾期 N 天,或反馈已逾期 N 天")
    deadline: date | None
    carried: bool
    report_on: date | None = Field(description="最近一次牵头单位反馈的日期")
    report_line: str = Field(description="最近一次反馈的第一行")
    urged: int = Field(description="催办次数")


class CockpitOut(Schema):
    scope: str = Field(description="全县,或县领导的职务和姓名")
    as_of: date
    counts: Counts
    units: list[UnitCounts]
    red: list[RedTask] = Field(description="红灯事项,逾期最久的在前,最多 limit 项;总数见 counts.red")


@router.get("", response=CockpitOut, summary="领导驾驶舱")
def cockpit(request, leader: int | None = None, limit: int = 50):
    """调用者可见范围内的本年在办事项(含往年结转,加本年已办结):按灯色、按单位计数,以及红灯事项。

    督查室可用 `leader` 查看某位县领导的范围。与 `GET /api/work/tasks?light=…` 对同一用户的计数一致。
    """
    user = request.user
    limit = min(max(limit, 1), 1000)
    if leader is not None and not user.is_office:
        # Only the office switches between leaders; anyone else's scope is their own.
        raise Http404
    scope = "全县" if user.sees_everything else ""
    tasks = Task.objects.visible_to(user)
    units = []
    if user.role == user.Role.LEADER and user.leader_id and not user.sees_everything:
        scope = f"{user.leader.title} {user.leader.name}"
        units = list(user.leader.supervises.active())
    elif leader is not None:
        row = Leader.objects.filter(pk=leader, active=True).first()
        if row is None:
            raise Http404
        scope, tasks = f"{row.title} {row.name}", leader_tasks(row)
        units = [] if row.is_principal else list(row.supervises.active())
    elif not scope and user.unit_id:
        scope = user.unit.display_name
        units = [user.unit]
    t = workdays.thresholds()
    period = year_period(t.today)
    rows = units_lights(tasks, t, period, units=units)
    return {
        "scope": scope,
        "as_of": t.today,
        "counts": counts_of(rows),
        "units": rows,
        "red": red_lines(tasks, t, period, limit=limit),
    }
