"""The reports in a real Chromium: a brief from draft to decision, and the office's pack, circular and notice."""

import re
from io import BytesIO

import docx
import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from luoshi.reports.models import Brief, Circular, MeetingPack, Notice
from luoshi.testing import browser_login
from luoshi.work.models import Task

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(browser, live_site, username):
    return browser_login(browser, live_site, username, accept_downloads=True)[1]


def download(page, selector) -> bytes:
    with page.expect_download() as info:
        page.locator(selector).first.click()
    with open(info.value.path(), "rb") as file:
        return file.read()


def test_a_unit_writes_a_brief_the_form_refuses_twice_and_the_leader_decides(browser, live_site, demo):
    unit = login(browser, live_site, "unit")
    unit.goto("/reports/briefs/new/")
    unit.fill("#id_subject", "城区老旧小区改造资金筹措")
    unit.fill("#id_requirements", "省住建厅要求年底前完成2000年前建成小区改造。")
    unit.click("#insert-summary")
    # An assertion that polls, not wait_for_function: that evaluates a string, which the site's CSP forbids.
    expect(unit.locator("#id_situation")).to_have_value(re.compile(r"^截至"))
    unit.fill("#id_peers", "甲县通过专项债解决,乙县引入社会资本。")
    unit.fill("#id_question", "请领导决定资金筹措方式。")
    unit.fill("#id_option1_title", "申请专项债券")
    unit.fill("#id_option1_pros", "成本低、期限长")
    unit.fill("#id_option1_cons", "额度有限、审批周期长")
    unit.click("button[value=submit]")
    assert "至少要提出两个方案" in unit.locator(".form-error").inner_text()

    unit.fill("#id_option2_title", "引入社会资本")
    unit.fill("#id_option2_pros", "资金到位快")
    unit.click("button[value=submit]")
    refusal = unit.locator(".form-error").inner_text()
    assert "方案二:请写明“弊”" in refusal and "请选择推荐方案" in refusal
    assert not Brief.objects.exists()

    unit.fill("#id_option2_cons", "需让渡部分经营收益")
    unit.check("input[name=recommended][value='1']")
    unit.click("button[value=submit]")
    assert "已呈报" in unit.locator(".messages").inner_text()
    brief = Brief.objects.get()
    assert brief.status == Brief.Status.SUBMITTED and brief.situation.startswith("截至")

    leader = login(browser, live_site, "leader")
    leader.goto(f"/reports/briefs/{brief.pk}/")
    leader.check("input[name=chosen][value='2']")
    leader.fill("#id_note", "同意引入社会资本,同步申报专项债。")
    leader.click("summary:has-text('同时交办后续事项')")
    leader.fill("#id_follow1_title", "拟定老旧小区改造社会资本合作方案")
    leader.fill("#id_follow1_deadline", f"{timezone.localdate() + timezone.timedelta(days=30):%Y-%m-%d}")
    leader.click("section.card form button[type=submit]:has-text('确定')")
    assert "并交办后续事项1项" in leader.locator(".messages").inner_text()
    brief.refresh_from_db()
    assert brief.status == Brief.Status.DECIDED and brief.chosen == 2
    assert Task.objects.get(title="拟定老旧小区改造社会资本合作方案").lead_unit.name == "财政局"
    unit.context.close()
    leader.context.close()


def test_the_office_issues_the_pack_a_circular_and_an_urge_notice(browser, live_site, demo):
    office = login(browser, live_site, "office")

    # This week's pack: compile, look at the chart, issue, download.
    office.goto("/reports/packs/")
    office.click("button:has-text('汇编本期材料')")
    office.wait_for_selector("#lights-chart svg")
    office.click("button:has-text('印发')")
    assert "已印发" in office.locator(".messages").inner_text()
    pack = MeetingPack.objects.get()
    document = docx.Document(BytesIO(download(office, "a:has-text('下载 Word')")))
    # A long title is broken between words into lines of one paragraph.
    assert document.paragraphs[0].text.replace("\n", "") == pack.title and document.inline_shapes

    # A 催办通知单 for the first red task of the pack.
    office.locator("#red-notices input[name=task]").first.check()
    office.click("button:has-text('制发催办通知单')")
    office.click("button:has-text('编号并制发')")
    notice = Notice.objects.exclude(kind=Notice.Kind.SUPERVISE).get()  # the demo has two 督办通知单 of its own
    assert notice.number_label == f"催办〔{timezone.localdate().year}〕1号"
    assert notice.number_label in office.locator("article.notice-sheet").inner_text()
    assert notice.number_label in "\n".join(
        p.text for p in docx.Document(BytesIO(download(office, "a:has-text('下载 Word')"))).paragraphs
    )

    # Last month's circular: draft, reword, issue, download Word and Excel.
    office.goto("/reports/circulars/")
    office.select_option("#id_kind", "month")
    office.click("button:has-text('生成通报草稿')")
    office.fill("#id_intro", "本月全县督办工作总体平稳,现通报如下。")
    office.click("button:has-text('保存文字')")
    office.click("button:has-text('印发')")
    circular = Circular.objects.get()
    assert circular.status == Circular.Status.ISSUED
    text = "\n".join(p.text for p in docx.Document(BytesIO(download(office, "a:has-text('下载 Word')"))).paragraphs)
    assert "本月全县督办工作总体平稳" in text
    workbook = load_workbook(BytesIO(download(office, "a:has-text('下载表格')")))
    assert workbook.sheetnames
    office.context.close()
