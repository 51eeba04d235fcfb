"""机构改革 and the figures of past periods: an open task moved to a successor is still counted, for the periods
before the move, under the unit that led it then, by the name of that time (issue 20 §5)."""

from datetime import date
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from luoshi.lib import workdays
from luoshi.org.models import TaskLeadMove, Unit
from luoshi.org.reorg import NewUnit, reorg_merge, reorg_rename, reorg_split
from luoshi.reports import selectors as report_selectors
from luoshi.reports import services as report_services
from luoshi.work import office as work_office
from luoshi.work import services as work_services
from luoshi.work.models import UnitSnapshot
from luoshi.work.selectors import unit_stats
from luoshi.work.snapshots import unit_snapshot_take
from luoshi.work.tests import conftest as work_fixtures

from .test_reorg_history import circular_units, done_task

pytestmark = pytest.mark.django_db

clock, rules = work_fixtures.clock, work_fixtures.rules

MARCH = (date(2026, 3, 1), date(2026, 3, 31))
APRIL = (date(2026, 4, 1), date(2026, 4, 30))
MAY = (date(2026, 5, 1), date(2026, 5, 31))


def open_task(personas, title, lead, deadline=date(2026, 3, 25)):
    spec = work_services.TaskSpec(title=title, lead=lead, deadline=deadline)
    return work_services.task_create(spec=spec, by=personas.office)


def rows_of(figures) -> dict[str, dict]:
    """The circular's rows by unit name, as the office reads them."""
    return {row["unit"]: row for group in figures["groups"] for row in [*group["rows"], *group["unranked"]]}


@pytest.fixture
def march(personas, clock):
    """March 2026: 财政局 finishes three tasks; 住建局 finishes three and still has one open, overdue since the 25th,
    which the office urged. Then April comes, and the March figures as they stood are kept for comparison."""
    for i in range(3):
        done_task(personas, f"财政三月事项{i}", personas.finance)
        done_task(personas, f"住建三月事项{i}", personas.housing)
    task = open_task(personas, "住建局未完成事项", personas.housing)
    clock(date(2026, 3, 27))
    work_office.task_urge(tasks=[task], message="请抓紧办理", by=personas.office)
    clock(date(2026, 4, 2))
    personas.open_task = task
    personas.march_before = rows_of(report_selectors.circular_compute(*MARCH))
    assert personas.march_before["住建局"]["assigned"] == 4
    assert personas.march_before["住建局"]["overdue"] == 1
    return personas


def test_a_merged_units_moved_task_stays_in_its_march_figures(march):
    reorg_merge(sources=[march.housing], into=march.finance, on=date(2026, 4, 1), by=march.admin)
    reorg_rename(unit=march.finance, name="财政金融局", short_name="财金局", on=date(2026, 4, 1), by=march.admin)
    march.open_task.refresh_from_db()
    assert march.open_task.lead_unit == march.finance

    # March: the task is 住建局's, by the names of March, with every figure as it was before the merger.
    circular = report_services.circular_create(kind="month", year=2026, number=3, by=march.office)
    assert circular_units(circular) == {"财政局": 3, "住建局": 4}
    assert rows_of(report_selectors.circular_compute(*MARCH)) == march.march_before

    # April: the task is the successor's, under its name of April.
    april = report_services.circular_create(kind="month", year=2026, number=4, by=march.office)
    assert circular_units(april) == {"财金局": 1}
    assert rows_of(april.snapshot)["财金局"]["overdue"] == 1


def test_a_split_units_moved_task_stays_in_its_march_figures(march):
    reorg_split(
        source=march.housing, successors=[NewUnit(name="住房保障中心"), NewUnit(name="城市建设局")],
        choices={march.open_task.pk: 1}, on=date(2026, 4, 1), by=march.admin,
    )  # fmt: skip
    march.open_task.refresh_from_db()
    assert march.open_task.lead_unit.name == "城市建设局"

    assert rows_of(report_selectors.circular_compute(*MARCH)) == march.march_before
    quarter = report_services.circular_create(kind="quarter", year=2026, number=1, by=march.office)
    assert circular_units(quarter) == {"财政局": 3, "住建局": 4}

    april = report_selectors.circular_compute(*APRIL)
    assert {unit: row["assigned"] for unit, row in rows_of(april).items()} == {"城市建设局": 1}


def test_a_task_moved_twice_counts_for_each_unit_in_its_own_month(march, clock):
    reorg_merge(sources=[march.housing], into=march.finance, on=date(2026, 4, 1), by=march.admin)
    clock(date(2026, 5, 6))
    reorg_merge(sources=[march.finance], into=NewUnit(name="财政事务中心"), on=date(2026, 5, 1), by=march.admin)
    assert list(
        TaskLeadMove.objects.filter(task=march.open_task).values_list("from_unit__name", "to_unit__name", "moved_on")
    ) == [
        ("住房和城乡建设局", "财政局", date(2026, 4, 1)),
        ("财政局", "财政事务中心", date(2026, 5, 1)),
    ]  # fmt: skip
    units = Unit.objects.all()
    held = {
        month: {s.display_name: s.assigned for s in unit_stats(units, period) if s.assigned}
        for month, period in (("3月", MARCH), ("4月", APRIL), ("5月", MAY))
    }
    assert held["3月"] == {"财政局": 3, "住建局": 4}
    # April: 财政局's own March tasks were done in March; it led only the task it took over.
    assert held["4月"] == {"财政局": 1}
    assert held["5月"] == {"财政事务中心": 1}


def test_a_reorganisation_dated_ahead_moves_its_tasks_from_the_day_it_is_applied(march):
    reorg_merge(sources=[march.housing], into=march.finance, on=date(2026, 6, 1), by=march.admin)
    move = TaskLeadMove.objects.get(task=march.open_task)
    assert move.moved_on == date(2026, 4, 2)
    assert rows_of(report_selectors.circular_compute(*MARCH)) == march.march_before


def test_the_figures_of_a_past_month_take_the_same_queries_however_many_tasks_moved(personas, clock):
    for i in range(2):
        open_task(personas, f"住建局事项{i}", personas.housing)
    for i in range(12):
        open_task(personas, f"城关镇事项{i}", personas.township)
    clock(date(2026, 4, 2))
    units = list(Unit.objects.all())

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            unit_stats(units, MARCH)
        return len(captured.captured_queries)

    reorg_merge(sources=[personas.housing], into=personas.finance, on=date(2026, 4, 1), by=personas.admin)
    few = queries()
    reorg_merge(sources=[personas.township], into=personas.finance, on=date(2026, 4, 1), by=personas.admin)
    assert TaskLeadMove.objects.count() == 14
    assert queries() == few
    march = {s.display_name: s.assigned for s in unit_stats(units, MARCH) if s.assigned}
    assert march == {"住建局": 2, "城关镇": 12}


def test_the_ledgers_summary_of_a_past_year_lists_the_unit_that_led_a_moved_task(personas, clock, client):
    clock(date(2025, 11, 3))
    open_task(personas, "住建局结转事项", personas.housing, deadline=date(2026, 6, 30))
    clock(date(2026, 3, 16))
    reorg_merge(sources=[personas.housing], into=personas.finance, on=date(2026, 1, 1), by=personas.admin)
    client.force_login(personas.office)

    def summary(year):
        response = client.get(f"/ledger/export/?year={year}")
        assert response.status_code == 200
        sheet = load_workbook(BytesIO(b"".join(response.streaming_content)))["单位汇总"]
        return {sheet.cell(row=r, column=2).value: sheet.cell(row=r, column=4).value for r in range(3, sheet.max_row)}

    # The ledger lists the task with its lead of today; the summary of 2025 counts it for the lead of 2025.
    assert summary(2025) == {"住房和城乡建设局": 1}


def test_the_pack_of_a_past_meeting_counts_a_moved_task_under_the_unit_that_led_it(march):
    meeting = date(2026, 3, 30)

    def by_unit():
        pack = report_selectors.pack_compile(meeting, workdays.thresholds(meeting))
        return {row["unit"]: (row["red"], row["total"]) for row in pack["by_unit"]}, pack["counts"]["total"]

    before = by_unit()
    assert before[0] == {"财政局": (0, 3), "住建局": (1, 4)}
    reorg_merge(sources=[march.housing], into=march.finance, on=date(2026, 4, 1), by=march.admin)
    reorg_rename(unit=march.finance, name="财政金融局", short_name="财金局", on=date(2026, 4, 1), by=march.admin)
    assert by_unit() == before


def test_a_days_snapshot_taken_after_a_merger_counts_the_moved_task_for_that_days_unit(march):
    reorg_merge(sources=[march.housing], into=march.finance, on=date(2026, 4, 1), by=march.admin)
    assert unit_snapshot_take(day=date(2026, 3, 31)) == 2
    totals = dict(UnitSnapshot.objects.filter(day=date(2026, 3, 31)).values_list("unit__short_name", "total"))
    assert totals == {"财政局": 3, "住建局": 4}
