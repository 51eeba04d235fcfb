"""search_tokens: the words a full-text index over Chinese is built from."""

from luoshi.lib.text import search_tokens


def test_a_chinese_run_gives_its_overlapping_bigrams():
    assert search_tokens("河湖保洁") == ["河湖", "湖保", "保洁"]


def test_a_single_chinese_character_stays_as_itself():
    assert search_tokens("湖") == ["湖"]


def test_a_two_character_word_is_one_token():
    assert search_tokens("河湖") == ["河湖"]


def test_punctuation_and_spaces_split_runs():
    assert search_tokens("河湖保洁、道路 清扫") == ["河湖", "湖保", "保洁", "道路", "清扫"]
    assert search_tokens("“一网通办”") == ["一网", "网通", "通办"]


def test_latin_words_and_numbers_stay_whole_and_lower_case():
    assert search_tokens("PPP项目") == ["ppp", "项目"]
    assert search_tokens("5G基站") == ["5g", "基站"]
    assert search_tokens("2026年") == ["2026", "年"]
    assert search_tokens("G20 Summit") == ["g20", "summit"]


def test_full_width_letters_and_digits_fold_to_half_width():
    assert search_tokens("ＰＰＰ项目２０２６") == ["ppp", "项目", "2026"]


def test_a_number_between_chinese_runs_splits_them():
    assert search_tokens("压缩至1个工作日") == ["压缩", "缩至", "1", "个工", "工作", "作日"]


def test_rare_characters_of_extension_a_are_indexed():
    assert search_tokens("㐀㐁") == ["㐀㐁"]


def test_empty_and_none_give_no_tokens():
    assert search_tokens("") == []
    assert search_tokens(None) == []
    assert search_tokens("、,。!") == []


def test_the_same_text_gives_the_same_tokens_as_a_query_and_as_a_document():
    document = search_tokens("全县河湖保洁专项行动")
    query = search_tokens("河湖保洁")
    joined = " ".join(document)
    assert " ".join(query) in joined
    assert " ".join(search_tokens("河湖清理")) not in joined
