"""No imported task escapes supervision: a row with no feedback cadence gets the county's default."""

import pytest

from luoshi.ledger.preview import preview_ledger
from luoshi.ledger.services import ledger_import
from luoshi.org.services import county_settings_update
from luoshi.work.models import Task

from .builders import ledger_file

pytestmark = pytest.mark.usefixtures("march_2022")


def _import(personas, rows):
    preview = preview_ledger(ledger_file(rows), name="分解表.xlsx", user=personas.office)
    ledger_import(preview=preview, by=personas.office)
    return preview


def test_a_row_without_a_cadence_is_reported_monthly_by_the_25th(personas):
    preview = _import(personas, [[1, "编制年度增收计划", "", "", "财政局", "", "2022年6月底前", ""]])

    task = Task.objects.get(title="编制年度增收计划")
    assert (task.cadence, task.cadence_day) == ("monthly", 25)
    assert task.next_report_due is not None
    assert preview.rows[0].feedback_label == "每月25日前"
    assert preview.as_json()["rows"][0]["deadline"]["feedback"] == {"cadence": "monthly", "cadence_day": 25}


def test_the_rows_own_cadence_wins(personas):
    _import(personas, [[1, "每周调度", "", "", "财政局", "", "2022年12月31日;每周五", ""]])

    task = Task.objects.get(title="每周调度")
    assert (task.cadence, task.cadence_day) == ("weekly", 5)


def test_the_default_is_what_the_office_set(personas):
    county_settings_update(cadence="quarterly", day=20, by=personas.office)

    _import(personas, [[1, "季度盘点", "", "", "财政局", "", "年底前", ""]])

    assert Task.objects.values_list("cadence", "cadence_day").get(title="季度盘点") == ("quarterly", 20)


def test_a_row_that_says_no_fixed_cadence_keeps_none_and_a_standing_one_is_flagged(personas):
    rows = [
        [1, "临时交办", "", "", "财政局", "", "2022年6月30日(不定期反馈)", ""],
        [2, "长期工作", "", "", "财政局", "", "长期坚持,不定期", ""],
    ]

    preview = preview_ledger(ledger_file(rows), name="分解表.xlsx", user=personas.office)

    assert [(row.cadence, row.feedback_label) for row in preview.rows] == [("none", "不定期"), ("none", "不定期")]
    assert [str(p) for p in preview.warnings] == [
        "第5行「完成时限」:长期坚持且不定期反馈:这个事项既没有完成时限,也不要求按期反馈,永远不会亮红灯。"
        "建议写明反馈周期,如“长期坚持;每月25日前”。"
    ]
    ledger_import(preview=preview, by=personas.office)
    assert Task.objects.get(title="临时交办").cadence == "none"


def test_a_standing_row_gets_the_default_and_no_warning(personas):
    preview = _import(personas, [[1, "长期工作", "", "", "财政局", "", "长期坚持", ""]])

    assert preview.warnings == []
    task = Task.objects.get(title="长期工作")
    assert (task.standing, task.cadence) == (True, "monthly")
