"""A large ledger is previewed and imported on the worker, with a progress page; a hostile one is still refused at once.

"Large" is lowered to 1 KB here, so that a two-row ledger takes the worker's path.
"""

import io
import zipfile
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tasks_db.models import DBTaskResult

from luoshi.ledger.models import LedgerImport
from luoshi.ledger.tests.builders import ledger_file
from luoshi.ops.jobs import run_job
from luoshi.ops.models import Job
from luoshi.testing import PASSWORD
from luoshi.work import jobs
from luoshi.work.models import Task

ROWS = [
    [1, "编制年度增收计划", "明确全年收入目标", "常务副县长", "县财政局", "住建局", "2022年6月底前", ""],
    [2, "推进城关镇背街小巷改造", "", "", "县财政局", "", "年底前", ""],
]


@pytest.fixture(autouse=True)
def large_means_over_1_kb(monkeypatch, time_machine):
    monkeypatch.setattr(jobs, "INLINE_BYTES", 1024)
    time_machine.move_to(datetime(2022, 3, 15, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)


def login(client, username="alice"):
    assert client.login(username=username, password=PASSWORD)
    return client


def upload(client, data: bytes):
    return client.post("/ledger/import/", {"file": SimpleUploadedFile("分解表.xlsx", data)})


def run_queued() -> None:
    """What db_worker does: run each job task enqueued, in order."""
    for result in DBTaskResult.objects.filter(task_path="luoshi.ops.jobs.run_job").order_by("enqueued_at"):
        run_job.call(*result.args_kwargs["args"])


def test_a_large_ledger_is_previewed_on_the_worker_and_the_page_follows_it(client, personas):
    login(client)
    data = ledger_file(ROWS)
    assert len(data) > 1024

    response = upload(client, data)

    job = Job.objects.get()
    assert response.url == f"/jobs/{job.pk}/"
    assert job.status == Job.Status.QUEUED and job.title == "台账预览:分解表.xlsx"
    assert DBTaskResult.objects.filter(task_path="luoshi.ops.jobs.run_job").count() == 1
    page = client.get(response.url).content.decode()
    assert "排队中" in page and 'hx-trigger="every 1s"' in page

    run_queued()

    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert job.message == "预览已就绪:2 行,错误 0 个,提示 0 个。"
    record = LedgerImport.objects.get()
    polled = client.get(f"/jobs/{job.pk}/", HTTP_HX_REQUEST="true")
    assert polled["HX-Redirect"] == f"/ledger/import/{record.pk}/"
    preview = client.get(f"/ledger/import/{record.pk}/").content.decode()
    assert "编制年度增收计划" in preview and "推进城关镇背街小巷改造" in preview
    assert not Task.objects.exists()


def test_the_preview_page_uses_the_workers_preview_and_not_a_tampered_one(client, personas, monkeypatch):
    login(client)
    upload(client, ledger_file(ROWS))
    run_queued()
    record = LedgerImport.objects.get()

    calls = []
    real = jobs.preview_kept
    monkeypatch.setattr(jobs, "preview_kept", lambda *a: calls.append(1) or real(*a))
    assert client.get(f"/ledger/import/{record.pk}/").status_code == 200
    assert calls and real(record, personas.office) is not None

    path = jobs._cache_path(record)
    signature, data = path.read_bytes().split(b"\n", 1)
    path.write_bytes(signature + b"\n" + data.replace("编制年度增收计划".encode(), "编制年度减收计划".encode()))
    assert real(record, personas.office) is None
    page = client.get(f"/ledger/import/{record.pk}/").content.decode()
    assert "编制年度增收计划" in page and "减收" not in page


def test_a_large_ledger_is_imported_on_the_worker_once(client, personas):
    login(client)
    upload(client, ledger_file(ROWS))
    run_queued()
    record = LedgerImport.objects.get()
    token = client.get(f"/ledger/import/{record.pk}/").content.decode().split('name="token" value="')[1].split('"')[0]
    DBTaskResult.objects.all().delete()

    first = client.post(f"/ledger/import/{record.pk}/commit/", {"token": token})
    second = client.post(f"/ledger/import/{record.pk}/commit/", {"token": token})  # a double click

    assert first.url.startswith("/jobs/") and second.url.startswith("/jobs/")
    assert not Task.objects.exists()  # nothing written in the request
    run_queued()

    assert Task.objects.count() == 2
    commit_jobs = list(Job.objects.filter(title__startswith="台账导入").order_by("created_at"))
    assert [job.status for job in commit_jobs] == [Job.Status.DONE, Job.Status.DONE]
    assert commit_jobs[0].message == "导入完成:新增事项 2 个。"
    assert commit_jobs[1].message == "这个文件已经导入过了,没有重复导入。"
    page = client.get(first.url).content.decode()
    assert "导入完成:新增事项 2 个。" in page and "/work/?year=2022" in page
    record.refresh_from_db()
    assert record.committed and record.tasks_created == 2


def test_a_job_runs_once_even_if_its_task_runs_twice(client, personas):
    login(client)
    upload(client, ledger_file(ROWS))
    job = Job.objects.get()
    assert run_job.call(str(job.pk)) == "done"
    assert run_job.call(str(job.pk)) == "already taken"


def test_a_hostile_large_upload_is_refused_in_the_request_and_nothing_is_queued(client, personas):
    login(client)
    # The corner bomb (issue 20 §1): a far cell at XFD1048576; calamine would lay out 17 billion cells.
    data = ledger_file(ROWS)
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

    response = upload(client, out.getvalue())

    assert response.status_code == 200
    assert "超过 1,000,000 个的上限" in response.content.decode()
    assert not Job.objects.exists() and not LedgerImport.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_a_failed_preview_says_why_in_chinese(client, personas):
    login(client)
    upload(client, ledger_file(ROWS))
    # The file changes on disk between the upload and the worker (a bad disk): the worker cannot read it.
    record = LedgerImport.objects.get()
    record.file.save("broken.xlsx", SimpleUploadedFile("broken.xlsx", b"PK\x03\x04" + b"\x00" * 2000), save=True)
    run_queued()
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED
    assert "无法读取" in job.message or "已损坏" in job.message
    assert "未完成" in client.get(f"/jobs/{job.pk}/").content.decode()


def test_another_users_job_is_a_404(client, personas):
    login(client, "charlie")
    upload(client, ledger_file(ROWS))
    job = Job.objects.get()
    client.logout()
    login(client, "dave")
    assert client.get(f"/jobs/{job.pk}/").status_code == 404
    client.logout()
    login(client, "alice")  # the office sees every job
    assert client.get(f"/jobs/{job.pk}/").status_code == 200
