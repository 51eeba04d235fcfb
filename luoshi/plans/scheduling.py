"""Backward scheduling (倒排工期) on the county's working-day calendar. Pure: no database.

A project is a list of steps, each with a duration in working days, and dependencies
between them: finish-to-start (FS) or start-to-start (SS), each with a lag in working days.

Everything is computed on working-day indices: index 0 is the project's start day, and a
step occupying [s, e) works on the days s, s+1, …, e-1. `Days` turns indices into dates
and back, on `luoshi.lib.workdays.Calendar` (holidays off, 调休 Saturdays on).

- the backward pass (as late as possible) from the deadline gives each step's latest
  start and finish;
- the forward pass (as early as possible) from today, or from the project's start when it
  has not begun, gives the earliest start and finish;
- slack = latest start - earliest start; the critical path is the steps whose slack is the
  least (the project's buffer);
- 留有余地: the buffer must be at least max(N working days, P% of the chain's length);
- 大头靠前: the share of the work scheduled in the first half of the window.

Steps already started or finished (from their tasks' reports) keep their actual dates in
both passes, so the rest re-schedules around them.

100,000 steps with 150,000 dependencies schedule in well under a second (bench/schedule.py).
"""

from __future__ import annotations

import functools
import gc
import math
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from luoshi.lib.errors import ActionError

FS = "FS"
SS = "SS"


class Days:
    """Working days as a list, extended on demand in both directions around an origin."""

    def __init__(self, cal, origin: date):
        self.cal = cal
        self.origin = cal.on_or_after(origin)
        self._after = [self.origin]  # index i >= 0
        self._before: list[date] = []  # index -1, -2, …

    def _grow_after(self, n: int) -> None:
        day = self._after[-1]
        is_workday = self.cal.is_workday
        while len(self._after) <= n:
            day += timedelta(days=1)
            if is_workday(day):
                self._after.append(day)

    def _grow_before(self, n: int) -> None:
        day = self._before[-1] if self._before else self.origin
        is_workday = self.cal.is_workday
        while len(self._before) < n:
            day -= timedelta(days=1)
            if is_workday(day):
                self._before.append(day)

    def date(self, index: int) -> date:
        if index >= 0:
            if index >= len(self._after):
                self._grow_after(index)
            return self._after[index]
        if -index > len(self._before):
            self._grow_before(-index)
        return self._before[-index - 1]

    def index_on_or_after(self, day: date) -> int:
        """The index of `day`, or of the next working day when it is not one."""
        if day >= self.origin:
            while self._after[-1] < day:
                self._grow_after(len(self._after) + 64)
            return bisect_left(self._after, day)
        while not self._before or self._before[-1] >= day:
            self._grow_before(len(self._before) + 64)
        # _before is descending: count the working days on or after `day` before the origin.
        count = len(self._before) - bisect_right(self._before[::-1], day - timedelta(days=1))
        return -count

    def index_on_or_before(self, day: date) -> int:
        index = self.index_on_or_after(day)
        return index if self.date(index) == day else index - 1


@dataclass
class Schedule:
    """The result, in working-day indices; `days` turns them into dates.

    Ends are exclusive: a step works the days es .. ef-1; its finish date is `days.date(ef - 1)`.
    """

    days: Days
    deadline_end: int  # the index after the deadline: steps must end by it
    today: int
    es: list[int]
    ef: list[int]
    ls: list[int]
    lf: list[int]
    slack: list[int]
    critical: list[bool]
    buffer: int  # working days between the earliest finish and the deadline
    length: int  # working days from the first step's start to the last step's end, forward
    required_buffer: int
    front_share: float  # of the planned (latest, or front-loaded) dates
    planned_start: list[int]
    planned_end: list[int]
    late: list[bool]  # the latest start has passed and the step has not started
    warnings: list[str] = field(default_factory=list)

    @property
    def missing_buffer(self) -> int:
        return max(0, self.required_buffer - self.buffer)

    @property
    def attainable(self) -> bool:
        return self.buffer >= 0

    def start_date(self, index: int) -> date:
        return self.days.date(index)

    def end_date(self, index: int) -> date:
        return self.days.date(index - 1)


def _cycle_message(n: int, succ_of: list[list[tuple[int, int]]], done: set[int], names: Sequence[str] | None) -> str:
    # Every step left over lies on or behind a cycle: walk forward among them until one repeats.
    left = [i for i in range(n) if i not in done]
    left_set = set(left)
    node = left[0]
    seen: dict[int, int] = {}
    path: list[int] = []
    while node not in seen:
        seen[node] = len(path)
        path.append(node)
        node = next(s for s, _ in succ_of[node] if s in left_set)
    cycle = [*path[seen[node] :], node]
    label = (lambda i: f"“{names[i]}”") if names else (lambda i: f"第{i + 1}步")
    return "步骤之间的前后关系构成了循环:" + " → ".join(label(i) for i in cycle) + ",请删去其中一条依赖。"


def _without_gc(function):
    """Pause the cyclic garbage collector while `function` runs.

    The passes allocate hundreds of thousands of small lists and tuples and no cycles; on a large
    plan the collector's repeated scans of them cost more than the scheduling itself.
    """

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        enabled = gc.isenabled()
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            if enabled:
                gc.enable()

    return wrapper


@_without_gc
def schedule(
    *,
    durations: Sequence[int],
    deps: Sequence[tuple[int, int, str, int]],
    cal,
    start: date,
    deadline: date,
    today: date | None = None,
    names: Sequence[str] | None = None,
    weights: Sequence[float] | None = None,
    actual_start: dict[int, date] | None = None,
    actual_finish: dict[int, date] | None = None,
    front_load: bool = False,
    min_buffer_days: int = 5,
    min_buffer_percent: float = 15,
    front_warning_percent: float = 60,
) -> Schedule:
    """Schedule a project; see the module's docstring. `deps` are (predecessor, successor, FS|SS, lag)."""
    n = len(durations)
    label = (lambda i: f"“{names[i]}”") if names else (lambda i: f"第{i + 1}步")
    for i, d in enumerate(durations):
        if d <= 0:
            raise ActionError(f"步骤{label(i)}的工期应为正数(工作日),现为 {d}。")
    days = Days(cal, start)
    today_date = today or start
    t0 = max(0, days.index_on_or_after(today_date))
    deadline_end = days.index_on_or_before(deadline) + 1
    actual_start = actual_start or {}
    actual_finish = actual_finish or {}

    # One constant per link makes both kinds alike: successor's start >= predecessor's start + c,
    # with c = lag for SS and lag + the predecessor's duration for FS.
    out_of: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    indegree = [0] * n
    negative = False
    for pred, succ, kind, lag in deps:
        if pred == succ:
            raise ActionError(f"步骤{label(pred)}不能依赖它自己。")
        if kind == FS:
            c = lag + durations[pred]
        elif kind == SS:
            c = lag
        else:
            raise ActionError(f"步骤{label(succ)}的依赖类型“{kind}”无法识别,应为 FS(完成-开始)或 SS(开始-开始)。")
        if lag < 0:
            negative = True
        out_of[pred].append((succ, c))
        indegree[succ] += 1

    # Topological order (Kahn), pushing each step's earliest start from the project's start as it goes.
    es0 = [0] * n
    order = [i for i in range(n) if indegree[i] == 0]
    head = 0
    while head < len(order):
        node = order[head]
        head += 1
        at = es0[node]
        for nxt, c in out_of[node]:
            if at + c > es0[nxt]:
                es0[nxt] = at + c
            indegree[nxt] -= 1
            if indegree[nxt] == 0:
                order.append(nxt)
    if len(order) < n:
        raise ActionError(_cycle_message(n, out_of, set(order), names))
    if negative:
        # A lead (negative lag) must not reach before the project's start.
        for pred, succ, kind, lag in deps:
            if lag < 0 and es0[pred] + lag + (durations[pred] if kind == FS else 0) < 0:
                raise ActionError(f"步骤{label(succ)}与前置步骤{label(pred)}的间隔使它早于项目开始日,请调整间隔。")
    length = max(map(int.__add__, es0, durations), default=0)

    # Fixed dates from reports: a finished step keeps both ends, a started one its start.
    fixed_start: dict[int, int] = {i: days.index_on_or_after(d) for i, d in actual_start.items()}
    fixed_end: dict[int, int] = {i: days.index_on_or_before(d) + 1 for i, d in actual_finish.items()}
    for i, end in fixed_end.items():
        fixed_start.setdefault(i, end - durations[i])

    # Forward from today: the earliest start of what is not yet done. After a step that finished
    # (early or late), its finish-to-start successors count from its actual end.
    if t0 == 0 and not fixed_start:
        es = es0
    else:
        # A started step runs to its actual finish, or at least to today.
        span = {i: fixed_end.get(i, max(s + durations[i], t0 + 1)) - s for i, s in fixed_start.items()}
        exact_out: dict[int, list[tuple[int, int]]] = {node: [] for node in fixed_start}
        for pred, succ, kind, lag in deps:
            if pred in span:
                exact_out[pred].append((succ, lag + (span[pred] if kind == FS else 0)))
        es = [t0] * n
        for node in order:
            if node in fixed_start:
                es[node] = fixed_start[node]
            at = es[node]
            for nxt, c in exact_out[node] if node in exact_out else out_of[node]:
                if at + c > es[nxt]:
                    es[nxt] = at + c
    ef = list(map(int.__add__, es, durations))
    for node, s in fixed_start.items():
        ef[node] = fixed_end.get(node, max(s + durations[node], t0 + 1))

    # Backward from the deadline: the latest start; a step's finish caps it at the deadline.
    ls = [deadline_end - d for d in durations]
    for node, s in fixed_start.items():
        ls[node] = s
    for node in reversed(order):
        succs = out_of[node]
        if succs and node not in fixed_start:
            at = min([ls[s] - c for s, c in succs])
            if at < ls[node]:
                ls[node] = at
    lf = list(map(int.__add__, ls, durations))
    for node, e in fixed_end.items():
        lf[node] = e

    slack = list(map(int.__sub__, ls, es))
    finish = max(ef, default=0)
    buffer = deadline_end - finish
    if fixed_end:
        open_slack = [slack[i] for i in range(n) if i not in fixed_end]
        least = min(open_slack) if open_slack else 0
        critical = [slack[i] == least and i not in fixed_end for i in range(n)]
    else:
        least = min(slack, default=0)
        critical = [value == least for value in slack]
    required = max(min_buffer_days, math.ceil(length * min_buffer_percent / 100 - 1e-9))
    late = [value < t0 for value in ls] if t0 else [False] * n
    for node in fixed_start:
        late[node] = False

    planned_start, planned_end = (es, ef) if front_load else (ls, lf)
    window_start = min(0, min(planned_start, default=0))
    front = _front_share(planned_start, planned_end, durations, weights, window_start, deadline_end)

    result = Schedule(
        days=days, deadline_end=deadline_end, today=t0, es=es, ef=ef, ls=ls, lf=lf, slack=slack,
        critical=critical, buffer=buffer, length=length, required_buffer=required, front_share=front,
        planned_start=planned_start, planned_end=planned_end, late=late,
    )  # fmt: skip
    if buffer < 0:
        result.warnings.append(
            f"按现有工期,即使今天开始也要到 {result.end_date(finish):%Y年%-m月%-d日} 才能完成,"
            f"比完成时限晚 {-buffer} 个工作日,请压缩工期或调整时限。"
        )
    elif buffer < required:
        result.warnings.append(
            f"留有余地不足:需预留 {required} 个工作日(不少于 {min_buffer_days} 个工作日且不少于"
            f"总工期的 {min_buffer_percent:g}%),现只有 {buffer} 个,还差 {required - buffer} 个工作日。"
        )
    if n and front * 100 < front_warning_percent:
        result.warnings.append(
            f"大头靠前不足:前半程安排的工作量占 {front * 100:.0f}%,低于 {front_warning_percent:g}%,"
            "可改为“前移排程”,让各步骤在前置步骤完成后尽早开始。"
        )
    if any(late):
        result.warnings.append(f"有 {sum(late)} 个步骤已过最晚开始日期仍未开始。")
    return result


def _front_share(starts, ends, durations, weights, window_start: int, window_end: int) -> float:
    """Share of the work (weights, else durations) falling in the first half of the window."""
    mid = window_start + (window_end - window_start) / 2
    total = 0.0
    early = 0.0
    for s, e, w in zip(starts, ends, weights or durations, strict=True):
        if w <= 0 or e <= s:
            continue
        total += w
        if e <= mid:
            early += w
        elif s < mid:
            early += w * (mid - s) / (e - s)
    return early / total if total else 0.0
