"""Fixtures of the reports tests: the rules pinned, and the county's clock (as in work/tests)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def rules(settings):
    # The defaults, pinned: N = 3 working days for the lights, 2 to sign.
    settings.LUOSHI_WARNING_WORKDAYS = 3
    settings.LUOSHI_SIGN_WORKDAYS = 2


@pytest.fixture
def clock(time_machine):
    """Set the county's clock to 10:00 on a day; it starts on Monday 16 March 2026."""

    def go(day: date, hour: int = 10):
        time_machine.move_to(datetime(day.year, day.month, day.day, hour, tzinfo=TZ), tick=False)

    go(date(2026, 3, 16))
    return go
