"""The site in a real Chromium, as the five demo logins see it, on a desk and on a phone."""

import pytest

from conftest import publish_screenshot
from luoshi.org.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}

# What each demo login's navigation shows, and what it must not show.
NAVIGATION = {
    "office": (["首页", "通讯录", "联络信息待补"], ["系统管理", "分管单位", "本单位", "导入组织架构"]),
    "leader": (["首页", "通讯录", "分管单位"], ["系统管理", "本单位", "联络信息待补", "导入组织架构"]),
    "unit": (["首页", "通讯录", "本单位"], ["系统管理", "分管单位", "联络信息待补", "导入组织架构"]),
    "unit2": (["首页", "通讯录", "本单位"], ["系统管理", "分管单位", "联络信息待补", "导入组织架构"]),
    "admin": (["首页", "通讯录", "导入组织架构", "系统管理"], ["分管单位", "本单位", "登录日志", "审计日志"]),
    "security": (["首页", "账号与安全", "用户账号", "API 令牌"], ["督办事项", "导入组织架构", "审计日志", "登录日志"]),
    "auditor": (["首页", "审计日志", "登录日志"], ["督办事项", "导入组织架构", "系统管理", "账号与安全"]),
}


def _log_in(page, username, password=DEMO_PASSWORD):
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")


def _nav_labels(page) -> list[str]:
    return [text.strip() for text in page.locator("nav[aria-label='主导航'] li").all_inner_texts()]


def _has_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


@pytest.mark.parametrize("username", list(NAVIGATION))
def test_each_demo_login_sees_its_roles_navigation(page, demo, username):
    _log_in(page, username)
    page.wait_for_url(
        "**/"
        if username not in ("security", "auditor")
        else f"**/{'org/security' if username == 'security' else 'audit'}/"
    )
    labels = _nav_labels(page)
    shown, hidden = NAVIGATION[username]
    for label in shown:
        assert label in labels, (username, labels)
    for label in hidden:
        assert label not in labels, (username, labels)
    # The account's own pages are in the user's menu (#13 §4), not among the work.
    page.locator(".user-menu summary").click()
    account = [text.strip() for text in page.locator(".user-menu li").all_inner_texts()]
    assert account == ["修改密码", "API 令牌", "退出"], account


def test_five_wrong_passwords_show_the_lock_message(page, demo):
    for attempt in range(5):
        _log_in(page, "unit", f"wrong{attempt}abc")
        page.wait_for_selector("[role=alert]")
    alert = page.locator("[role=alert]").inner_text()
    assert "已锁定 15 分钟" in alert
    # The right password no longer opens it.
    _log_in(page, "unit")
    page.wait_for_selector("[role=alert]")
    assert "已锁定" in page.locator("[role=alert]").inner_text()
    assert page.url.endswith("/login/")


@pytest.mark.parametrize(
    ("username", "paths"),
    [
        ("office", ["/", "/org/", "/org/?missing=1", "/password/"]),
        ("leader", ["/", "/org/?mine=1"]),
        ("unit", ["/", "/org/", "/org/units/{finance}/", "/org/units/{finance}/edit/"]),
        ("admin", ["/", "/org/import/"]),
    ],
)
def test_pages_have_no_horizontal_scroll_on_a_phone(browser, live_site, demo, username, paths):
    from luoshi.org.models import Unit

    finance = Unit.objects.get(name="财政局").pk
    context = browser.new_context(viewport=PHONE, locale="zh-CN", base_url=live_site, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto("/login/")
        assert not _has_horizontal_scroll(page), "/login/"
        _log_in(page, username)
        page.wait_for_url("**/")
        for path in paths:
            path = path.format(finance=finance)
            page.goto(path)
            assert page.locator("main").is_visible()
            assert not _has_horizontal_scroll(page), (
                username,
                path,
                page.evaluate("document.documentElement.scrollWidth"),
            )
    finally:
        context.close()


def test_a_liaison_edits_the_units_phone_on_a_phone_and_a_bad_number_is_explained(browser, live_site, demo):
    from luoshi.org.models import Unit

    context = browser.new_context(viewport=PHONE, locale="zh-CN", base_url=live_site, is_mobile=True)
    page = context.new_page()
    try:
        _log_in(page, "unit")
        page.wait_for_url("**/")
        page.click("text=修改本单位联络信息")
        page.fill("#id_liaison_mobile", "12345")
        page.click("main button[type=submit]")
        assert "手机号应为 11 位数字" in page.locator("main").inner_text()
        page.fill("#id_liaison_mobile", "13811112222")
        page.click("main button[type=submit]")
        page.wait_for_selector("text=已保存")
        assert Unit.objects.get(name="财政局").liaison_mobile == "13811112222"
    finally:
        context.close()


def test_a_screenshot_of_the_home_page(page, demo, screenshot_dir):
    _log_in(page, "office")
    page.wait_for_url("**/")
    assert page.locator("h1").inner_text().startswith("您好")
    path = screenshot_dir / "home.png"
    page.screenshot(path=str(path), full_page=False)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert path.stat().st_size > 20_000
    publish_screenshot(path)
