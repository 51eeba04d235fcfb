"""The deadline's earlier dates become the task's milestones; a deadline before the document's date is flagged."""

from datetime import date

import pytest

from luoshi.intake import services
from luoshi.intake.reading import read_text
from luoshi.org.models import User
from luoshi.work.models import Task

pytestmark = pytest.mark.usefixtures("clock")


@pytest.fixture
def office(demo_county):
    return User.objects.get(username="office")


def test_a_rows_milestones_become_the_tasks_and_a_past_date_is_flagged(office):
    text = (
        "示范县重点项目推进工作方案\n"
        "一、重点任务\n"
        "(一)县发改委要在9月底前完成招标、年底前开工。\n"
        "(二)县财政局要在2月底前拨付前期经费。"
    )
    decomposition = services.decomposition_create(
        document=read_text(text, name="方案.txt"), by=office, source_date=date(2022, 3, 15)
    )
    rows = list(decomposition.rows.all())
    bids, funds = rows[0], rows[1]
    assert bids.deadline == date(2022, 12, 31)
    assert bids.milestones == [{"title": "完成招标", "due": "2022-09-30"}]
    assert bids.deadline_warnings() == []
    assert funds.deadline == date(2022, 2, 28)
    [warning] = funds.deadline_warnings()
    assert "早于文件日期" in warning and "2023年2月28日" in warning

    funds.delete()  # a past deadline is refused at confirmation unless the task is 补录; not this test's concern
    services.rows_accept_all(decomposition=decomposition, by=office)
    services.decomposition_confirm(decomposition=decomposition, by=office, token="m1")
    task = Task.objects.get(intake_rows=bids)
    assert [(m.title, m.due) for m in task.milestones.all()] == [("完成招标", date(2022, 9, 30))]
