"""The 机构改革 pages: the system administrator previews, then confirms; nobody else gets in."""

from datetime import date

import pytest
from django.urls import reverse

from luoshi.audit.models import AuditEntry
from luoshi.org.models import Unit, UnitAlias
from luoshi.work import services as work_services
from luoshi.work.models import Task, TimelineEntry
from luoshi.work.tests import conftest as work_fixtures

pytestmark = pytest.mark.django_db

clock, rules = work_fixtures.clock, work_fixtures.rules

PAGES = ["org:reorg", "org:reorg_rename", "org:reorg_merge", "org:reorg_split", "org:reorg_dissolve"]


def make_task(personas, title, lead, supporting=()):
    spec = work_services.TaskSpec(title=title, lead=lead, supporting=list(supporting), deadline=date(2026, 6, 30))
    return work_services.task_create(spec=spec, by=personas.office)


@pytest.fixture
def tasks(personas, clock):
    return [
        make_task(personas, "编制年度增收计划", personas.finance, [personas.housing]),
        make_task(personas, "推进财政数字化改革", personas.finance),
    ]


def page(response) -> str:
    return response.content.decode()


@pytest.mark.parametrize("who", ["office", "liaison", "leader", "security", "auditor"])
def test_only_the_system_administrator_reaches_the_pages(personas, client, who):
    client.force_login(getattr(personas, who))
    for name in PAGES:
        assert client.get(reverse(name)).status_code == 403, name
    data = {"unit": personas.finance.pk, "name": "财政金融局", "on": "2026-04-01", "confirm": "1"}
    assert client.post(reverse("org:reorg_rename"), data).status_code == 403
    personas.finance.refresh_from_db()
    assert personas.finance.name == "财政局"
    assert not AuditEntry.objects.exists()


def test_the_administrator_sees_the_four_operations(personas, client):
    client.force_login(personas.admin)
    for name in PAGES:
        assert client.get(reverse(name)).status_code == 200, name
    home = page(client.get(reverse("org:reorg")))
    assert "单位更名" in home and "单位合并" in home and "单位拆分" in home and "单位撤销" in home
    # The menu leads there, for the system administrator only.
    assert ("机构改革", reverse("org:reorg")) in client.get("/").context["nav_items"]
    client.force_login(personas.office)
    assert "机构改革" not in dict(client.get("/").context["nav_items"])


def test_a_merge_is_previewed_then_confirmed(personas, client, tasks):
    client.force_login(personas.admin)
    url = reverse("org:reorg_merge")
    data = {"sources": [personas.finance.pk, personas.housing.pk], "into": "财政和住房建设局", "on": "2026-04-01",
            "move_users": "on", "preview": "1"}  # fmt: skip
    preview = client.post(url, data)
    assert preview.status_code == 200
    text = page(preview)
    assert "预览:“财政局”、“住房和城乡建设局”自 2026年04月01日 起并入新设的“财政和住房建设局”" in text
    assert "转移在办事项:<strong>2</strong>" in text and "编制年度增收计划" in text and "确认执行" in text
    assert not Unit.objects.filter(name="财政和住房建设局").exists() and not AuditEntry.objects.exists()

    previewed = preview.context["previewed"]
    done = client.post(url, {**data, "confirm": "1", "previewed": previewed})
    assert done.status_code == 302 and done["Location"] == reverse("org:reorg")
    merged = Unit.objects.get(name="财政和住房建设局")
    assert Task.objects.filter(lead_unit=merged).count() == 2
    assert TimelineEntry.objects.filter(note__startswith="机构改革").count() == 2
    home = page(client.get(reverse("org:reorg")))
    assert "已完成:" in home and "并入新设的“财政和住房建设局”" in home
    # A second click on the same confirmation does nothing twice.
    again = client.post(url, {**data, "confirm": "1", "previewed": previewed})
    assert again.status_code == 200
    assert Unit.objects.filter(name="财政和住房建设局").count() == 1


def test_a_confirmation_of_something_not_previewed_is_previewed_again(personas, client, tasks):
    client.force_login(personas.admin)
    url = reverse("org:reorg_merge")
    data = {"sources": [personas.housing.pk], "into": "财政局", "on": "2026-04-01", "preview": "1"}
    previewed = client.post(url, data).context["previewed"]
    changed = client.post(url, {**data, "sources": [personas.township.pk], "confirm": "1", "previewed": previewed})
    assert changed.status_code == 200
    assert "有改动" in page(changed) and "预览:“城关镇”" in page(changed)
    assert Unit.objects.get(pk=personas.township.pk).active and not AuditEntry.objects.exists()


def test_a_split_lets_the_administrator_choose_a_successor_per_task(personas, client, tasks):
    client.force_login(personas.admin)
    url = reverse("org:reorg_split")
    data = {"source": personas.finance.pk, "successors": "财政事务中心\n城关镇", "on": "2026-04-01", "users": "first"}
    preview = client.post(url, {**data, "preview": "1"})
    text = page(preview)
    assert f'name="task_{tasks[1].pk}"' in text and "财政事务中心" in text
    # The administrator sends the second task to 城关镇 and previews again, then confirms.
    choice = {f"task_{tasks[0].pk}": "0", f"task_{tasks[1].pk}": "1"}
    again = client.post(url, {**data, **choice, "preview": "1"})
    response = client.post(url, {**data, **choice, "confirm": "1", "previewed": again.context["previewed"]})
    assert response.status_code == 302
    tasks[0].refresh_from_db()
    tasks[1].refresh_from_db()
    assert tasks[0].lead_unit.name == "财政事务中心" and tasks[1].lead_unit == personas.township


def test_the_default_split_is_confirmed_straight_from_the_first_preview(personas, client, tasks):
    client.force_login(personas.admin)
    url = reverse("org:reorg_split")
    data = {"source": personas.finance.pk, "successors": "城关镇", "on": "2026-04-01", "users": "keep"}
    preview = client.post(url, {**data, "preview": "1"})
    shown = {f"task_{t.pk}": "0" for t in tasks}  # what the preview's selects send back unchanged
    response = client.post(url, {**data, **shown, "confirm": "1", "previewed": preview.context["previewed"]})
    assert response.status_code == 302
    assert Task.objects.filter(lead_unit=personas.township).count() == 2


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("org:reorg_rename", {"name": "住房和城乡建设局", "on": "2026-04-01"}, "已是单位“住房和城乡建设局”的名称"),
        ("org:reorg_rename", {"name": "财政金融局", "on": "2028-01-01"}, "晚于一年以后"),
        ("org:reorg_rename", {"name": "财政金融局", "on": "明年"}, "日期"),
        ("org:reorg_merge", {"sources": "FINANCE", "into": "财政局", "on": "2026-04-01"}, "不能把“财政局”并入它自己"),
        ("org:reorg_split", {"source": "FINANCE", "successors": " 、 ", "on": "2026-04-01", "users": "first"},
         "拆分至少需要一个承接单位"),
        ("org:reorg_dissolve", {"unit": "FINANCE", "on": "2026-04-01"}, "还有 2 项未办结的事项"),
    ],
)  # fmt: skip
def test_bad_input_gets_a_chinese_error_and_changes_nothing(personas, client, tasks, name, data, words):
    client.force_login(personas.admin)
    data = {"unit": personas.finance.pk, **data, "confirm": "1"}
    data = {key: personas.finance.pk if value == "FINANCE" else value for key, value in data.items()}
    response = client.post(reverse(name), data)
    assert response.status_code == 200
    assert words in page(response)
    personas.finance.refresh_from_db()
    assert (personas.finance.name, personas.finance.active) == ("财政局", True)
    assert not AuditEntry.objects.exists() and not UnitAlias.objects.exclude(alias="财政").exists()
    assert Task.objects.filter(lead_unit=personas.finance).count() == 2


def test_no_reorg_form_gives_a_server_error_whatever_is_typed(personas, client, tasks):
    from luoshi.tests.test_form_fuzz import _fuzz

    client.force_login(personas.admin)
    sent, errors = _fuzz(client, [reverse(name) for name in PAGES[1:]])
    assert sent >= 4 * 7 and errors == []
    # And hostile choices of successor per task, on a split's preview.
    data = {"source": personas.finance.pk, "successors": "城关镇", "on": "2026-04-01", "users": "first",
            "preview": "1", f"task_{'9' * 40}": "0", f"task_{tasks[0].pk}": "9" * 40}  # fmt: skip
    response = client.post(reverse("org:reorg_split"), data)
    assert response.status_code == 200 and "不是“财政局”的在办事项" in page(response)
    assert Task.objects.filter(lead_unit=personas.finance).count() == 2
