"""ECharts under the production Content-Security-Policy, in a real Chromium: the charts are drawn, nothing is blocked.

test_browser_csp.py proves that no page reports a violation; this one proves that the charts themselves appear
(an <svg> of nonzero size, with lines or bars in it, inside each chart's container) while the policy is on.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from luoshi.lib.security import CSP
from luoshi.org.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WATCH = """() => { window.__csp = [];
  document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI)); }"""

# What a chart container holds once ECharts has drawn in it: its size, and how many shapes it drew.
DRAWN = """(selector) => {
  const node = document.querySelector(selector);
  const svg = node && node.querySelector('svg, canvas');
  if (!svg) return null;
  const box = svg.getBoundingClientRect();
  return {width: box.width, height: box.height, shapes: svg.querySelectorAll('path, rect').length};
}"""


def test_the_echarts_charts_draw_under_the_production_policy(browser, live_site, demo, settings):
    from luoshi.rankings.models import Indicator
    from luoshi.work.snapshots import unit_snapshot_take

    settings.LUOSHI_CSP = True
    # Two weeks of snapshots, so that the cockpit has a trend to draw.
    today = timezone.localdate()
    unit_snapshot_take(day=today - timedelta(days=7))
    unit_snapshot_take(day=today)
    indicator = Indicator.objects.filter(values__isnull=False).order_by("pk").first()
    charts = {"/cockpit/": ["#trend-chart"], f"/rankings/indicators/{indicator.pk}/": ["#rank-chart", "#county-chart"]}

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", base_url=live_site)
    context.set_default_timeout(20_000)
    context.add_init_script(f"({WATCH})()")
    page = context.new_page()
    console, errors = [], []
    page.on("console", lambda message: console.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto("/login/")
        page.fill("#id_username", "office")
        page.fill("#id_password", DEMO_PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_load_state("networkidle")
        for path, selectors in charts.items():
            response = page.goto(path)
            assert response.status == 200, path
            assert response.headers["content-security-policy"] == CSP, path
            page.wait_for_load_state("networkidle")
            assert page.evaluate("typeof window.echarts") == "object", path
            for selector in selectors:
                page.locator(f"{selector} svg, {selector} canvas").first.wait_for(state="visible")
                drawn = page.evaluate(DRAWN, selector)
                assert drawn is not None, (path, selector)
                assert drawn["width"] > 100 and drawn["height"] > 100, (path, selector, drawn)
                assert drawn["shapes"] > 3, (path, selector, drawn)
            assert page.evaluate("window.__csp") == [], path
    finally:
        context.close()
    blocked = [text for text in console if "Content Security Policy" in text or "Refused to" in text]
    assert blocked == [] and errors == []
