"""A project as a TaskJuggler (tj3) `.tjp` file, and tj3's answer read back.

The office can open the plan in TaskJuggler; the bench and the suite use the same export to
check `scheduling.schedule` against tj3 step by step.

What tj3 can express, and so what the comparison covers:
- holidays: project-wide `leaves holiday`, one per day;
- a working Saturday (调休): tj3's working hours are per weekday, not per date, so it
  cannot; the comparison runs on a calendar without make-up days;
- as late as possible (`scheduling alap`): dependencies are written `precedes` with a
  `gaplength` in working days, finish-to-start only (tj3 refuses `depends` on an ALAP
  task with an end, so start-to-start cannot be written backward);
- as early as possible: `depends` with `gaplength`, and `onstart` for start-to-start.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta

from .scheduling import SS

_HEADER = """project luoshi "{title}" {start:%Y-%m-%d} - {end:%Y-%m-%d} {{
  timeformat "%Y-%m-%d %H:%M"
  workinghours mon - fri 9:00 - 17:00
  workinghours sat, sun off
  dailyworkinghours 8
}}
"""


def _quote(text: str) -> str:
    return text.replace("\\", "").replace('"', "'").replace("\n", " ")


def to_tjp(
    *,
    title: str,
    names: Sequence[str],
    durations: Sequence[int],
    deps: Sequence[tuple[int, int, str, int]],
    start: date,
    deadline: date,
    holidays: Iterable[date] = (),
    alap: bool = True,
    report: str | None = None,
    frame_start: date | None = None,
) -> str:
    """The plan as tj3 source. With `report`, a CSV task report of that name is added (id, start, end).

    tj3 refuses to place work outside the project's frame: an unattainable plan, scheduled as late
    as possible, needs `frame_start` before its first step.
    """
    frame_start = min(frame_start or start, start) - timedelta(days=7)
    frame_end = deadline + timedelta(days=30)
    out = io.StringIO()
    out.write(_HEADER.format(title=_quote(title), start=frame_start, end=frame_end))
    for day in sorted(set(holidays)):
        if frame_start <= day <= frame_end and day.weekday() < 5:
            out.write(f'leaves holiday "h" {day:%Y-%m-%d}\n')
    after: list[list[tuple[int, str, int]]] = [[] for _ in names]
    before: list[list[tuple[int, str, int]]] = [[] for _ in names]
    for pred, succ, kind, lag in deps:
        after[pred].append((succ, kind, lag))
        before[succ].append((pred, kind, lag))
    end_spec = f"{deadline + timedelta(days=1):%Y-%m-%d}"
    for i, name in enumerate(names):
        lines = [f"  length {durations[i]}d"]
        if alap:
            lines.append("  scheduling alap")
            for succ, kind, lag in after[i]:
                if kind == SS:
                    raise ValueError("TaskJuggler cannot write a start-to-start link backward (ALAP).")
                lines.append(f"  precedes s{succ} {{ gaplength {lag}d }}" if lag else f"  precedes s{succ}")
            if not after[i]:
                lines.append(f"  end {end_spec}")
        else:
            for pred, kind, lag in before[i]:
                options = " ".join(
                    part for part in ("onstart" if kind == SS else "", f"gaplength {lag}d" if lag else "") if part
                )
                lines.append(f"  depends s{pred} {{ {options} }}" if options else f"  depends s{pred}")
            if not before[i]:
                lines.append(f"  start {start:%Y-%m-%d}")
        out.write(f'task s{i} "{_quote(name)}" {{\n' + "\n".join(lines) + "\n}\n")
    if report:
        out.write(f'taskreport {report} "{report}" {{ formats csv columns id, start, end }}\n')
    return out.getvalue()


def read_report(text: str, cal) -> dict[int, tuple[date, date]]:
    """tj3's CSV report as {step index: (first working day, last working day)}.

    tj3 writes moments: a start at the end of a working day (17:00) means the next working
    day, and an end at or before 9:00 means the previous one.
    """
    result: dict[int, tuple[date, date]] = {}
    rows = csv.reader(io.StringIO(text), delimiter=";")
    next(rows, None)
    for row in rows:
        if not row or not row[0].startswith("s"):
            continue
        start = datetime.strptime(row[1], "%Y-%m-%d %H:%M")
        end = datetime.strptime(row[2], "%Y-%m-%d %H:%M")
        first = start.date() + timedelta(days=1) if start.hour >= 17 else start.date()
        first = cal.on_or_after(first)
        last = end.date() - timedelta(days=1) if end.hour <= 9 else end.date()
        while not cal.is_workday(last):
            last -= timedelta(days=1)
        result[int(row[0][1:])] = (first, last)
    return result


def run_tj3(source: str, *, report: str = "dates", tj3: str = "tj3", timeout: float | None = None) -> str:
    """Schedule `source` with tj3 in a scratch directory; returns the CSV report's text."""
    import subprocess
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as scratch:
        (Path(scratch) / "plan.tjp").write_text(source, encoding="utf-8")
        done = subprocess.run(
            [tj3, "--no-color", "--silent", "plan.tjp"], cwd=scratch, capture_output=True, text=True, timeout=timeout
        )
        if done.returncode != 0:
            raise RuntimeError(f"tj3 failed: {done.stderr.strip()[:2000]}")
        return (Path(scratch) / f"{report}.csv").read_text(encoding="utf-8")


def compare_with_tj3(*, names, durations, deps, start: date, deadline: date, holidays, alap: bool, tj3: str = "tj3"):
    """Schedule with Luoshi and with tj3; returns (mismatches [(step, ours, theirs)], ours, tj3 seconds).

    As late as possible compares the latest dates; as early as possible the earliest dates from `start`.
    """
    import time

    from luoshi.lib.workdays import Calendar

    from .scheduling import schedule

    cal = Calendar(set(holidays), set())
    ours = schedule(durations=durations, deps=deps, cal=cal, start=start, deadline=deadline, names=names)
    source = to_tjp(
        title="compare", names=names, durations=durations, deps=deps, start=start, deadline=deadline,
        holidays=holidays, alap=alap, report="dates", frame_start=ours.start_date(min(ours.ls, default=0)),
    )  # fmt: skip
    began = time.perf_counter()
    theirs = read_report(run_tj3(source, tj3=tj3), cal)
    seconds = time.perf_counter() - began
    mismatches = []
    for i in range(len(names)):
        s, e = (ours.ls[i], ours.lf[i]) if alap else (ours.es[i], ours.ef[i])
        mine = (ours.start_date(s), ours.end_date(e))
        if theirs.get(i) != mine:
            mismatches.append((i, mine, theirs.get(i)))
    return mismatches, ours, seconds
