"""The scheduler gives the same dates as TaskJuggler (tj3) on the same plan, step by step.

tj3 cannot express a working Saturday (调休), so both run on a calendar with holidays only;
tj3 cannot write a start-to-start link backward, so the as-late-as-possible comparison uses
finish-to-start links with lags, and the as-early-as-possible one adds start-to-start links.
The 1,000-step comparison is in bench/schedule.py; this one is small enough for the suite.
CI installs tj3 (.ci/run); like Chromium for the browser tests, a missing tj3 fails, not skips.
"""

import shutil
from datetime import date, timedelta

import pytest

from luoshi.plans.scheduling import FS
from luoshi.plans.synthetic import random_plan
from luoshi.plans.tjp import compare_with_tj3, to_tjp

# The 2026 public holidays on weekdays, as the State Council published them.
HOLIDAYS = {
    date(2026, 1, 1), date(2026, 1, 2),
    *(date(2026, 2, 16) + timedelta(days=i) for i in range(5)), date(2026, 2, 23),
    date(2026, 4, 6), date(2026, 5, 1), date(2026, 5, 4), date(2026, 5, 5), date(2026, 6, 19),
    date(2026, 9, 25), *(date(2026, 10, 1) + timedelta(days=i) for i in range(2)),
    date(2026, 10, 5), date(2026, 10, 6), date(2026, 10, 7),
}  # fmt: skip


@pytest.fixture(scope="module")
def tj3():
    path = shutil.which("tj3")
    assert path, "tj3 is not installed: apt-get install tj3 (see .ci/run)"
    return path


@pytest.mark.parametrize("alap", [True, False], ids=["as-late-as-possible", "as-early-as-possible"])
def test_every_step_starts_and_ends_as_in_taskjuggler(tj3, alap):
    names, durations, deps = random_plan(60, 90, seed=7, window=8, ss_share=0 if alap else 0.25)
    mismatches, ours, _ = compare_with_tj3(
        names=names, durations=durations, deps=deps, start=date(2026, 1, 5), deadline=date(2026, 12, 18),
        holidays=HOLIDAYS, alap=alap, tj3=tj3,
    )  # fmt: skip
    assert mismatches == []
    # The plan crosses the Spring Festival and National Day, so the holidays are really in play.
    first = min(ours.ls if alap else ours.es)
    last = max(ours.lf if alap else ours.ef)
    assert ours.start_date(first) < date(2026, 10, 1) or ours.end_date(last) > date(2026, 10, 8)


def test_the_export_names_the_steps_and_their_links():
    text = to_tjp(
        title="土地出让", names=["规划指标", "计划指标"], durations=[20, 15], deps=[(0, 1, FS, 3)],
        start=date(2026, 3, 2), deadline=date(2026, 12, 18), holidays=HOLIDAYS,
    )  # fmt: skip
    assert 'task s0 "规划指标"' in text
    assert "precedes s1 { gaplength 3d }" in text
    assert "end 2026-12-19" in text
    assert 'leaves holiday "h" 2026-10-01' in text
