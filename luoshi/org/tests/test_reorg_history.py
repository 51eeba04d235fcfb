"""机构改革 keeps history: past periods are reported under the names of that time, and units merged since
are still listed for the periods they worked in (issue 20 §5)."""

from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook

from luoshi.org.models import Unit
from luoshi.org.reorg import NewUnit, reorg_merge, reorg_rename
from luoshi.reports import services as report_services
from luoshi.work import office as work_office
from luoshi.work import services as work_services
from luoshi.work.tests import conftest as work_fixtures

pytestmark = pytest.mark.django_db

clock, rules = work_fixtures.clock, work_fixtures.rules


def done_task(personas, title, lead, deadline=date(2026, 3, 20)):
    spec = work_services.TaskSpec(title=title, lead=lead, deadline=deadline)
    task = work_services.task_create(spec=spec, by=personas.office)
    work_services.task_closure_ask(task=task, by=personas.office, summary="已完成")
    work_office.closure_decide(request=task.closures.get(), approve=True, by=personas.office)
    return task


@pytest.fixture
def march(personas, clock):
    """March 2026: 财政局 and 住建局 each finish three tasks; then April comes."""
    for unit in (personas.finance, personas.housing):
        for i in range(3):
            done_task(personas, f"{unit.display_name}三月事项{i}", unit)
    clock(date(2026, 4, 2))
    return personas


def circular_units(circular) -> dict[str, int]:
    return {
        row["unit"]: row["assigned"]
        for group in circular.snapshot["groups"]
        for row in [*group["rows"], *group["unranked"]]
    }


def test_the_circular_of_a_past_month_shows_the_name_of_that_time(march):
    reorg_rename(unit=march.finance, name="财政金融局", on=date(2026, 4, 1), by=march.admin)
    march_circular = report_services.circular_create(kind="month", year=2026, number=3, by=march.office)
    assert circular_units(march_circular) == {"财政局": 3, "住建局": 3}
    # A task of April is reported under the new name.
    done_task(march, "四月事项", march.finance, deadline=date(2026, 4, 20))
    april = report_services.circular_create(kind="month", year=2026, number=4, by=march.office)
    assert circular_units(april) == {"财政金融局": 1}


def test_an_issued_circular_stays_as_issued_after_a_rename(march, client):
    circular = report_services.circular_create(kind="month", year=2026, number=3, by=march.office)
    report_services.circular_issue(circular=circular, by=march.office)
    reorg_rename(unit=march.finance, name="财政金融局", on=date(2026, 4, 1), by=march.admin)
    circular.refresh_from_db()
    assert "财政局" in circular_units(circular)
    client.force_login(march.office)
    page = client.get(circular.get_absolute_url()).content.decode()
    assert "财政局" in page and "财政金融局" not in page


def test_a_unit_merged_since_is_still_ranked_for_the_month_it_worked(march):
    reorg_merge(sources=[march.housing], into=march.finance, on=date(2026, 4, 1), by=march.admin)
    assert not Unit.objects.get(pk=march.housing.pk).active
    circular = report_services.circular_create(kind="month", year=2026, number=3, by=march.office)
    assert circular_units(circular) == {"财政局": 3, "住建局": 3}


def test_the_ledgers_unit_summary_for_a_past_year_shows_the_name_of_that_time(personas, clock, client):
    clock(date(2025, 5, 6))
    done_task(personas, "二〇二五年事项", personas.finance, deadline=date(2025, 5, 30))
    clock(date(2026, 3, 16))
    done_task(personas, "二〇二六年事项", personas.finance, deadline=date(2026, 3, 30))
    reorg_rename(unit=personas.finance, name="财政金融局", on=date(2026, 1, 1), by=personas.admin)
    client.force_login(personas.office)

    def summary(year):
        response = client.get(f"/ledger/export/?year={year}")
        assert response.status_code == 200
        sheet = load_workbook(BytesIO(b"".join(response.streaming_content)))["单位汇总"]
        return {sheet.cell(row=r, column=2).value: sheet.cell(row=r, column=4).value for r in range(3, sheet.max_row)}

    assert summary(2025) == {"财政局": 1}
    assert summary(2026) == {"财政金融局": 1}


def test_the_per_unit_summary_page_of_a_past_year_uses_the_names_of_that_time(personas, clock, client):
    clock(date(2025, 5, 6))
    done_task(personas, "二〇二五年事项", personas.finance, deadline=date(2025, 5, 30))
    done_task(personas, "住建二〇二五年事项", personas.housing, deadline=date(2025, 5, 30))
    clock(date(2026, 3, 16))
    reorg_rename(unit=personas.finance, name="财政金融局", on=date(2026, 1, 1), by=personas.admin)
    reorg_merge(sources=[personas.housing], into=NewUnit(name="城乡建设局"), on=date(2026, 2, 1), by=personas.admin)
    client.force_login(personas.office)
    past = client.get("/work/units/?period=2025").content.decode()
    assert "财政局" in past and "财政金融局" not in past
    # 住建局 was merged in 2026: its 2025 figures are still listed under its name.
    assert "住建局" in past
    this_year = client.get("/work/units/?period=2026").content.decode()
    assert "财政金融局" in this_year
