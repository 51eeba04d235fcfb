"""A city of ten counties, ours among them, three indicators, and 通报 sheets built with openpyxl."""

from datetime import datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from openpyxl import Workbook

from luoshi.rankings.models import County, CountyAlias, Indicator

TZ = ZoneInfo("Asia/Shanghai")
NAMES = ["示范县", "东山县", "西河县", "南岭县", "北湖区", "青松县", "白云市", "红旗县", "金水区", "玉泉县"]


@pytest.fixture
def november_2026(time_machine):
    time_machine.move_to(datetime(2026, 11, 16, 10, tzinfo=TZ), tick=False)


@pytest.fixture
def city(db, personas):
    counties = {
        name: County.objects.create(name=name, is_ours=(name == "示范县"), order=index * 10)
        for index, name in enumerate(NAMES)
    }
    CountyAlias.objects.create(county=counties["白云市"], alias="白云县")
    investment = Indicator.objects.create(
        name="实际利用省外资金", measure="亿元", category=Indicator.Category.INVESTMENT, rule="top3",
        basis=Indicator.Basis.GROWTH, period_kind=Indicator.PeriodKind.CUMULATIVE,
        responsible_unit=personas.finance, leader=personas.leader_row, order=10,
    )  # fmt: skip
    gdp = Indicator.objects.create(
        name="地区生产总值", measure="亿元", category=Indicator.Category.ECONOMY, rule="upper_half",
        basis=Indicator.Basis.GROWTH, period_kind=Indicator.PeriodKind.QUARTERLY, responsible_unit=personas.housing,
        order=20,
    )  # fmt: skip
    jobless = Indicator.objects.create(
        name="城镇调查失业率", measure="%", category=Indicator.Category.ECONOMY, rule="not_bottom3",
        basis=Indicator.Basis.ABSOLUTE, direction=Indicator.Direction.LOWER, order=30,
    )  # fmt: skip
    return {"counties": counties, "investment": investment, "gdp": gdp, "jobless": jobless, "p": personas}


# 实际利用省外资金, 1–10月: we are 4th on growth, 1.2 points behind 西河县 in 3rd.
INVESTMENT = {
    "示范县": (86.4, "10.8%", 4), "东山县": (120.3, "20.0%", 1), "西河县": (95.0, "12.0%", 3),
    "南岭县": (110.2, "15.5%", 2), "北湖区": (60.1, "9.0%", 5), "青松县": (40.0, "4.0%", 9),
    "白云市": (70.7, "8.2%", 6), "红旗县": (55.5, "6.1%", 7), "金水区": (45.0, "5.5%", 8), "玉泉县": (30.2, "—", None),
}  # fmt: skip


def tongbao(rows=None, *, title="2026年1-10月全市主要经济指标完成情况通报", short_names=True, notes=True,
            extra_header=None) -> bytes:  # fmt: skip
    """The statistics bureau's sheet: title, 指标 merged over 绝对值/增速/位次, counties down the rows, 注 lines."""
    wb = Workbook()
    ws = wb.active
    ws.append([title])
    ws.merge_cells("A1:G1")
    ws.append(["县(市、区)", "实际利用省外资金(亿元)", None, None, "城镇调查失业率(%)", None, extra_header])
    ws.append([None, "绝对值", "增速", "位次", "数值", "位次"])
    ws.merge_cells("A2:A3")
    ws.merge_cells("B2:D2")
    ws.merge_cells("E2:F2")
    jobless = iter([5.1, 4.8, 5.5, 4.9, 5.0, 5.6, 5.2, 4.7, 5.3, 5.4])
    for name, (value, growth, rank) in (rows or INVESTMENT).items():
        written = name[:-1] if short_names and name.endswith("县") else name
        ws.append([written, value, growth, rank if rank is not None else "—", next(jobless), None])
    ws.append(["全市", 713.4, "11.2%", None, 5.1, None])
    if notes:
        ws.append(["注:1.增速按可比价计算;2.“—”表示数据暂缺。"])
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
