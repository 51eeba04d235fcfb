"""The daily sweep of uploads kept for background jobs: a finished job's file goes, a job that never ran is ended
and its file goes after LUOSHI_JOB_UPLOAD_DAYS, a running job keeps its file, and each removal is recorded."""

import os
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from luoshi.notify import scheduler
from luoshi.ops.jobs import job_enqueue, run_job, upload_keep, uploads_sweep
from luoshi.ops.models import Job, SweptUpload
from luoshi.plans.jobs import debt_preview_job

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Shanghai")


def kept(personas, *, status=Job.Status.QUEUED, age_days=0, title="还本付息计划预览:债务.xlsx"):
    stored = upload_keep(b"x" * 1000, name="债务.xlsx")
    job = job_enqueue(
        function=debt_preview_job, title=title, by=personas.office, args={"stored": stored, "name": "债务.xlsx"}
    )
    Job.objects.filter(pk=job.pk).update(status=status, created_at=timezone.now() - timedelta(days=age_days))
    job.refresh_from_db()
    return job, stored


def test_it_removes_what_no_job_will_read_and_keeps_the_rest(personas):
    _, done_file = kept(personas, status=Job.Status.DONE, title="完成的任务")
    _, failed_file = kept(personas, status=Job.Status.FAILED, title="失败的任务")
    stale, stale_file = kept(personas, age_days=8, title="八天前的任务")
    _, fresh_file = kept(personas, age_days=6, title="六天前的任务")
    _, running_file = kept(personas, status=Job.Status.RUNNING, age_days=30, title="运行中的任务")

    swept = uploads_sweep()

    assert {(s.job_title, s.reason, s.size) for s in swept} == {
        ("完成的任务", "finished", 1000), ("失败的任务", "finished", 1000), ("八天前的任务", "never_ran", 1000),
    }  # fmt: skip
    assert not any(default_storage.exists(path) for path in (done_file, failed_file, stale_file))
    assert default_storage.exists(fresh_file) and default_storage.exists(running_file)
    # The job that never ran is ended, saying why, so that its page does not wait for ever.
    stale.refresh_from_db()
    assert stale.status == Job.Status.FAILED and stale.message == "提交后 7 天仍未处理,上传的文件已清理。请重新上传。"
    assert SweptUpload.objects.get(job=stale).path == stale_file
    # A worker that picks the ended job up later does nothing with it.
    assert run_job.call(str(stale.pk)) == "already taken"
    # A second sweep finds nothing more to do.
    assert uploads_sweep() == [] and SweptUpload.objects.count() == 3


def test_the_age_is_a_setting(personas, settings):
    settings.LUOSHI_JOB_UPLOAD_DAYS = 30
    _, stored = kept(personas, age_days=8)
    assert uploads_sweep() == [] and default_storage.exists(stored)
    assert uploads_sweep(now=timezone.now() + timedelta(days=23))[0].reason == "never_ran"
    assert not default_storage.exists(stored)


def test_a_file_no_job_names_goes_once_it_is_old(personas):
    young = upload_keep(b"abc", name="a.docx")
    old = upload_keep(b"abcdef", name="b.docx")
    week_ago = (timezone.now() - timedelta(days=8)).timestamp()
    os.utime(default_storage.path(old), (week_ago, week_ago))

    (swept,) = uploads_sweep()

    assert (swept.path, swept.size, swept.reason, swept.job) == (old, 6, "orphan", None)
    assert default_storage.exists(young) and not default_storage.exists(old)


def test_the_scheduler_sweeps_once_a_day(personas, time_machine):
    time_machine.move_to(datetime(2026, 3, 16, 10, tzinfo=TZ), tick=False)
    done, stored = kept(personas, status=Job.Status.DONE)
    assert "prune" in scheduler.tick()
    assert not default_storage.exists(stored) and SweptUpload.objects.get().job == done
    assert "prune" not in scheduler.tick()


def test_an_empty_or_missing_folder_is_nothing_to_sweep(personas):
    assert uploads_sweep() == []


def test_the_record_reads_in_chinese_in_the_admin(client, personas):
    _, stored = kept(personas, status=Job.Status.DONE, title="计划预览:2026年计划.xlsx")
    (swept,) = uploads_sweep()
    assert str(swept).endswith("计划预览:2026年计划.xlsx(任务已结束)")
    client.force_login(personas.admin)
    page = client.get("/admin/ops/sweptupload/").content.decode()
    assert "已清理的上传文件" in page and "任务已结束" in page and stored in page
    assert client.get(f"/admin/ops/sweptupload/{swept.pk}/delete/").status_code == 403


def test_a_job_whose_worker_stopped_is_ended_and_its_file_goes_one_still_working_is_not(personas):
    interrupted, interrupted_file = kept(personas, status=Job.Status.RUNNING, title="中断的任务")
    working, working_file = kept(personas, status=Job.Status.RUNNING, title="正在处理的任务")
    Job.objects.filter(pk=interrupted.pk).update(started_at=timezone.now() - timedelta(minutes=61))
    Job.objects.filter(pk=working.pk).update(started_at=timezone.now() - timedelta(minutes=59))

    (swept,) = uploads_sweep()

    assert (swept.job_title, swept.path) == ("中断的任务", interrupted_file)
    interrupted.refresh_from_db()
    assert interrupted.status == Job.Status.FAILED and interrupted.message.startswith("处理中断")
    working.refresh_from_db()
    assert working.status == Job.Status.RUNNING and default_storage.exists(working_file)


def test_the_page_of_a_job_whose_worker_stopped_says_so(personas, client, settings):
    settings.LUOSHI_JOB_STALE_MINUTES = 30
    job, _ = kept(personas, status=Job.Status.RUNNING)
    Job.objects.filter(pk=job.pk).update(started_at=timezone.now() - timedelta(minutes=31))
    client.force_login(personas.office)

    page = client.get(f"/jobs/{job.pk}/").content.decode()

    assert "处理中断" in page and "未完成" in page
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.finished_at is not None
