"""The intake pages: office only, upload, review, corrections through htmx, confirm, exports."""

import io

import docx
import pytest
from openpyxl import load_workbook

from luoshi.intake.models import Decomposition
from luoshi.testing import PASSWORD
from luoshi.work.models import Task

from .conftest import DOCX

pytestmark = pytest.mark.usefixtures("clock")

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def office_client(client, personas):
    client.login(username="alice", password=PASSWORD)
    return client


def _upload_text(client, text="各乡镇要在6月底前完成隐患排查。\n财政局要抓好预算执行。", **extra):
    return client.post("/intake/", {"text": text, "source_kind": "minutes", **extra})


@pytest.mark.parametrize("username", ["bob", "charlie", "dave"])
def test_only_the_office_may_use_the_intake(client, personas, username):
    client.login(username="alice", password=PASSWORD)
    _upload_text(client)
    decomposition_pk = Decomposition.objects.get().pk
    client.logout()
    client.login(username=username, password=PASSWORD)
    assert client.get("/intake/").status_code == 403
    assert client.get(f"/intake/{decomposition_pk}/").status_code == 403
    assert client.get(f"/intake/{decomposition_pk}/export.xlsx").status_code == 403
    assert client.post(f"/intake/{decomposition_pk}/confirm/").status_code == 403
    assert _upload_text(client).status_code == 403
    assert Decomposition.objects.count() == 1


def test_an_unknown_table_is_a_404(office_client):
    assert office_client.get("/intake/999/").status_code == 404


def test_the_office_uploads_the_sample_and_reviews_it_side_by_side(office_client):
    with DOCX.open("rb") as handle:
        response = office_client.post("/intake/", {"file": handle, "source_kind": "speech"})
    decomposition = Decomposition.objects.get()
    assert response.status_code == 302 and response.url == f"/intake/{decomposition.pk}/"
    page = office_client.get(response.url).content.decode()
    first = decomposition.rows.first()
    assert f'data-rows="{first.pk}"' in page and f'data-row="{first.pk}"' in page
    assert "一要立足于争一流" in page and "识别依据" in page
    assert "intake/review" in page and "htmx" in page


def test_bad_input_is_refused_with_a_message_and_nothing_written(office_client):
    upload = io.BytesIO(b"not a word file")
    upload.name = "讲话.docx"
    response = office_client.post("/intake/", {"file": upload, "source_kind": "speech"})
    assert response.status_code == 200
    assert "与扩展名不符" in response.content.decode()
    response = _upload_text(office_client, text="   ")
    assert "请上传文件,或粘贴文字" in response.content.decode()
    assert not Decomposition.objects.exists()


def test_a_row_is_corrected_through_htmx_and_saved_at_once(office_client, personas):
    _upload_text(office_client)
    decomposition = Decomposition.objects.get()
    row = decomposition.rows.first()
    prefix = f"r{row.pk}-"
    response = office_client.post(
        f"/intake/{decomposition.pk}/rows/{row.pk}/",
        {
            prefix + "text": "完成隐患排查",
            prefix + "lead": "财政局",
            prefix + "deadline": "年底前",
            prefix + "accepted": "on",
        },
        **HTMX,
    )
    assert response.status_code == 200 and 'id="review-body"' in response.content.decode()
    row.refresh_from_db()
    assert row.text == "完成隐患排查" and row.lead == personas.finance and row.deadline.isoformat() == "2022-12-31"
    response = office_client.post(
        f"/intake/{decomposition.pk}/rows/{row.pk}/", {prefix + "text": "x", prefix + "lead": "没有这个局"}, **HTMX
    )
    assert "不在单位名录" in response.content.decode()


def test_confirm_twice_creates_the_tasks_once(office_client, personas):
    _upload_text(office_client)
    decomposition = Decomposition.objects.get()
    office_client.post(f"/intake/{decomposition.pk}/accept-all/")
    office_client.post(f"/intake/{decomposition.pk}/fill/", {"lead": "财政局", "deadline": "长期坚持"})
    page = office_client.get(f"/intake/{decomposition.pk}/").content.decode()
    token = page.split('name="token" value="')[1].split('"')[0]
    first = office_client.post(f"/intake/{decomposition.pk}/confirm/", {"token": token}, follow=True)
    assert "生成并交办" in first.content.decode()
    count = Task.objects.count()
    second = office_client.post(f"/intake/{decomposition.pk}/confirm/", {"token": token}, follow=True)
    assert "已经确认过" in second.content.decode()
    assert Task.objects.count() == count
    task = Task.objects.filter(lead_unit=personas.township).get()
    assert task.source_quote == "各乡镇要在6月底前完成隐患排查。"
    assert task.get_source_kind_display() == "会议纪要"


def test_the_table_exports_as_xlsx_and_docx(office_client):
    _upload_text(office_client)
    decomposition = Decomposition.objects.get()
    response = office_client.get(f"/intake/{decomposition.pk}/export.xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet["A2"].value == "序号" and sheet["B3"].value == "在6月底前完成隐患排查"
    assert sheet["C3"].value == "各乡镇要在6月底前完成隐患排查。"
    assert sheet["E3"].value == "各乡镇" and sheet["H3"].value == "2022-06-30;每月25日"
    response = office_client.get(f"/intake/{decomposition.pk}/export.docx")
    document = docx.Document(io.BytesIO(b"".join(response.streaming_content)))
    cells = [cell.text for cell in document.tables[0].rows[1].cells]
    assert cells[1] == "在6月底前完成隐患排查" and cells[2] == "各乡镇要在6月底前完成隐患排查。"
    assert cells[3] == "各乡镇"
    assert "任务分解表" in document.paragraphs[0].text
