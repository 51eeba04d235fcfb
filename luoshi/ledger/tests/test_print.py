"""The printed ledger (#13 §4): the export through LibreOffice to PDF, as an office prints it, then to PNG.

Body text at least 9 pt at fit-to-width on A4 landscape, the header row tall enough for its wrapped
names, page numbers in the footer. The PNG is kept in var/screenshots/ to be looked at.
"""

import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from luoshi.work import services

from .libreoffice import resave

pytestmark = pytest.mark.django_db

SCREENSHOTS = Path(__file__).resolve().parents[3] / "var" / "screenshots"
PROGRESS = "已完成可研批复和初步设计,正在开展施工图审查,征地拆迁完成百分之八十,剩余两户正在协商"


def _sizes(reader: PdfReader, words: str) -> list[float]:
    """The printed size, in points, of each piece of text holding `words`."""
    sizes = []

    def visit(text, cm, tm, font, size):
        if words in text.replace("\n", ""):
            sizes.append(abs(size * tm[3] * cm[3]) or abs(size * tm[0] * cm[0]))

    for page in reader.pages:
        page.extract_text(visitor_text=visit)
    return sizes


def test_the_printed_ledger_is_readable_with_page_numbers(client, personas, tmp_path):
    today = date.today()
    for number in range(40):
        task = services.task_create(
            spec=services.TaskSpec(
                title=f"推进县城北区污水处理厂提标改造工程第{number + 1}项",
                requirements="完成提标改造,出水水质稳定达到一级A标准,配套管网同步建设",
                lead=personas.finance, supporting=[personas.housing], leader=personas.leader_row,
                deadline=today + timedelta(days=90), cadence="monthly", cadence_day=25,
            ),
            by=personas.office,
        )  # fmt: skip
        services.task_report(
            task=task, by=personas.liaison,
            report=services.ReportInput(done_text=PROGRESS, problems="资金缺口较大", next_steps="争取专项债"),
        )  # fmt: skip
    client.force_login(personas.office)
    response = client.get("/ledger/export/")
    pdf = resave(b"".join(response.streaming_content), suffix=".xlsx", to="pdf")
    reader = PdfReader(__import__("io").BytesIO(pdf))

    assert len(reader.pages) >= 2
    body = _sizes(reader, "剩余两户正在协商")
    assert body, "the progress text is not in the PDF"
    assert min(body) >= 9, body
    text = "".join(page.extract_text() for page in reader.pages)
    assert "第 1 页,共" in text and f"第 {len(reader.pages)} 页" in text
    # Every header name printed whole (wrapped, not cut by a one-line header row), dates whole.
    second = "".join(reader.pages[1].extract_text().split())
    for header in ("工作任务", "牵头单位", "责任县领导", "完成时限", "反馈周期", "进展情况", "下一步打算", "反馈时间"):
        assert header in second, header
    assert "###" not in text and "..." not in text
    assert f"{today:%Y-%m-%d}" in text  # 反馈时间, whole

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (tmp_path / "ledger.pdf").write_bytes(pdf)
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", str(tmp_path / "ledger.pdf"),
             str(SCREENSHOTS / "ledger_print")],
            check=True, timeout=120,
        )  # fmt: skip
