"""Reading spreadsheets fast (python-calamine), with Chinese errors for bad files."""

import datetime as dt
from dataclasses import dataclass

from python_calamine import CalamineError, CalamineWorkbook


class SheetError(ValueError):
    """A spreadsheet that cannot be read at all; the message is for the user."""


@dataclass
class Sheet:
    name: str
    rows: list[list]


def read_workbook(fileobj, *, max_cells: int) -> list[Sheet]:
    """Every visible sheet's rows as Python values, refusing files past `max_cells`."""
    try:
        workbook = CalamineWorkbook.from_filelike(fileobj)
        sheets, cells = [], 0
        for name in workbook.sheet_names:
            rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
            cells += sum(len(row) for row in rows)
            if cells > max_cells:
                raise SheetError(f"表格太大:超过 {max_cells:,} 个单元格的上限。请拆分后分批导入。")
            sheets.append(Sheet(name=name, rows=rows))
    except CalamineError as exc:
        raise SheetError(
            f"无法读取该文件:它不是有效的 Excel 表格,或已损坏({exc})。请用 Excel 或 WPS 另存为 .xlsx 后重试。"
        ) from None
    except (ValueError, OSError, TypeError) as exc:
        if isinstance(exc, SheetError):
            raise
        raise SheetError(f"无法读取该文件:{exc}。请用 Excel 或 WPS 另存为 .xlsx 后重试。") from None
    return sheets


def cell_text(value) -> str:
    """A cell as the text a person sees: 3.0 → "3", 13912345678.0 → "13912345678"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M") if (value.hour or value.minute) else value.strftime("%Y-%m-%d")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    return str(value).strip()


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: how Excel names the column of a message."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters
