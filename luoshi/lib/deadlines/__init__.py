"""Reading a deadline as offices write it: 2022年6月底前, 年底前, 三季度, 春节前, 30个工作日内, 每月25日前, 长期坚持.

One package finds deadline phrases in running text (`find`, `in_text`, in `finder`) and reads them
(`parse`, in `parser`), so that a phrase is never read two ways: the ledger import, the document intake
and the forms all come here (ARCHITECTURE.md, "Shared pieces"). Festivals and the county's seasons
are in `festivals`; what a reading gives, `Deadline`, is in `result`. Callers import from the package.

- A span (年底, 三季度, 6月, 3月至6月) gives its last day; the earlier dates of a phrase are milestones.
  A stage written with 至/到/—/-/~ and with or without its year or its first 月 (4至9月, 2023年4—9月)
  ends on its last month; one that crosses the year end (11月至2月, 12月20日至1月10日) ends next year.
- Relative phrases keep their reference, the document's date: 明年, 次年, 本月, 下月, 当月, 首季度,
  前两个季度, 年初, 年中.
- Festivals are computed for their year: 元旦, 清明 (the solar term, by chinese-calendar), 五一, 国庆,
  and the lunar 春节, 元宵, 端午, 中秋, 除夕 (by lunardate). 春节前 is the day before the festival.
  In running text a short name alone (国庆, 中秋, 端午) is a deadline only with a time word around it.
- Seasons a county sets for itself (汛期, 春耕, 秋冬季) come from `LUOSHI_SEASONS`, with defaults, and
  always carry a warning asking the office to confirm.
- Durations (30日内, 3个月内, 两周内, 15个工作日内) count from the document's date, in working days
  where the text says 工作日.
- A date before the document's date is never silent: the result carries a warning and the date the
  office probably meant (明年 left out).
- A phrase that repeats (每月25日前, 每季度末) gives a cadence; 长期坚持 gives a standing task.

Text that names no date it can trust gives a problem in Chinese and never an exception: `parse`
and `find` must not raise on any string.
"""

from .festivals import DEFAULT_SEASONS, festival_date
from .finder import Found, find, in_text, milestones
from .parser import MAX_LENGTH, note, parse, past_warning
from .result import MONTHLY, NONE, QUARTERLY, WEEKLY, YEARLY, Deadline, cadence_label

__all__ = [
    "DEFAULT_SEASONS",
    "MAX_LENGTH",
    "MONTHLY",
    "NONE",
    "QUARTERLY",
    "WEEKLY",
    "YEARLY",
    "Deadline",
    "Found",
    "cadence_label",
    "festival_date",
    "find",
    "in_text",
    "milestones",
    "note",
    "parse",
    "past_warning",
]
