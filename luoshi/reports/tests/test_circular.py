"""The circular: per-unit figures from unit_stats, ranked by a composite score, townships and departments apart."""

from datetime import date
from io import BytesIO

import docx
import pytest
from openpyxl import load_workbook

from luoshi.lib.errors import ActionError
from luoshi.org.models import Unit
from luoshi.reports import selectors, services
from luoshi.reports.models import Circular
from luoshi.testing import PASSWORD
from luoshi.work import office as work_office
from luoshi.work import services as work_services

from .helpers import task

pytestmark = pytest.mark.django_db


def close(personas, t, *, by):
    """Ask closure as the lead unit and approve it: on time when asked on or before the deadline."""
    work_services.task_closure_ask(task=t, by=personas.office, summary="已完成")
    work_office.closure_decide(request=t.closures.get(), approve=True, by=personas.office)


@pytest.fixture
def march(personas, clock):
    """In March 2026: 财政局 4 tasks (3 on time), 住建局 3 (1 on time), 城关镇 3 (3 on time), 镇二 2 tasks."""
    second = Unit.objects.create(name="河口镇", short_name="河口镇", kind=Unit.Kind.TOWNSHIP, order=20)
    made = {}
    for unit, count in [(personas.finance, 4), (personas.housing, 3), (personas.township, 3), (second, 2)]:
        made[unit.display_name] = [
            task(personas, f"{unit.display_name}事项{i}", lead=unit, deadline=date(2026, 3, 20)) for i in range(count)
        ]
    for t in made["财政局"][:3] + made["住建局"][:1] + made["城关镇"]:
        close(personas, t, by=personas.office)
    clock(date(2026, 3, 25))
    for t in made["财政局"][3:] + made["住建局"][1:]:
        close(personas, t, by=personas.office)  # late
    clock(date(2026, 4, 2))
    return made


def test_units_are_ranked_by_their_composite_score_within_their_group(march):
    figures = selectors.circular_compute(date(2026, 3, 1), date(2026, 3, 31))
    groups = {g["key"]: g for g in figures["groups"]}
    assert list(groups) == ["department", "township"]
    departments = groups["department"]["rows"]
    # 40 × done rate + 40 × on-time rate (of the tasks due) + 20 × timely reports (none late).
    assert [(r["rank"], r["unit"], r["score"]) for r in departments] == [(1, "财政局", 90.0), (2, "住建局", 73.3)]
    assert departments[0]["assigned"] == 4 and departments[0]["done"] == 4 and departments[0]["on_time"] == 3
    townships = groups["township"]
    assert [(r["rank"], r["unit"]) for r in townships["rows"]] == [(1, "城关镇")]
    # 河口镇 has two tasks: listed, not ranked.
    assert [r["unit"] for r in townships["unranked"]] == ["河口镇"]
    assert townships["well"] == ["城关镇"] and groups["department"]["well"] == ["财政局"]
    assert groups["department"]["lagging"] == []
    assert figures["totals"]["assigned"] == 12
    assert figures["formula"].startswith("综合得分 = 办结率×40 + 按期办结率×40 + 反馈及时率×20")


def test_finishing_one_of_sixteen_never_ranks_above_twelve_of_sixteen_on_time(personas, clock):
    """The issue's case: a unit that closed 1 task of 16 (on time) against one that closed 12 of 16 on time."""
    few = Unit.objects.create(name="审计局", short_name="审计局", kind=Unit.Kind.DEPARTMENT, order=30)
    many = Unit.objects.create(name="统计局", short_name="统计局", kind=Unit.Kind.DEPARTMENT, order=40)
    one = Unit.objects.create(name="档案馆", short_name="档案馆", kind=Unit.Kind.DEPARTMENT, order=50)
    made = {
        unit: [task(personas, f"{unit.display_name}{i}", lead=unit, deadline=date(2026, 3, 31)) for i in range(n)]
        for unit, n in ((few, 16), (many, 16), (one, 1))
    }
    for t in made[few][:1] + made[many][:12] + made[one]:
        close(personas, t, by=personas.office)
    figures = selectors.circular_compute(date(2026, 3, 1), date(2026, 3, 31), min_tasks=3)
    (group,) = figures["groups"]
    ranked = [r["unit"] for r in group["rows"]]
    assert ranked.index("统计局") < ranked.index("审计局")
    # One closure does not make a unit "doing well": below the minimum volume it is not ranked at all.
    assert "档案馆" not in ranked and [r["unit"] for r in group["unranked"]] == ["档案馆"]
    assert "档案馆" not in group["well"] and "审计局" in group["lagging"]
    # Deductions: overdue tasks and urges lower the score.
    clock(date(2026, 4, 10))
    work_office.task_urge(tasks=made[many][12:], message="请抓紧", by=personas.office)
    later = selectors.circular_compute(date(2026, 3, 1), date(2026, 4, 30), min_tasks=3)
    score = {r["unit"]: r["score"] for r in later["groups"][0]["rows"]}
    assert score["统计局"] == round(40 * 12 / 16 + 40 * 12 / 16 + 20 - 2 * 4 - 1 * 4, 1)


def test_the_weights_and_minimum_are_the_offices_and_frozen_with_the_circular(march, personas):
    circular = services.circular_create(
        kind="month", year=2026, number=3, by=personas.office,
        weights={"done": 0, "on_time": 100, "reports": 0, "overdue": 0, "urges": 0}, min_tasks=5,
    )  # fmt: skip
    assert circular.weights["on_time"] == 100 and circular.min_tasks == 5
    # With five tasks needed, no unit of March is ranked.
    assert all(not g["rows"] for g in circular.snapshot["groups"])
    issued = services.circular_issue(circular=circular, by=personas.office)
    assert issued.snapshot["weights"]["on_time"] == 100 and issued.snapshot["min_tasks"] == 5
    assert "按期办结率×100" in issued.snapshot["formula"]
    text = "\n".join(p.text for p in services_docx(issued).paragraphs)
    assert "按期办结率×100" in text
    with pytest.raises(ActionError, match="评分权重"):
        services.circular_create(kind="month", year=2026, number=3, by=personas.office, weights={"done": -1})


def test_ties_share_a_rank(personas, clock):
    for unit in (personas.finance, personas.housing):
        for i in range(3):
            task(personas, f"{unit.display_name}{i}", lead=unit, deadline=date(2026, 3, 31))
    other = Unit.objects.create(name="发展和改革委员会", short_name="发改委", kind=Unit.Kind.DEPARTMENT, order=5)
    for i in range(3):
        task(personas, f"发改{i}", lead=other, deadline=date(2026, 3, 31))
    t = task(personas, "发改已办", lead=other, deadline=date(2026, 3, 31))
    close(personas, t, by=personas.office)
    rows = selectors.circular_compute(date(2026, 3, 1), date(2026, 3, 31))["groups"][0]["rows"]
    assert [(r["rank"], r["unit"]) for r in rows] == [(1, "发改委"), (2, "财政局"), (2, "住建局")]


def test_an_empty_period_gives_an_empty_circular(personas, clock):
    figures = selectors.circular_compute(date(2019, 1, 1), date(2019, 1, 31))
    assert figures["empty"] is True and figures["groups"] == []
    circular = services.circular_create(kind="month", year=2019, number=1, by=personas.office)
    data = services_docx(circular)
    assert any("没有交办的督办事项" in p.text for p in data.paragraphs)


def services_docx(circular):
    from luoshi.reports.documents import circular_docx

    return docx.Document(BytesIO(circular_docx(circular)))


def test_a_quarter_runs_from_its_first_to_its_last_day(personas):
    circular = services.circular_create(kind="quarter", year=2026, number=1, by=personas.office)
    assert (circular.start, circular.end) == (date(2026, 1, 1), date(2026, 3, 31))
    assert circular.title == "关于2026年第一季度督办事项办理情况的通报"
    with pytest.raises(ActionError):
        services.circular_create(kind="quarter", year=2026, number=5, by=personas.office)
    with pytest.raises(ActionError):
        services.circular_create(kind="month", year=2026, number=3, by=personas.liaison)


def test_the_office_edits_the_text_issues_and_downloads_word_and_excel(march, personas, client):
    client.login(username="alice", password=PASSWORD)
    response = client.post("/reports/circulars/", {"kind": "month", "year": 2026, "number": 3, "token": "c1"})
    circular = Circular.objects.get()
    assert response.url == f"/reports/circulars/{circular.pk}/"
    page = client.get(response.url).content.decode()
    assert "财政局" in page and "75.0%" in page and "未排名" in page
    client.post(
        response.url,
        {"title": circular.title, "intro": "三月份全县督办工作总体平稳。", "closing": "请各单位抓紧整改。"},
    )
    client.post(f"/reports/circulars/{circular.pk}/issue/")
    circular.refresh_from_db()
    assert circular.status == Circular.Status.ISSUED and circular.intro == "三月份全县督办工作总体平稳。"
    with pytest.raises(ActionError):
        services.circular_edit(circular=circular, by=personas.office, title="x", intro="y", closing="z")

    word = client.get(f"/reports/circulars/{circular.pk}/docx/")
    document = docx.Document(BytesIO(b"".join(word.streaming_content)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "三月份全县督办工作总体平稳。" in text and "表现较好的单位：财政局" in text and "排名方法：综合得分" in text
    assert [c.text for c in document.tables[0].rows[1].cells][:2] == ["1", "财政局"]

    excel = client.get(f"/reports/circulars/{circular.pk}/xlsx/")
    workbook = load_workbook(BytesIO(b"".join(excel.streaming_content)))
    assert workbook.sheetnames == ["县直单位", "乡镇(街道)"]
    sheet = workbook["县直单位"]
    # A rate is a number the office can sort and sum, shown as a percent.
    assert sheet["B3"].value == "财政局" and sheet["G3"].value == 0.75
    assert sheet["G3"].number_format == "0.0%" and sheet["G3"].data_type == "n"
    assert sheet.freeze_panes == "A3"


def test_circulars_are_a_404_to_units_and_leaders(march, personas, client):
    circular = services.circular_create(kind="month", year=2026, number=3, by=personas.office)
    for username in ("bob", "charlie"):
        client.login(username=username, password=PASSWORD)
        assert client.get(f"/reports/circulars/{circular.pk}/").status_code == 404
        assert client.get(f"/reports/circulars/{circular.pk}/xlsx/").status_code == 404


def test_issuing_recomputes_then_freezes_the_figures(march, personas, clock):
    circular = services.circular_create(kind="month", year=2026, number=3, by=personas.office)
    services.circular_issue(circular=circular, by=personas.office)
    frozen = circular.snapshot
    extra = task(personas, "三月补录", deadline=date(2026, 3, 10), backfill=True)
    assert extra.pk
    circular.refresh_from_db()
    assert circular.snapshot == frozen
    with pytest.raises(ActionError):
        services.circular_issue(circular=circular, by=personas.office)
