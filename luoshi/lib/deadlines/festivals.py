"""Festivals computed for their year (元旦, 清明, 春节, 中秋 …) and the seasons a county sets for itself (汛期, 春耕)."""

from __future__ import annotations

import calendar
import os
import re
from datetime import date, timedelta
from functools import lru_cache

from django.core.exceptions import ImproperlyConfigured

from .result import _Impossible

# Festivals: name → how to compute it in a given (Gregorian or lunar) year.
_FESTIVALS = re.compile(
    r"(?:(\d{4}|\d{2})年)?(?:农历|阴历)?"
    r"(春节|元旦|清明节?|五一|劳动节|端午节?|中秋节?|国庆节?|十一|元宵节?|除夕|大年三十|重阳节?)"
    r"(前后|期间|假期|前|以前|之前)?"
)
_FESTIVAL_NAMES = {
    "春节": "春节", "元旦": "元旦", "清明": "清明", "清明节": "清明", "五一": "劳动节", "劳动节": "劳动节",
    "端午": "端午节", "端午节": "端午节", "中秋": "中秋节", "中秋节": "中秋节", "国庆": "国庆节", "国庆节": "国庆节",
    "十一": "国庆节", "元宵": "元宵节", "元宵节": "元宵节", "除夕": "除夕", "大年三十": "除夕",
    "重阳": "重阳节", "重阳节": "重阳节",
}  # fmt: skip

# Seasons a county sets for itself: name → (start month, start day, end month, end day); an end
# before the start is in the next year. LUOSHI_SEASONS in settings overrides them.
DEFAULT_SEASONS = {
    "汛期": (6, 1, 9, 30),
    "主汛期": (7, 1, 8, 31),
    "春耕": (3, 1, 4, 30),
    "夏收": (5, 25, 6, 30),
    "三夏": (5, 25, 6, 30),
    "秋收": (9, 15, 10, 31),
    "三秋": (9, 15, 10, 31),
    "秋冬季": (10, 1, 2, 28),
}
_SEASON = re.compile(
    r"(?:(\d{4}|\d{2})年)?(主汛期|汛期|春耕|夏收|三夏|秋收|三秋|秋冬季)(?:生产)?(前|以前|之前|期间|内|结束前|到来前)?"
)


def _seasons() -> dict[str, tuple[int, int, int, int]]:
    """The county's seasons: the defaults, then LUOSHI_SEASONS from the environment, then settings.LUOSHI_SEASONS."""
    try:
        from django.conf import settings

        configured = getattr(settings, "LUOSHI_SEASONS", None)
    except (ImportError, ImproperlyConfigured):  # outside Django (a script): the defaults
        configured = None
    return {**DEFAULT_SEASONS, **_seasons_from_env(os.environ.get("LUOSHI_SEASONS", "")), **(configured or {})}


@lru_cache(maxsize=8)
def _seasons_from_env(value: str) -> dict[str, tuple[int, int, int, int]]:
    """LUOSHI_SEASONS="汛期=5-15~9-15;春耕=3-1~4-30": each season's first and last month-day."""
    out = {}
    for part in filter(None, (piece.strip() for piece in value.split(";"))):
        match = re.fullmatch(r"(\S+?)=(\d{1,2})-(\d{1,2})~(\d{1,2})-(\d{1,2})", part)
        if not match or match.group(1) not in DEFAULT_SEASONS:
            raise ImproperlyConfigured(
                f"LUOSHI_SEASONS 的“{part}”无法识别:请写成“汛期=6-1~9-30”,季节名只能是{'、'.join(DEFAULT_SEASONS)}"
            )
        numbers = tuple(int(match.group(k)) for k in range(2, 6))
        for month, day in (numbers[:2], numbers[2:]):
            if not (1 <= month <= 12 and 1 <= day <= calendar.monthrange(2024, month)[1]):
                raise ImproperlyConfigured(f"LUOSHI_SEASONS 的“{part}”中没有{month}月{day}日")
        out[match.group(1)] = numbers
    return out


def festival_date(name: str, year: int) -> date:
    """The festival's day in `year` (for 除夕: the eve of that lunar year's end, which falls early the next year)."""
    from lunardate import LunarDate  # small, pure Python, 1900-2099

    name = _FESTIVAL_NAMES.get(name, name)
    if name == "元旦":
        return date(year, 1, 1)
    if name == "劳动节":
        return date(year, 5, 1)
    if name == "国庆节":
        return date(year, 10, 1)
    if name == "清明":
        import chinese_calendar

        try:  # the solar term falls on 4, 5 or 6 April; chinese-calendar computes it for 1900-2100
            terms = chinese_calendar.get_solar_terms(date(year, 4, 1), date(year, 4, 7))
        except NotImplementedError:
            raise _Impossible(f"{year}年的清明无法推算") from None
        return next(day for day, term in terms if term == "清明")
    # lunardate knows the lunar years 1900-2099; 除夕 ends its year, on the eve of the next one's first day.
    if not 1900 <= year <= (2098 if name == "除夕" else 2099):
        raise _Impossible(f"{year}年的农历无法推算")
    lunar = {"春节": (1, 1), "元宵节": (1, 15), "端午节": (5, 5), "中秋节": (8, 15), "重阳节": (9, 9)}
    if name == "除夕":
        return LunarDate(year + 1, 1, 1).to_solar_date() - timedelta(days=1)
    month, day = lunar[name]
    return LunarDate(year, month, day).to_solar_date()
