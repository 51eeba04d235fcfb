"""The 2022 sample is read with the county's clock at 15 March 2022, as the office would have."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def march_2022(time_machine):
    time_machine.move_to(datetime(2022, 3, 15, 10, tzinfo=TZ), tick=False)
