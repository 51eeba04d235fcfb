"""Group words a county uses (各地, 各村(社区), 各县区 …), bodies the directory does not know (shown, never dropped),
and a heading that is itself a requirement: the parent of the rows under it, on the review page and in the export."""

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from luoshi.intake import services
from luoshi.intake.extract import propose
from luoshi.intake.reading import read_text
from luoshi.org.models import Unit, User
from luoshi.org.services import unit_resolve

pytestmark = pytest.mark.usefixtures("clock")

BASE = date(2023, 3, 1)

SPEECH = (
    "在全县项目建设大会战动员会上的讲话\n"
    "一、会战的氛围要造浓。\n"
    "各乡镇要在3月底前召开动员会。县融媒体中心要开设专栏。全市各城市区和区级新闻单位要跟进报道。\n"
    "二、会战的责任要压实。\n"
    "各地要建立项目台账,每月5日前报送进展。各村(社区)要配合做好征地拆迁。\n"
)


@pytest.fixture
def office(demo_county):
    return User.objects.get(username="office")


def rows_of(text, scanner):
    return propose(read_text(text, name="讲话.txt"), base=BASE, scanner=scanner).rows


def _ids(units) -> set[int]:
    return {unit.pk for unit in units}


@pytest.mark.parametrize("word", ["各地", "各村(社区)", "各村\uff08社区\uff09", "各街道", "各社区"])
def test_township_group_words_mean_every_township(demo_county, word):
    townships = Unit.objects.active().filter(kind=Unit.Kind.TOWNSHIP)
    resolution = unit_resolve(word)
    assert resolution.how == "group" and _ids(resolution.units) == _ids(townships)


@pytest.mark.parametrize("word", ["各县区", "各县(市、区)", "各有关单位"])
def test_a_citys_county_word_and_the_relevant_units_mean_every_unit_of_the_county(demo_county, word):
    resolution = unit_resolve(word)
    assert resolution.how == "group" and _ids(resolution.units) == _ids(Unit.objects.active())


def test_a_body_the_directory_does_not_know_is_kept_on_the_row_unresolved(scanner):
    rows = rows_of("全市各城市区和区级新闻单位要在6月底前完成专题报道。", scanner)
    assert len(rows) == 1
    assert rows[0].unresolved == ["全市各城市区", "区级新闻单位"]
    assert rows[0].units == []
    assert rows[0].as_dict()["unit_mentions"] == ["全市各城市区", "区级新闻单位"]


def test_a_known_group_word_is_not_reported_unknown(scanner):
    rows = rows_of("各有关单位、县直各部门要在6月底前完成自查。", scanner)
    assert rows[0].unresolved == []
    assert {m.text for m in rows[0].mentions} == {"各有关单位", "县直各部门"}


def test_a_numbered_heading_that_is_a_requirement_is_the_parent_of_the_rows_under_it(scanner):
    rows = rows_of(SPEECH, scanner)
    texts = [row.text for row in rows]
    first, second = texts.index("会战的氛围要造浓。"), texts.index("会战的责任要压实。")
    assert rows[first].parent is None and rows[second].parent is None
    under_first = [row.text[:6] for row in rows if row.parent == first]
    under_second = [row.text[:6] for row in rows if row.parent == second]
    assert under_first == ["各乡镇要在3", "县融媒体中心", "全市各城市区"]
    assert under_second == ["各地要建立项", "各村(社区)"]
    assert all(row.parent is not None for row in rows if row.text.startswith(("各地", "各村")))


def test_a_yao_heading_naming_concrete_work_heads_its_rows_and_a_title_does_not(scanner):
    text = (
        "一要立足于争一流。\n各乡镇要在6月底前完成项目清表。\n"
        "二要抓好项目建设。\n县发改局要在5月底前完成项目申报。\n县财政局要及时拨付资金。"
    )
    rows = rows_of(text, scanner)
    texts = [row.text for row in rows]
    assert "立足于争一流。" not in texts  # a title of a part, not a task
    head = texts.index("抓好项目建设。")
    assert [row.text[:5] for row in rows if row.parent == head] == ["县发改局要", "县财政局要"]
    assert rows[texts.index("各乡镇要在6月底前完成项目清表。")].parent is None


def test_a_title_heading_like_yao_zuohao_stays_a_section(scanner):
    text = "第一要做好盯上。\n各单位要学习好职责范围内的政策。\n第二要做好看下。\n各部门要加强调研。"
    rows = rows_of(text, scanner)
    assert [row.text[:4] for row in rows] == ["各单位要", "各部门要"]
    assert all(row.parent is None for row in rows)


def test_the_review_page_and_the_export_show_the_nesting_and_the_unknown_bodies(office, client):
    decomposition = services.decomposition_create(document=read_text(SPEECH, name="讲话.txt"), by=office)
    rows = list(decomposition.rows.all())
    heading = next(row for row in rows if row.text == "会战的氛围要造浓。")
    children = [row for row in rows if row.parent_id == heading.pk]
    assert children and children[0].lead_group == "township"
    report = next(row for row in rows if "区级新闻单位" in row.text)
    assert report.unresolved_mentions == ["全市各城市区", "区级新闻单位"]
    local = next(row for row in rows if row.text.startswith("各地"))
    assert local.lead_group == "township"  # 各地: every township

    client.force_login(office)
    page = client.get(f"/intake/{decomposition.pk}/").content.decode()
    number = rows.index(heading) + 1
    assert f"↳ 第{number}行的分项" in page
    assert "名录中没有:全市各城市区、区级新闻单位" in page

    response = client.get(f"/intake/{decomposition.pk}/export.xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    table = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=3)]
    numbers = {row[2]: row[0] for row in table}
    top = numbers["会战的氛围要造浓。"]
    assert "." not in top
    assert numbers["各乡镇要在3月底前召开动员会。"] == f"{top}.1"
    unknown = next(row for row in table if "区级新闻单位" in row[2])
    assert unknown[4] == "全市各城市区、区级新闻单位"


def test_merging_a_heading_with_its_first_row_keeps_the_others_under_it(office):
    decomposition = services.decomposition_create(document=read_text(SPEECH, name="讲话.txt"), by=office)
    heading = decomposition.rows.get(text="会战的氛围要造浓。")
    others = set(heading.children.values_list("pk", flat=True))
    first_child = heading.children.order_by("order").first()
    services.row_merge(row=heading, by=office)
    heading.refresh_from_db()
    assert heading.parent_id is None
    assert set(heading.children.values_list("pk", flat=True)) == others - {first_child.pk}


def test_through_decompose_a_scrapers_header_and_meeting_titles_give_no_row(scanner):
    text = (
        "source: 某文库\nquery: 县长讲话\n关键词:讲话\n在全县重点工作督查推进会上的讲话\n"
        "县政府召开防汛工作部署会。\n各乡镇要在6月底前完成排查。"
    )
    assert [row.text for row in rows_of(text, scanner)] == ["各乡镇要在6月底前完成排查。"]


def test_a_relayed_citys_group_word_is_marked_and_resolved_for_the_county(scanner):
    text = (
        "一、传达市委书记在全市重点工作推进会上的讲话主要精神\n各县区要在6月底前完成重点项目集中开工。\n"
        "二、结合我县实际,讲几点意见\n各乡镇要在5月底前完成项目用地清表。"
    )
    relayed, own = rows_of(text, scanner)
    assert relayed.section.startswith("上级要求") and not own.section.startswith("上级要求")
    assert [m.text for m in relayed.mentions] == ["各县区"] and relayed.mentions[0].group == "all"


def test_confirming_makes_the_heading_rows_task_the_parent_of_the_tasks_under_it(office):
    decomposition = services.decomposition_create(document=read_text(SPEECH, name="讲话.txt"), by=office)
    services.rows_fill(decomposition=decomposition, by=office, lead="财政局", deadline="年底前")
    services.rows_accept_all(decomposition=decomposition, by=office)
    services.decomposition_confirm(decomposition=decomposition, by=office)
    heading = decomposition.rows.select_related("task").get(text="会战的氛围要造浓。")
    child = decomposition.rows.select_related("task").get(text="县融媒体中心要开设专栏。")
    assert child.task.parent_id == heading.task_id
    assert heading.task.parent_id is None
    local = decomposition.rows.select_related("task").get(text__startswith="各地要建立项目台账")
    assert local.task.parent_id == decomposition.rows.get(text="会战的责任要压实。").task_id
    assert local.task.children.count() == Unit.objects.active().filter(kind=Unit.Kind.TOWNSHIP).count()


def test_units_named_together_then_another_unit_make_two_rows(scanner):
    text = "县教育局、县卫健委要分别组织开展学校、医疗机构消防安全检查,县消防救援大队要加强技术指导。"
    rows = rows_of(text, scanner)
    assert [row.text[:6] for row in rows] == ["县教育局、县", "县消防救援大"]
    assert "消防" in rows[1].units[0].name
