"""Input a user can get wrong is refused in Chinese with a 400 (or a 404 for an id no row can have), never a 500."""

from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from luoshi.ledger.models import LedgerImport
from luoshi.ledger.tests.builders import ledger_file
from luoshi.org.services import api_token_create, api_token_revoke
from luoshi.work import services
from luoshi.work.models import Task, TimelineEntry
from luoshi.work.services import TaskSpec

BIG_ID = 10**30


@pytest.fixture(autouse=True)
def _march_2026():
    with time_machine.travel("2026-03-16 10:00 +0800", tick=False):
        yield


@pytest.fixture
def office(client, personas):
    client.raise_request_exception = False
    client.force_login(personas.office)
    return client


def make_task(personas, title, **extra) -> Task:
    spec = TaskSpec(title=title, lead=extra.pop("lead", personas.finance), deadline=date(2026, 6, 30), **extra)
    return services.task_create(spec=spec, by=personas.office)


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("/plans/calendar/?year=0", "超出范围"),
        ("/plans/calendar/?year=-1", "超出范围"),
        ("/plans/calendar/?year=99999", "超出范围"),
        ("/plans/calendar/?year=abc", "不是数字"),
        ("/work/units/?period=9999", "超出范围"),
        ("/work/units/?period=0000-01", "超出范围"),
        ("/work/?q=河湖%00保洁", "空字符"),
    ],
)
def test_out_of_range_input_gets_a_chinese_400(office, url, words):
    response = office.get(url)

    assert response.status_code == 400
    assert words in response.content.decode()


def test_an_id_no_row_can_have_is_not_found_not_a_server_error(office):
    for url in (f"/work/{BIG_ID}/", f"/org/units/{BIG_ID}/", f"/intake/{BIG_ID}/", f"/reports/briefs/{BIG_ID}/"):
        assert office.get(url).status_code == 404, url
    assert office.get(f"/api/work/tasks/{BIG_ID}").status_code in (404, 422)


def test_a_nul_byte_in_a_form_is_refused_before_it_reaches_the_database(office, personas):
    task = make_task(personas, "全县河湖保洁专项行动")
    entries = TimelineEntry.objects.filter(task=task).count()

    response = office.post(f"/work/{task.pk}/urge/", {"message": "请尽快\x00反馈", "token": "t1"})

    assert response.status_code == 400
    assert "空字符" in response.content.decode()
    assert TimelineEntry.objects.filter(task=task).count() == entries


def test_a_page_past_any_list_is_refused_by_the_api_as_json(personas):
    _, secret = api_token_create(user=personas.office, name="大屏")
    api = Client(headers={"Authorization": f"Bearer {secret}"})

    response = api.get(f"/api/work/tasks?page={10**21}")

    assert response.status_code == 422
    assert "页码" in response.json()["detail"]


def test_the_ledger_export_searches_and_filters_together(office, personas):
    make_task(personas, "编制年度预算调整方案")
    make_task(personas, "编制预算绩效报告", lead=personas.housing)
    make_task(personas, "推进老旧小区改造")

    for query, titles in (
        ("q=预算&year=2026", {"编制年度预算调整方案", "编制预算绩效报告"}),
        (f"q=预算&year=2026&unit={personas.finance.pk}", {"编制年度预算调整方案"}),
    ):
        response = office.get(f"/ledger/export/?{query}")
        assert response.status_code == 200, query
        sheet = load_workbook(_content(response)).worksheets[0]
        cells = {cell for row in sheet.iter_rows(values_only=True) for cell in row if isinstance(cell, str)}
        assert titles <= cells, query
        assert "推进老旧小区改造" not in cells


def _content(response):
    from io import BytesIO

    return BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)


def test_next_after_signing_never_leaves_the_site(client, personas):
    task = make_task(personas, "全县河湖保洁专项行动")
    client.force_login(personas.liaison)

    response = client.post(f"/work/{task.pk}/sign/", {"next": "https://evil.example/"})

    assert response.status_code == 302
    assert response["Location"] == f"/work/{task.pk}/"

    task2 = make_task(personas, "推进老旧小区改造")
    response = client.post(f"/work/{task2.pk}/sign/", {"next": "/work/inbox/"})
    assert response["Location"] == "/work/inbox/"


@pytest.mark.parametrize("header", [None, "Bearer ls_not-a-token", "Bearer revoked"])
def test_an_api_post_without_a_valid_token_gets_401_json_not_the_csrf_page(personas, header):
    task = make_task(personas, "全县河湖保洁专项行动")
    if header == "Bearer revoked":
        token, secret = api_token_create(user=personas.liaison, name="旧脚本")
        api_token_revoke(token=token, by=personas.liaison)
        header = f"Bearer {secret}"
    api = Client(enforce_csrf_checks=True, headers={"Authorization": header} if header else {})

    response = api.post(f"/api/work/tasks/{task.pk}/sign", {}, content_type="application/json")

    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert "令牌" in response.json()["detail"]
    task.refresh_from_db()
    assert task.status != Task.Status.IN_PROGRESS


def test_an_api_fault_answers_json_not_an_html_page(personas, monkeypatch):
    _, secret = api_token_create(user=personas.office, name="大屏")
    api = Client(raise_request_exception=False, headers={"Authorization": f"Bearer {secret}"})

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("luoshi.api.work.Task.objects.visible_to", broken)
    response = api.get("/api/work/tasks")

    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert "服务器内部错误" in response.json()["detail"]


def test_a_unit_that_is_not_a_number_in_the_ledgers_choose_step_is_asked_again(client, personas):
    client.force_login(personas.office)
    data = ledger_file([[1, "编制年度增收计划", "", "", "某某局", "", "2026年6月底", ""]])
    client.post("/ledger/import/", {"file": SimpleUploadedFile("x.xlsx", data)})
    record = LedgerImport.objects.latest("pk")

    response = client.post(f"/ledger/import/{record.pk}/choose/", {"mention": "某某局", "unit": "abc"}, follow=True)

    assert response.status_code == 200
    assert "请选择一个单位" in response.content.decode()


def test_an_api_id_past_64_bits_is_bad_input_on_both_databases(personas):
    _, secret = api_token_create(user=personas.office, name="大屏")
    api = Client(raise_request_exception=False, headers={"Authorization": f"Bearer {secret}"})

    response = api.post(
        "/api/work/tasks",
        {"title": "推进老旧小区改造", "lead": personas.finance.pk, "supporting": [BIG_ID], "deadline": "2026-06-30"},
        content_type="application/json",
    )

    assert response.status_code in (400, 404, 422)
    assert response["Content-Type"].startswith("application/json")
    assert not Task.objects.filter(title="推进老旧小区改造").exists()
