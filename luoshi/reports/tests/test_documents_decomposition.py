"""The 任务分解表 in Word (intake's 导出 Word): the quoted title broken between words, and an opening that
says whose speech it was and when."""

from datetime import date
from io import BytesIO

import docx
import pytest

from luoshi.intake.documents import decomposition_docx, opening
from luoshi.intake.models import Decomposition
from luoshi.testing import PASSWORD

pytestmark = pytest.mark.django_db


def _decomposition(personas, title: str, paragraphs: list[str]) -> Decomposition:
    return Decomposition.objects.create(
        title=title, source_date=date(2022, 3, 15), paragraphs=paragraphs, created_by=personas.office
    )


def test_the_opening_names_the_speaker_from_the_title_and_the_day_in_arabic_numerals(personas):
    speech = _decomposition(personas, "李强同志在全县经济工作会议上的讲话", ["李强同志在全县经济工作会议上的讲话"])
    assert opening(speech).startswith("2022年3月15日,李强在全县经济工作会议上作了讲话,")


def test_the_opening_finds_the_speaker_under_the_title_when_the_title_leaves_him_out(personas):
    speech = _decomposition(
        personas,
        "在政府系统全体人员工作部署会议上的讲话",
        ["在政府系统全体人员工作部署会议上的讲话", "李强", "同志们:"],
    )
    assert opening(speech).startswith("2022年3月15日,常务副县长李强在政府系统全体人员工作部署会议上作了讲话,")


def test_a_document_that_is_not_a_speech_is_quoted_with_its_date(personas):
    minutes = _decomposition(personas, "县政府第12次常务会议纪要", ["县政府第12次常务会议纪要"])
    assert opening(minutes).startswith("根据《县政府第12次常务会议纪要》(2022年3月15日),")


def test_the_word_export_quotes_the_title_and_dates_the_table(personas, client, time_machine):
    time_machine.move_to("2022-03-16 10:00 +08:00", tick=False)
    speech = _decomposition(
        personas, "在政府系统全体人员工作部署会议上的讲话", ["在政府系统全体人员工作部署会议上的讲话"]
    )
    rows = [["1", "隐患排查", "各乡镇要在6月底前完成隐患排查。", "各乡镇", "", "", "2022-06-30"]]
    document = docx.Document(BytesIO(decomposition_docx(speech, rows)))
    title = document.paragraphs[0].text
    assert title.replace("\n", "") == "《在政府系统全体人员工作部署会议上的讲话》任务分解表"
    assert "\n" in title and not title.split("\n")[1].startswith(("》", "话"))
    assert document.tables[0].rows[1].cells[6].text == "2022年6月30日"
    assert [p.text for p in document.paragraphs[-2:]] == ["示范县人民政府督查室", "2022年3月16日"]
    client.login(username="alice", password=PASSWORD)
    response = client.get(f"/intake/{speech.pk}/export.docx")
    assert docx.Document(BytesIO(b"".join(response.streaming_content))).paragraphs[0].text == title
