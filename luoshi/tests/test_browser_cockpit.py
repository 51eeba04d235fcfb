"""The leader's cockpit in a real Chromium on a 390-px phone, against this week's pack."""

import os
import shutil
from pathlib import Path

import pytest
from django.utils import timezone

from luoshi.org.models import User
from luoshi.reports import services as report_services
from luoshi.testing import log_in
from luoshi.work.models import Task

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_the_leaders_cockpit_on_a_phone_agrees_with_the_pack_screenshot(browser, live_site, demo, screenshot_dir):
    today = timezone.localdate()
    pack = report_services.pack_issue(meeting_date=today, by=User.objects.get(username="office"))
    context = browser.new_context(viewport=PHONE, locale="zh-CN", base_url=live_site, is_mobile=True,
                                  has_touch=True, device_scale_factor=2)  # fmt: skip
    context.set_default_timeout(15_000)
    page = context.new_page()
    log_in(page, "leader")

    # The home page is the cockpit, and it fits the phone: nothing wider than the screen.
    assert page.locator("h1").inner_text().startswith("领导驾驶舱")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    red = int(page.locator("#red-count").inner_text())
    assert red > 0
    shot = screenshot_dir / "cockpit.png"
    page.screenshot(path=str(shot), full_page=False)
    if os.environ.get("LUOSHI_UPDATE_SCREENSHOT") == "1":
        shutil.copyfile(shot, Path(__file__).resolve().parents[2] / "docs" / "screenshot-cockpit.png")

    # This week's pack, as the leader reads it: the red count on its row is the cockpit's.
    page.goto(pack.get_absolute_url())
    leader = User.objects.get(username="leader").leader
    row = page.locator("table tr", has_text=f"{leader.title} {leader.name}").first
    assert int(row.locator("td[data-label=红灯]").inner_text()) == red

    # Tapping a unit lists that unit's tasks.
    page.goto("/")
    unit = page.locator(".cockpit-units a").first
    name = unit.locator(".unit-name").inner_text()
    unit.tap()
    page.wait_for_url("**/work/?unit=*")
    leads = page.locator("td[data-label=牵头单位]").all_inner_texts()
    assert leads and set(leads) == {name}

    # Tapping a red task opens it.
    page.goto("/")
    first = page.locator(".cockpit-red a").first
    title = first.locator("strong").inner_text()
    first.tap()
    page.wait_for_url("**/work/*/")
    assert title in page.locator("h1").inner_text()
    task = Task.objects.get(pk=int(page.url.rstrip("/").rsplit("/", 1)[1]))
    assert task.title == title
    context.close()
