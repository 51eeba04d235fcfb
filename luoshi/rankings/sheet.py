"""Reading the statistics bureau's monthly 通报 sheet, as those sheets really are, into a preview.

A 通报 puts the counties down the rows and the indicators across (or the other way round), under a title,
with a two-row header (指标 merged over 绝对值 / 增速 / 位次), 注 lines at the foot, "—" for missing,
percentages as text ("12.3%"), and counties written with or without 县/市/区. The reader:

1. reads the first visible sheet through lib/sheets and fills each merged area with its first cell;
2. finds the county axis (the column or row where most cells name a county) and turns the sheet so that
   counties run down the rows, keeping each cell's own reference for messages;
3. reads the header rows above the first county: an indicator over its parts (绝对值, 增速, 位次), or one row
   whose words say which part a column is;
4. reads every value, refusing a county twice, a value that is not a number and a growth without a base,
   each by its cell; a county it cannot resolve comes with suggestions and can be saved as an alias;
5. ranks each indicator itself and warns where the sheet's 位次 differs.

Nothing is written here: `services.values_save` takes the preview's values, all or nothing.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from rapidfuzz import fuzz, process

from luoshi.lib.sheets import Sheet, cell_text, column_letter, read_workbook

from . import ranking
from .models import County, CountyAlias, Indicator, period_for, strip_suffix

ERROR, WARNING = "error", "warning"
MISSING = {"", "—", "——", "-", "--", "－", "/", "…", "……", "／", "无", "空", "x", "X", "*"}
NOTE = re.compile(r"^\s*(注|备注|说明|数据来源|资料来源|来源)\s*[::\d一二三、.]")
TOTALS = {"全市", "合计", "总计", "全省", "市本级", "全市合计", "平均", "全市平均"}
ABSOLUTE_WORDS = ("绝对值", "总量", "数值", "完成值", "累计", "本月", "金额", "绝对额", "数量", "完成")
GROWTH_WORDS = ("增速", "增长", "增幅", "同比", "%", "％", "比上年")
RANK_WORDS = ("位次", "排名", "排序", "名次", "位序")
COUNTY_LABELS = ("县(市、区)", "县市区", "地区", "单位", "县区", "区域", "地方")
SKIP_HEADERS = {"序号", "排序号", "备注", "说明", "备考", *COUNTY_LABELS}
TITLE_PERIOD = re.compile(r"(20\d\d)\s*年\s*(?:1\s*[-—–~至]\s*)?(\d{1,2})\s*月")
_UNIT_SUFFIX = re.compile(r"[((][^()()]*[))]$")


@dataclass
class Problem:
    severity: str
    cell: str
    message: str

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


@dataclass
class ValueInput:
    indicator: Indicator
    county: County
    value: Decimal | None = None
    growth: Decimal | None = None
    sheet_rank: int | None = None
    cell: str = ""
    rank_cell: str = ""


@dataclass
class Unresolved:
    mention: str
    cell: str
    suggestions: list[County]


@dataclass
class Preview:
    sha256: str
    year: int | None
    month: int | None
    orientation: str = ""
    values: list[ValueInput] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    unresolved: list[Unresolved] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    counties: list[County] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.values)


def normalize(text: str) -> str:
    return "".join(str(text).split()).replace("(", "(").replace(")", ")")


class CountyDirectory:
    """Every county's names (full, without 县/市/区, aliases), loaded once per preview."""

    def __init__(self, counties: list[County], aliases: list[tuple[str, int]]):
        self.by_id = {county.pk: county for county in counties}
        self.exact: dict[str, County] = {}
        for county in counties:
            self.exact.setdefault(normalize(county.name), county)
        for county in counties:
            self.exact.setdefault(strip_suffix(county.name), county)
        for alias, county_id in aliases:
            if county_id in self.by_id:
                self.exact.setdefault(normalize(alias), self.by_id[county_id])
                self.exact.setdefault(strip_suffix(alias), self.by_id[county_id])

    @classmethod
    def load(cls) -> CountyDirectory:
        counties = list(County.objects.filter(active=True))
        return cls(counties, list(CountyAlias.objects.values_list("alias", "county_id")))

    def resolve(self, text: str) -> County | None:
        key = normalize(text)
        if not key:
            return None
        return self.exact.get(key) or self.exact.get(strip_suffix(key))

    def suggest(self, text: str, limit: int = 3) -> list[County]:
        found: list[County] = []
        for choice, _score, _ in process.extract(normalize(text), list(self.exact), scorer=fuzz.WRatio, limit=9):
            county = self.exact[choice]
            if county not in found and _score >= 50:
                found.append(county)
        return found[:limit]


def parse_number(text: str) -> tuple[Decimal | None, bool]:
    """("12.3%") → (12.3, True); "—" → (None, True); "约12" → (None, False)."""
    text = normalize(text).replace(",", "").replace(",", "").rstrip("%％")
    if text in MISSING:
        return None, True
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None, False
    if not number.is_finite():
        return None, False
    return number, True


def _filled(sheet: Sheet) -> list[list]:
    """The rows with each merged area filled from its first cell, and every row as wide as the widest."""
    width = max((len(row) for row in sheet.rows), default=0)
    rows = [list(row) + [None] * (width - len(row)) for row in sheet.rows]
    for (r0, c0), (r1, c1) in sheet.merged:
        if r0 >= len(rows):
            continue
        value = rows[r0][c0] if c0 < width else None
        for r in range(r0, min(r1, len(rows) - 1) + 1):
            for c in range(c0, min(c1, width - 1) + 1):
                rows[r][c] = value
    return rows


def _is_note(row: list) -> bool:
    first = next((cell_text(cell) for cell in row if cell_text(cell)), "")
    return bool(NOTE.match(first))


def _part(label: str) -> str | None:
    """Which part of an indicator a header names: rank, growth or absolute (None: not a part word)."""
    text = normalize(label)
    if any(word in text for word in RANK_WORDS):
        return "rank"
    if any(word in text for word in GROWTH_WORDS):
        return "growth"
    if any(word in text for word in ABSOLUTE_WORDS):
        return "absolute"
    return None


_PART_ONLY = re.compile(
    r"^(绝对值|总量|数值|完成值|增速|增长|增幅|同比增长|同比|比上年增长|位次|排名|排序|名次|位序)(\(%\)|%|％)?$"
)


def _is_part_only(label: str) -> bool:
    return bool(_PART_ONLY.match(normalize(label)))


class IndicatorNames:
    def __init__(self, indicators: list[Indicator]):
        self.exact: dict[str, Indicator] = {}
        for indicator in indicators:
            self.exact[normalize(indicator.name)] = indicator
            self.exact.setdefault(_UNIT_SUFFIX.sub("", normalize(indicator.name)), indicator)

    def find(self, label: str) -> Indicator | None:
        key = normalize(label)
        if key in self.exact:
            return self.exact[key]
        key = _UNIT_SUFFIX.sub("", key)
        for word in ("增速", "增长", "位次", "绝对值", "(%)"):
            if key.endswith(word) and key[: -len(word)] in self.exact:
                return self.exact[key[: -len(word)]]
        return self.exact.get(key)


def read_sheet(data: bytes, *, year: int | None, month: int | None, choices: dict[str, int] | None = None) -> Preview:
    """The preview of a 通报 sheet for the 通报 of `year`/`month` (read from the title when not given)."""
    sheets = read_workbook(io.BytesIO(data), max_cells=settings.LUOSHI_MAX_SPREADSHEET_CELLS)
    sheet = next((s for s in sheets if not s.hidden and any(any(cell_text(c) for c in row) for row in s.rows)), None)
    preview = Preview(sha256=hashlib.sha256(data).hexdigest(), year=year, month=month)
    if sheet is None:
        preview.problems.append(Problem(ERROR, "", "表格是空的,没有找到任何数据。"))
        return preview
    rows = _filled(sheet)
    if year is None or month is None:
        for row in rows[:5]:
            match = TITLE_PERIOD.search("".join(cell_text(c) for c in row))
            if match:
                preview.year, preview.month = int(match.group(1)), int(match.group(2))
                break
    if preview.year is None or not preview.month or not 1 <= preview.month <= 12:
        preview.problems.append(
            Problem(ERROR, "", "没有从标题读出通报的年月,请在上方填写“通报期别”(如 2026 年 10 月)。")
        )
        return preview
    directory = CountyDirectory.load()
    for mention, county_id in (choices or {}).items():
        if county_id in directory.by_id:
            directory.exact[normalize(mention)] = directory.by_id[county_id]
    indicators = list(Indicator.objects.filter(active=True))
    # Each cell keeps its own reference ("B5") whichever way the sheet is turned.
    grid = [[(cell, f"{column_letter(c)}{r + 1}") for c, cell in enumerate(row)] for r, row in enumerate(rows)
            if not _is_note(row)]  # fmt: skip
    axis = _county_axis(grid, directory)
    if axis is None:
        preview.problems.append(
            Problem(ERROR, "", "没有找到县(市、区)名称所在的行或列:请检查表格是否为全市各县(市、区)的指标通报。")
        )
        return preview
    kind, index = axis
    if kind == "row":
        grid = [list(column) for column in zip(*grid, strict=True)]
        preview.orientation = "县(市、区)按列排列"
    else:
        preview.orientation = "县(市、区)按行排列"
    _read_table(grid, index, directory, IndicatorNames(indicators), preview)
    return preview


def _county_axis(grid, directory: CountyDirectory) -> tuple[str, int] | None:
    """("column", i) when counties run down column i, ("row", i) when across row i."""
    best = None
    for r, row in enumerate(grid):
        hits = sum(1 for cell, _ in row if directory.resolve(cell_text(cell)))
        if hits >= 2 and (best is None or hits > best[2]):
            best = ("row", r, hits)
    width = max((len(row) for row in grid), default=0)
    for c in range(width):
        hits = sum(1 for row in grid if c < len(row) and directory.resolve(cell_text(row[c][0])))
        if hits >= 2 and (best is None or hits > best[2]):
            best = ("column", c, hits)
    return (best[0], best[1]) if best else None


def _looks_like_county(text: str) -> bool:
    key = normalize(text)
    return 2 <= len(key) <= 8 and key[-1] in "县市区旗" and key not in TOTALS


def _read_table(grid, county_col: int, directory: CountyDirectory, names: IndicatorNames, preview: Preview) -> None:
    first = next(r for r, row in enumerate(grid) if directory.resolve(cell_text(row[county_col][0])))
    headers = [row for row in grid[:first] if any(cell_text(cell) for cell, _ in row)]
    # The header rows: the last one (parts or indicators), and the one above it when it names indicators.
    lower = headers[-1] if headers else []
    upper = headers[-2] if len(headers) >= 2 else None
    columns: dict[int, tuple[Indicator, str]] = {}
    seen_labels: set[str] = set()
    previous: Indicator | None = None
    width = len(grid[first])
    for c in range(width):
        if c == county_col:
            continue
        low = cell_text(lower[c][0]) if c < len(lower) else ""
        high = cell_text(upper[c][0]) if upper is not None and c < len(upper) else ""
        indicator, label, part = None, "", None
        candidates = []
        if high and _part(low):
            candidates.append((high, _part(low)))
        for text in (low, high):
            if text and (_part(text) != "rank" or len(normalize(text)) > 3):
                candidates.append((text, _part(text) or "absolute"))
        for text, kind in candidates:
            if normalize(text) in SKIP_HEADERS:
                break
            indicator = names.find(text)
            if indicator is not None:
                label, part = text, kind
                break
        if indicator is None and _is_part_only(low) and previous is not None:
            # One header row: "增速" or "位次" beside the indicator's own column belongs to it.
            indicator, part = previous, _part(low)
        if indicator is not None:
            previous = indicator
        if indicator is None:
            previous = None
            label = candidates[0][0] if candidates else ""
            if (
                label
                and normalize(label) not in SKIP_HEADERS
                and label not in seen_labels
                and not TITLE_PERIOD.search(label)
            ):
                seen_labels.add(label)
                preview.ignored_columns.append(label)
            continue
        if (indicator, part) in columns.values():
            continue
        columns[c] = (indicator, part)
    if not columns:
        preview.problems.append(
            Problem(ERROR, "", "表头中没有找到系统里已有的指标。请先在“指标”中添加,或核对指标名称。")
        )
        return
    for label in preview.ignored_columns:
        preview.problems.append(Problem(WARNING, "", f"表头“{label}”不是系统中的指标,已忽略。"))

    year, month = preview.year, preview.month
    periods = {}
    for indicator, _ in columns.values():
        if indicator.pk not in periods:
            periods[indicator.pk] = period_for(indicator.period_kind, year, month)
            if periods[indicator.pk] is None:
                preview.problems.append(Problem(WARNING, "", f"“{indicator.name}”是{indicator.get_period_kind_display()}"
                                                f"指标,{month}月的通报不计入,已忽略。"))  # fmt: skip
    seen_county: dict[int, str] = {}
    numeric_growth: dict[int, list[Decimal]] = defaultdict(list)
    found: dict[tuple[int, int], ValueInput] = {}
    for row in grid[first:]:
        mention, where = cell_text(row[county_col][0]), row[county_col][1]
        if not mention or normalize(mention) in TOTALS:
            continue
        county = directory.resolve(mention)
        if county is None:
            if _looks_like_county(mention) or directory.suggest(mention):
                suggestions = directory.suggest(mention)
                preview.unresolved.append(Unresolved(mention, where, suggestions))
                hint = f"是否为:{'、'.join(c.name for c in suggestions)}?" if suggestions else ""
                preview.problems.append(Problem(ERROR, where, f"{where}:县(市、区)“{mention}”不在全市名单中。{hint}"
                                                "请在下方选择对应的县(市、区),可同时保存为别名。"))  # fmt: skip
            continue
        if county.pk in seen_county:
            preview.problems.append(Problem(ERROR, where, f"{where}:“{county.name}”重复出现(第一次在 "
                                            f"{seen_county[county.pk]}),请删去重复的一行。"))  # fmt: skip
            continue
        seen_county[county.pk] = where
        if county not in preview.counties:
            preview.counties.append(county)
        for c, (indicator, part) in columns.items():
            if periods[indicator.pk] is None:
                continue
            raw, ref = row[c] if c < len(row) else (None, "")
            text = cell_text(raw)
            item = found.setdefault((indicator.pk, county.pk), ValueInput(indicator, county, cell=ref))
            if isinstance(raw, int | float) and not isinstance(raw, bool):
                number, ok = Decimal(str(raw)), True
            else:
                number, ok = parse_number(text)
            if not ok:
                preview.problems.append(Problem(ERROR, ref, f"{ref}:“{indicator.name}”{_PART_LABEL[part]}“{text}”"
                                                "不是数字。请填写数字,缺数请写“—”。"))  # fmt: skip
                continue
            if part == "rank":
                if number is not None and (number != number.to_integral_value() or number < 1):
                    preview.problems.append(Problem(ERROR, ref, f"{ref}:位次“{text}”应为正整数。"))
                    continue
                item.sheet_rank = int(number) if number is not None else None
                item.rank_cell = ref
            elif part == "growth":
                item.growth = number
                if isinstance(raw, int | float) and number is not None:
                    numeric_growth[indicator.pk].append(number)
                item.cell = ref
            else:
                item.value = number
                if not indicator.by_growth:
                    item.cell = ref
    parts_of = defaultdict(set)
    for indicator, part in columns.values():
        parts_of[indicator.pk].add(part)
    for (indicator_id, _), item in found.items():
        has_absolute = "absolute" in parts_of[indicator_id]
        if item.growth is not None and item.value is None and has_absolute:
            preview.problems.append(Problem(ERROR, item.cell, f"{item.cell}:“{item.indicator.name}”"
                                            f"{item.county.name}有增速而没有绝对值(基数),请补上绝对值或删去增速。"))  # fmt: skip
    preview.values = [item for item in found.values() if periods[item.indicator.pk] is not None]
    _check_fraction_growth(preview, numeric_growth)
    preview.indicators = list(dict.fromkeys(item.indicator for item in preview.values))
    _check_ranks(preview)


def _check_fraction_growth(preview: Preview, numeric_growth: dict[int, list[Decimal]]) -> None:
    """A growth column of numbers all within ±1 is most likely Excel's percent format (0.108 shown as 10.8%)."""
    names = {item.indicator.pk: item.indicator.name for item in preview.values}
    for indicator_id, numbers in numeric_growth.items():
        if len(numbers) >= 3 and all(abs(n) <= 1 for n in numbers) and any(n for n in numbers):
            preview.problems.append(Problem(WARNING, "", f"“{names.get(indicator_id, '')}”的增速都在 -1 与 1 之间,"
                                            "可能是设成百分比格式的小数(0.108 显示为 10.8%)。系统按百分数保存"
                                            "(0.108 即 0.108%),位次不受影响;如需改正,请把增速列改为“10.8%”"
                                            "这样的文字或数值 10.8 后重新上传。"))  # fmt: skip


_PART_LABEL = {"absolute": "绝对值", "growth": "增速", "rank": "位次"}


def _check_ranks(preview: Preview) -> None:
    """Where the sheet gives 位次, rank the values ourselves and warn of any difference, with our rank."""
    by_indicator = defaultdict(list)
    for item in preview.values:
        by_indicator[item.indicator.pk].append(item)
    for items in by_indicator.values():
        indicator = items[0].indicator
        if not any(item.sheet_rank is not None for item in items):
            continue
        basis = {item.county.pk: (item.growth if indicator.by_growth else item.value) for item in items}
        ours = ranking.competition_ranks(basis, higher_is_better=indicator.higher_is_better)
        for item in items:
            if item.sheet_rank is not None and ours[item.county.pk] != item.sheet_rank:
                computed = f"第{ours[item.county.pk]}名" if ours[item.county.pk] else "无法排名(缺数)"
                preview.problems.append(Problem(WARNING, item.rank_cell, f"{item.rank_cell}:“{indicator.name}”{item.county.name}"
                                        f"通报位次为第{item.sheet_rank}名,按数值计算应为{computed},请核对。"))  # fmt: skip
