"""一口清 key figures and the drill; 调研 with findings that become tasks; 典型 with their promotion steps."""

import io
from datetime import date

import docx
import pytest

from luoshi.lib.errors import ActionError
from luoshi.library import services
from luoshi.library.models import DrillAnswer, FieldVisit, Finding, KeyFigure, TypicalCase
from luoshi.work.models import Task


@pytest.fixture
def figures(personas):
    gdp = services.key_figure_save(
        owner=personas.finance, name="一般公共预算收入", value="12.5", measure="亿元", period="2026年1-10月",
        source="县统计局", cadence="每月", by=personas.liaison,
    )  # fmt: skip
    housing = services.key_figure_save(
        owner=personas.housing, name="棚户区改造开工", value="1200", measure="套", period="2026年",
        source="本单位台账", cadence="每季度", by=personas.outsider,
    )  # fmt: skip
    return gdp, housing


def test_a_unit_sees_its_own_figures_the_office_all_and_the_leader_those_it_oversees(client, personas, figures):
    client.force_login(personas.liaison)
    assert [row["name"] for row in client.get("/api/library/key-figures").json()] == ["一般公共预算收入"]
    assert client.get("/api/library/key-figures", {"unit": personas.housing.pk}).json() == []
    client.force_login(personas.leader)
    assert [row["unit"] for row in client.get("/api/library/key-figures").json()] == ["财政局"]
    client.force_login(personas.office)
    body = client.get("/api/library/key-figures", {"unit": personas.housing.pk}).json()
    assert body[0]["value"] == "1200" and body[0]["measure"] == "套"


def test_a_value_that_is_not_a_number_or_in_another_measure_is_refused(personas, figures):
    with pytest.raises(ActionError, match="不是数字"):
        services.key_figure_save(
            owner=personas.finance, name="税收收入", value="约十亿", measure="亿元", period="2026年",
            source="", cadence="", by=personas.liaison,
        )  # fmt: skip
    with pytest.raises(ActionError, match="换算成同一计量单位"):
        services.key_figure_save(
            owner=personas.finance, name="一般公共预算收入", value="125000", measure="万元", period="2026年1-11月",
            source="", cadence="", by=personas.liaison,
        )  # fmt: skip


def test_a_unit_cannot_fill_in_another_units_figure(client, personas, figures):
    with pytest.raises(ActionError):
        services.key_figure_save(
            owner=personas.housing, name="x", value="1", measure="", period="2026年", source="", cadence="",
            by=personas.liaison,
        )  # fmt: skip
    client.force_login(personas.liaison)
    response = client.post(
        "/library/figures/", {"name": "税收收入", "value": "8.1", "measure": "亿元", "period": "2026年"}
    )
    assert response.status_code == 302
    assert KeyFigure.objects.get(name="税收收入").owner == personas.finance


@pytest.mark.parametrize(
    ("typed", "result"), [("12.5", "exact"), ("12", "close"), ("13.1", "close"), ("11", "wrong"), ("不知道", "wrong")]
)
def test_the_drill_scores_exact_within_five_percent_or_wrong(personas, figures, typed, result):
    assert services.drill_score(figures[0], typed) == result


def test_the_drill_keeps_a_private_history_with_a_score_per_session(client, personas, figures):
    gdp, _ = figures
    client.force_login(personas.liaison)
    page = client.get("/library/figures/drill/").content.decode()
    assert "一般公共预算收入" in page and "2026年1-10月" in page and "12.5" not in page
    client.post("/library/figures/drill/", {"figure": gdp.pk, "value": "12"})
    page = client.get("/library/figures/drill/").content.decode()
    assert "<td>误差5%以内</td>" in page and "本轮已全部答完" in page and "我的练习记录" in page
    assert services.drill_history(personas.liaison)[0]["score"] == 50
    # Another user's figure cannot be drilled, and nobody else sees the answers.
    housing_figure = figures[1]
    assert client.post("/library/figures/drill/", {"figure": housing_figure.pk, "value": "1"}).status_code == 404
    client.force_login(personas.office)
    assert "我的练习记录" not in client.get("/library/figures/drill/").content.decode()
    assert DrillAnswer.objects.filter(user=personas.office).count() == 0


def test_the_fact_sheet_is_a_docx_for_the_unit_and_404_for_another(client, personas, figures):
    client.force_login(personas.liaison)
    response = client.get(f"/library/figures/{personas.finance.pk}/fact-sheet.docx")
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(b"".join(response.streaming_content))).paragraphs)
    assert "财政局情况一口清" in text.replace("\n", "") and "一、主要数据" in text
    assert client.get(f"/library/figures/{personas.housing.pk}/fact-sheet.docx").status_code == 404


@pytest.fixture
def visit(personas):
    return FieldVisit.objects.create(
        title="高标准农田建设落实情况", unit=personas.finance, purpose="看补助资金是否到户",
        places="城关镇\n东村", members="督查室、财政局", questions="资金是否按时拨付", visit_on=date(2026, 11, 20),
    )  # fmt: skip


def test_a_finding_becomes_one_task_and_the_report_holds_findings_and_proposals(client, personas, visit):
    finding = services.finding_add(visit=visit, place="东村", text="补助资金拨付滞后两个月", by=personas.office)
    services.finding_add(visit=visit, place="城关镇", text="建议简化拨付流程", kind="proposal", by=personas.office)
    with pytest.raises(ActionError, match="不在本次调研的地点"):
        services.finding_add(visit=visit, place="西村", text="x", by=personas.office)
    client.force_login(personas.office)
    data = {"finding": finding.pk, "lead": personas.finance.pk, "deadline": "2026-12-31", "token": "t-1"}
    client.post(f"/library/visits/{visit.pk}/", data)
    client.post(f"/library/visits/{visit.pk}/", data)
    task = Task.objects.get()
    assert task.lead_unit == personas.finance and "补助资金拨付滞后" in task.title
    assert Finding.objects.get(pk=finding.pk).task == task
    response = client.get(f"/library/visits/{visit.pk}/report.docx")
    text = "".join(p.text for p in docx.Document(io.BytesIO(b"".join(response.streaming_content))).paragraphs)
    assert "调研报告" in text and "补助资金拨付滞后两个月" in text and "建议简化拨付流程" in text


def test_another_units_visit_and_case_are_404_and_not_listed(client, personas, visit):
    case = TypicalCase.objects.create(title="东村土地流转", kind="advanced", field="乡村振兴", unit=personas.finance)
    client.force_login(personas.outsider)
    assert client.get(f"/library/visits/{visit.pk}/").status_code == 404
    assert "东村土地流转" not in client.get("/library/visits/").content.decode()
    assert TypicalCase.objects.visible_to(personas.outsider).filter(pk=case.pk).count() == 0
    client.force_login(personas.leader)
    assert client.get(f"/library/visits/{visit.pk}/").status_code == 200


def test_promotion_steps_go_found_cultivated_promoted(personas):
    case = TypicalCase.objects.create(title="城关镇河湖保洁", kind="advanced", unit=personas.township)
    with pytest.raises(ActionError, match="还没有记录“发现”"):
        services.case_step_add(case=case, stage="cultivated", day=date(2026, 5, 1), what="x", by=personas.office)
    for stage, day in (("found", date(2026, 4, 1)), ("cultivated", date(2026, 5, 1)), ("promoted", date(2026, 9, 1))):
        services.case_step_add(case=case, stage=stage, day=day, what="现场会推广", by=personas.office)
    assert [s.get_stage_display() for s in case.steps.all()] == ["发现", "培育", "推广"]


def test_a_document_shows_the_visits_that_check_it_to_those_who_see_them(client, personas, visit):
    from luoshi.intake.reading import read_text

    document = services.document_create(
        source=read_text("高标准农田建设通知\n补助资金直接拨付到户。"), by=personas.office
    )
    visit.document = document
    visit.save()
    client.force_login(personas.liaison)
    assert "高标准农田建设落实情况" in client.get(f"/library/{document.pk}/").content.decode()
    client.force_login(personas.outsider)
    assert "高标准农田建设落实情况" not in client.get(f"/library/{document.pk}/").content.decode()
