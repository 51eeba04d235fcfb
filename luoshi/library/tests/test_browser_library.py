"""The library in a real Chromium: the demo unit's liaison searches 河湖保洁 and reads the document, words marked."""

import pytest

from luoshi.audit.testing import wipe_trace
from luoshi.library.demo import demo_library_load
from luoshi.org.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def library(page, demo_county):
    demo_library_load()
    yield
    wipe_trace()  # the flush after a committing test DELETEs, which the trace refuses


def test_the_liaison_searches_and_reads_a_document_with_the_words_highlighted(page, library):
    page.goto("/login/")
    page.locator("#id_username").fill("unit")
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/")
    page.get_by_role("link", name="文件库").click()
    page.get_by_role("searchbox", name="查找").fill("河湖保洁")
    page.get_by_role("button", name="查找").click()
    first = page.locator(".search-hit").first
    assert first.locator("h3 mark").first.inner_text() == "河湖保洁"
    first.locator("h3 a").click()
    page.wait_for_selector(".library-text mark")
    assert page.locator(".library-text mark").count() >= 5
    assert page.locator(".library-toc a", has_text="一、工作目标").is_visible()
    page.locator(".library-toc a", has_text="(三)建立长效机制").click()
    assert page.url.endswith("#s5")
