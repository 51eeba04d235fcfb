"""python manage.py import_ledger FILE: the preview as text or JSON, and --commit, all or nothing."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from luoshi.testing import SAMPLES
from luoshi.work.models import Task

from .builders import ledger_file

SAMPLE = SAMPLES / "ledger-2022-work-deployment.xlsx"
pytestmark = pytest.mark.usefixtures("march_2022")


def run(*args) -> str:
    out = StringIO()
    call_command("import_ledger", *map(str, args), stdout=out, stderr=StringIO())
    return out.getvalue()


def test_it_prints_the_mapping_the_problems_and_a_last_line_of_counts(demo_county):
    before = Task.objects.count()

    out = run(SAMPLE)

    lines = out.strip().splitlines()
    assert "  牵头单位   ← F列「牵头单位」" in lines
    assert "[提示] 第18行「配合单位」:未找到单位“项目单位”。将按原文记录在事项上。" in lines
    assert lines[-1] == "rows 20, tasks 20, problems 4"
    assert Task.objects.count() == before


def test_json_gives_each_row_its_cells_units_deadline_and_problems(demo_county):
    data = json.loads(run(SAMPLE, "--json"))

    assert data["mapping"]["lead"] == {"column": "F", "header": "牵头单位"}
    row = next(r for r in data["rows"] if r["cells"]["title"] == "土地出让提前谋划")
    assert row["lead"] == ["自然资源局"]
    assert row["deadline"]["date"] == "2022-11-30"
    assert row["change"] == "new" and row["texts"] is None
    assert data["summary"] == {"rows": 20, "tasks": 20, "updates": 0, "conflicts": 0, "legacy": False, "errors": 0,
                               "warnings": 4}  # fmt: skip


def test_commit_writes_every_row(demo_county):
    before = Task.objects.count()

    run(SAMPLE, "--commit")

    assert Task.objects.count() == before + 20
    assert Task.objects.filter(source_title="示范县2022年政府系统工作部署会议重点任务分解表").count() == 20


def test_commit_with_an_error_writes_nothing(personas, tmp_path):
    path = tmp_path / "分解表.xlsx"
    path.write_bytes(ledger_file([[1, "事项一", "", "", "财政局", "", "年底前", ""],
                                  [2, "事项二", "", "", "县不存在局", "", "年底前", ""]]))  # fmt: skip

    with pytest.raises(CommandError, match="有 1 个错误,未导入任何内容"):
        run(path, "--commit", "--user", "alice")

    assert not Task.objects.exists()


def test_a_file_that_is_not_a_spreadsheet_is_a_clear_error(personas, tmp_path):
    path = tmp_path / "台账.xlsx"
    path.write_text("这不是表格")

    with pytest.raises(CommandError, match="不是 Excel 表格"):
        run(path)
