"""How fast the scheduler (倒排工期) is, and whether it agrees with TaskJuggler.

1. Luoshi's scheduler on 100,000 steps and 150,000 dependencies (FS and SS, with lags), on
   the working-day calendar with the 2024-2026 holidays and make-up Saturdays: as late as
   possible from the deadline, as early as possible from the start, slack and the critical
   path. Target ≤ 1 s (the best of --repeat runs; wall and CPU time both printed, because
   the machine may be shared).
2. Correctness and speed against Debian's TaskJuggler (`tj3`), on a plan of --tj3-steps
   steps (default 1,000) exported as .tjp: every step's start and end must equal tj3's,
   both as late as possible (finish-to-start links with lags: tj3 cannot write a
   start-to-start link backward) and as early as possible (FS and SS). tj3 cannot express a
   working Saturday, so this part runs on the same holidays without the make-up days.
   The ratio printed is tj3's time / Luoshi's time on that same plan. tj3 takes about 13 s
   per 1,000 steps here and grows faster than linearly; --tj3-steps 100000 runs it on the
   full plan if you have the hours.

    .venv/bin/python bench/schedule.py
    .venv/bin/python bench/schedule.py --tj3-steps 5000
"""

import argparse
import shutil
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import chinese_calendar  # noqa: E402

from luoshi.lib.workdays import Calendar  # noqa: E402
from luoshi.plans.scheduling import schedule  # noqa: E402
from luoshi.plans.synthetic import random_plan  # noqa: E402
from luoshi.plans.tjp import compare_with_tj3  # noqa: E402

TARGET_S = 1.0
START, DEADLINE = date(2024, 1, 2), date(2026, 12, 18)


def holidays() -> set[date]:
    return set(chinese_calendar.get_holidays(START, date(2026, 12, 31), include_weekends=False))


def make_up_days() -> set[date]:
    return {d for d in chinese_calendar.get_workdays(START, date(2026, 12, 31)) if d.weekday() >= 5}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, default=100_000)
    parser.add_argument("--deps", type=int, default=150_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--tj3-steps", type=int, default=1_000)
    args = parser.parse_args()

    cal = Calendar(holidays(), make_up_days())
    names, durations, deps = random_plan(args.steps, args.deps, seed=1, window=1000)
    walls, cpus = [], []
    for _ in range(args.repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = schedule(durations=durations, deps=deps, cal=cal, start=START, deadline=DEADLINE, names=names)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    print(f"scheduler: {args.steps:,} steps, {len(deps):,} dependencies, chain {result.length:,} working days, "
          f"{sum(result.critical):,} critical steps")  # fmt: skip
    best = min(walls)
    print(f"  wall best {best:.3f} s, median {sorted(walls)[len(walls) // 2]:.3f} s; CPU best {min(cpus):.3f} s")
    print(
        f"  target ≤ {TARGET_S:.1f} s; ratio target / best: wall {TARGET_S / best:.2f}, CPU {TARGET_S / min(cpus):.2f}"
        " (1.0 or more meets it; on a shared machine the CPU time is the scheduler's own)"
    )

    tj3 = shutil.which("tj3")
    if not tj3:
        print("tj3 not installed (apt-get install tj3): comparison skipped")
        return
    hols = holidays()
    print(f"TaskJuggler comparison: {args.tj3_steps:,} steps, holidays as vacations, no working Saturdays "
          "(tj3 cannot express a make-up Saturday)")  # fmt: skip
    for alap in (True, False):
        names, durations, deps = random_plan(
            args.tj3_steps, args.tj3_steps * 3 // 2, seed=2, window=30, ss_share=0 if alap else 0.2
        )
        began = time.perf_counter()
        schedule(durations=durations, deps=deps, cal=Calendar(hols, set()), start=START, deadline=DEADLINE)
        ours_s = time.perf_counter() - began
        mismatches, _, tj3_s = compare_with_tj3(
            names=names, durations=durations, deps=deps, start=START, deadline=DEADLINE, holidays=hols,
            alap=alap, tj3=tj3,
        )  # fmt: skip
        mode = "as late as possible (FS+lag)" if alap else "as early as possible (FS+SS, lags)"
        print(f"  {mode}: {len(deps):,} dependencies; steps differing from tj3: {len(mismatches)} of {len(names):,}")
        for i, mine, theirs in mismatches[:5]:
            print(f"    {names[i]}: Luoshi {mine}, tj3 {theirs}")
        print(f"    Luoshi {ours_s * 1000:.1f} ms, tj3 {tj3_s:.2f} s: tj3 / Luoshi = {tj3_s / ours_s:,.0f}×")


if __name__ == "__main__":
    main()
