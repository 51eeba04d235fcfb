"""The intake in a real Chromium: upload the sample .docx, review, correct a row, confirm; the units see it."""

from datetime import date

import pytest

from luoshi.intake.models import Decomposition
from luoshi.testing import log_in
from luoshi.work.models import Task

from .conftest import DOCX

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(browser, live_site, username):
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN", base_url=live_site)
    context.set_default_timeout(15_000)
    page = context.new_page()
    log_in(page, username)
    return context, page


def test_the_office_decomposes_the_sample_speech_into_tasks(browser, live_site, demo_county, clock):
    context, page = _login(browser, live_site, "office")
    page.goto("/intake/")
    page.locator("#id_file").set_input_files(str(DOCX))
    page.locator("main button[type=submit]").click()
    page.wait_for_selector(".intake-doc mark")
    decomposition = Decomposition.objects.get()
    rows = list(decomposition.rows.all())
    first = rows[0]
    housing = next(row for row in rows if "像住建局" in row.source)

    # A row and its sentence find each other.
    page.locator(f'tr[data-row="{housing.pk}"] .row-text').click()
    assert page.locator(f'.intake-doc mark.is-current[data-rows~="{housing.pk}"]').count() >= 1
    page.locator(f'.intake-doc mark[data-rows~="{first.pk}"]').first.click()
    assert "is-current" in page.locator(f'tr[data-row="{first.pk}"]').get_attribute("class")

    # Correct the first row; it is saved at once.
    row = page.locator(f"#row-{first.pk}")
    row.locator("summary").click()
    row.locator(f'textarea[name="r{first.pk}-text"]').fill("经济指标在全市不进后三名(浏览器验收)")
    row.locator(f'input[name="r{first.pk}-lead"]').fill("发改委")
    row.locator(f'input[name="r{first.pk}-supporting"]').fill("财政局、统计局")
    row.locator(f'input[name="r{first.pk}-leader"]').fill("常务副县长")
    row.locator(f'input[name="r{first.pk}-deadline"]').fill("3月底前")
    row.locator("button", has_text="保存").click()
    page.wait_for_selector(".message-success:has-text('已保存')")
    # Rows the speech left without a deadline are standing; the 住建局 row is accepted as proposed.
    page.locator("#fill-deadline").fill("长期坚持")
    page.locator("#fill-form button").click()
    page.wait_for_selector(".message-success:has-text('已填写')")
    page.locator(f"#row-{housing.pk} button", has_text="采纳").click()
    page.wait_for_selector(".message-success:has-text('已采纳')")

    # A passage the proposal missed, selected in the document, becomes a row with its exact span.
    page.evaluate(
        """() => {
            const p = document.querySelector('.intake-doc p[data-p="1"]');
            const node = p.firstChild;
            const range = document.createRange();
            range.setStart(node, 0);
            range.setEnd(node, 8);
            getSelection().removeAllRanges();
            getSelection().addRange(range);
            p.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
        }"""
    )
    page.locator("#add-row button").click()
    page.wait_for_selector(".message-success:has-text('已添加一行')")
    added = decomposition.rows.get(why=["手工添加"])
    assert added.source == decomposition.paragraphs[1][:8] and (added.paragraph, added.start, added.end) == (1, 0, 8)
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(f"#row-{added.pk} button", has_text="删除").click()
    page.wait_for_selector(".message-success:has-text('已删除')")

    page.locator("#confirm").click()
    page.wait_for_load_state()
    assert "生成并交办 2 项" in page.locator(".messages").inner_text()
    task = Task.objects.get(title="经济指标在全市不进后三名(浏览器验收)")
    assert task.deadline == date(2022, 3, 31) and task.leader.title == "常务副县长"
    context.close()

    # The finance bureau supports it and the housing bureau leads its own; each sees the passage.
    context, page = _login(browser, live_site, "unit2")
    page.goto("/work/inbox/")
    housing.refresh_from_db()
    assert housing.task.title == housing.title and len(housing.title) <= 30  # a short name, not the sentence
    page.locator("a", has_text=housing.title).first.click()
    assert "需要在无人危房户门上贴牌" in page.locator("blockquote.quote").inner_text()
    context.close()
    context, page = _login(browser, live_site, "unit")
    page.goto(f"/work/{task.pk}/")
    assert "不能进后三名" in page.locator("blockquote.quote").inner_text()
    context.close()
