"""Reading the 通报 sheet as the statistics bureau writes it: the preview, errors by cell, warnings on 位次."""

from decimal import Decimal as D
from io import BytesIO

import pytest
from openpyxl import Workbook

from luoshi.rankings.sheet import parse_number, read_sheet

from .conftest import INVESTMENT, tongbao

pytestmark = pytest.mark.django_db


def _value(preview, indicator, county):
    return next(v for v in preview.values if v.indicator == indicator and v.county.name == county)


def test_a_two_row_header_sheet_reads_every_county_with_short_names_and_text_percentages(city):
    preview = read_sheet(tongbao(), year=None, month=None)
    assert (preview.year, preview.month) == (2026, 10)
    assert preview.errors == []
    assert preview.orientation == "县(市、区)按行排列"
    ours = _value(preview, city["investment"], "示范县")
    assert (ours.value, ours.growth, ours.sheet_rank) == (D("86.4"), D("10.8"), 4)
    assert len(preview.counties) == 10
    missing = _value(preview, city["investment"], "玉泉县")
    assert missing.growth is None and missing.sheet_rank is None
    jobless = _value(preview, city["jobless"], "红旗县")
    assert jobless.value == D("4.7")
    # The quarterly GDP has no October figure, and the 全市 row and the 注 line are not counties.
    assert city["gdp"] not in preview.indicators
    assert "全市" not in [c.name for c in preview.counties]


def test_counties_across_the_columns_read_the_same(city):
    wb = Workbook()
    ws = wb.active
    ws.append(["2026年1-10月主要指标通报"])
    ws.append(["指标", "", "示范县", "东山", "西河县", "南岭县"])
    ws.append(["实际利用省外资金", "绝对值", 86.4, 120.3, 95, 110.2])
    ws.append([None, "增速(%)", "10.8%", "20%", "12.0%", "15.5%"])
    ws.append([None, "位次", 4, 1, 3, 2])
    ws.merge_cells("A3:A5")
    ws.append(["注:数据来源于市统计局。"])
    buffer = BytesIO()
    wb.save(buffer)
    preview = read_sheet(buffer.getvalue(), year=None, month=None)
    assert preview.orientation == "县(市、区)按列排列"
    assert preview.errors == []
    ours = _value(preview, city["investment"], "示范县")
    assert (ours.value, ours.growth, ours.sheet_rank) == (D("86.4"), D("10.8"), 4)
    assert _value(preview, city["investment"], "东山县").growth == D(20)
    assert ours.cell == "C4"


def test_a_county_twice_a_word_for_a_number_and_growth_without_a_base_are_errors_by_cell(city):
    rows = dict(INVESTMENT)
    rows["北湖区"] = (60.1, "约9%", 5)
    rows["青松县"] = ("—", "4.0%", 9)
    data = tongbao(rows)
    wb_rows = read_sheet(data, year=None, month=None)
    messages = [p.message for p in wb_rows.errors]
    assert any(m.startswith("C8:") and "“约9%”不是数字" in m for m in messages)
    assert any(m.startswith("C9:") and "青松县有增速而没有绝对值" in m for m in messages)
    assert not wb_rows.ok


def test_a_county_listed_twice_is_refused_at_its_second_row(city):
    preview = read_sheet(_twice(), year=None, month=None)
    assert any("A6:“东山县”重复出现(第一次在 A4)" in p.message and p.cell == "A6" for p in preview.errors)


def _twice():
    wb = Workbook()
    ws = wb.active
    ws.append(["2026年1-10月通报"])
    ws.append(["县(市、区)", "实际利用省外资金增速"])
    for name, (_value, growth, _rank) in [("示范县", INVESTMENT["示范县"]), ("东山", INVESTMENT["东山县"]),
                                           ("西河县", INVESTMENT["西河县"]), ("东山县", (0, "1%", None))]:  # fmt: skip
        ws.append([name, growth])
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_a_wrong_rank_on_the_sheet_is_a_warning_with_our_own_rank(city):
    rows = dict(INVESTMENT)
    rows["示范县"] = (86.4, "10.8%", 3)
    preview = read_sheet(tongbao(rows), year=None, month=None)
    assert preview.errors == []
    assert any(p.message.startswith("D4:“实际利用省外资金”示范县通报位次为第3名,按数值计算应为第4名,请核对")
               for p in preview.warnings)  # fmt: skip


def test_an_unknown_county_is_an_error_with_suggestions_and_a_chosen_county_resolves_it(city):
    rows = dict(INVESTMENT)
    rows["青松新区"] = rows.pop("青松县")
    preview = read_sheet(tongbao(rows), year=None, month=None)
    unresolved = preview.unresolved[0]
    assert unresolved.mention == "青松新区"
    assert city["counties"]["青松县"] in unresolved.suggestions
    assert any("县(市、区)“青松新区”不在全市名单中。是否为:青松县" in p.message for p in preview.errors)
    chosen = read_sheet(tongbao(rows), year=None, month=None, choices={"青松新区": city["counties"]["青松县"].pk})
    assert chosen.errors == []
    assert _value(chosen, city["investment"], "青松县").growth == D("4.0")


def test_an_alias_and_a_county_written_without_its_suffix_resolve(city):
    rows = dict(INVESTMENT)
    rows["白云县"] = rows.pop("白云市")
    preview = read_sheet(tongbao(rows, short_names=False), year=None, month=None)
    assert preview.errors == []
    assert _value(preview, city["investment"], "白云市").value == D("70.7")


def test_a_sheet_without_a_period_asks_for_one(city):
    preview = read_sheet(tongbao(title="全市主要经济指标完成情况"), year=None, month=None)
    assert "请在上方填写“通报期别”" in preview.errors[0].message
    given = read_sheet(tongbao(title="全市主要经济指标完成情况"), year=2026, month=9)
    assert given.errors == [] and given.month == 9


def test_an_unknown_indicator_column_is_ignored_with_a_warning(city):
    preview = read_sheet(tongbao(extra_header="规上工业增加值"), year=None, month=None)
    assert any("表头“规上工业增加值”不是系统中的指标,已忽略" in p.message for p in preview.warnings)


@pytest.mark.parametrize(
    ("text", "number", "ok"),
    [("12.3%", D("12.3"), True), (" 1,234.5 ", D("1234.5"), True), ("—", None, True), ("", None, True),
     ("-3.2%", D("-3.2"), True), ("约12", None, False), ("nan", None, False), ("12.3％", D("12.3"), True)],
)  # fmt: skip
def test_numbers_as_the_bureau_writes_them(text, number, ok):
    assert parse_number(text) == (number, ok)


def test_one_header_row_with_growth_and_rank_beside_the_indicator(city):
    wb = Workbook()
    ws = wb.active
    ws.append(["2026年1-10月各县(市、区)实际利用省外资金完成情况"])
    ws.append(["单位:亿元、%"])
    ws.append(["序号", "县(市、区)", "实际利用省外资金", "增速(%)", "位次", "备注"])
    for number, (name, (value, growth, rank)) in enumerate(INVESTMENT.items(), start=1):
        ws.append([number, name, value, growth, rank, ""])
    buffer = BytesIO()
    wb.save(buffer)
    preview = read_sheet(buffer.getvalue(), year=None, month=None)
    assert preview.errors == []
    ours = _value(preview, city["investment"], "示范县")
    assert (ours.value, ours.growth, ours.sheet_rank) == (D("86.4"), D("10.8"), 4)
    assert preview.warnings == []


def test_growth_saved_in_excels_percent_format_is_flagged(city):
    rows = {name: (value, float(growth.rstrip("%")) / 100 if growth != "—" else "—", rank)
            for name, (value, growth, rank) in INVESTMENT.items()}  # fmt: skip
    preview = read_sheet(tongbao(rows), year=None, month=None)
    assert preview.errors == []
    assert any("“实际利用省外资金”的增速都在 -1 与 1 之间" in p.message for p in preview.warnings)
    assert not any("增速都在" in p.message for p in read_sheet(tongbao(), year=None, month=None).warnings)
