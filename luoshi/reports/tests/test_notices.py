"""督办/催办通知单: numbered in sequence per year, never twice, printable and in Word."""

import threading
from datetime import date
from io import BytesIO

import docx
import pytest
from django.db import connection

from luoshi.lib.errors import ActionError
from luoshi.reports import services
from luoshi.reports.models import Notice, NoticeCounter
from luoshi.testing import PASSWORD

from .helpers import task

pytestmark = pytest.mark.django_db


def test_numbers_run_in_sequence_per_year_and_kind(personas, clock):
    tasks = [task(personas, f"事项{i}", deadline=date(2026, 3, 18)) for i in range(3)]
    first = services.notice_create(kind="urge", tasks=tasks[:2], by=personas.office)
    second = services.notice_create(kind="urge", tasks=tasks[2:], by=personas.office)
    other = services.notice_create(kind="supervise", tasks=tasks[:1], by=personas.office)
    assert [n.number_label for n in first + second] == ["催办〔2026〕1号", "催办〔2026〕2号", "催办〔2026〕3号"]
    assert other[0].number_label == "督办〔2026〕1号"
    clock(date(2027, 1, 4))
    later = task(personas, "新年事项", deadline=date(2027, 3, 1))
    assert services.notice_create(kind="urge", tasks=[later], by=personas.office)[0].number_label == "催办〔2027〕1号"


def test_an_urge_notice_says_what_is_overdue(personas, clock):
    overdue = task(personas, "推进财政数字化改革", deadline=date(2026, 3, 18), requirements="完成系统上线。")
    clock(date(2026, 3, 25))
    notice = services.notice_create(kind="urge", tasks=[overdue], by=personas.office)[0]
    assert notice.overdue.startswith("已超过完成时限(2026年3月18日)7天仍未办结")
    assert "应于2026年3月18日前签收" in notice.overdue
    assert notice.unit == personas.finance and notice.requirement == "完成系统上线。"
    assert notice.deadline == "2026-03-18"


def test_a_refused_batch_uses_no_numbers(personas, clock):
    t = task(personas)
    with pytest.raises(ActionError):
        services.notice_create(kind="urge", tasks=[t], by=personas.liaison)
    with pytest.raises(ActionError):
        services.notice_create(kind="urge", tasks=[], by=personas.office)
    services.notice_create(kind="urge", tasks=[t], by=personas.office, token="n1")
    with pytest.raises(ActionError):
        services.notice_create(kind="urge", tasks=[t], by=personas.office, token="n1")
    assert list(Notice.objects.values_list("number", flat=True)) == [1]
    assert NoticeCounter.objects.get().last == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_batches_never_share_a_number(personas):
    tasks = [task(personas, f"事项{i}", deadline=date(2030, 3, 18)) for i in range(4)]
    errors = []

    def issue(chunk):
        try:
            services.notice_create(kind="urge", tasks=chunk, by=personas.office)
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=([t],)) for t in tasks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(Notice.objects.values_list("number", flat=True)) == [1, 2, 3, 4]


def test_the_office_makes_prints_and_downloads_a_batch(personas, clock, client):
    tasks = [task(personas, "推进财政数字化改革", deadline=date(2026, 3, 18)),
             task(personas, "城区排水管网改造", lead=personas.housing, deadline=date(2026, 3, 18))]  # fmt: skip
    clock(date(2026, 3, 25))
    client.login(username="alice", password=PASSWORD)
    query = "&".join(f"task={t.pk}" for t in tasks)
    form = client.get(f"/reports/notices/new/?kind=urge&{query}").content.decode()
    assert "推进财政数字化改革" in form and "已超过完成时限" in form
    response = client.post(
        "/reports/notices/new/",
        {"task": [t.pk for t in tasks], "kind": "urge", "message": "请3日内反馈。", "token": "x"},
    )
    notices = list(Notice.objects.order_by("number"))
    assert response.url == f"/reports/notices/{notices[0].batch}/"
    page = client.get(response.url).content.decode()
    assert "催办〔2026〕1号" in page and "催办〔2026〕2号" in page and "盖章" in page
    download = client.get(f"/reports/notices/{notices[0].batch}/docx/")
    document = docx.Document(BytesIO(b"".join(download.streaming_content)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "催办〔2026〕1号" in text and "催办〔2026〕2号" in text
    # The seal goes on the space left for it; no placeholder is printed.
    assert "印章" not in text
    assert "财政局：" in text and "住房和城乡建设局：" in text
    # One section per notice, each numbered from page 1, signed with the date in Arabic numerals.
    assert len(document.sections) == 2
    assert text.count("示范县人民政府督查室\n2026年3月25日") == 2


def test_notices_are_a_404_to_units(personas, clock, client):
    notice = services.notice_create(kind="urge", tasks=[task(personas)], by=personas.office)[0]
    client.login(username="charlie", password=PASSWORD)
    assert client.get(f"/reports/notices/{notice.batch}/").status_code == 404
    assert client.get(f"/reports/notices/new/?task={notice.task_id}").status_code == 404
