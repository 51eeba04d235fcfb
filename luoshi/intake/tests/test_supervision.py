"""No decomposed task escapes supervision: the default cadence, short names, partial confirmation, group
leads that keep their supporting units, and an Excel export the ledger import reads back."""

import unicodedata
from io import BytesIO

import pytest
from openpyxl import load_workbook

from luoshi.intake import services
from luoshi.intake.export import decomposition_workbook, row_height
from luoshi.intake.reading import read_text
from luoshi.ledger.preview import preview_ledger
from luoshi.ledger.services import ledger_import
from luoshi.lib.errors import ActionError
from luoshi.lib.xlsx import save
from luoshi.org.services import county_settings_update
from luoshi.work.models import Task

pytestmark = pytest.mark.usefixtures("clock")

TEXT = (
    "一是各乡镇要在6月底前完成隐患排查。\n"
    "财政局要抓好预算执行,确保收支平衡,年底前完成。\n"
    "县直各单位要配合住建局做好防汛工作,年底前完成。\n"
    "财政局要长期坚持盘点债务,不定期报告。"
)


def _draft(personas, text=TEXT):
    return services.decomposition_create(document=read_text(text), by=personas.office)


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("各单位一定要滚动编制三年行动计划,每年更新一次。", "滚动编制三年行动计划"),
        ("一是各乡镇要在6月底前完成隐患排查。", "在6月底前完成隐患排查"),
        ("(二)加快推进老旧小区改造,年底前完成30个小区。", "加快推进老旧小区改造"),
        ("1.汇报工作应该给领导出选择题", "汇报工作应该给领导出选择题"),
        ("要快,", "要快"),
        ("", ""),
        ("全县上下要以" + "高质量发展" * 10 + "为目标", "以" + ("高质量发展" * 10)[:28] + "…"),
    ],
)
def test_a_short_name_is_proposed_from_the_requirement(text, title):
    assert services.propose_title(text) == title
    assert len(services.propose_title(text)) <= 30


def test_rows_get_short_names_and_the_county_cadence_unless_they_say_otherwise(personas):
    rows = list(_draft(personas).rows.all())

    assert [row.title for row in rows] == ["在6月底前完成隐患排查", "抓好预算执行", "配合住建局做好防汛工作",
                                           "长期坚持盘点债务"]  # fmt: skip
    assert [(row.cadence, row.cadence_day) for row in rows[:3]] == [("monthly", 25)] * 3


def test_the_office_default_and_an_explicit_none_are_kept(personas):
    county_settings_update(cadence="weekly", day=5, by=personas.office)

    row = _draft(personas, "财政局要抓好预算执行,年底前完成。").rows.get()
    assert (row.cadence, row.cadence_day) == ("weekly", 5)
    services.row_update(row=row, change=services.RowChange(text=row.text, lead="财政局", deadline="年底前,不定期"),
                        by=personas.office)  # fmt: skip
    row.refresh_from_db()
    assert row.cadence == "none"


def test_a_group_lead_keeps_its_detected_supporting_units(personas):
    row = next(r for r in _draft(personas).rows.all() if "防汛" in r.text)

    assert row.lead_group == "department"
    assert list(row.supporting.all()) == [personas.housing]


def test_confirming_some_rows_leaves_the_others_editable_for_later(personas):
    decomposition = _draft(personas)
    rows = list(decomposition.rows.all())
    for row in rows[:2]:
        services.row_update(row=row, change=services.RowChange(text=row.text, title=row.title, lead=row.lead_label(),
                                                                 deadline="年底前"), by=personas.office)  # fmt: skip
    services.row_accept(row=rows[2], by=personas.office, accepted=False)
    services.row_accept(row=rows[3], by=personas.office, accepted=False)

    first = services.decomposition_confirm(decomposition=decomposition, by=personas.office)

    assert [task.title for task in first] == ["在6月底前完成隐患排查", "抓好预算执行"]
    assert decomposition.is_draft
    task = Task.objects.get(title="抓好预算执行")
    assert task.requirements == "财政局要抓好预算执行,确保收支平衡,年底前完成。"
    assert (task.cadence, task.cadence_day) == ("monthly", 25)
    # A confirmed row is fixed; the others can still be corrected, then confirmed.
    with pytest.raises(ActionError, match="已确认并生成事项,不能再修改"):
        services.row_update(row=rows[1], change=services.RowChange(text="改写"), by=personas.office)
    with pytest.raises(ActionError, match="不能再删除"):
        services.row_delete(row=rows[0], by=personas.office)
    services.row_update(row=rows[3], change=services.RowChange(text=rows[3].text, title="盘点政府债务",
                                                                 lead="财政局", deadline="长期坚持"),
                        by=personas.office)  # fmt: skip
    assert services.rows_accept_all(decomposition=decomposition, by=personas.office) == 1

    second = services.decomposition_confirm(decomposition=decomposition, by=personas.office)

    assert [task.title for task in second] == ["配合住建局做好防汛工作", "盘点政府债务"]
    decomposition.refresh_from_db()
    assert not decomposition.is_draft
    assert Task.objects.filter(title="抓好预算执行").count() == 1
    with pytest.raises(ActionError, match="已经确认过"):
        services.decomposition_confirm(decomposition=decomposition, by=personas.office)


def test_the_excel_export_reads_back_through_the_ledger_import(personas):
    decomposition = _draft(
        personas, "财政局要抓好预算执行,确保收支平衡,年底前完成。\n住建局要推进老旧小区改造,6月底前完成。"
    )
    buffer = BytesIO()
    save(decomposition_workbook(decomposition), buffer)
    data = buffer.getvalue()

    preview = preview_ledger(data, name="任务分解表.xlsx", user=personas.office)

    assert preview.ok, [str(p) for p in preview.problems]
    assert [(row.cells["title"], row.cells["requirements"]) for row in preview.rows] == [
        ("抓好预算执行", "财政局要抓好预算执行,确保收支平衡,年底前完成。"),
        ("推进老旧小区改造", "住建局要推进老旧小区改造,6月底前完成。"),
    ]
    assert preview.base.year == 2022
    ledger_import(preview=preview, by=personas.office)
    assert Task.objects.get(title="推进老旧小区改造").lead_unit == personas.housing
    # Rows are tall enough for their wrapped words, so a printout does not overprint.
    sheet = load_workbook(BytesIO(data)).active
    assert sheet.row_dimensions[3].height >= 2 * 15
    assert sheet.row_dimensions[3].height == row_height(
        [c.value or "" for c in sheet[3]], [6, 22, 46, 16, 14, 18, 10, 14, 40]
    )


def test_a_row_height_grows_with_its_longest_cell():
    assert row_height(["短"], [10]) == 19
    assert row_height(["字" * 10], [10]) == 2 * 15 + 4
    assert row_height(["字" * 11, "一\n二\n三"], [10, 10]) == 3 * 15 + 4


def test_a_name_written_by_hand_stays_and_a_proposed_one_follows_the_text(personas):
    row = _draft(personas, "财政局要抓好预算执行,年底前完成。").rows.get()

    services.row_update(row=row, change=services.RowChange(text="财政局要做好债务化解,年底前完成。", title=row.title,
                                                           lead="财政局", deadline="年底前"), by=personas.office)  # fmt: skip
    row.refresh_from_db()
    assert row.title == "做好债务化解"
    services.row_update(row=row, change=services.RowChange(text=row.text, title="  化解 隐性债务 ", lead="财政局",
                                                           deadline="年底前"), by=personas.office)  # fmt: skip
    row.refresh_from_db()
    assert row.title == "化解 隐性债务"
    with pytest.raises(ActionError, match="事项名称不能超过60字"):
        services.row_update(row=row, change=services.RowChange(text=row.text, title="字" * 61), by=personas.office)


def test_decompose_reads_its_own_word_export_by_its_columns_and_its_own_date(personas, clock):
    from datetime import date

    from luoshi.intake.documents import decomposition_docx
    from luoshi.intake.reading import read_upload

    text = ("县财政局要会同住建局做好债务化解,常务副县长负责,年底前完成。\n"
            "城关镇要开展人居环境整治,住建局配合,长期坚持,每月25日前报送进展。")  # fmt: skip
    original = _draft(personas, text)
    rows = list(original.rows.all())
    services.row_update(row=rows[0], change=services.RowChange(text=rows[0].text, lead="财政局", supporting="住建局",
                                                                 leader="常务副县长", deadline="2022年12月31日"),
                        by=personas.office)  # fmt: skip
    services.row_update(row=rows[1], change=services.RowChange(text=rows[1].text, lead="城关镇", supporting="住建局",
                                                                 deadline="长期坚持;每月25日前"), by=personas.office)  # fmt: skip
    clock(date(2022, 4, 20))  # signed and sent a month later
    exported = decomposition_docx(original)

    again = services.decomposition_create(document=read_upload("任务分解表.docx", exported), by=personas.office)

    assert again.source_date == date(2022, 3, 15)
    assert "根据" in again.date_how

    def facts(decomposition):
        # Word output sets the punctuation full width (,→,); the words are the same.
        return [(unicodedata.normalize("NFKC", r.text), r.lead, tuple(u.pk for u in r.supporting.all()), r.leader, r.deadline, r.standing,
                 r.cadence, r.cadence_day) for r in decomposition.rows.all()]  # fmt: skip

    table = again.rows.filter(paragraph__in=again.table_rows)
    assert [r.paragraph for r in again.rows.all()] == [r.paragraph for r in table]  # only the table's rows
    assert facts(again) == facts(original)
    assert facts(original)[0][1:5] == (personas.finance, (personas.housing.pk,), personas.leader_row,
                                       date(2022, 12, 31))  # fmt: skip


def test_the_decompose_command_reads_its_own_word_export_by_its_columns(personas, clock, tmp_path):
    import json
    from datetime import date
    from io import StringIO

    from django.core.management import call_command

    from luoshi.intake.documents import decomposition_docx

    original = _draft(personas, "县财政局要会同住建局做好债务化解,常务副县长负责,年底前完成。")
    row = original.rows.get()
    services.row_update(row=row, change=services.RowChange(text=row.text, title="化解政府债务", lead="财政局",
                                                           supporting="住建局", leader="常务副县长",
                                                           deadline="2022年12月31日"), by=personas.office)  # fmt: skip
    clock(date(2022, 4, 20))
    path = tmp_path / "任务分解表.docx"
    path.write_bytes(decomposition_docx(original))
    out = StringIO()

    call_command("decompose", str(path), "--json", stdout=out, stderr=StringIO())

    data = json.loads(out.getvalue())
    assert data["date"] == "2022-03-15" and data["table"] is True
    [read] = data["rows"]
    assert (read["lead"], read["supporting"], read["leader"]) == ("财政局", ["住房和城乡建设局"], "李强")
    assert read["deadline"]["date"] == "2022-12-31"
    assert read["title"] == "化解政府债务"  # the name written by hand, from the 事项名称 column


def test_the_pages_show_the_default_cadence_and_flag_a_row_that_could_never_turn_red(client, personas):
    from luoshi.testing import PASSWORD

    assert client.login(username="alice", password=PASSWORD)
    assert "默认反馈周期(每月25日前)" in client.get("/intake/").content.decode()
    decomposition = _draft(personas)

    page = client.get(f"/intake/{decomposition.pk}/").content.decode()

    # Only the 长期坚持, 不定期 row is flagged.
    assert page.count("长期坚持且不定期反馈:永远不会亮红灯") == 1
