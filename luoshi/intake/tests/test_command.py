"""python manage.py decompose: JSON for scripts, a table for people."""

import json

import pytest
from django.core.management import CommandError, call_command

from .conftest import DOCX, SCRAPED


def test_it_prints_the_proposal_as_json(demo_county, capsys):
    call_command("decompose", str(SCRAPED), "--date", "2022-03-15", "--json")
    data = json.loads(capsys.readouterr().out)
    assert data["date"] == "2022-03-15"
    assert [node["title"] for node in data["outline"]][:2] == ["一要立足于争一流", "二要立足于善谋划"]
    row = next(r for r in data["rows"] if "保障房中心" in r["source"])
    assert set(row) >= {"text", "source", "section", "units", "unit_mentions", "deadline", "cadence", "why"}
    assert "国土局" in row["unit_mentions"] and "自然资源局" in row["units"]
    assert row["section"] == "三要立足于早着手"
    monthly = next(r for r in data["rows"] if "至少要知道每月干到什么程度" in r["source"])
    assert monthly["cadence"] == "monthly" and monthly["deadline"] is None
    # ……有些土地到12月底才能形成收入,所以我们要及早着手: 12月底 is when the income comes, said in the part of the
    # sentence before the requirement, which is no part of its row, so it is not the row's deadline.
    early = next(r for r in data["rows"] if "及早着手" in r["source"])
    assert "12月底" not in early["source"] and early["deadline"] is None


def test_it_prints_the_table_as_text(demo_county, capsys):
    call_command("decompose", str(DOCX), "--date", "2022-03-15")
    out = capsys.readouterr().out
    assert "序号\t工作要求" in out and "不能进后三名" in out


def test_it_refuses_a_bad_file_in_chinese(tmp_path, db):
    bad = tmp_path / "讲话.docx"
    bad.write_bytes(b"not a docx")
    with pytest.raises(CommandError, match="与扩展名不符"):
        call_command("decompose", str(bad))
    with pytest.raises(CommandError, match="2022-03-15"):
        call_command("decompose", str(bad), "--date", "15/3/2022")
