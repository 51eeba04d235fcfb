import io
import re

from openpyxl import Workbook, load_workbook

from luoshi.problems.models import Problem

HEADERS = ["问题名称", "类别", "牵头单位", "配合单位", "责任县领导", "主要矛盾", "涉及金额(万元)"]


def _upload(rows) -> io.BytesIO:
    workbook = Workbook()
    ws = workbook.active
    ws.append(["示范县遗留问题台账"])
    ws.append(HEADERS)
    for row in rows:
        ws.append(row)
    data = io.BytesIO()
    workbook.save(data)
    data.seek(0)
    data.name = "台账.xlsx"
    return data


def _confirm(client, page):
    rows = re.search(r'name="rows" value="([^"]+)"', page).group(1)
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    return client.post("/problems/import/", {"rows": rows, "token": token})


def test_a_good_ledger_previews_then_imports_every_row_once(client, personas):
    client.force_login(personas.office)
    page = client.post("/problems/import/", {"file": _upload([
        ["城南安置小区办证难", "不动产登记", "财政", "住建局", "李强", "欠缴出让金", 1200],
        ["原纺织厂改制遗留", "企业改制", "财政局", "", "", "社保断缴", ""],
    ])}).content.decode()  # fmt: skip
    assert "确认导入(2 个遗留问题)" in page and not Problem.objects.exists()
    _confirm(client, page)
    _confirm(client, page)
    first = Problem.objects.get(title="城南安置小区办证难")
    assert Problem.objects.count() == 2
    assert (first.lead_unit, list(first.supporting.all()), first.leader) == (
        personas.finance,
        [personas.housing],
        personas.leader_row,
    )
    assert str(first.money) == "1200.00"


def test_a_bad_cell_is_named_with_a_suggestion_and_nothing_is_imported(client, personas):
    client.force_login(personas.office)
    page = client.post("/problems/import/", {"file": _upload([
        ["城南安置小区办证难", "不动产登记", "财政局", "", "", "", ""],
        ["某问题", "拆迁", "城建局", "", "", "", "一千"],
    ])}).content.decode()  # fmt: skip
    assert "第4行「类别」(B4):“拆迁”不是可选类别" in page
    assert "第4行「牵头单位」(C4):未找到单位“城建局”,是否是:住房和城乡建设局" in page
    assert "第4行「涉及金额(万元)」(G4):“一千”不是数字" in page
    assert 'name="rows"' not in page and not Problem.objects.exists()


def test_the_export_is_scoped_and_imports_back(client, personas, problem):
    client.force_login(personas.outsider)
    empty = load_workbook(io.BytesIO(b"".join(client.get("/problems/export/").streaming_content))).active
    assert empty.max_row == 2
    client.force_login(personas.office)
    data = b"".join(client.get("/problems/export/").streaming_content)
    ws = load_workbook(io.BytesIO(data)).active
    assert ws["A3"].value == "城南安置小区办证难" and ws["C3"].value == "财政局"
    upload = io.BytesIO(data)
    upload.name = "导出.xlsx"
    page = client.post("/problems/import/", {"file": upload}).content.decode()
    assert "确认导入(1 个遗留问题)" in page


def test_the_export_carries_the_task_force_and_the_documents_the_reader_may_see(client, personas, problem):
    from datetime import date

    from luoshi.intake.reading import read_text
    from luoshi.library import services as library
    from luoshi.problems import services, taskforce

    taskforce.task_force_members_set(problem=problem, members="王局长、李主任", by=personas.office)
    taskforce.task_force_meeting_schedule(problem=problem, day=date(2026, 3, 20), topic="研究", by=personas.office)
    public = library.document_create(source=read_text("信访工作条例\n中办发〔2022〕2号\n第一条 总则。"),
                                     by=personas.office)  # fmt: skip
    internal = library.document_create(source=read_text("督查室内部研判意见\n第一条 内部。"), by=personas.office)
    type(internal).objects.filter(pk=internal.pk).update(internal=True)
    for document in (public, internal):
        services.problem_document_link(problem=problem, document=document, article="", by=personas.office)
    for who, expected in ((personas.office, "《信访工作条例》(中办发〔2022〕2号);《督查室内部研判意见》"),
                          (personas.liaison, "《信访工作条例》(中办发〔2022〕2号)")):  # fmt: skip
        client.force_login(who)
        ws = load_workbook(io.BytesIO(b"".join(client.get("/problems/export/").streaming_content))).active
        headers = [cell.value for cell in ws[2]]
        row = {header: cell.value for header, cell in zip(headers, ws[3], strict=False)}
        assert row["专班成员"] == "王局长、李主任" and row["专班会议"] == "下次 2026-03-20"
        assert row["依据文件"] == expected
