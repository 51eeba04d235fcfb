"""The permission sweep: every URL and API endpoint that names a task, with every demo login.

A task of another unit answers 404, as if it did not exist, on GET and on POST; no page errors.
"""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from luoshi.org.models import Unit, User
from luoshi.work import services
from luoshi.work.attachments import attachment_check
from luoshi.work.models import Task

pytestmark = pytest.mark.django_db


def _patterns(resolver=None, prefix="", namespace=""):
    """(route, namespace) for every URL pattern of the site, nested resolvers included."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern, route, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern):
            yield route, namespace


def _object_routes():
    """Routes of the work app and of its API that take an object's id (a task's, or a task's request's).

    The other apps' API routes take their own objects' ids (a library document, an indicator): a task's id
    there names some other object, which may well exist and be readable by everyone. Each app's own
    permission tests cover those.
    """
    routes = []
    for route, namespace in _patterns():
        if namespace not in ("work", "api") or "<" not in route:
            continue
        if namespace == "api" and not route.lstrip("^").startswith("api/work/"):
            continue
        routes.append(route.lstrip("^").rstrip("$"))
    return routes


def _fill(route: str, ids: dict[str, int]) -> str:
    import re

    def replace(match):
        # A request's own routes (extensions/<id>/…); /<task>/extension/ takes the task's id.
        if "extensions" in route:
            return str(ids["extension"])
        if "closure" in route and "closures" in route:
            return str(ids["closure"])
        if "attachment" in route:
            return str(ids["attachment"])
        return str(ids["task"])

    return "/" + re.sub(r"<(\w+:)?(\w+)>", replace, route)


@pytest.fixture
def housing_task(demo):
    """A task of 住房和城乡建设局 with a pending extension, a pending closure and an attachment."""
    office = User.objects.get(username="office")
    housing_user = User.objects.get(username="unit2")
    today = timezone.localdate()
    first = services.task_create(
        spec=services.TaskSpec(
            title="老旧小区改造(权限测试)", lead=housing_user.unit, deadline=today + timedelta(days=40)
        ),
        by=office,
    )
    second = services.task_create(
        spec=services.TaskSpec(
            title="保障房建设(权限测试)", lead=housing_user.unit, deadline=today + timedelta(days=40)
        ),
        by=office,
    )
    extension = services.task_extension_ask(
        task=first, by=housing_user, reason="拆迁未完成", new_deadline=today + timedelta(days=80)
    )
    pdf = attachment_check("佐证.pdf", b"%PDF-1.7\n" + b"0" * 100)
    closure = services.task_closure_ask(task=second, by=housing_user, summary="已完成", files=[pdf])
    return {
        "task": first.pk,
        "extension": extension.pk,
        "closure": closure.pk,
        "attachment": closure.attachments.get().pk,
    }


def test_the_sweep_covers_every_object_route():
    routes = _object_routes()
    assert len([r for r in routes if r.startswith("work/")]) >= 14
    assert len([r for r in routes if r.startswith("api/")]) >= 7


@pytest.mark.parametrize("username", ["unit", "leader"])
def test_another_units_task_answers_404_everywhere(client, housing_task, username):
    user = User.objects.get(username=username)
    assert not Task.objects.visible_to(user).filter(pk=housing_task["task"]).exists()
    client.force_login(user)
    checked = 0
    for route in _object_routes():
        url = _fill(route, housing_task)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            if response.status_code == 405:
                continue
            assert response.status_code == 404, (username, method, url, response.status_code)
            checked += 1
    assert checked >= 20


@pytest.mark.parametrize("username", ["office", "leader", "unit", "unit2", "admin"])
def test_no_page_errors_for_any_demo_login(housing_task, username):
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(username=username))
    for route in _object_routes():
        url = _fill(route, housing_task)
        response = client.get(url)
        assert response.status_code < 500, (username, url, response.status_code)
    for url in ["/", "/work/", "/work/archive/", "/work/units/", "/work/pending/", "/work/inbox/", "/work/week/"]:
        response = client.get(url)
        assert response.status_code in (200, 403), (username, url, response.status_code)


def test_the_owning_unit_and_the_office_can_open_it(client, housing_task):
    for username in ("unit2", "office", "admin"):
        client.force_login(User.objects.get(username=username))
        assert client.get(f"/work/{housing_task['task']}/").status_code == 200
        assert client.get(f"/work/attachments/{housing_task['attachment']}/").status_code == 200


def test_a_supporting_unit_sees_the_task_but_cannot_ask_for_its_extension(client, demo):
    office = User.objects.get(username="office")
    finance_user = User.objects.get(username="unit")
    housing = Unit.objects.get(name="住房和城乡建设局")
    task = services.task_create(
        spec=services.TaskSpec(
            title="城市更新(配合)", lead=housing, supporting=[finance_user.unit],
            deadline=timezone.localdate() + timedelta(days=30),
        ),
        by=office,
    )  # fmt: skip
    client.force_login(finance_user)
    assert client.get(f"/work/{task.pk}/").status_code == 200
    assert client.get(f"/work/{task.pk}/report/").status_code == 200
    assert client.get(f"/work/{task.pk}/extension/").status_code == 403
    assert client.get(f"/work/{task.pk}/closure/").status_code == 403
