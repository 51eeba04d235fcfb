"""The batch urge page: the filter and a confirmed count are posted, never thousands of ids; all or nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from luoshi.notify.models import Kind, Message
from luoshi.work import office as work_office
from luoshi.work import services
from luoshi.work.models import Task, TimelineEntry, Urge

pytestmark = pytest.mark.django_db

MESSAGE = "请抓紧办理,并于本周五前反馈进展。"


def _many(personas, n, unit, *, title="河湖保洁", days=10):
    deadline = timezone.localdate() + timedelta(days=days)
    specs = [services.TaskSpec(title=f"{title}{i:04d}", lead=unit, deadline=deadline) for i in range(n)]
    return services.task_create_many(specs=specs, by=personas.office)


def _confirm(client, query, scope="all", token="urge-1"):
    return client.post("/work/urge/", {"scope": scope, "query": query, "message": MESSAGE, "token": token})


def _submit(client, query, expected, scope="all", token="urge-1"):
    form = {"scope": scope, "query": query, "message": MESSAGE, "token": token, "confirmed": "1",
            "expected": str(expected)}  # fmt: skip
    return client.post("/work/urge/", form, follow=True)


def test_an_urge_of_1200_tasks_posts_the_filter_and_reaches_each_unit_once(client, personas):
    _many(personas, 700, personas.finance)
    _many(personas, 500, personas.housing)
    other = _many(personas, 3, personas.township, days=200)  # outside the filter's deadline window
    client.force_login(personas.office)
    query = f"deadline_to={timezone.localdate() + timedelta(days=30):%Y-%m-%d}"

    confirm = _confirm(client, query)
    text = confirm.content.decode()
    assert '共 <strong id="urge-count">1200</strong> 项' in text and "涉及 <strong>2</strong> 个牵头单位" in text
    assert not Urge.objects.exists()

    page = _submit(client, query, 1200).content.decode()
    assert "已催办 1200 个事项" in page
    assert Urge.objects.count() == 1200 and Urge.objects.values("batch").distinct().count() == 1
    assert set(Task.objects.filter(urge_count=1).values_list("lead_unit", flat=True)) == {
        personas.finance.pk,
        personas.housing.pk,
    }
    assert Task.objects.get(pk=other[0].pk).urge_count == 0
    # 留痕 for every task: who, when, what, the count before and after.
    entries = TimelineEntry.objects.filter(action=TimelineEntry.Action.URGE)
    assert entries.count() == 1200
    entry = entries.first()
    assert (entry.actor, entry.note, entry.before, entry.after) == (personas.office, MESSAGE, {"urge_count": 0},
                                                                    {"urge_count": 1})  # fmt: skip
    # One message per unit listing its tasks, not 1,200.
    [finance] = Message.objects.filter(user=personas.liaison, kind=Kind.URGED)
    assert finance.event.title == "催办事项 700 项" and "等共 700 项" in finance.event.body
    assert Message.objects.filter(user=personas.outsider, kind=Kind.URGED).count() == 1


def test_posting_1200_ticked_ids_would_break_djangos_field_limit(client, personas):
    """Why the page posts the filter: Django refuses a form of more than 1,000 fields."""
    tasks = _many(personas, 1001, personas.finance)
    client.force_login(personas.office)
    response = client.post("/work/urge/", {"task": [t.pk for t in tasks], "message": MESSAGE, "scope": "selected"})
    assert response.status_code == 400
    assert not Urge.objects.exists()


def test_a_changed_count_urges_nothing_and_says_why(client, personas):
    tasks = _many(personas, 5, personas.finance)
    client.force_login(personas.office)
    _confirm(client, "")
    work_office.task_pause(task=tasks[0], by=personas.office, reason="等待上级政策")
    page = _submit(client, "", 5).content.decode()
    assert "确认时为 5 项,现在符合条件的是 4 项" in page
    assert not Urge.objects.exists() and not Task.objects.filter(urge_count__gt=0).exists()
    assert not TimelineEntry.objects.filter(action=TimelineEntry.Action.URGE).exists()
    assert not Message.objects.filter(kind=Kind.URGED).exists()


def test_a_second_submit_urges_nothing_twice(client, personas):
    _many(personas, 3, personas.finance)
    client.force_login(personas.office)
    _submit(client, "", 3)
    page = _submit(client, "", 3).content.decode()
    assert "已经提交过" in page
    assert Urge.objects.count() == 3 and set(Task.objects.values_list("urge_count", flat=True)) == {1}


def test_the_red_and_yellow_scope_leaves_green_tasks_alone(client, personas):
    _many(personas, 2, personas.finance, title="临期", days=1)
    _many(personas, 2, personas.finance, title="正常", days=90)
    client.force_login(personas.office)
    assert '共 <strong id="urge-count">2</strong> 项' in _confirm(client, "", scope="filter").content.decode()
    _submit(client, "", 2, scope="filter")
    assert sorted(Task.objects.filter(urge_count=1).values_list("title", flat=True)) == ["临期0000", "临期0001"]


def test_a_submit_without_the_confirmed_count_urges_nothing(client, personas):
    _many(personas, 2, personas.finance)
    client.force_login(personas.office)
    form = {"scope": "all", "query": "", "message": MESSAGE, "token": "t", "confirmed": "1"}
    page = client.post("/work/urge/", form, follow=True).content.decode()
    assert "缺少确认的事项数" in page and not Urge.objects.exists()


def test_a_filter_with_nothing_to_urge_says_so(client, personas):
    client.force_login(personas.office)
    page = client.post("/work/urge/", {"scope": "all", "query": "", "message": MESSAGE}, follow=True).content.decode()
    assert "为 0 项,没有可催办的事项" in page


def test_a_liaison_cannot_urge_by_filter(client, personas):
    _many(personas, 2, personas.finance)
    client.force_login(personas.liaison)
    assert _confirm(client, "").status_code == 403
    assert client.post("/work/urge/", {"scope": "all", "query": "", "message": MESSAGE, "confirmed": "1",
                                       "expected": "2"}).status_code == 403  # fmt: skip
    assert not Urge.objects.exists()


def test_ticked_tasks_of_another_scope_are_not_urged_by_a_forged_id(client, personas):
    """Ticked ids go through the office's visible set and the lit statuses; a done task is skipped."""
    [live, done] = _many(personas, 2, personas.finance)
    Task.objects.filter(pk=done.pk).update(status=Task.Status.DONE)
    client.force_login(personas.office)
    page = client.post("/work/urge/", {"task": [live.pk, done.pk, 999999], "message": MESSAGE, "token": "x"},
                       follow=True).content.decode()  # fmt: skip
    assert "已催办 1 个事项" in page
    assert list(Urge.objects.values_list("task_id", flat=True)) == [live.pk]


@pytest.mark.django_db
def test_postgresql_keeps_room_in_each_task_page_for_urges_to_update_in_place():
    # work 0007: fillfactor 85, so that the urge count is updated without touching the indexes (HOT).
    from django.db import connection

    if connection.vendor != "postgresql":
        assert connection.vendor == "sqlite"  # SQLite has no fillfactor: the migration does nothing there
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = 'work_task'")
        assert cursor.fetchone()[0] == ["fillfactor=85"]
