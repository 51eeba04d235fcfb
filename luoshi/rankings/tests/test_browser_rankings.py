"""In a real Chromium, as the office: import a two-row-header 通报 built here, see 招商引资 break 保三争一 at
rank 4 with the gap to 3rd, and find it in what the meeting pack's 争先进位 section reads (rank_alerts)."""

import pytest

from luoshi.rankings.models import Indicator, IndicatorValue
from luoshi.rankings.selectors import rank_alerts
from luoshi.testing import log_in

from .conftest import NAMES, tongbao

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_city(demo_county):
    from luoshi.org.models import Leader, Unit
    from luoshi.rankings.models import County

    for order, name in enumerate(NAMES):
        County.objects.create(name=name, is_ours=name == "示范县", order=order)
    Indicator.objects.create(name="实际利用省外资金", measure="亿元", category="investment", rule="top3", basis="growth",
                             responsible_unit=Unit.objects.get(name="投资促进中心"),
                             leader=Leader.objects.get(name="李建国"))  # fmt: skip
    Indicator.objects.create(
        name="城镇调查失业率", measure="%", rule="not_bottom3", basis="absolute", direction="lower"
    )


def test_the_office_imports_a_tongbao_and_sees_investment_break_top_three_at_fourth(demo_city, page, november_2026,
                                                                                    tmp_path):  # fmt: skip
    sheet = tmp_path / "2026年1-10月通报.xlsx"
    sheet.write_bytes(tongbao())
    log_in(page, "office")

    page.get_by_role("link", name="争先进位").click()
    page.get_by_role("link", name="导入统计通报").click()
    page.set_input_files("#id_file", str(sheet))
    page.get_by_role("button", name="上传并预览").click()

    page.wait_for_url("**/rankings/import/*/")
    assert page.locator("#sheet-period").inner_text() == "2026年10月"
    assert page.locator("#error-count").inner_text() == "错误 0"
    assert page.locator("#indicator-count").inner_text() == "2"
    page.get_by_role("button", name="确认导入(20 组数值)").click()

    page.wait_for_url("**/rankings/")
    assert "导入完成:新增数值 20 个" in page.locator(".messages").inner_text()
    row = page.locator("tr", has_text="实际利用省外资金").first
    assert "第4名/9" in row.inner_text() and "未达标" in row.inner_text()
    assert "距第3名西河县差1.2个百分点" in row.inner_text()

    row.get_by_role("link", name="实际利用省外资金").click()
    assert page.locator("#our-rank").inner_text() == "4"
    assert "距第3名西河县(守住目标的最后一位)差1.2个百分点" in page.locator("#gaps").inner_text()
    page.locator("#rank-chart svg").wait_for()
    page.locator("#county-chart svg").wait_for()

    # What the meeting pack's 争先进位 section is built from.
    alerts = rank_alerts(202610)
    assert [(a.indicator.name, a.standing.rank, a.standing.status) for a in alerts] == [
        ("实际利用省外资金", 4, "broken")
    ]
    assert IndicatorValue.objects.count() == 20
