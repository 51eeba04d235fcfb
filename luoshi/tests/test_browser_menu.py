"""The grouped navigation (#13 §4) in a real Chromium: folded on a 390 px phone for every role, no JavaScript."""

import pytest

from luoshi.testing import browser_login, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}

# Each demo login: the groups its menu shows, and a link in it that the test follows.
ROLES = {
    "office": (["督办", "台账", "汇报与会议", "统计", "资料", "设置"], ("设置", "工作日历", "/plans/calendar/")),
    "leader": (["督办", "台账", "汇报与会议", "统计", "资料"], ("资料", "分管单位", "/org/?mine=1")),
    "unit": (["督办", "台账", "汇报与会议", "统计", "资料"], ("督办", "本周反馈", "/work/week/")),
    "admin": (["督办", "台账", "汇报与会议", "统计", "资料", "设置"], ("设置", "导入组织架构", "/org/import/")),
}


def _phone(browser, live_site, username, *, javascript=True):
    return browser_login(
        browser, live_site, username, viewport=PHONE, is_mobile=True, has_touch=True, java_script_enabled=javascript
    )


@pytest.mark.parametrize("username", list(ROLES))
def test_the_phone_menu_folds_and_groups_every_link_for_each_role(browser, live_site, demo, username, screenshot_dir):
    groups, (group, label, url) = ROLES[username]
    # Without JavaScript: the menu is a checkbox and CSS.
    context, page = _phone(browser, live_site, username, javascript=False)
    try:
        nav = page.locator("nav[aria-label='主导航']")
        toggle = nav.locator("label[for=nav-toggle]")
        assert toggle.is_visible() and toggle.bounding_box()["height"] >= 44
        # Folded: the page starts right under the bar, not under 26 links.
        assert not nav.locator(".nav-groups").is_visible()
        assert page.locator("main").bounding_box()["y"] < 200
        toggle.click()
        names = [text.strip() for text in nav.locator(".nav-group-name").all_inner_texts()]
        assert names == groups, names
        links = nav.locator("a")
        assert links.count() >= 8
        for index in range(links.count()):
            link = links.nth(index)
            box = link.bounding_box()
            assert link.is_visible(), link.inner_text()
            assert box["height"] >= 44, (link.inner_text(), box)
            assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (link.inner_text(), box)
        assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        page.screenshot(path=screenshot_dir / f"menu_phone_{username}.png", full_page=True)
        # The account's pages are in the user's own menu, which taps open too.
        assert nav.get_by_role("link", name="API 令牌").count() == 0
        page.locator(".user-menu summary").click()
        token = page.locator(".user-menu").get_by_role("link", name="API 令牌")
        assert token.is_visible() and token.bounding_box()["height"] >= 44
        page.locator(".user-menu summary").click()
        # A link of the group leads to its page.
        section = nav.locator(".nav-group", has=page.locator(".nav-group-name", has_text=group))
        section.get_by_role("link", name=label, exact=True).click()
        page.wait_for_url(f"**{url}")
        assert page.locator("main h1").count() >= 1
    finally:
        context.close()


def test_on_a_desk_the_groups_sit_in_one_bar_unfolded(page, demo):
    log_in(page, "office")
    nav = page.locator("nav[aria-label='主导航']")
    assert not nav.locator("label[for=nav-toggle]").is_visible()
    assert nav.get_by_role("link", name="工作日历").is_visible()
    assert nav.get_by_role("link", name="督办事项").is_visible()
    # Every link of the office fits in three lines of the bar at 1280 px.
    assert nav.bounding_box()["height"] < 3 * 44


def test_a_task_page_prints_without_menu_banners_or_buttons(page, demo, screenshot_dir):
    """#13 §4: the print stylesheet, checked as Chromium prints the page (to PDF, then PNG to look at)."""
    import shutil
    import subprocess

    from luoshi.work.models import Task

    task = Task.objects.filter(reports__isnull=False, lead_unit__isnull=False).order_by("pk").first()
    log_in(page, "office")
    page.goto(f"/work/{task.pk}/")
    page.emulate_media(media="print")
    assert not page.locator("nav[aria-label='主导航']").is_visible()
    assert not page.locator(".site-header").is_visible()
    assert not page.locator("main button").first.is_visible()
    assert page.locator(".print-head").is_visible() and "打印于" in page.locator(".print-head").inner_text()
    assert page.locator("h1.page-title").is_visible()
    family = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert "FangSong" in family or "仿宋" in family
    pdf = screenshot_dir / "task_print.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", str(pdf), str(screenshot_dir / "task_print")],
                       check=True, timeout=120)  # fmt: skip
