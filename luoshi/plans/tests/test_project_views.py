"""The 倒排工期 pages: the list, a new project from a template, the project page and its exports."""

from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook

from luoshi.plans.demo import LAND
from luoshi.plans.models import Project
from luoshi.plans.projects import project_from_template
from luoshi.work.models import Task

pytestmark = pytest.mark.django_db


def _project(personas, templates, unit=None):
    project, _ = project_from_template(
        template=templates[LAND], name="城东地块出让", unit=unit or personas.finance, deadline=date(2026, 12, 20),
        by=personas.office,
    )  # fmt: skip
    return project


def test_the_office_creates_a_project_from_a_template(client, clock, personas, templates):
    client.force_login(personas.office)
    page = client.get("/plans/projects/new/")
    assert "土地出让" in page.content.decode()
    data = {
        "template": templates[LAND].pk, "name": "城东地块出让", "unit": personas.finance.pk,
        "deadline": "2026-12-20", "start": "", "token": "new-1",
    }  # fmt: skip
    response = client.post("/plans/projects/new/", data, follow=True)
    project = Project.objects.get()
    assert response.redirect_chain[-1][0] == f"/plans/projects/{project.pk}/"
    text = response.content.decode()
    assert "已创建项目“城东地块出让”" in text
    assert "2026-12-18" in text  # 招拍挂's latest finish
    assert "留有余地不足" in text
    # The same form again creates nothing.
    again = client.post("/plans/projects/new/", data)
    assert "已经提交过" in again.content.decode()
    assert Project.objects.count() == 1


def test_a_deadline_before_today_is_refused_on_the_form(client, clock, personas, templates):
    client.force_login(personas.office)
    data = {"template": templates[LAND].pk, "name": "x", "unit": personas.finance.pk, "deadline": "2026-01-05"}
    response = client.post("/plans/projects/new/", data)
    assert "完成时限 2026-01-05 早于今天" in response.content.decode()
    assert not Project.objects.exists()


def test_a_liaison_cannot_create_projects(client, clock, personas, templates):
    client.force_login(personas.liaison)
    assert client.get("/plans/projects/new/").status_code == 403


def test_the_project_page_shows_latest_starts_buffer_and_front_share(client, clock, personas, templates):
    project = _project(personas, templates)
    client.force_login(personas.liaison)
    text = client.get(f"/plans/projects/{project.pk}/").content.decode()
    assert 'id="gantt"' in text and "gantt-data" in text
    assert "最晚开始" in text and "前半程工作量" in text
    assert "各步骤生成督办事项" not in text  # only the office acts


def test_another_units_liaison_gets_a_404(client, clock, personas, templates):
    project = _project(personas, templates)
    client.force_login(personas.outsider)
    assert client.get(f"/plans/projects/{project.pk}/").status_code == 404
    assert client.get(f"/plans/projects/{project.pk}/export.xlsx").status_code == 404
    assert "城东地块出让" not in client.get("/plans/projects/").content.decode()


def test_the_leader_sees_the_projects_of_the_units_they_oversee(client, clock, personas, templates):
    mine = _project(personas, templates)
    other = _project(personas, templates, unit=personas.housing)
    client.force_login(personas.leader)
    assert client.get(f"/plans/projects/{mine.pk}/").status_code == 200
    assert client.get(f"/plans/projects/{other.pk}/").status_code == 404


def test_the_office_turns_steps_into_tasks_from_the_page(client, clock, personas, templates):
    project = _project(personas, templates)
    client.force_login(personas.office)
    response = client.post(f"/plans/projects/{project.pk}/tasks/", {"token": "t-1"}, follow=True)
    assert "已为 5 个步骤生成督办事项" in response.content.decode()
    assert Task.objects.filter(title__startswith="城东地块出让:").count() == 5
    client.post(f"/plans/projects/{project.pk}/tasks/", {"token": "t-1"})
    assert Task.objects.count() == 5


def test_the_project_exports_as_a_ledger_and_as_taskjuggler(client, clock, personas, templates):
    project = _project(personas, templates)
    client.force_login(personas.office)
    book = load_workbook(BytesIO(client.get(f"/plans/projects/{project.pk}/export.xlsx").getvalue()))
    sheet = book.active
    assert "城东地块出让 倒排工期表" in sheet["A1"].value
    assert [sheet.cell(row=r, column=2).value for r in range(3, 8)] == [
        "规划指标",
        "计划指标",
        "占补平衡",
        "报批",
        "招拍挂",
    ]
    assert sheet.cell(row=7, column=6).value == "2026-12-18"
    tjp = client.get(f"/plans/projects/{project.pk}/export.tjp").content.decode()
    assert 'task s4 "招拍挂"' in tjp and "end 2026-12-21" in tjp and "scheduling alap" in tjp


def test_the_office_edits_a_templates_durations_and_new_projects_use_them(client, clock, personas, templates):
    from luoshi.plans.models import TemplateStep

    old = _project(personas, templates)
    template = templates[LAND]
    first = TemplateStep.objects.get(template=template, order=0)
    link = template.links.get(pred=first)
    client.force_login(personas.office)
    assert "规划指标" in client.get("/plans/templates/").content.decode()
    response = client.post(
        f"/plans/templates/{template.pk}/", {f"duration-{first.pk}": "30", f"lag-{link.pk}": "2"}, follow=True
    )
    assert "已保存模板“土地出让”" in response.content.decode()
    first.refresh_from_db()
    assert first.duration == 30
    bad = client.post(f"/plans/templates/{template.pk}/", {f"duration-{first.pk}": "0"}, follow=True).content.decode()
    assert "“规划指标”的工期应为正数" in bad
    new = _project(personas, templates)
    assert new.steps.get(order=0).duration == 30 and new.links.get(pred__order=0).lag == 2
    assert old.steps.get(order=0).duration == 40  # made earlier: unchanged
    client.force_login(personas.liaison)
    assert client.get(f"/plans/templates/{template.pk}/").status_code == 403
