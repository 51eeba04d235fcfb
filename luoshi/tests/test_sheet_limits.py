"""The spreadsheet limit the settings promise is one the reader can keep within a worker's memory budget."""

import io

import pytest
from django.conf import settings
from openpyxl import Workbook

from luoshi.lib.sheets import _BYTES_PER_CELL, MAX_READ_BYTES, SheetError, read_workbook

SHORT_SENTENCE_BYTES = 30  # ten Chinese characters in UTF-8


def test_a_sheet_at_the_cell_limit_of_short_sentences_fits_the_reading_budget():
    # The reader estimates about 120 bytes a cell plus twice its text; at the settings' limit that must fit,
    # or the limit users are told about (ARCHITECTURE.md, README) is one they can never reach.
    cells = settings.LUOSHI_MAX_SPREADSHEET_CELLS
    assert cells * (_BYTES_PER_CELL + 2 * SHORT_SENTENCE_BYTES) <= MAX_READ_BYTES


def test_one_cell_past_the_limit_is_refused_with_the_limit_named(settings):
    settings.LUOSHI_MAX_SPREADSHEET_CELLS = 50
    book = Workbook()
    for row in range(1, 11):
        book.active.append([f"第{row}行第{column}列" for column in range(1, 7)])
    data = io.BytesIO()
    book.save(data)
    with pytest.raises(SheetError, match="超过 50 个单元格的上限"):
        read_workbook(io.BytesIO(data.getvalue()), max_cells=settings.LUOSHI_MAX_SPREADSHEET_CELLS)
