"""Fixtures for 破难题: the levels' limits pinned, the county's clock, and a problem of the finance bureau."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from luoshi.problems.services import ProblemInput, problem_create

TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def rules(settings):
    settings.LUOSHI_PROBLEM_LEVEL_WORKDAYS = [20, 15, 10]
    settings.LUOSHI_DECISION_QUORUM_PERCENT = 67


@pytest.fixture
def clock(time_machine):
    """Set the county's clock to 10:00 on a day; it starts on Monday 16 March 2026."""

    def go(day: date, hour: int = 10):
        time_machine.move_to(datetime(day.year, day.month, day.day, hour, tzinfo=TZ), tick=False)

    go(date(2026, 3, 16))
    return go


@pytest.fixture
def problem(personas, clock):
    return problem_create(
        data=ProblemInput(
            title="城南安置小区办证难", category="不动产登记", lead_unit=personas.finance,
            supporting=[personas.township], leader=personas.leader_row, lead_unit_head=personas.liaison,
            contradiction="开发商欠缴土地出让金,群众无法办证",
            key_people=[{"name": "王某", "role": "上访代表", "contact": "13800000000"}],
            entry_point="先分割办证、后追缴欠款", worst_case="群体性进京上访", bottom_line="不发生群体性事件",
        ),
        by=personas.office,
    )  # fmt: skip
