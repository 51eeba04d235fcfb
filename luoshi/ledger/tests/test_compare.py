"""The three-way comparison of a returned ledger row, on its own: exported, file, current."""

import pytest

from luoshi.ledger.compare import CHANGE_LABELS, Change, classify, same, squeeze

OLD = ("完成方案初稿", "资金缺口", "报常务会")
NEWER = ("方案已报常务会审议", "", "")
FILLED = ("方案已定稿", "", "印发实施")
BLANK = ("", "", "")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("完成\t初稿", "完成初稿"),
        ("  完成初稿 \n", "完成初稿"),
        ("完成\u3000初稿\u00a0", "完成初稿"),
        ("第一\r\n第二", "第一第二"),
        ("", ""),
        (None, ""),
        ("完成初稿", "完成初稿"),
    ],
)
def test_spacing_is_not_part_of_the_words(text, expected):
    assert squeeze(text) == expected


def test_cells_differing_only_in_whitespace_are_the_same():
    assert same(("完成\t初稿", " 无 ", "下一步\n"), ("完成 初稿", "无", "下一步"))
    assert not same(("完成初稿", "", ""), ("完成二稿", "", ""))
    assert not same(("完成初稿", "", ""), ("完成初稿", "问题", ""))
    assert not same(("完成初稿", "", "印发"), ("完成初稿", "", ""))


def test_a_missing_trailing_cell_counts_as_blank():
    assert same(("完成初稿",), ("完成初稿", "", ""))
    assert same(("完成初稿", "", ""), ("完成初稿",))
    assert not same(("完成初稿",), ("完成初稿", "资金", ""))
    assert not same(("完成初稿", "资金"), ("完成初稿",))


def test_the_exported_text_sent_back_is_unchanged_whatever_happened_since():
    assert classify(OLD, exported=OLD, current=NEWER, moved_on=True) is Change.UNCHANGED
    assert classify(OLD, exported=OLD, current=OLD, moved_on=False) is Change.UNCHANGED


def test_a_tab_for_a_space_is_not_a_change():
    file = ("完成方案\t初稿 ", "资金缺口", "报常务会\n")
    exported = ("完成方案 初稿", "资金缺口", "报常务会")

    assert classify(file, exported=exported, current=exported, moved_on=False) is Change.UNCHANGED
    assert classify(file, exported=exported, current=NEWER, moved_on=True) is Change.UNCHANGED


def test_new_words_on_a_task_that_has_not_moved_on_are_an_update():
    assert classify(FILLED, exported=OLD, current=OLD, moved_on=False) is Change.UPDATE
    assert classify(FILLED, exported=BLANK, current=BLANK, moved_on=False) is Change.UPDATE


def test_new_words_on_a_task_that_has_moved_on_are_a_conflict():
    assert classify(FILLED, exported=OLD, current=NEWER, moved_on=True) is Change.CONFLICT
    assert classify(FILLED, exported=BLANK, current=NEWER, moved_on=True) is Change.CONFLICT


def test_a_change_to_one_cell_alone_is_a_change():
    problems_only = (OLD[0], "资金缺口已解决", OLD[2])

    assert classify(problems_only, exported=OLD, current=OLD, moved_on=False) is Change.UPDATE
    assert classify(problems_only, exported=OLD, current=NEWER, moved_on=True) is Change.CONFLICT


def test_the_current_text_sent_back_records_nothing_twice():
    # The unit copied the newer report into its old copy, or the same file comes in a second time.
    assert classify(NEWER, exported=OLD, current=NEWER, moved_on=True) is Change.UNCHANGED
    assert classify(("方案已报常务会审议 ",), exported=OLD, current=NEWER, moved_on=True) is Change.UNCHANGED


def test_blank_cells_never_erase_a_report():
    assert classify(BLANK, exported=OLD, current=OLD, moved_on=False) is Change.UNCHANGED
    assert classify((" ", "\t", ""), exported=OLD, current=NEWER, moved_on=True) is Change.UNCHANGED
    assert classify(BLANK, exported=None, current=OLD, moved_on=True) is Change.UNCHANGED


def test_a_row_with_only_problems_filled_is_still_a_change_for_the_preview_to_refuse():
    assert classify(("", "资金缺口", ""), exported=BLANK, current=BLANK, moved_on=False) is Change.UPDATE


def test_a_file_without_versions_compares_with_the_current_report_only():
    assert classify(FILLED, exported=None, current=OLD, moved_on=True) is Change.UPDATE
    assert classify(FILLED, exported=None, current=OLD, moved_on=False) is Change.UPDATE
    assert classify(OLD, exported=None, current=OLD, moved_on=True) is Change.UNCHANGED
    # The old text, when the task has moved on: without a version it cannot be told from news.
    assert classify(OLD, exported=None, current=NEWER, moved_on=True) is Change.UPDATE


def test_every_change_has_a_chinese_label():
    assert [CHANGE_LABELS[c] for c in Change] == ["新增事项", "无变化", "更新进展", "冲突"]
    assert [str(c) for c in Change] == ["new", "unchanged", "update", "conflict"]
