"""A large unit plan or debt calendar is previewed on the worker; the commit stays one transaction, once.

"Large" is the ledger's rule (luoshi.work.jobs.INLINE_BYTES), lowered to 1 KB here so that a small workbook takes
the worker's path. A hostile file is refused in the request, as the ledger's is; a file the worker cannot read ends
its job failed with the inline page's message; another unit's user gets a 404.
"""

import io
import zipfile
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tasks_db.models import DBTaskResult
from openpyxl import Workbook

from luoshi.ops.jobs import run_job
from luoshi.ops.models import Job
from luoshi.plans.models import DebtPayment, Plan
from luoshi.work import jobs as ledger_jobs

pytestmark = pytest.mark.django_db

MONTHS = [f"{m}月" for m in range(1, 13)]
GOOD = [
    [1, "一般公共预算收入", "收入", "亿元", 8, *[round(0.8 * m, 1) if m < 11 else 8 for m in range(1, 13)]],
    [2, "盘活存量资产", "处置", "宗", 12, *[None] * 12],
]


@pytest.fixture(autouse=True)
def large_means_over_1_kb(monkeypatch, clock):
    monkeypatch.setattr(ledger_jobs, "INLINE_BYTES", 1024)


def xlsx(rows, headers=None, *, title="财政局2026年度计划") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append([title])
    if headers is not False:
        sheet.append(headers or ["序号", "事项", "指标", "计量单位", "年度目标", *MONTHS])
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def corner_bomb(data: bytes) -> bytes:
    """The corner bomb of issue 20 §1: a far cell at XFD1048576, 17 billion cells for calamine to lay out."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(
                    b"</sheetData>", b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'
                )
            target.writestr(item, content)
    return out.getvalue()


def plan_url(personas, unit=None) -> str:
    return f"/plans/units/{(unit or personas.finance).pk}/import/"


def upload_plan(client, personas, data: bytes, **extra):
    return client.post(plan_url(personas), {"year": "2026", "file": SimpleUploadedFile("plan.xlsx", data), **extra})


def run_queued() -> None:
    """What db_worker does: run each job task enqueued, in order."""
    for result in DBTaskResult.objects.filter(task_path="luoshi.ops.jobs.run_job").order_by("enqueued_at"):
        run_job.call(*result.args_kwargs["args"])


def kept_uploads() -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / "imports" / "jobs"
    return sorted(folder.iterdir()) if folder.exists() else []


def test_a_large_plan_is_previewed_on_the_worker_and_imported_once(client, personas):
    client.force_login(personas.liaison)

    response = upload_plan(client, personas, xlsx(GOOD))

    job = Job.objects.get()
    assert response.url == f"/jobs/{job.pk}/"
    assert job.status == Job.Status.QUEUED and job.title == "计划预览:plan.xlsx"
    assert len(kept_uploads()) == 1
    # Whoever leaves the progress page finds the job again on the import page.
    assert f'href="/jobs/{job.pk}/"' in client.get(plan_url(personas)).content.decode()
    run_queued()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.message == "预览已就绪:2 项,问题 0 处。"
    assert kept_uploads() == []
    polled = client.get(f"/jobs/{job.pk}/", HTTP_HX_REQUEST="true")
    assert polled["HX-Redirect"] == f"{plan_url(personas)}?job={job.pk}"

    page = client.get(polled["HX-Redirect"])
    text = page.content.decode()
    assert "预览:2 项" in text and "一般公共预算收入" in text and "按大头靠前" in text
    assert f'name="job" value="{job.pk}"' in text
    assert not Plan.objects.exists()
    token = page.context["token"]
    data = {"confirm": "1", "token": token, "job": str(job.pk)}
    done = client.post(plan_url(personas), data, follow=True)
    assert "已导入财政局2026年年度计划(第1版),共 2 项" in done.content.decode()
    plan = Plan.objects.get()
    assert [item.name for item in plan.items.all()] == ["一般公共预算收入", "盘活存量资产"]
    # The same confirmation again (a double click, or the page reloaded) imports nothing.
    again = client.post(plan_url(personas), data, follow=True)
    assert "已经提交过" in again.content.decode()
    assert client.get(f"{plan_url(personas)}?job={job.pk}").context["token"] == token
    client.post(plan_url(personas), data)
    assert Plan.objects.count() == 1


def test_a_large_three_year_plan_keeps_its_horizon_and_years(client, personas):
    client.force_login(personas.office)
    rows = [["城区供水管网改造", "管网", "公里", 10, 20, 30]]
    data = xlsx(rows, ["事项", "指标", "计量单位", "2026年", "2027年", "2028年"], title="财政局三年行动计划")
    upload_plan(client, personas, data, horizon="three_year")
    run_queued()
    job = Job.objects.get()
    page = client.get(f"{plan_url(personas)}?job={job.pk}")
    assert "2027年 20.0" in page.content.decode()
    client.post(plan_url(personas), {"confirm": "1", "token": page.context["token"], "job": str(job.pk)})
    plan = Plan.objects.get()
    assert plan.horizon == Plan.Horizon.THREE_YEAR and plan.year == 2026
    assert plan.items.get().targets == {"2026": 10.0, "2027": 20.0, "2028": 30.0}


def test_errors_by_cell_come_back_from_the_worker_and_nothing_can_be_confirmed(client, personas):
    client.force_login(personas.liaison)
    rows = [[1, "一般公共预算收入", "收入", "亿元", "八亿", *[1] * 12], GOOD[1]]
    upload_plan(client, personas, xlsx(rows))
    run_queued()
    job = Job.objects.get()
    assert job.status == Job.Status.DONE and job.message == "预览已就绪:1 项,问题 1 处。"
    page = client.get(f"{plan_url(personas)}?job={job.pk}")
    text = page.content.decode()
    assert "第3行 E列:年度目标“八亿”不是数字" in text and "未导入任何内容" in text
    assert "确认导入" not in text and page.context["token"] == ""
    client.post(plan_url(personas), {"confirm": "1", "token": "", "job": str(job.pk)})
    assert not Plan.objects.exists()


def _inline_problem(client, personas, monkeypatch, data: bytes) -> str:
    """What the import page says of this file when the request reads it itself."""
    monkeypatch.setattr(ledger_jobs, "INLINE_BYTES", 10 * 1024 * 1024)
    problems = upload_plan(client, personas, data).context["preview"].problems
    monkeypatch.setattr(ledger_jobs, "INLINE_BYTES", 1024)
    assert len(problems) == 1
    return str(problems[0])


def test_a_corner_bomb_is_refused_in_the_request_as_inline_and_nothing_is_queued(client, personas, monkeypatch):
    client.force_login(personas.liaison)
    bomb = corner_bomb(xlsx(GOOD))
    expected = _inline_problem(client, personas, monkeypatch, bomb)
    assert "一直延伸到第 1,048,576 行、XFD 列" in expected

    response = upload_plan(client, personas, bomb)

    assert response.status_code == 200
    assert [str(problem) for problem in response.context["preview"].problems] == [expected]
    assert expected in response.content.decode()
    assert not Job.objects.exists() and not DBTaskResult.objects.exists() and kept_uploads() == []


@pytest.mark.parametrize("broken", [False, True], ids=["no header", "damaged on disk"])
def test_a_file_the_worker_cannot_read_fails_its_job_with_the_inline_message(client, personas, monkeypatch, broken):
    client.force_login(personas.liaison)
    data = xlsx([["随便写的一行", 1, 2, 3]] * 40, headers=False)
    garbage = b"PK\x03\x04" + b"\x00" * 2000
    expected = _inline_problem(client, personas, monkeypatch, garbage if broken else data)
    assert ("无法读取" in expected or "已损坏" in expected) if broken else expected.startswith("找不到表头")

    response = upload_plan(client, personas, data)
    if broken:  # the disk changes the file between the request's check and the worker
        Path(settings.MEDIA_ROOT, Job.objects.get().args["stored"]).write_bytes(garbage)
    run_queued()

    job = Job.objects.get()
    assert job.status == Job.Status.FAILED and job.message == expected
    page = client.get(response.url).content.decode()
    assert "未完成" in page and expected in page
    # The preview page of a failed job is the job's page, which says why.
    assert client.get(f"{plan_url(personas)}?job={job.pk}").url == f"/jobs/{job.pk}/"
    assert not Plan.objects.exists() and kept_uploads() == []


def test_another_units_user_gets_a_404_for_the_job_and_its_preview(client, personas):
    client.force_login(personas.liaison)
    upload_plan(client, personas, xlsx(GOOD))
    run_queued()
    job = Job.objects.get()
    token = client.get(f"{plan_url(personas)}?job={job.pk}").context["token"]

    client.force_login(personas.outsider)
    assert client.get(f"/jobs/{job.pk}/").status_code == 404
    own = plan_url(personas, personas.housing)
    assert client.get(f"{own}?job={job.pk}").status_code == 404
    assert client.get(f"{plan_url(personas)}?job={job.pk}").status_code == 404
    assert client.post(own, {"confirm": "1", "token": token, "job": str(job.pk)}).status_code == 404
    assert client.get(f"{own}?job=not-a-job").status_code == 404
    assert f"/jobs/{job.pk}/" not in client.get(own).content.decode()
    assert not Plan.objects.exists()
    # The office sees it; the preview stays the finance bureau's, not the housing bureau's.
    client.force_login(personas.office)
    assert client.get(f"/jobs/{job.pk}/").status_code == 200
    assert client.get(f"{own}?job={job.pk}").status_code == 404
    assert client.get(f"{plan_url(personas)}?job={job.pk}").status_code == 200


# --- The debt calendar -----------------------------------------------------------------------------------------


def debt_xlsx(count: int) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["示范县2026年政府债务还本付息计划"])
    sheet.append(["贷款名称", "债权人", "到期日", "本金", "利息"])
    for n in range(count):
        sheet.append([f"专项债{n + 1}号", "农发行", date(2026, 1 + n % 12, 15), 100 + n, 5])
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_large_debt_calendar_is_previewed_on_the_worker_listed_in_part_and_imported_whole_once(client, personas):
    client.force_login(personas.office)
    response = client.post("/plans/revenue/debt/import/", {"file": SimpleUploadedFile("debt.xlsx", debt_xlsx(600))})
    job = Job.objects.get()
    assert response.url == f"/jobs/{job.pk}/" and job.title == "还本付息计划预览:debt.xlsx"
    run_queued()
    job.refresh_from_db()
    assert job.message == "预览已就绪:600 笔,问题 0 处。" and kept_uploads() == []
    assert (
        client.get(f"/jobs/{job.pk}/", HTTP_HX_REQUEST="true")["HX-Redirect"]
        == f"/plans/revenue/debt/import/?job={job.pk}"
    )

    page = client.get(f"/plans/revenue/debt/import/?job={job.pk}")
    text = page.content.decode()
    assert "预览:600 笔" in text and "仅列出前 500 笔,其余 100 笔确认后一并导入" in text
    assert text.count('data-label="贷款"') == 500
    assert not DebtPayment.objects.exists()
    data = {"confirm": "1", "token": page.context["token"], "job": str(job.pk)}
    done = client.post("/plans/revenue/debt/import/", data, follow=True)
    assert "已导入 600 笔还本付息" in done.content.decode()
    client.post("/plans/revenue/debt/import/", data)
    assert DebtPayment.objects.count() == 600
    assert DebtPayment.objects.get(loan="专项债2号").due == date(2026, 2, 15)


def test_a_debt_job_is_a_404_to_a_unit_and_a_corner_bomb_is_refused_at_once(client, personas):
    client.force_login(personas.office)
    client.post("/plans/revenue/debt/import/", {"file": SimpleUploadedFile("debt.xlsx", debt_xlsx(30))})
    job = Job.objects.get()
    client.force_login(personas.liaison)
    assert client.get(f"/jobs/{job.pk}/").status_code == 404
    assert client.get(f"/plans/revenue/debt/import/?job={job.pk}").status_code == 403  # the page is the office's

    client.force_login(personas.office)
    bomb = SimpleUploadedFile("debt.xlsx", corner_bomb(debt_xlsx(30)))
    response = client.post("/plans/revenue/debt/import/", {"file": bomb})
    assert "一直延伸到第 1,048,576 行、XFD 列" in response.content.decode()
    assert Job.objects.count() == 1 and not DebtPayment.objects.exists()
