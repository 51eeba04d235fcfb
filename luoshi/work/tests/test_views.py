"""The 督办 pages through Django's test client: forms, bad input, and a fixed number of queries."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from luoshi.lib import workdays
from luoshi.work import office as work_office
from luoshi.work import services
from luoshi.work.models import ProgressReport, Task, TimelineEntry

pytestmark = pytest.mark.django_db


def _task(personas, title="全县河湖保洁专项行动", **extra):
    extra.setdefault("lead", personas.finance)
    extra.setdefault("deadline", timezone.localdate() + timedelta(days=30))
    return services.task_create(spec=services.TaskSpec(title=title, **extra), by=personas.office)


def _create_form(personas, **overrides):
    data = {
        "title": "推进老旧小区改造",
        "source_kind": "speech",
        "lead": str(personas.finance.pk),
        "supporting": "住建局",
        "deadline": f"{timezone.localdate() + timedelta(days=60):%Y-%m-%d}",
        "cadence": "monthly",
        "cadence_day": "25",
        "priority": "0",
        "token": "create-token-1",
    }
    data.update(overrides)
    return data


def test_the_office_registers_a_task_with_a_supporting_unit_by_its_short_name(client, personas):
    client.force_login(personas.office)
    response = client.post("/work/new/", _create_form(personas), follow=True)
    task = Task.objects.get(title="推进老旧小区改造")
    assert response.redirect_chain[-1][0] == f"/work/{task.pk}/"
    assert "已登记并交办" in response.content.decode()
    assert task.lead_unit == personas.finance
    assert [a.unit for a in task.assignments.filter(role="support")] == [personas.housing]
    assert TimelineEntry.objects.filter(task=task, action="create", actor=personas.office).count() == 1


def test_a_deadline_in_the_past_is_refused_unless_backfill_is_ticked(client, personas):
    client.force_login(personas.office)
    past = f"{timezone.localdate() - timedelta(days=3):%Y-%m-%d}"
    response = client.post("/work/new/", _create_form(personas, deadline=past))
    assert response.status_code == 200
    assert "早于今天" in response.content.decode() and "补录" in response.content.decode()
    assert not Task.objects.exists()
    client.post("/work/new/", _create_form(personas, deadline=past, backfill="on", token="create-token-2"))
    assert Task.objects.get().backfill


def test_an_unknown_supporting_unit_is_named_with_suggestions(client, personas):
    client.force_login(personas.office)
    response = client.post("/work/new/", _create_form(personas, supporting="住房建设局、火星局"))
    text = response.content.decode()
    assert "未找到配合单位" in text and "火星局" in text
    assert not Task.objects.exists()


def test_an_impossible_date_is_refused_in_chinese(client, personas):
    client.force_login(personas.office)
    response = client.post("/work/new/", _create_form(personas, deadline="2026-02-30"))
    assert response.status_code == 200
    assert "有效的日期" in response.content.decode() or "日期" in response.content.decode()
    assert not Task.objects.exists()


def test_a_double_submitted_form_creates_one_task(client, personas):
    client.force_login(personas.office)
    client.post("/work/new/", _create_form(personas))
    response = client.post("/work/new/", _create_form(personas), follow=True)
    assert Task.objects.count() == 1
    assert "已经提交过" in response.content.decode()


def test_the_group_lead_makes_one_task_per_township(client, personas):
    client.force_login(personas.office)
    client.post("/work/new/", _create_form(personas, lead="group:township", supporting=""))
    parent = Task.objects.get(lead_unit__isnull=True)
    assert parent.group_label == "各乡镇"
    assert [child.lead_unit for child in parent.children.all()] == [personas.township]


def test_a_report_twice_by_a_double_click_is_one_report(client, personas):
    task = _task(personas)
    client.force_login(personas.liaison)
    data = {"done_text": "完成第一轮巡查", "token": "report-token"}
    client.post(f"/work/{task.pk}/report/", data)
    client.post(f"/work/{task.pk}/report/", data)
    assert ProgressReport.objects.filter(task=task).count() == 1


def test_the_report_form_starts_from_the_units_last_report(client, personas):
    task = _task(personas)
    services.task_report(
        task=task, by=personas.liaison, report=services.ReportInput(done_text="已完成方案", problems="资金缺口")
    )
    client.force_login(personas.liaison)
    text = client.get(f"/work/{task.pk}/report/").content.decode()
    assert "已完成方案" in text and "资金缺口" in text


def test_an_attachment_of_the_wrong_type_is_refused_and_nothing_is_saved(client, personas):
    task = _task(personas)
    client.force_login(personas.liaison)
    program = SimpleUploadedFile("照片.png", b"MZ\x90\x00" + b"\x00" * 200)
    response = client.post(f"/work/{task.pk}/report/", {"done_text": "完成", "token": "t1", "files": [program]})
    assert "与扩展名" in response.content.decode()
    assert not ProgressReport.objects.exists()


def test_an_attachment_over_the_limit_is_refused(client, personas, settings):
    settings.LUOSHI_MAX_ATTACHMENT_BYTES = 1000
    task = _task(personas)
    client.force_login(personas.liaison)
    big = SimpleUploadedFile("方案.pdf", b"%PDF-1.7\n" + b"0" * 2000)
    response = client.post(f"/work/{task.pk}/report/", {"done_text": "完成", "token": "t2", "files": [big]})
    assert "超过" in response.content.decode()
    assert not ProgressReport.objects.exists()


def test_an_attachment_is_served_as_a_download_to_those_who_see_the_task(client, personas):
    task = _task(personas)
    client.force_login(personas.liaison)
    pdf = SimpleUploadedFile("验收报告.pdf", b"%PDF-1.7\n%test\n")
    client.post(f"/work/{task.pk}/report/", {"done_text": "完成", "token": "t3", "files": [pdf]})
    attachment = task.attachments.get()
    response = client.get(f"/work/attachments/{attachment.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"] == "application/octet-stream"
    client.force_login(personas.outsider)
    assert client.get(f"/work/attachments/{attachment.pk}/").status_code == 404


def test_an_extension_after_the_deadline_is_refused_with_the_reason(client, personas):
    task = _task(personas, deadline=timezone.localdate() - timedelta(days=1), backfill=True)
    client.force_login(personas.liaison)
    response = client.post(
        f"/work/{task.pk}/extension/",
        {"new_deadline": f"{timezone.localdate() + timedelta(days=30):%Y-%m-%d}", "reason": "来不及", "token": "e1"},
    )
    assert "已过,不能再申请延期" in response.content.decode()
    task.refresh_from_db()
    assert task.status == Task.Status.ASSIGNED


def test_the_week_page_keeps_what_was_typed_when_a_row_is_wrong(client, personas):
    task = _task(personas, cadence="weekly", cadence_day=5)
    Task.objects.filter(pk=task.pk).update(next_report_due=timezone.localdate())
    client.force_login(personas.liaison)
    response = client.post(
        "/work/week/",
        {
            "token": "w1",
            f"t{task.pk}-choice": "new",
            f"t{task.pk}-done_text": "本周完成清淤",
            f"t{task.pk}-percent": "150",
        },
    )
    text = response.content.decode()
    assert "0到100" in text and "本周完成清淤" in text
    assert not ProgressReport.objects.exists()


def test_a_liaison_cannot_decide_or_urge(client, personas):
    task = _task(personas)
    request = services.task_closure_ask(task=task, by=personas.liaison, summary="已完成")
    client.force_login(personas.liaison)
    assert client.post(f"/work/closures/{request.pk}/decide/", {"approve": "1"}).status_code == 403
    assert client.post(f"/work/{task.pk}/urge/", {"message": "快"}).status_code == 403
    task.refresh_from_db()
    assert task.status == Task.Status.CLOSURE_ASKED


def test_batch_urge_reaches_every_red_and_yellow_task_of_the_filter(client, personas):
    today = timezone.localdate()
    red = _task(personas, "逾期事项", deadline=today - timedelta(days=5), backfill=True)
    yellow = _task(personas, "临期事项", deadline=today + timedelta(days=1))
    green = _task(personas, "正常事项", deadline=today + timedelta(days=60))
    client.force_login(personas.office)
    form = {"scope": "filter", "query": "", "message": "请抓紧", "token": "u1"}
    confirm = client.post("/work/urge/", form)
    assert '共 <strong id="urge-count">2</strong> 项' in confirm.content.decode()
    assert not Task.objects.filter(urge_count__gt=0).exists()  # nothing urged before the office confirms
    response = client.post("/work/urge/", {**form, "confirmed": "1", "expected": "2"}, follow=True)
    assert "已催办 2 个事项" in response.content.decode()
    counts = dict(Task.objects.values_list("title", "urge_count"))
    assert counts[red.title] == 1 and counts[yellow.title] == 1 and counts[green.title] == 0


def _queries(client, url) -> int:
    # The working-day calendar is cached for a minute per process: load it now, so that whether the cache
    # ran out between two measurements never shows as a query.
    workdays.forget()
    workdays.calendar()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.mark.parametrize(
    ("username", "url"),
    [
        ("office", "/work/"),
        ("office", "/work/?light=red&sort=-deadline"),
        ("office", "/work/?q=河湖保洁"),
        ("office", "/work/units/"),
        ("office", "/"),
        ("liaison", "/work/inbox/"),
        ("liaison", "/work/week/"),
        ("liaison", "/work/"),
        ("leader", "/work/"),
    ],
)
def test_the_number_of_queries_does_not_grow_with_the_data(client, personas, username, url):
    def add(n):
        for number in range(n):
            task = _task(personas, f"河湖保洁第{number}项", cadence="weekly", cadence_day=5)
            services.task_report(task=task, by=personas.liaison, report=services.ReportInput(done_text="进展"))
            work_office.task_urge(tasks=[task], message="请抓紧", by=personas.office)
        Task.objects.update(next_report_due=timezone.localdate())

    client.force_login(getattr(personas, username))
    add(2)
    few = _queries(client, url)
    add(12)
    many = _queries(client, url)
    assert many == few, (url, few, many)
    assert many <= 20


def test_the_office_finds_tasks_left_unsigned_past_their_sign_by_date(client, personas):
    late = _task(personas, "超期未签收的事项")
    _task(personas, "刚交办的事项")
    Task.objects.filter(pk=late.pk).update(sign_by=timezone.localdate() - timedelta(days=1))
    client.force_login(personas.office)
    text = client.get("/work/?status=unsigned").content.decode()
    assert "超期未签收的事项" in text and "刚交办的事项" not in text


def test_standing_tasks_come_after_dated_ones_on_either_database(client, personas):
    _task(personas, "长期坚持的事项", deadline=None, standing=True)
    _task(personas, "有时限的事项")
    client.force_login(personas.office)
    text = client.get("/work/?sort=deadline").content.decode()
    assert text.index("有时限的事项") < text.index("长期坚持的事项")


def test_search_keeps_to_the_live_set_shown(client, personas):
    this_year = _task(personas, "今年的河湖保洁专项行动")
    last_year = _task(personas, "去年的河湖保洁专项行动", year=timezone.localdate().year - 1)
    carried = _task(personas, "去年结转的河湖保洁整治", year=timezone.localdate().year - 1)
    Task.objects.filter(pk=last_year.pk).update(status=Task.Status.DONE, done_on=date(last_year.year, 12, 1))
    client.force_login(personas.office)
    current = client.get("/work/?q=河湖保洁").content.decode()
    archive = client.get("/work/archive/?q=河湖保洁").content.decode()
    # The current list is the live set: last year's open task is carried over (结转), its done one is not.
    assert this_year.title in current and carried.title in current and last_year.title not in current
    assert "结转" in current
    assert last_year.title in archive and this_year.title not in archive


def test_the_unit_filter_lists_what_the_unit_leads_and_on_request_what_it_supports(client, personas):
    _task(personas, "财政局牵头的事项")
    _task(personas, "财政局配合的事项", lead=personas.housing, supporting=[personas.finance])
    client.force_login(personas.office)
    led = client.get(f"/work/?unit={personas.finance.pk}").content.decode()
    both = client.get(f"/work/?unit={personas.finance.pk}&with_support=on").content.decode()
    assert "财政局牵头的事项" in led and "财政局配合的事项" not in led
    assert "财政局牵头的事项" in both and "财政局配合的事项" in both


def test_the_filter_form_keeps_the_chosen_unit_and_escapes_names(client, personas):
    personas.housing.name = "住建局<script>"
    personas.housing.save()
    client.force_login(personas.office)
    text = client.get(f"/work/?unit={personas.finance.pk}").content.decode()
    assert f'<option value="{personas.finance.pk}" selected>财政局</option>' in text
    assert "住建局&lt;script&gt;" in text and "住建局<script>" not in text
