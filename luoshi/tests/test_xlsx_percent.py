"""Rates in the Excel files are numbers formatted as percent, so that offices can sort, filter and sum them."""

from io import BytesIO

from openpyxl import Workbook, load_workbook

from luoshi.lib import xlsx
from luoshi.lib.xlsx import Percent


def _reload(workbook: Workbook):
    buffer = BytesIO()
    xlsx.save(workbook, buffer)
    return load_workbook(BytesIO(buffer.getvalue()))


def test_a_rate_in_a_small_table_is_a_number_shown_as_a_percent():
    workbook = Workbook()
    xlsx.write_table(workbook.active, title="通报", headers=["单位", "办结率"],
                     rows=[["财政局", Percent(0.917)], ["住建局", "—"]], widths=[20, 10])  # fmt: skip
    sheet = _reload(workbook).active
    assert sheet["B3"].value == 0.917 and sheet["B3"].data_type == "n"
    assert sheet["B3"].number_format == "0.0%"
    assert sheet["B4"].value == "—"


def test_a_rate_in_a_streamed_ledger_sheet_is_a_number_shown_as_a_percent():
    workbook = Workbook(write_only=True)
    sheet = xlsx.LedgerSheet(
        workbook, name="单位汇总", title="汇总", headers=["单位", "办结率", "交办"], widths=[20, 10, 8]
    )
    sheet.append(["财政局", Percent(1.0), 12])
    sheet.append(["住建局", Percent(0.625), 8])
    sheet.close()
    reloaded = _reload(workbook)["单位汇总"]
    assert [reloaded["B3"].value, reloaded["B4"].value] == [1.0, 0.625]
    assert reloaded["B3"].number_format == reloaded["B4"].number_format == "0.0%"
    # Numbers that are not rates keep the general format.
    assert reloaded["C3"].value == 12 and reloaded["C3"].number_format == "General"
