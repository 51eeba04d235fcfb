"""The executive-meeting pack: compiled from the live data, frozen when issued, empty when there is nothing."""

from datetime import date
from io import BytesIO

import docx
import pytest

from luoshi.lib import workdays
from luoshi.lib.errors import ActionError
from luoshi.reports import selectors, services
from luoshi.reports.models import MeetingPack
from luoshi.testing import PASSWORD
from luoshi.work import office as work_office
from luoshi.work import services as work_services
from luoshi.work.models import Task

from .helpers import submitted_brief, task

pytestmark = pytest.mark.django_db

MEETING = date(2026, 3, 25)


@pytest.fixture
def county(personas, clock):
    """Three tasks on 16 March; by the meeting on 25 March two are red, and the third (green) waits for an extension."""
    overdue = task(personas, "推进财政数字化改革", deadline=date(2026, 3, 20))
    work_services.task_sign(task=overdue, by=personas.liaison)
    work_services.task_report(
        task=overdue, by=personas.liaison,
        report=work_services.ReportInput(done_text="完成需求调研", problems="系统供应商尚未确定"),
    )  # fmt: skip
    housing = task(personas, "城区排水管网改造", lead=personas.housing, deadline=date(2026, 3, 18))
    later = task(personas, "乡镇便民服务中心建设", lead=personas.township, deadline=date(2026, 4, 3))
    work_services.task_sign(task=later, by=personas.office, unit=personas.township)
    work_services.task_extension_ask(task=later, by=personas.office, reason="汛期影响", new_deadline=date(2026, 5, 30))
    submitted_brief(personas)
    clock(MEETING)
    return {"overdue": overdue, "housing": housing, "later": later}


def compile_pack(day=MEETING):
    return selectors.pack_compile(day, workdays.thresholds(day))


def test_it_counts_the_lights_overall_and_per_leader(county):
    pack = compile_pack()
    assert pack["empty"] is False
    counts = {key: pack["counts"][key] for key in ("red", "yellow", "green", "none", "carried", "total")}
    assert counts == {"red": 2, "yellow": 0, "green": 1, "none": 0, "carried": 0, "total": 3}
    assert pack["leaders"] == [
        {"name": "李强", "title": "常务副县长", "red": 1, "yellow": 0, "green": 1, "none": 0, "carried": 0, "total": 2}
    ]
    assert [row["unit"] for row in pack["by_unit"]] == ["财政局", "住建局", "城关镇"]


def test_every_red_task_comes_with_its_latest_report_and_problem(county):
    red = {row["title"]: row for row in compile_pack()["red"]}
    assert set(red) == {"推进财政数字化改革", "城区排水管网改造"}
    assert red["推进财政数字化改革"]["problems"] == "系统供应商尚未确定"
    assert red["推进财政数字化改革"]["done"] == "完成需求调研"
    assert red["推进财政数字化改革"]["why"] == "超过完成时限5天"
    assert red["城区排水管网改造"]["report_on"] == ""


def test_it_lists_what_awaits_a_decision_and_what_falls_due(county):
    pack = compile_pack()
    assert [row["title"] for row in pack["extensions"]] == ["乡镇便民服务中心建设"]
    assert [row["subject"] for row in pack["briefs"]] == ["城区老旧小区改造资金筹措"]
    assert pack["closures"] == []
    assert [row["title"] for row in pack["due_soon"]] == ["乡镇便民服务中心建设"]


def test_it_names_the_units_that_have_not_reported(personas, clock):
    weekly = task(personas, "每周财政收入分析", cadence="weekly", cadence_day=1)
    clock(date(2026, 4, 1))
    pack = compile_pack(date(2026, 4, 1))
    # Due on Monday 23 March and not in by 1 April: more than 3 working days late, so red as well.
    assert [row["id"] for row in pack["red"]] == [weekly.pk]
    assert pack["silent"] == [{"unit": "财政局", "tasks": 1}]


def test_issuing_freezes_the_pack_against_later_changes(county, personas):
    pack = services.pack_issue(meeting_date=MEETING, by=personas.office)
    work_office.task_cancel(task=county["overdue"], by=personas.office, reason="并入其他事项")
    Task.objects.filter(pk=county["housing"].pk).update(title="改了名字")
    pack.refresh_from_db()
    assert {row["title"] for row in pack.snapshot["red"]} == {"推进财政数字化改革", "城区排水管网改造"}
    assert pack.snapshot["counts"]["total"] == 3
    assert compile_pack()["counts"]["total"] == 2


def test_a_pack_is_issued_once_per_meeting(county, personas):
    services.pack_issue(meeting_date=MEETING, by=personas.office, token="t1")
    with pytest.raises(ActionError) as caught:
        services.pack_issue(meeting_date=MEETING, by=personas.office)
    assert "已经印发" in caught.value.message
    with pytest.raises(ActionError):
        services.pack_issue(meeting_date=MEETING, by=personas.leader)
    assert MeetingPack.objects.count() == 1


def test_a_date_with_no_data_gives_a_valid_empty_pack_that_says_so(county, personas, client):
    empty = compile_pack(date(2019, 1, 7))
    assert empty["empty"] is True
    assert empty["counts"]["total"] == 0 and empty["red"] == [] and empty["by_unit"] == []
    pack = services.pack_issue(meeting_date=date(2019, 1, 7), by=personas.office)
    client.login(username="alice", password=PASSWORD)
    page = client.get(f"/reports/packs/{pack.pk}/").content.decode()
    assert "本期无材料" in page
    assert "lights-chart" not in page
    response = client.get(f"/reports/packs/{pack.pk}/docx/")
    document = docx.Document(BytesIO(b"".join(response.streaming_content)))
    assert any("本期无材料" in p.text for p in document.paragraphs)


def test_the_office_previews_issues_and_downloads_the_pack(county, client):
    client.login(username="alice", password=PASSWORD)
    preview = client.get("/reports/packs/preview/", {"date": "2026-03-25"})
    assert preview.status_code == 200
    content = preview.content.decode()
    assert "推进财政数字化改革" in content and "系统供应商尚未确定" in content and "lights-data" in content
    response = client.post("/reports/packs/issue/", {"date": "2026-03-25", "token": "one"})
    pack = MeetingPack.objects.get()
    assert response.url == f"/reports/packs/{pack.pk}/"
    again = client.post("/reports/packs/issue/", {"date": "2026-03-25", "token": "one"}, follow=True)
    assert "已经提交过" in again.content.decode()
    download = client.get(f"/reports/packs/{pack.pk}/docx/")
    assert download["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    document = docx.Document(BytesIO(b"".join(download.streaming_content)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "全县在办督办事项3项，其中红灯2项" in text
    assert document.inline_shapes  # the chart
    assert any(
        "系统供应商尚未确定" in cell.text for table in document.tables for row in table.rows for cell in row.cells
    )


@pytest.mark.parametrize("username", ["charlie", "dave"])
def test_packs_are_the_offices_and_a_404_to_anyone_else(county, personas, client, username):
    pack = services.pack_issue(meeting_date=MEETING, by=personas.office)
    client.login(username=username, password=PASSWORD)
    for url in ["/reports/packs/", "/reports/packs/preview/?date=2026-03-25", f"/reports/packs/{pack.pk}/",
                f"/reports/packs/{pack.pk}/docx/"]:  # fmt: skip
        assert client.get(url).status_code == 404, url


def test_a_leader_reads_an_issued_pack_but_compiles_none(county, personas, client):
    pack = services.pack_issue(meeting_date=MEETING, by=personas.office)
    client.login(username="bob", password=PASSWORD)
    page = client.get(f"/reports/packs/{pack.pk}/").content.decode()
    assert pack.title in page and "制发催办通知单" not in page
    assert client.get(f"/reports/packs/{pack.pk}/docx/").status_code == 200
    for url in ["/reports/packs/", "/reports/packs/preview/?date=2026-03-25"]:
        assert client.get(url).status_code == 404, url
    assert client.post("/reports/packs/issue/", {"date": "2026-04-01"}).status_code == 404
