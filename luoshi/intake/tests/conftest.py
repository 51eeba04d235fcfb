"""Fixtures of the intake tests: the county's clock at the sample speech's day, the samples, and the demo county's
unit scanner."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from luoshi.intake.mentions import Scanner
from luoshi.testing import SAMPLES

TZ = ZoneInfo("Asia/Shanghai")
SPEECH = "speech-2022-work-deployment"
SCRAPED = SAMPLES / f"{SPEECH}.scraped.txt"
DOCX = SAMPLES / f"{SPEECH}.reconstructed.docx"
GOLD = SAMPLES / f"{SPEECH}.requirements.json"


@pytest.fixture
def clock(time_machine):
    """Set the county's clock to 10:00 on a day; it starts on 15 March 2022, the 2022 samples' day."""

    def go(day: date, hour: int = 10):
        time_machine.move_to(datetime(day.year, day.month, day.day, hour, tzinfo=TZ), tick=False)

    go(date(2022, 3, 15))
    return go


@pytest.fixture
def scanner(demo_county):
    """The units and leaders of the demo county, as the intake reads them in a document."""
    return Scanner.load()
