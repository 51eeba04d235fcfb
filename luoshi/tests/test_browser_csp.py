"""The Content-Security-Policy in a real Chromium: the main pages, htmx and ECharts work and nothing is blocked."""

import pytest

from luoshi.org.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Pages with a script each (htmx everywhere; ECharts on the cockpit, a project, an indicator, the risks, a pack).
PAGES = {
    "office": ["/", "/work/", "/work/{task}/", "/cockpit/", "/plans/projects/", "/rankings/", "/problems/risks/",
               "/reports/packs/", "/intake/", "/ledger/import/", "/org/", "/notify/", "/api/docs"],
    "admin": ["/admin/", "/admin/org/unit/", "/admin/org/unit/{unit}/change/"],
    "auditor": ["/audit/", "/audit/logins/"],
    "security": ["/org/security/", "/admin/org/user/"],
}  # fmt: skip

WATCH = """() => { window.__csp = [];
  document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI)); }"""


@pytest.mark.parametrize("username", list(PAGES))
def test_no_page_violates_the_policy_and_the_scripts_run(browser, live_site, demo, username):
    from luoshi.org.models import Unit
    from luoshi.work.models import Task

    ids = {"task": Task.objects.order_by("pk").first().pk, "unit": Unit.objects.get(name="财政局").pk}
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", base_url=live_site)
    context.set_default_timeout(20_000)
    context.add_init_script(f"({WATCH})()")
    page = context.new_page()
    console = []
    page.on("console", lambda message: console.append(message.text))
    try:
        page.goto("/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", DEMO_PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_load_state("networkidle")
        for path in PAGES[username]:
            response = page.goto(path.format(**ids))
            assert response.status == 200, path
            assert "script-src 'self'" in response.headers["content-security-policy"]
            page.wait_for_load_state("networkidle")
            assert page.evaluate("window.__csp") == [], path
            if not path.startswith(("/admin", "/api")):
                assert page.evaluate("typeof window.htmx") == "object", path
    finally:
        context.close()
    blocked = [text for text in console if "Content Security Policy" in text or "Refused to" in text]
    assert blocked == []
