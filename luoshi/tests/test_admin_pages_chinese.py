"""Every admin page in Chinese (#13 §5): each registered model's add page, its add page sent empty (the error
note and the field errors), and one of its change pages, read as the administrator role that keeps it, show no
English label, help text or error. Words in <code> and in URLs are names, not sentences, and may stay."""

import re
import uuid

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from lxml import html as lxml_html

from luoshi.tests.test_admin_chinese import ALLOWED

pytestmark = pytest.mark.django_db

ENGLISH = re.compile(r"[A-Za-z]{3,}")
# The parts of an admin page a user reads to fill a form: labels, help texts, the error note and field errors,
# the fieldsets' and inlines' headings, the tabular inlines' column heads, read-only values' labels.
READ = (
    "//label | //*[contains(concat(' ', @class, ' '), ' help ')] | //*[contains(@class, 'errornote')]"
    " | //ul[contains(@class, 'errorlist')] | //fieldset//h2 | //fieldset/legend | //table//th[not(ancestor::tbody)]"
    " | //div[contains(@class, 'readonly')]/preceding-sibling::label"
    # and what names the page: its heading, the menu, the list's filters, buttons and actions
    " | //h1 | //nav[@id='nav-sidebar']//caption"
    " | //nav[@id='nav-sidebar']//th | //*[@id='changelist-filter']//h3 | //*[@id='changelist-filter']//h2"
    " | //*[contains(@class, 'submit-row')]//input/@value | //*[contains(@class, 'submit-row')]//a"
    " | //div[contains(@class, 'actions')]//option"
)


def _english(text: str) -> list[str]:
    text = re.sub(r"https?://\S+", "", text)
    return [word for word in ENGLISH.findall(text) if word not in ALLOWED]


def _read_texts(page: str, *, titled: bool) -> list[str]:
    tree = lxml_html.fromstring(page)
    for code in tree.xpath("//code"):
        code.drop_tree()
    # A change page's title and breadcrumbs name its object, whose text is data, not the admin's words.
    read = READ + (" | //title | //*[contains(@class, 'breadcrumbs')]" if titled else "")
    return [" ".join((node if isinstance(node, str) else node.text_content()).split()) for node in tree.xpath(read)]


def _english_on(client, url: str, method: str = "get", *, titled: bool = True) -> list[str]:
    if method == "post":
        # Sent as a browser sends the page untouched: the inlines' management forms and the defaults, no more.
        form = lxml_html.fromstring(client.get(url).content.decode()).xpath("//form[contains(@id, '_form')]")[0]
        response = client.post(url, dict(form.form_values()))
    else:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return [
        f"{method.upper()} {url}: {text}"
        for text in _read_texts(response.content.decode(), titled=titled)
        if _english(text)
    ]


def _one_of_each(users):
    """A row for each registered model the demo county leaves empty, so that every change page can be opened."""
    from luoshi.notify.models import Channel, Delivery, Event, Kind, Message, RobotChannel, Rule
    from luoshi.notify.tasks import deliver
    from luoshi.org.models import LoginEvent, LoginThrottle
    from luoshi.org.services import api_token_create

    api_token_create(user=users["office"], name="统计报表")
    LoginThrottle.objects.get_or_create(username="someone", defaults={"failures": 3})
    if not LoginEvent.objects.exists():
        LoginEvent.objects.create(kind=LoginEvent.Kind.LOGIN, username="someone", ip="127.0.0.1")
    if not RobotChannel.objects.exists():
        RobotChannel.objects.create(
            unit=users["unit"].unit, kind=Channel.DINGTALK, name="财政局群",
            webhook="https://oapi.dingtalk.com/robot/send?access_token=x",
        )  # fmt: skip
    event = Event.objects.first() or Event.objects.create(kind=Kind.choices[0][0], title="测试事件")
    if not Message.objects.exists():
        Message.objects.create(event=event, user=users["unit"], kind=Kind.choices[0][0])
    Rule.objects.get_or_create(kind=Kind.URGED)
    deliver.enqueue()  # a row of the worker's queue (后台任务)
    if not Delivery.objects.exists():
        Delivery.objects.create(event=event, channel=Channel.EMAIL, recipient="测试", address="x@example.com")
    from luoshi.ops.models import SweptUpload

    if not SweptUpload.objects.exists():
        SweptUpload.objects.create(path="jobs/2026/台账.xlsx", size=1024, job_title="导入台账", reason="finished")
    from luoshi.reports.models import Brief, Circular, MeetingPack, Notice
    from luoshi.work.models import Task

    office, unit = users["office"], users["unit"].unit
    if not Brief.objects.exists():
        Brief.objects.create(unit=unit, subject="关于土地出让的汇报", created_by=users["unit"])
    if not MeetingPack.objects.exists():
        MeetingPack.objects.create(meeting_date=timezone.localdate(), title="常务会材料", snapshot={}, issued_by=office)
    if not Circular.objects.exists():
        today = timezone.localdate()
        Circular.objects.create(
            period_kind=Circular.PeriodKind.choices[0][0], year=today.year, period_number=today.month,
            start=today.replace(day=1), end=today, title="督查通报", snapshot={}, created_by=office,
        )  # fmt: skip
    if not Notice.objects.exists():
        task = Task.objects.filter(lead_unit=unit).first()
        Notice.objects.create(
            kind=Notice.Kind.choices[0][0], year=task.year, number=1, batch=uuid.uuid4(), task=task, unit=unit,
            title=task.title, created_by=office,
        )  # fmt: skip


def test_every_admin_page_is_in_chinese(client, demo):
    from luoshi.org.models import User

    users = {user.username: user for user in User.objects.all()}
    _one_of_each(users)
    roles = [users["admin"], users["security"], users["auditor"]]
    found, walked = [], []
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        keeper = next(
            (user for user in roles if user.has_perm(f"{opts.app_label}.view_{opts.model_name}")
             or user.has_perm(f"{opts.app_label}.change_{opts.model_name}")),
            None,
        )  # fmt: skip
        assert keeper is not None, f"{opts.label}: no administrator role keeps it"
        client.force_login(keeper)
        if model_admin.has_add_permission(_request_for(keeper)):
            add = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
            found += _english_on(client, add) + _english_on(client, add, "post")
            walked.append(add)
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        found += _english_on(client, changelist)
        obj = model_admin.get_queryset(_request_for(keeper)).order_by("pk").first()
        if obj is None:
            found.append(f"{opts.label}: no row to open")
            continue
        change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        found += _english_on(client, change, titled=False)
        walked.append(change)
    assert len(walked) >= len(admin.site._registry)
    # The walk reads what it should: the add-user page's labels and password help, in Chinese.
    client.force_login(users["admin"])
    texts = _read_texts(client.get(reverse("admin:org_user_add")).content.decode(), titled=True)
    assert len(texts) > 10 and any("密码" in text and "字符" in text for text in texts), texts
    assert not found, "\n".join(dict.fromkeys(found))


def _request_for(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def test_a_weak_or_mistyped_password_is_refused_in_chinese(client, personas):
    client.force_login(personas.security)
    url = reverse("admin:org_user_add")
    for first, second in (("abc", "abc"), ("12345678", "12345678"), ("Luoshi2026pw", "Luoshi2026px")):
        response = client.post(url, {"username": "newcomer", "name": "新同事", "role": "office",
                                     "password1": first, "password2": second})  # fmt: skip
        assert response.status_code == 200
        texts = _read_texts(response.content.decode(), titled=True)
        errors = [text for text in texts if "密码" in text and ("错误" in text or "不" in text or "太" in text)]
        assert errors, texts
        assert not [text for text in texts if _english(text)], texts
    assert not personas.security.__class__.objects.filter(username="newcomer").exists()


def test_a_seeded_holiday_reads_in_chinese_in_the_admin(client, personas):
    from luoshi.plans.models import CalendarDay

    day = CalendarDay.objects.filter(name="National Day").order_by("date").first()
    assert day is not None  # seeded from chinese-calendar by the first migration, in its English names
    client.force_login(personas.admin)
    change = client.get(reverse("admin:plans_calendarday_change", args=[day.pk])).content.decode()
    assert 'value="国庆节"' in change and "National Day" not in lxml_html.fromstring(change).xpath("string(//form)")
    listing = client.get(reverse("admin:plans_calendarday_changelist") + f"?date__year={day.date.year}")
    assert '<td class="field-holiday">国庆节</td>' in listing.content.decode()
