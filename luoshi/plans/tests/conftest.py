"""Fixtures for the plans tests: the county's clock and the rules as the issue sets them."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def rules(settings):
    settings.LUOSHI_PLAN_MIN_BUFFER_DAYS = 5
    settings.LUOSHI_PLAN_MIN_BUFFER_PERCENT = 15
    settings.LUOSHI_PLAN_FRONT_WARNING_PERCENT = 60


@pytest.fixture
def clock(time_machine):
    """Set the county's clock to 10:00 on a day; it starts on Monday 2 March 2026."""

    def go(day: date, hour: int = 10):
        time_machine.move_to(datetime(day.year, day.month, day.day, hour, tzinfo=TZ), tick=False)

    go(date(2026, 3, 2))
    return go


@pytest.fixture
def templates(db):
    from luoshi.plans.demo import templates_load

    return templates_load()
