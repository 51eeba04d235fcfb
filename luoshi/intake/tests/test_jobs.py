"""A large document is decomposed on the worker, with the progress page, and lands on the same review page.

"Large" is the ledger's rule (luoshi.work.jobs.INLINE_BYTES), lowered to 1 KB here so that the sample speech takes
the worker's path; a hostile file ends its job failed with the message the inline path gives, and writes nothing.
"""

import io
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django_tasks_db.models import DBTaskResult

from luoshi.intake.models import Decomposition
from luoshi.ops.jobs import run_job
from luoshi.ops.models import Job
from luoshi.org.models import User
from luoshi.testing import PASSWORD
from luoshi.work import jobs as ledger_jobs

from .conftest import DOCX, SCRAPED
from .files import xxe_docx

pytestmark = pytest.mark.usefixtures("clock")


@pytest.fixture
def large_means_over_1_kb(monkeypatch):
    monkeypatch.setattr(ledger_jobs, "INLINE_BYTES", 1024)


def login(client, username="alice"):
    assert client.login(username=username, password=PASSWORD)
    return client


def upload(client, data: bytes, name: str, **extra):
    handle = io.BytesIO(data)
    handle.name = name
    return client.post("/intake/", {"file": handle, "source_kind": "speech", **extra})


def run_queued() -> None:
    """What db_worker does: run each job task enqueued, in order."""
    for result in DBTaskResult.objects.filter(task_path="luoshi.ops.jobs.run_job").order_by("enqueued_at"):
        run_job.call(*result.args_kwargs["args"])


def kept_uploads() -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / "imports" / "jobs"
    return sorted(folder.iterdir()) if folder.exists() else []


def test_a_large_document_is_decomposed_on_the_worker_and_the_page_follows_it(client, personas, monkeypatch):
    login(client)
    data = DOCX.read_bytes()
    # The same file read in the request first, as every file was before: the worker must propose the same rows.
    upload(client, data, DOCX.name)
    inline = Decomposition.objects.get()
    monkeypatch.setattr(ledger_jobs, "INLINE_BYTES", 1024)

    response = upload(client, data, DOCX.name)

    job = Job.objects.get()
    assert response.status_code == 302 and response.url == f"/jobs/{job.pk}/"
    assert job.status == Job.Status.QUEUED and job.title == f"文件分解:{DOCX.name}"
    assert Decomposition.objects.count() == 1  # nothing decomposed in the request
    assert len(kept_uploads()) == 1
    page = client.get(response.url).content.decode()
    assert "排队中" in page and 'hx-trigger="every 1s"' in page
    # Whoever leaves the progress page finds the job again on the intake page, until it is done.
    index = client.get("/intake/").content.decode()
    assert 'id="recent-jobs"' in index and f'href="/jobs/{job.pk}/"' in index

    run_queued()

    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    decomposition = Decomposition.objects.exclude(pk=inline.pk).get()
    count = decomposition.rows.count()
    assert count > 10
    assert job.message == f"已读取“{decomposition.title}”,找到 {count} 条工作要求。请逐条核对后确认。"
    assert [row.text for row in decomposition.rows.all()] == [row.text for row in inline.rows.all()]
    assert decomposition.created_by == personas.office and decomposition.file_name == DOCX.name
    assert kept_uploads() == []
    assert f'href="/jobs/{job.pk}/"' not in client.get("/intake/").content.decode()
    polled = client.get(f"/jobs/{job.pk}/", HTTP_HX_REQUEST="true")
    assert polled["HX-Redirect"] == f"/intake/{decomposition.pk}/"
    review = client.get(polled["HX-Redirect"]).content.decode()
    assert "一要立足于争一流" in review and "识别依据" in review


@pytest.mark.usefixtures("large_means_over_1_kb")
def test_a_large_pasted_text_goes_to_the_worker_with_its_title_date_and_kind(client, personas):
    login(client)
    text = SCRAPED.read_text(encoding="utf-8")
    assert len(text.encode("utf-8")) > 1024
    data = {"text": text, "title": "全县重点工作推进会讲话", "source_date": "2022-02-20", "source_kind": "minutes"}

    response = client.post("/intake/", data)

    job = Job.objects.get()
    assert response.url == f"/jobs/{job.pk}/" and job.title == "文件分解:粘贴的文字"
    assert not Decomposition.objects.exists()
    run_queued()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.message
    decomposition = Decomposition.objects.get()
    assert decomposition.title == "全县重点工作推进会讲话"
    assert decomposition.source_date == date(2022, 2, 20) and decomposition.source_kind == "minutes"
    assert decomposition.rows.exists() and kept_uploads() == []


@pytest.mark.usefixtures("large_means_over_1_kb")
def test_a_small_pasted_text_is_still_read_in_the_request(client, personas):
    login(client)
    response = client.post("/intake/", {"text": "财政局要在6月底前抓好预算执行。", "source_kind": "minutes"})
    decomposition = Decomposition.objects.get()
    assert response.url == f"/intake/{decomposition.pk}/"
    assert not Job.objects.exists() and not DBTaskResult.objects.exists()


def _inline_refusal(client, data: bytes, name: str) -> str:
    """What the request says of this file when it reads it itself."""
    response = upload(client, data, name)
    assert response.status_code == 200
    return response.context["form"].non_field_errors()[0]


@pytest.mark.parametrize(
    "name, data, fragment",
    [
        ("讲话.docx", xxe_docx(), "外部实体声明"),
        ("讲话.docx", b"PK\x03\x04" + b"\x00" * 4000, "已损坏"),
        ("讲话.pdf", b"%PDF-1.4\n" + b"\x00" * 4000, "PDF"),
        ("讲话.txt", b"\x89PNG\r\n" + b"\x00" * 4000, "不是纯文本"),
    ],
    ids=["xxe", "broken zip", "broken pdf", "an image named .txt"],
)
def test_a_hostile_or_broken_file_fails_its_job_with_the_inline_message_and_writes_nothing(
    client, personas, monkeypatch, name, data, fragment
):
    login(client)
    expected = _inline_refusal(client, data, name)
    assert fragment in expected
    monkeypatch.setattr(ledger_jobs, "INLINE_BYTES", 1024)
    assert len(data) > 1024

    response = upload(client, data, name)
    run_queued()

    job = Job.objects.get()
    assert response.url == f"/jobs/{job.pk}/"
    assert job.status == Job.Status.FAILED
    assert job.message == expected
    page = client.get(response.url).content.decode()
    assert "未完成" in page and expected in page
    polled = client.get(response.url, HTTP_HX_REQUEST="true")
    assert "HX-Redirect" not in polled and expected in polled.content.decode()
    index = client.get("/intake/").content.decode()
    assert f'href="/jobs/{job.pk}/"' in index and "未完成" in index
    assert not Decomposition.objects.exists()
    assert kept_uploads() == []


@pytest.mark.usefixtures("large_means_over_1_kb")
def test_a_file_over_the_size_limit_is_refused_in_the_request_and_nothing_is_queued(client, personas, settings):
    settings.LUOSHI_MAX_DOCUMENT_BYTES = 4096
    login(client)
    response = upload(client, b"x" * 5000, "讲话.txt")
    assert response.status_code == 200
    error = response.context["form"].non_field_errors()[0]
    assert error.startswith("文件“讲话.txt”大小为") and "的上限" in error
    assert not Job.objects.exists() and not DBTaskResult.objects.exists() and kept_uploads() == []


@pytest.mark.usefixtures("large_means_over_1_kb")
def test_a_decomposition_job_is_a_404_to_anyone_but_the_office(client, personas):
    login(client)
    upload(client, DOCX.read_bytes(), DOCX.name)
    job = Job.objects.get()
    for username in ("bob", "charlie", "dave"):
        client.logout()
        login(client, username)
        assert client.get(f"/jobs/{job.pk}/").status_code == 404, username
        assert client.get(f"/jobs/{job.pk}/", HTTP_HX_REQUEST="true").status_code == 404, username
    client.logout()
    colleague = User.objects.create(username="alice2", role=User.Role.OFFICE, name="督查室王芳")
    client.force_login(colleague)
    assert client.get(f"/jobs/{job.pk}/").status_code == 200  # the office sees every job
